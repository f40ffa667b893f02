"""The command line on a shared server: ``db init`` prepares an empty PostgreSQL
database, says so in one line, and names the rights it lacks in one line."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from tests.desktop.test_cli import run


def test_db_init_prepares_an_empty_database(pg_server) -> None:  # type: ignore[no-untyped-def]
    url = pg_server.create(migrated=False).replace("postgresql+psycopg://", "postgresql://")
    result = run("db", "init", "--database", url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Database prepared: Shared server: 127.0.0.1/")
    again = run("db", "init", "--database", url)
    assert again.returncode == 0
    assert again.stdout.startswith("The database is already prepared")


def test_db_init_names_the_missing_rights_in_one_line(pg_server) -> None:  # type: ignore[no-untyped-def]
    role = f"acc_role_{uuid.uuid4().hex[:8]}"
    url = pg_server.create(migrated=False)
    with pg_server.admin.connect() as c:
        c.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    try:
        limited = url.replace("postgresql+psycopg://postgres@", f"postgresql://{role}@")
        result = run("db", "init", "--database", limited)
        assert result.returncode == 1
        [line] = result.stderr.splitlines()
        assert line.startswith(f"accoglienza: The user {role} lacks rights on the database")
        assert "CREATE on the schema public" in line and "Traceback" not in result.stderr
    finally:
        with pg_server.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
            c.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


def test_db_copy_moves_a_local_file_to_the_shared_server(pg_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from models import schema
    from models.backend import Backend
    from models.database import Database
    from tests.factories import scenario

    local = Database(f"sqlite:///{tmp_path / 'ufficio.sqlite3'}")
    schema.upgrade(local)
    scenario(Backend(local, actor="test"))
    local.dispose()
    target = pg_server.create(migrated=False).replace("postgresql+psycopg://", "postgresql://")
    result = run("db", "copy", "--from", str(tmp_path / "ufficio.sqlite3"), "--to", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Copied ") and "every table checked" in result.stdout
    again = run("db", "copy", "--from", str(tmp_path / "ufficio.sqlite3"), "--to", target)
    assert again.returncode == 1
    [line] = again.stderr.splitlines()
    assert "is not empty" in line and "Nothing was copied" in line
