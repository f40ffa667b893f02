"""Live refresh on the real PostgreSQL: a change committed on one connection reaches a
listening one within 2 s, naming the structures and households touched; a refused
change and the listener's own changes send nothing; a listener whose connection is
lost says so (the window polls meanwhile) and comes back. The polling of the audit
trail misses no entry: not right after the start, not beside the program's own saves,
not one committed out of id order."""

from __future__ import annotations

import queue
import time

import pytest
from sqlalchemy import text

from models.backend import Backend
from models.database import Database
from models.errors import DomainError
from models.live import AuditWatch, ChangeListener, Heard
from tests.factories import D, scenario
from tests.models.helpers import single


@pytest.fixture
def two_pcs(pg_server):  # type: ignore[no-untyped-def]
    url = pg_server.create()
    first, second = Database(url), Database(url)
    yield Backend(first, actor="uno"), Backend(second, actor="due")
    first.dispose()
    second.dispose()


def _listen(backend: Backend, token: str = "altro") -> tuple[ChangeListener, queue.Queue[Heard]]:
    heard: queue.Queue[Heard] = queue.Queue()
    states: list[bool] = []
    listener = ChangeListener(backend.db, token, heard.put, states.append, retry_s=0.2).start()
    listener.states = states  # type: ignore[attr-defined]
    assert listener.listening.wait(5)
    return listener, heard


def test_a_change_on_one_pc_reaches_a_listening_one_within_2_s(two_pcs) -> None:  # type: ignore[no-untyped-def]
    writer, reader = two_pcs
    sc = scenario(writer)
    hh, _person = single(writer)
    listener, heard = _listen(reader)
    try:
        started = time.monotonic()
        writer.placements.place(hh.id, sc.families.id, D(2023, 3, 1))
        got = heard.get(timeout=2.0)
        assert time.monotonic() - started < 2.0
        assert sc.families.id in got.changes.structures
        assert hh.id in got.changes.households
        assert not got.changes.network and not got.everything
        # A new structure is a change of the network (the navigation reloads).
        writer.structures.create_structure(
            sc.programme.id, "T-NEW", "Casa Nuova", "SO", D(2020, 1, 1), targets=["men"], places=1
        )
        assert heard.get(timeout=2.0).changes.network
        # A refused change was rolled back: nothing is told.
        with pytest.raises(DomainError):
            writer.placements.place(hh.id, sc.men.id, D(2023, 3, 1))
        with pytest.raises(queue.Empty):
            heard.get(timeout=0.5)
    finally:
        listener.stop()


def test_a_pc_does_not_hear_its_own_changes(two_pcs) -> None:  # type: ignore[no-untyped-def]
    writer, _reader = two_pcs
    sc = scenario(writer)
    hh, _person = single(writer)
    listener, heard = _listen(writer, writer.work.writer)
    try:
        writer.placements.place(hh.id, sc.families.id, D(2023, 3, 1))
        with pytest.raises(queue.Empty):
            heard.get(timeout=0.7)
    finally:
        listener.stop()


def test_a_lost_connection_is_said_and_taken_up_again(two_pcs, pg_server) -> None:  # type: ignore[no-untyped-def]
    writer, reader = two_pcs
    listener, heard = _listen(reader)
    try:
        name = reader.db.engine.url.database
        with pg_server.admin.connect() as c:
            c.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :d AND query LIKE 'LISTEN%'"
                ),
                {"d": name},
            )
        deadline = time.monotonic() + 5
        while listener.states != [True, False, True] and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.05)
        assert listener.states == [True, False, True]  # type: ignore[attr-defined]
        assert listener.listening.wait(2)
        scenario(writer)
        assert heard.get(timeout=2.0).changes.network
    finally:
        listener.stop()


def test_the_audit_watch_misses_nothing() -> None:
    own: set[int] = set()
    watch = AuditWatch(10, lambda: own)
    # The first answer only learns what was on screen at the start...
    assert not watch.news(range(1, 11))
    # ...but an entry written just after the start is news (no blind spot at the start).
    assert watch.news([*range(1, 11), 11])
    # The program's own save is not news, another PC's right beside it is.
    own.add(12)
    assert not watch.news([*range(1, 13)])
    assert watch.news([*range(1, 13), 14])
    # An entry committed after a larger id was seen (13, out of order) is still found.
    assert watch.news([*range(1, 15)])
    assert not watch.news([*range(1, 15)])
