"""The overlap rules hold inside the database: hand-written SQL cannot break them.

A bed holds at most one person on any night and a person sleeps in at most one bed on
any night (PostgreSQL exclusion constraints, SQLite triggers). Stays are half open
``[start, end)``; an open stay has no end; cancelled stays do not count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.exc import IntegrityError

from models.errors import BedOccupiedError, PersonAlreadyPlacedError
from models.unit_of_work import translate_integrity_error
from tests.factories import D, scenario
from tests.models.helpers import bed_ids, single

A, B = D(2023, 1, 10), D(2023, 2, 10)  # the base stay [A, B) of person 0 in bed 0


@dataclass
class Setup:
    placement: int
    beds: list[int]
    people: list[int]
    base_stay: int  # person 0 in bed 0 for [2023-01-10, 2023-02-10)


@pytest.fixture
def setup(backend) -> Setup:
    sc = scenario(backend)
    beds = bed_ids(backend, sc.families.id)
    hh, first = single(backend, "Ana")
    pl = backend.placements.place(hh.id, sc.families.id, A, beds={first: beds[0]})
    backend.placements.record_exit(pl.id, B, "other")
    _hh2, second = single(backend, "Bea")
    with backend.db.engine.connect() as c:
        stay = c.exec_driver_sql(
            f"SELECT id FROM bed_stay WHERE placement_id = {pl.id}"
        ).scalar_one()
    return Setup(pl.id, beds, [first, second], stay)


def _lit(day: dt.date | None) -> str:
    return "NULL" if day is None else f"'{day.isoformat()}'"


def insert(
    db,
    s: Setup,
    *,
    bed: int,
    person: int,
    start: dt.date,
    end: dt.date | None,
    cancelled: bool = False,
) -> int:
    """A hand-written INSERT, as someone with a SQL console would type it."""
    sql = (
        "INSERT INTO bed_stay (placement_id, person_id, bed_id, start_date, end_date, cancelled, override_reason) "
        f"VALUES ({s.placement}, {s.people[person]}, {s.beds[bed]}, {_lit(start)}, {_lit(end)}, "
        f"{'true' if cancelled else 'false'}, '')"
    )
    if db.backend == "postgresql":
        sql = sql.replace(f"{_lit(start)}, {_lit(end)}", f"{_lit(start)}::date, {_lit(end)}::date")
    with db.engine.begin() as c:
        c.exec_driver_sql(sql)
        return c.exec_driver_sql("SELECT max(id) FROM bed_stay").scalar_one()


def count(db) -> int:
    with db.engine.connect() as c:
        return c.exec_driver_sql("SELECT count(*) FROM bed_stay").scalar_one()


def assert_refused(db, s: Setup, expected: type, **kw) -> None:
    before = count(db)
    with pytest.raises(IntegrityError) as info:
        insert(db, s, **kw)
    assert isinstance(translate_integrity_error(info.value), expected)
    assert count(db) == before


OVERLAPPING = {
    "starts before, ends inside": (D(2023, 1, 1), D(2023, 1, 15)),
    "starts inside, ends after": (D(2023, 2, 1), D(2023, 3, 1)),
    "contained": (D(2023, 1, 15), D(2023, 1, 20)),
    "contains": (D(2023, 1, 1), D(2023, 3, 1)),
    "same interval": (A, B),
    "one night at the start": (A, A + dt.timedelta(days=1)),
    "one night at the end": (B - dt.timedelta(days=1), B),
    "open, from before": (D(2022, 12, 1), None),
    "open, from inside": (D(2023, 2, 9), None),
}


@pytest.mark.parametrize("interval", OVERLAPPING.values(), ids=OVERLAPPING.keys())
def test_same_bed_overlap_refused(db, setup, interval):
    assert_refused(db, setup, BedOccupiedError, bed=0, person=1, start=interval[0], end=interval[1])


@pytest.mark.parametrize("interval", OVERLAPPING.values(), ids=OVERLAPPING.keys())
def test_same_person_in_another_bed_refused(db, setup, interval):
    assert_refused(
        db, setup, PersonAlreadyPlacedError, bed=1, person=0, start=interval[0], end=interval[1]
    )


def test_adjacent_stays_accepted(db, setup):
    # [a, b) then [b, c): the night of b belongs to the second stay only.
    insert(db, setup, bed=0, person=1, start=B, end=D(2023, 3, 1))
    insert(
        db, setup, bed=1, person=0, start=D(2022, 12, 1), end=A
    )  # person 0 before, in another bed
    insert(db, setup, bed=1, person=0, start=B, end=D(2023, 2, 20))  # and right after
    assert count(db) == 4


def test_open_stay_blocks_everything_after_it(db, setup):
    insert(db, setup, bed=2, person=1, start=D(2023, 5, 1), end=None)
    assert_refused(
        db, setup, BedOccupiedError, bed=2, person=0, start=D(2030, 1, 1), end=D(2030, 1, 2)
    )
    assert_refused(db, setup, BedOccupiedError, bed=2, person=0, start=D(2023, 4, 1), end=None)
    assert_refused(
        db, setup, PersonAlreadyPlacedError, bed=3, person=1, start=D(2024, 1, 1), end=None
    )
    # Before the open stay starts, the bed is free.
    insert(db, setup, bed=2, person=0, start=D(2023, 4, 1), end=D(2023, 5, 1))


def test_cancelled_stay_does_not_block(db, setup):
    # A cancelled row is not counted, and does not count itself.
    insert(db, setup, bed=0, person=1, start=A, end=B, cancelled=True)
    with db.engine.begin() as c:
        c.exec_driver_sql(f"UPDATE bed_stay SET cancelled = true WHERE id = {setup.base_stay}")
    insert(db, setup, bed=0, person=1, start=D(2023, 1, 1), end=None)
    insert(db, setup, bed=1, person=0, start=A, end=B)


def test_update_that_creates_overlap_refused(db, setup):
    later = insert(db, setup, bed=0, person=1, start=B, end=D(2023, 3, 1))
    for sql in (
        f"UPDATE bed_stay SET start_date = '2023-02-09' WHERE id = {later}",
        f"UPDATE bed_stay SET end_date = NULL, start_date = '2023-01-01' WHERE id = {later}",
        f"UPDATE bed_stay SET end_date = '2023-02-11' WHERE id = {setup.base_stay}",
        f"UPDATE bed_stay SET end_date = NULL WHERE id = {setup.base_stay}",
        f"UPDATE bed_stay SET person_id = {setup.people[0]}, bed_id = {setup.beds[1]}, start_date = '2023-02-01' "
        f"WHERE id = {later}",
    ):
        with pytest.raises(IntegrityError), db.engine.begin() as c:
            c.exec_driver_sql(sql)
    # A cancelled overlapping stay cannot be brought back either.
    ghost = insert(db, setup, bed=0, person=1, start=A, end=B, cancelled=True)
    with pytest.raises(IntegrityError), db.engine.begin() as c:
        c.exec_driver_sql(f"UPDATE bed_stay SET cancelled = false WHERE id = {ghost}")
    with db.engine.connect() as c:
        rows = c.exec_driver_sql(
            f"SELECT start_date, end_date, cancelled FROM bed_stay WHERE id IN ({setup.base_stay}, {later}) ORDER BY id"
        ).all()
    assert [(str(r[0]), str(r[1]), bool(r[2])) for r in rows] == [
        ("2023-01-10", "2023-02-10", False),
        ("2023-02-10", "2023-03-01", False),
    ]
    # An update that keeps the stay clear of others is fine (the row does not clash with itself).
    with db.engine.begin() as c:
        c.exec_driver_sql(f"UPDATE bed_stay SET end_date = '2023-03-15' WHERE id = {later}")
