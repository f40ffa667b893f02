"""Preparing a shared database (``db init``) and migrating it from several clients at
once, on the real PostgreSQL: the rights it lacks are named in one line, and of two
clients that start a new version together one migrates while the other waits, then
finds the work done."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import text

from models import pg_security, schema
from models.access import Principal, Role
from models.database import Database
from models.errors import DatabaseProblem


def test_two_clients_migrating_together_one_migrates_the_other_waits(
    pg_server, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    url = pg_server.create(migrated=False)
    real_upgrade = command.upgrade
    ran: list[str] = []

    def slow_upgrade(cfg, revision):  # type: ignore[no-untyped-def]
        ran.append(threading.current_thread().name)
        time.sleep(1.0)  # long enough for the other client to arrive meanwhile
        return real_upgrade(cfg, revision)

    monkeypatch.setattr(command, "upgrade", slow_upgrade)
    start = threading.Barrier(2)
    outcome: dict[str, tuple[float, str | None]] = {}
    errors: list[BaseException] = []

    def client() -> None:
        db = Database(url)
        try:
            start.wait()
            schema.upgrade(db)
            outcome[threading.current_thread().name] = (
                time.monotonic(),
                schema.current_revision(db),
            )
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=client, name=f"pc{i}") for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(ran) == 1  # one client migrated
    assert {rev for _t, rev in outcome.values()} == {schema.head_revision()}
    [migrator] = ran
    [waiter] = [name for name in outcome if name != migrator]
    # The other one waited for the migration to be committed, then found it done.
    assert outcome[waiter][0] >= outcome[migrator][0] - 0.5


@pytest.fixture
def limited_role(pg_server):  # type: ignore[no-untyped-def]
    """A new database owned by the administrator, and a login that may only connect."""
    role = f"acc_role_{uuid.uuid4().hex[:8]}"
    url = pg_server.create(migrated=False)
    name = url.rsplit("/", 1)[1]
    with pg_server.admin.connect() as c:
        c.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    yield role, name, url.replace("postgres@", f"{role}@")
    with pg_server.admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


def test_init_names_the_rights_it_lacks_then_prepares_the_database(pg_server, limited_role) -> None:  # type: ignore[no-untyped-def]
    role, name, url = limited_role
    db = Database(url)
    with pytest.raises(DatabaseProblem) as lacking:
        schema.init(db)
    message = str(lacking.value)
    assert "\n" not in message
    assert role in message and name in message
    assert "CREATE sullo schema public" in message
    assert "CREATE sul database" in message
    assert "CREATEROLE" in message  # for the roles of models/pg_security.py
    assert schema.current_revision(db) is None  # nothing was changed
    with pg_server.admin.connect() as c:
        c.execute(text(f'GRANT CREATE ON DATABASE "{name}" TO "{role}"'))
    with pytest.raises(DatabaseProblem) as still:
        schema.init(db)
    assert "CREATE sullo schema public" in str(still.value)
    assert "CREATE sul database" not in str(still.value)
    admin_db = Database(pg_server.url(name))
    with admin_db.engine.begin() as c:
        c.execute(text(f'GRANT CREATE ON SCHEMA public TO "{role}"'))
    admin_db.dispose()
    with pytest.raises(DatabaseProblem) as owner:
        schema.init(db)
    assert "CREATE sullo schema public" not in str(owner.value)
    assert "CREATEROLE" in str(owner.value)
    # The tables go to the owner role: the login must be able to pass the schema on.
    with admin_db.engine.begin() as c:
        c.execute(text(f'GRANT CREATE ON SCHEMA public TO "{role}" WITH GRANT OPTION'))
        c.execute(text(f'ALTER ROLE "{role}" CREATEROLE'))
    admin_db.dispose()
    report = schema.init(db)
    assert report.prepared and report.revision == schema.head_revision()
    again = schema.init(db)
    assert not again.prepared
    with db.engine.connect() as c:
        owners = set(
            c.execute(
                text(
                    "SELECT pg_get_userbyid(relowner) FROM pg_class "
                    "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
                )
            ).scalars()
        )
    assert owners == {"accoglienza_owner"}
    with db.engine.connect() as c:
        # Who prepared the database works as an administrator, and its later upgrades
        # create what they create as the owner role.
        assert pg_security.principal_of(c) == Principal(role, Role.ADMINISTRATOR, None)
        assert pg_security.owner_ready(c)
    db.dispose()


def test_init_refuses_a_database_holding_other_tables(pg_server) -> None:  # type: ignore[no-untyped-def]
    url = pg_server.create(migrated=False)
    db = Database(url)
    with db.engine.begin() as c:
        c.execute(text("CREATE TABLE fatture (id int)"))
    with pytest.raises(DatabaseProblem, match="nessuna versione dello schema|no schema version"):
        schema.init(db)
    db.dispose()
