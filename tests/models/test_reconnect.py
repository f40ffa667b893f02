"""The shared server's connections: no ping before each transaction, and a connection
the server closed meanwhile is replaced on the next call, which works."""

from __future__ import annotations

import select
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import event, text

from models.backend import Backend
from models.database import Database
from tests.conftest import PgServer
from tests.factories import D, scenario


@pytest.fixture
def pg_db(pg_server: PgServer) -> Iterator[Database]:
    db = Database(pg_server.create())
    yield db
    db.dispose()


def _pids(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(text("SELECT pg_backend_pid()")))


def _terminate(pg_server: PgServer, db: Database, pid: int) -> None:
    with pg_server.admin.connect() as c:
        c.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    # Until the pooled connection's socket has the server's goodbye to read.
    conn = db.engine.pool._pool.queue[0].dbapi_connection  # type: ignore[attr-defined]
    deadline = time.monotonic() + 5
    while not select.select([conn.fileno()], [], [], 0.05)[0]:
        assert time.monotonic() < deadline


def test_no_statement_is_sent_to_check_a_connection(pg_db: Database) -> None:
    assert not pg_db.engine.pool._pre_ping  # type: ignore[attr-defined]
    backend = Backend(pg_db, actor="test")
    backend.directory.programmes()
    sent: list[str] = []
    event.listen(pg_db.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    for _ in range(3):
        backend.directory.programmes()
    assert len(sent) == 3 and all("programme" in s for s in sent)


def test_a_connection_the_server_closed_is_replaced_and_the_next_read_works(
    pg_server: PgServer, pg_db: Database
) -> None:
    first = _pids(pg_db)
    _terminate(pg_server, pg_db, first)
    second = _pids(pg_db)  # no error: a new connection
    assert second != first
    assert _pids(pg_db) == second


def test_a_write_after_the_server_closed_the_connection_works(
    pg_server: PgServer, pg_db: Database
) -> None:
    backend = Backend(pg_db, actor="test", today=lambda: D(2024, 3, 1))
    sc = scenario(backend)
    _terminate(pg_server, pg_db, _pids(pg_db))
    placed = backend.placements.place(sc.mother.id, sc.families.id, D(2024, 3, 1))
    assert placed.status == "active"
