"""No PC blocks the others: a PC frozen while it saves into a structure holds that
structure's lock, and the other PCs' placements there stop waiting after the lock
timeout with a clear message (nothing saved); the server ends the frozen transaction
after the idle timeout, and the lock is free again. Real PostgreSQL only: SQLite
serialises writers on the file instead (its own busy timeout)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from models import i18n
from models.backend import Backend
from models.database import Database, SessionTimeouts
from models.errors import StructureBusyError
from tests.factories import D, scenario
from tests.models.helpers import row_counts, single


@pytest.fixture
def pg_url(pg_server) -> str:  # type: ignore[no-untyped-def]
    return pg_server.create()


def _frozen_save(url: str, structure_id: int):  # type: ignore[no-untyped-def]
    """Another PC half way through a save into the structure: its lock held, then silence."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    conn = engine.connect()
    conn.execute(text("SELECT id FROM structure WHERE id = :id FOR UPDATE"), {"id": structure_id})
    return engine, conn


def test_frozen_pc_holding_a_structure_makes_a_placement_fail_clearly(pg_url: str) -> None:
    db = Database(pg_url, timeouts=SessionTimeouts(lock=1_000))
    backend = Backend(db, actor="test")
    sc = scenario(backend)
    hh, _person = single(backend)
    before = row_counts(db)
    engine, frozen = _frozen_save(pg_url, sc.families.id)
    try:
        started = time.monotonic()
        with pytest.raises(StructureBusyError) as raised:
            backend.placements.place(hh.id, sc.families.id, D(2023, 3, 1))
        waited = time.monotonic() - started
        assert 0.9 <= waited < 3.0, waited
        assert str(raised.value) == (
            "Un altro PC sta salvando in questa struttura: riprova tra qualche secondo. "
            "Non è stato salvato nulla."
        )
        assert row_counts(db) == before
        # Another structure is not held: its placements go on meanwhile.
        other_hh, _ = single(backend, "Bruno", "M")
        backend.placements.place(other_hh.id, sc.men.id, D(2023, 3, 1))
    finally:
        frozen.close()
        engine.dispose()
    # Once the frozen PC lets go, the same placement goes through.
    backend.placements.place(hh.id, sc.families.id, D(2023, 3, 1))
    db.dispose()


def test_the_message_in_english(pg_url: str) -> None:
    i18n.set_language("en")
    db = Database(pg_url, timeouts=SessionTimeouts(lock=300))
    backend = Backend(db, actor="test")
    sc = scenario(backend)
    hh, _person = single(backend)
    engine, frozen = _frozen_save(pg_url, sc.families.id)
    try:
        with pytest.raises(StructureBusyError, match="Another PC is saving in this structure"):
            backend.placements.place(hh.id, sc.families.id, D(2023, 3, 1))
    finally:
        frozen.close()
        engine.dispose()
        db.dispose()


def test_a_frozen_transaction_of_the_application_is_ended_by_the_server(pg_url: str) -> None:
    """The application's own sessions carry the idle timeout: one frozen half way through
    a save is ended by the server, and its lock released for the others."""
    short = Database(pg_url, timeouts=SessionTimeouts(lock=5_000, idle_in_transaction=500))
    db = Database(pg_url, timeouts=SessionTimeouts(lock=5_000))
    backend = Backend(db, actor="test")
    sc = scenario(backend)
    hh, _person = single(backend)
    conn = short.engine.connect()
    conn.execute(text("SELECT id FROM structure WHERE id = :id FOR UPDATE"), {"id": sc.families.id})
    time.sleep(1.0)  # frozen: the server ends the session
    started = time.monotonic()
    backend.placements.place(hh.id, sc.families.id, D(2023, 3, 1))
    assert time.monotonic() - started < 2.0
    conn.invalidate()  # the server has already closed it
    short.dispose()
    db.dispose()


def test_every_session_has_the_three_timeouts(pg_url: str) -> None:
    db = Database(pg_url)
    with db.read() as s:
        values = {
            name: s.execute(text(f"SHOW {name}")).scalar_one()
            for name in ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout")
        }
    assert values == {
        "lock_timeout": "5s",
        "statement_timeout": "2min",
        "idle_in_transaction_session_timeout": "1min",
    }
    db.dispose()
