"""A whole database copied to an empty one on the other engine and back (the coop demo
network, SQLite → PostgreSQL → SQLite): the same rows, ids, history and audit trail in
every table; new records continue after the copied ids; a non-empty target is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from models import demo, schema
from models.backend import Backend
from models.database import Database
from models.database_copy import copy_database, table_checksum, tables
from models.errors import DatabaseProblem
from tests.factories import D
from tests.models.helpers import single


def _checksums(db: Database) -> dict[str, tuple[int, str]]:
    with db.engine.connect() as conn:
        return {t.name: (c.rows, c.checksum) for t in tables() for c in [table_checksum(conn, t)]}


def test_sqlite_to_postgresql_to_sqlite_gives_identical_data(pg_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    local = Database(f"sqlite:///{tmp_path / 'ufficio.sqlite3'}")
    schema.upgrade(local)
    demo.generate(local, scale="coop", seed=3, today=D(2024, 11, 15))
    original = _checksums(local)
    assert original["bed_stay"][0] > 1000 and original["audit_entry"][0] > 0

    shared = Database(pg_server.create(migrated=False))
    seen: list[tuple[str, int, int]] = []
    copied = copy_database(local, shared, lambda t, done, total: seen.append((t, done, total)))
    assert {c.table: (c.rows, c.checksum) for c in copied} == original
    assert _checksums(shared) == original
    assert ("bed_stay", original["bed_stay"][0], original["bed_stay"][0]) in seen

    back = Database(f"sqlite:///{tmp_path / 'ritorno.sqlite3'}")
    copy_database(shared, back)
    assert _checksums(back) == original
    assert schema.check(back).ok and schema.check(shared).ok

    # New records on the shared server continue after the copied ids.
    with shared.engine.connect() as c:
        last = c.execute(text("SELECT max(id) FROM household")).scalar_one()
    hh, _person = single(Backend(shared, actor="test"), "Nuova")
    assert hh.id == last + 1

    # A target that holds data is refused, and left as it was.
    before = _checksums(shared)
    with pytest.raises(DatabaseProblem, match="non è vuoto"):
        copy_database(back, shared)
    assert _checksums(shared) == before
    for db in (local, shared, back):
        db.dispose()


def test_a_copy_to_itself_is_refused(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    schema.upgrade(db)
    with pytest.raises(DatabaseProblem):
        copy_database(db, Database(db.url))
    db.dispose()
