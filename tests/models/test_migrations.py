"""Alembic migrations on both engines: one head, upgrade, round trip, models = schema.

Also what the application does at start with a database it cannot simply upgrade: a
newer one is refused untouched, an older SQLite file is backed up before the upgrade.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from models import pg_security, schema
from models.database import Database
from models.entities import Base
from models.errors import DatabaseProblem
from models.i18n import _


@pytest.fixture
def empty_db(engine_name, request, tmp_path):
    """A database with nothing in it, on this test's engine."""
    if engine_name == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_server").create(migrated=False)
    database = Database(url)
    yield database
    database.dispose()


def tables(db) -> set[str]:
    with db.engine.connect() as c:
        return set(inspect(c).get_table_names())


def upgrade_to(db, revision: str) -> None:
    cfg = schema.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def schema_differences(db) -> list:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": False,
                # The shared server's own bookkeeping of its row security, not a model.
                "include_object": lambda obj, name, kind, reflected, other: (
                    name not in (pg_security.UNLINKED_TABLE, pg_security.SHOWN_NAME)
                ),
            },
        )
        return compare_metadata(ctx, Base.metadata)


def test_one_head():
    heads = ScriptDirectory.from_config(schema.alembic_config()).get_heads()
    assert len(heads) == 1
    assert schema.head_revision() == heads[0]


def test_upgrade_from_empty_matches_models(empty_db):
    assert schema.current_revision(empty_db) is None
    assert schema.upgrade(empty_db) is None  # nothing to back up in an empty database
    assert schema.current_revision(empty_db) == schema.head_revision()
    assert set(Base.metadata.tables) <= tables(empty_db)
    assert schema_differences(empty_db) == []
    report = schema.check(empty_db)
    assert report.ok, report.problems
    # Upgrading again does nothing.
    assert schema.upgrade(empty_db) is None


def test_downgrade_to_base_and_back(empty_db):
    schema.upgrade(empty_db)
    schema.downgrade(empty_db, "base")
    assert tables(empty_db) <= {"alembic_version"}
    assert schema.current_revision(empty_db) is None
    schema.upgrade(empty_db)
    assert schema.current_revision(empty_db) == schema.head_revision()
    assert schema_differences(empty_db) == []
    # The hand-written overlap rules came back too.
    with empty_db.engine.connect() as c:
        if empty_db.is_sqlite:
            names = {
                r[0]
                for r in c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
            assert {"ex_bed_stay_bed_overlap_insert", "ex_bed_stay_person_overlap_update"} <= names
        else:
            names = {
                r[0]
                for r in c.exec_driver_sql(
                    "SELECT conname FROM pg_constraint WHERE conrelid = 'bed_stay'::regclass AND contype = 'x'"
                )
            }
            assert names == {"ex_bed_stay_bed_overlap", "ex_bed_stay_person_overlap"}


def test_each_step_down_and_up(empty_db):
    schema.upgrade(empty_db)
    revisions = [
        s.revision for s in ScriptDirectory.from_config(schema.alembic_config()).walk_revisions()
    ]
    for rev in revisions[1:]:  # newest first, down one step at a time
        schema.downgrade(empty_db, rev)
        assert schema.current_revision(empty_db) == rev
    schema.upgrade(empty_db)
    assert schema_differences(empty_db) == []


def _fingerprint(db) -> tuple:
    path = Path(db.engine.url.database) if db.is_sqlite else None
    with db.engine.connect() as c:
        version = c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
        counts = c.execute(text("SELECT count(*) FROM programme")).scalar_one()
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path else None
    return version, counts, tables(db), digest


def test_newer_database_is_refused_and_left_alone(db, backend):
    backend.structures.create_programme("SAI-X", "Prova", "sai", schema_date())
    with db.engine.begin() as c:
        c.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    db.dispose()
    before = _fingerprint(db)
    with pytest.raises(DatabaseProblem) as info:
        schema.upgrade(db)
    assert str(info.value) == _(
        "This database was written by a newer version of Accoglienza. Install the latest version to open it."
    )
    with pytest.raises(DatabaseProblem):
        schema.ensure_current(db)
    db.dispose()
    assert _fingerprint(db) == before
    assert (
        not list(Path(db.engine.url.database).parent.glob("*before-upgrade*"))
        if db.is_sqlite
        else True
    )


def schema_date():
    import datetime as dt

    return dt.date(2020, 1, 1)


def test_older_sqlite_is_backed_up_before_upgrade(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = Database(f"sqlite:///{path}")
    try:
        upgrade_to(db, "0001")
        with db.engine.begin() as c:
            c.exec_driver_sql(
                "INSERT INTO programme (code, name, kind, holder, managing_partner, start_date, version) "
                "VALUES ('SAI-OLD', 'Vecchio', 'sai', '', '', '2015-01-01', 1)"
            )
        backups = tmp_path / "backups"
        backup = schema.upgrade(db, backup_dir=backups)
        assert backup is not None and backup.exists() and backup.parent == backups
        assert schema.current_revision(db) == schema.head_revision()
        with sqlite3.connect(backup) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
            assert con.execute("SELECT code FROM programme").fetchall() == [("SAI-OLD",)]
        # Without a folder the backup goes next to the database.
        schema.downgrade(db, "0001")
        beside = schema.upgrade(db)
        assert beside is not None and beside.parent == tmp_path and beside.exists()
    finally:
        db.dispose()


def test_foreign_database_without_version_is_refused(empty_db):
    """A database that has tables but was never ours is not written into."""
    with empty_db.engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    with pytest.raises(DatabaseProblem):
        schema.upgrade(empty_db)
    assert tables(empty_db) == {"moz_places"}


def test_damaged_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    db = Database(f"sqlite:///{path}")
    try:
        with pytest.raises(DatabaseProblem):
            schema.upgrade(db)
        with pytest.raises(DatabaseProblem):
            schema.check(db)
    finally:
        db.dispose()
    assert path.read_bytes() == b"this is not a database at all" * 100
