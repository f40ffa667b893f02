"""Every screen and workflow sends a fixed number of statements, whatever the size of
the network or of the result: the counts are equal on two networks of different size,
so loading rows one at a time (N+1) fails here. On PostgreSQL what is counted is the
round trips themselves, through the test tools' proxy (no delay): over a remote
office's link each one costs the link's round trip (docs/performance.md)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from models import demo
from models.backend import Backend
from models.database import Database
from tests.factories import D
from tests.interactions import Writes, reads, survey
from tests.tools.slow_proxy import SlowProxy

TODAY = D(2026, 11, 26)


def count_statements(db: Database, fn: Callable[[], Any]) -> int:
    sent = 0

    def before(*_args: Any) -> None:
        nonlocal sent
        sent += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return sent


def count_round_trips(proxy: SlowProxy, fn: Callable[[], Any]) -> int:
    before = proxy.round_trips
    fn()
    return proxy.round_trips - before


def counts(db: Database, proxy: SlowProxy | None) -> dict[str, tuple[int, int | None]]:
    """Statements of each, and its round trips (PostgreSQL, through ``proxy``)."""
    backend = Backend(db, actor="test", today=lambda: TODAY)
    net = survey(backend, TODAY)

    def count(fn: Callable[[], Any]) -> tuple[int, int | None]:
        if proxy is None:
            return count_statements(db, fn), None
        trips = 0

        def counted() -> None:
            nonlocal trips
            trips = count_round_trips(proxy, fn)

        return count_statements(db, counted), trips

    found = {}
    for name, fn in reads(backend, net).items():
        # Asked before, as a screen asks again and again: past psycopg's threshold of five
        # runs, after which a statement is prepared once (one more round trip, once).
        for _ in range(6):
            fn()
        found[name] = count(fn)
    writes = Writes(backend, net)
    for name, fn in writes.steps().items():
        found[name] = count(fn)
    return found


@pytest.fixture
def networks(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[list[Database], SlowProxy | None]]:
    """The tiny and the cooperative networks; on PostgreSQL reached through a proxy that
    counts the round trips (the data are generated directly)."""
    made: list[Database] = []
    proxy = None
    for scale in ("tiny", "coop"):
        if engine_name == "sqlite":
            path = tmp_path / f"{scale}.sqlite3"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            db = Database(f"sqlite:///{path}")
            demo.generate(db, scale=scale, seed=1, today=TODAY)
        else:
            url = make_url(request.getfixturevalue("pg_server").create())
            direct = Database(url.render_as_string(hide_password=False))
            demo.generate(direct, scale=scale, seed=1, today=TODAY)
            direct.dispose()
            if proxy is None:
                # A few milliseconds of link: every part of one request has left before
                # an answer can come back, so a request sent in several writes counts
                # once, as it does over a real link (with none, the count races).
                proxy = SlowProxy("127.0.0.1", url.port or 5432, round_trip_ms=10).start()
            through = url.set(host="127.0.0.1", port=proxy.port)
            db = Database(through.render_as_string(hide_password=False))
        made.append(db)
    yield made, proxy
    for db in made:
        db.dispose()
    if proxy is not None:
        proxy.stop()


# The most statements (SQLite: each read transaction adds its BEGIN) or round trips
# (PostgreSQL: a read sends its statements alone; a write's BEGIN goes with its first
# statement, its locks and the reads its checks need, and its rows, audit entries and
# the notification of what it touched with its COMMIT) each may take. The dashboard
# reads the waiting list by target group too; a placement locks its household before
# its structure, a transfer its placement before the destination. The dashboard's
# tables, the waiting list's included, come in one round trip, its chart in another.
MOST = {
    "sqlite": {
        "search, one letter": 2,
        "search, three letters": 2,
        "search, full name": 2,
        "search, a deep page": 2,
        "a person's details": 10,  # with the record of reading a protected person
        "placement dialog fit, biggest programme": 10,
        "transfer dialog": 19,
        "structure page": 5,
        "dashboard": 10,
        "free-bed finder": 5,
        "planning board, three months": 7,
        "place": 12,
        "extend": 5,
        "transfer": 13,
        "exit": 6,
    },
    "postgresql": {
        "search, one letter": 1,
        "search, three letters": 1,
        "search, full name": 1,
        "search, a deep page": 1,
        "a person's details": 4,
        "placement dialog fit, biggest programme": 3,
        "transfer dialog": 4,  # with the destination chosen before: 3
        "structure page": 1,
        "dashboard": 2,  # its tables in one, the chart's months in the other
        "free-bed finder": 4,
        "place": 3,
        "extend": 4,
        "planning board, three months": 5,
        "transfer": 3,
        "exit": 4,
    },
}


def test_statements_per_interaction_do_not_grow_with_the_network(
    networks: Any, engine_name: str
) -> None:
    (tiny, coop), proxy = networks
    small, large = counts(tiny, proxy), counts(coop, proxy)
    assert small == large  # statements and round trips
    most = MOST[engine_name]
    assert set(large) == set(most)
    # SQLite: the statements; PostgreSQL: the round trips.
    found = {name: n if trips is None else trips for name, (n, trips) in large.items()}
    over = {name: n for name, n in found.items() if n > most[name]}
    assert not over, found
