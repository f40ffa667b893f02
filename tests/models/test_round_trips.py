"""Every screen and workflow sends a fixed number of statements, whatever the size of
the network or of the result: the counts are equal on two networks of different size,
so loading rows one at a time (N+1) fails here. Over a remote office's link each
statement is a round trip (docs/performance.md)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from models import demo
from models.backend import Backend
from models.database import Database
from tests.factories import D
from tests.interactions import Writes, reads, survey

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


def counts(db: Database) -> dict[str, int]:
    backend = Backend(db, actor="test", today=lambda: TODAY)
    net = survey(backend, TODAY)
    found = {}
    for name, fn in reads(backend, net).items():
        fn()  # once before, as a screen asks again and again
        found[name] = count_statements(db, fn)
    writes = Writes(backend, net)
    for name, fn in writes.steps().items():
        found[name] = count_statements(db, fn)
    return found


@pytest.fixture
def networks(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    made: list[Database] = []
    for scale in ("tiny", "coop"):
        if engine_name == "sqlite":
            path = tmp_path / f"{scale}.sqlite3"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            db = Database(f"sqlite:///{path}")
        else:
            db = Database(request.getfixturevalue("pg_server").create())
        demo.generate(db, scale=scale, seed=1, today=TODAY)
        made.append(db)
    yield made
    for db in made:
        db.dispose()


# The most statements each may send (on SQLite each read transaction adds its BEGIN;
# on PostgreSQL a read sends its statements alone, a write adds BEGIN, COMMIT and the
# notification of what it touched). The dashboard reads the structures' next ends and the
# minors coming of age too; a placement locks its household before its structure.
MOST = {
    "sqlite": {
        "search, one letter": 2,
        "search, three letters": 2,
        "search, full name": 2,
        "search, a deep page": 2,
        "a person's details": 8,
        "placement dialog fit, biggest programme": 11,
        "transfer dialog": 24,
        "structure page": 5,
        "dashboard": 11,
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
        "placement dialog fit, biggest programme": 7,
        "transfer dialog": 14,
        "structure page": 4,
        "dashboard": 6,
        "planning board, three months": 5,
        "place": 12,
        "extend": 5,
        "transfer": 13,
        "exit": 6,
    },
}


def test_statements_per_interaction_do_not_grow_with_the_network(
    networks: Any, engine_name: str
) -> None:
    tiny, coop = networks
    small, large = counts(tiny), counts(coop)
    assert small == large
    most = MOST[engine_name]
    assert set(large) == set(most)
    over = {name: n for name, n in large.items() if n > most[name]}
    assert not over, large
