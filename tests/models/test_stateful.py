"""Property-based test: random sequences of place, transfer, extend, exit and cancel.

A Hypothesis state machine drives the backend on a small network (three structures,
nine beds, four households including a mother with a minor child) and keeps a simple
Python model of every bed stay: who sleeps in which bed each night. After every step
the database must hold exactly the model's stays and placement statuses; a refused
operation must change nothing; at the end of each run who_is_where and the presence
register must agree with the model night by night, with no bed and no person
double-booked and no minor left without his mother.

Each run starts from the prepared network: reloaded into one in-memory SQLite database
(backup API) or, on PostgreSQL, by truncating the tables the runs write; the engine and
its statement cache live for the whole test, so a run costs milliseconds. With
``CI=true`` it runs 500 examples on SQLite and 60 on PostgreSQL (50 and 15 locally).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text

from models.backend import Backend
from models.database import Database
from models.errors import DomainError, MinorAloneError, PersonAlreadyPlacedError
from models.occupancy import Occupancy
from models.presence import Presence
from models.results import NewPerson

ON_CI = os.environ.get("CI", "").lower() == "true"
BASE = dt.date(2023, 1, 1)
LAST_DAY = 45  # operations happen on days 0..LAST_DAY after BASE
HORIZON = 60  # open stays are followed up to here (the model's "forever")
PROBES = (0, 5, 12, 20, 27, 33, 40, 45, 59)
STATS: Counter[str] = Counter()
REASONS = ("socio_economic", "term_expired", "voluntary_abandonment", "other")

SETTINGS = settings(
    max_examples=500 if ON_CI else 50,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def day(n: int) -> dt.date:
    return BASE + dt.timedelta(days=n)


def offset(d: dt.date | None) -> int | None:
    return None if d is None else (d - BASE).days


@dataclass
class Network:
    """Ids of the prepared network (the same in every copy of the file)."""

    structures: list[int] = field(default_factory=list)
    programme_of: dict[int, int] = field(default_factory=dict)  # structure -> programme
    beds: dict[int, list[int]] = field(default_factory=dict)  # structure -> beds
    structure_of_bed: dict[int, int] = field(default_factory=dict)
    places: dict[int, int] = field(default_factory=dict)  # structure -> places (fixed)
    households: list[list[int]] = field(default_factory=list)  # household index -> person ids
    household_ids: list[int] = field(default_factory=list)
    mother: int = 0
    child: int = 0


def build_network(db: Database) -> Network:
    sv = Backend(db, actor="test")
    net = Network()
    p = sv.structures.create_programme(
        "SAI-STA", "SAI prova", "sai", dt.date(2014, 1, 1), sai_category="ord"
    )
    q = sv.structures.create_programme(
        "ART-STA", "Art. 18 prova", "anti_trafficking", dt.date(2014, 1, 1)
    )
    layout = [
        (p.id, "S-1", ["women", "families", "single_parent"], 3, [2, 2]),  # capacity below beds
        (p.id, "S-2", ["men"], 2, [2]),
        (q.id, "S-3", ["women", "single_parent"], 3, [3]),
    ]
    for prog, code, targets, places, rooms in layout:
        s = sv.structures.create_structure(
            prog, code, f"Casa {code}", "SO", dt.date(2014, 1, 1), targets=targets, places=places
        )
        net.structures.append(s.id)
        net.programme_of[s.id] = prog
        net.places[s.id] = places
        for i, n in enumerate(rooms):
            for b in sv.structures.add_room(s.id, f"Camera {i + 1}", n):
                net.beds.setdefault(s.id, []).append(b.id)
                net.structure_of_bed[b.id] = s.id
    households = [
        [
            NewPerson("Madre", "Prova", "F", dt.date(1990, 1, 1)),
            NewPerson("Figlio", "Prova", "M", dt.date(2016, 1, 1), relationship="child"),
        ],
        [NewPerson("Anna", "Prova", "F", dt.date(1985, 1, 1))],
        [NewPerson("Bruno", "Prova", "M", dt.date(1980, 1, 1))],
        [NewPerson("Carla", "Prova", "F", dt.date(1995, 1, 1))],
    ]
    for people in households:
        hh = sv.people.register_household(people)
        net.household_ids.append(hh.id)
        net.households.append([m.person.id for m in hh.members])
    net.mother, net.child = net.households[0]
    return net


@dataclass
class Stay:
    person: int
    bed: int
    start: int
    end: int | None
    placement: int

    def nights(self) -> range:
        return range(self.start, HORIZON if self.end is None else self.end)


class StayMachine(RuleBasedStateMachine):
    # One database for every run, brought back to the prepared network at the start of
    # each: the engine (and its cache of compiled statements) is built only once.
    db: Database
    net: Network
    reset: Callable[[], None]

    def __init__(self) -> None:
        super().__init__()
        self.reset()
        # Today comes after every operation's day: each exit is recorded after the fact
        # (exits recorded ahead are scheduled, tests/models/test_scheduled_exit.py).
        self.sv = Backend(self.db, actor="test", today=lambda: day(LAST_DAY + 400))
        self.stays: dict[int, Stay] = {}
        self.status: dict[int, str] = {}  # placement -> active / exited / cancelled
        self.planned_end: dict[int, int | None] = {}
        self.household_of: dict[int, int] = {}  # placement -> household index
        self.history_corrected = False  # a cancelled stay may leave a minor alone on paper

    # -- helpers -------------------------------------------------------------------------

    def db_stays(self) -> dict[int, tuple]:
        with self.db.engine.connect() as c:
            rows = c.execute(
                text(
                    "SELECT id, person_id, bed_id, start_date, end_date, placement_id FROM bed_stay WHERE NOT cancelled"
                )
            ).all()
        return {r[0]: (r[1], r[2], offset(_date(r[3])), offset(_date(r[4])), r[5]) for r in rows}

    def snapshot(self) -> tuple:
        with self.db.engine.connect() as c:
            return tuple(
                tuple(map(tuple, c.execute(text(sql)).all()))
                for sql in (
                    "SELECT * FROM bed_stay ORDER BY id",
                    "SELECT id, entry_date, planned_end, exit_date, exit_reason, status, version FROM placement",
                    "SELECT count(*) FROM extension",
                    "SELECT count(*) FROM audit_entry",
                )
            )

    def max_stay_id(self) -> int:
        with self.db.engine.connect() as c:
            return c.execute(text("SELECT COALESCE(max(id), 0) FROM bed_stay")).scalar_one()

    def new_stays(self, after: int) -> dict[int, Stay]:
        return {
            i: Stay(*row[:4], placement=row[4]) for i, row in self.db_stays().items() if i > after
        }

    def attempt(self, op, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Run a service call; on a refusal check that nothing changed and return None."""
        before = self.snapshot()
        try:
            result = op(*args, **kwargs)
        except DomainError as exc:
            self.last_error = exc
            event(f"{op.__name__} refused: {type(exc).__name__}")
            STATS[f"{op.__name__} refused: {type(exc).__name__}"] += 1
            assert self.snapshot() == before, "a refused operation changed the database"
            return None
        event(f"{op.__name__} done")
        STATS[f"{op.__name__} done"] += 1
        return result

    def nights_clash(self, stays: list[Stay]) -> bool:
        """Would ``stays`` share a night with a live stay of the same bed or person?"""
        taken = {
            (k, n)
            for s in self.stays.values()
            for k in (("b", s.bed), ("p", s.person))
            for n in s.nights()
        }
        return any(
            (k, n) in taken
            for s in stays
            for k in (("b", s.bed), ("p", s.person))
            for n in s.nights()
        )

    def overfull_night(
        self, sid: int, start: int, until: int | None, count: int, leaving: set[int] = frozenset()
    ) -> int | None:  # type: ignore[assignment]
        """The first night from ``start`` up to ``until`` (open-ended when None) on which
        ``count`` more people would take the structure past its places, by the model's
        own stays (``leaving``: stays that end at ``start``)."""
        theirs = [
            s
            for i, s in self.stays.items()
            if i not in leaving and self.net.structure_of_bed[s.bed] == sid
        ]
        last = max([s.start for s in theirs] + [start]) + 1  # after it nothing changes
        end = last if until is None else max(until, start + 1)
        for n in range(start, end):
            there = sum(1 for s in theirs if s.start <= n and (s.end is None or s.end > n))
            if there + count > self.net.places[sid]:
                return n
        return None

    def add(self, new: dict[int, Stay]) -> None:
        assert not self.nights_clash(list(new.values())), "the service accepted a double booking"
        own = list(new.values())
        for i, a in enumerate(own):
            for b in own[i + 1 :]:
                assert a.bed != b.bed and a.person != b.person
        self.stays.update(new)

    def live_in(self, placement: int, n: int) -> list[tuple[int, Stay]]:
        return [
            (i, s)
            for i, s in self.stays.items()
            if s.placement == placement and (s.end is None or s.end > n)
        ]

    def latest_start(self, placement: int) -> int:
        return max((s.start for s in self.stays.values() if s.placement == placement), default=0)

    def active(self) -> list[int]:
        return sorted(p for p, s in self.status.items() if s == "active")

    def pick_people(self, household: int, who: str, candidates: list[int]) -> list[int] | None:
        if who == "all":
            return None
        people = [
            p for p in self.net.households[household] if p in candidates
        ] or self.net.households[household]
        return [people[0]] if who == "first" else [people[-1]]

    # -- rules ---------------------------------------------------------------------------

    @rule(
        household=st.integers(0, 3),
        structure=st.integers(0, 2),
        n=st.integers(0, LAST_DAY),
        beds=st.none() | st.lists(st.integers(0, 3), min_size=2, max_size=2),
        override=st.booleans(),
        planned=st.none() | st.integers(1, 40),
    )
    def place(self, household, structure, n, beds, override, planned):
        sid = self.net.structures[structure]
        people = self.net.households[household]
        chosen = None
        if beds is not None:
            pool = self.net.beds[sid]
            chosen = {p: pool[i % len(pool)] for p, i in zip(people, beds, strict=False)}
        before = self.max_stay_id()
        must_refuse = self.nights_clash([Stay(p, -1, n, None, 0) for p in people])
        # Places are counted on every night up to the planned end.
        overfull = self.overfull_night(sid, n, n + planned if planned else None, len(people))
        # What the placement dialog shows first: does the household fit, in which beds?
        fit = (
            self.sv.placements.check_fit(self.net.household_ids[household], sid, day(n))
            if not (beds or override)
            else None
        )
        result = self.attempt(
            self.sv.placements.place,
            self.net.household_ids[household],
            sid,
            day(n),
            beds=chosen,
            planned_end=day(n + planned) if planned else None,
            override_reason="prova" if override else "",
        )
        if fit is not None and result is None and fit.fits:
            # check_fit does not look at the people's other stays or at minors left behind.
            assert isinstance(self.last_error, PersonAlreadyPlacedError | MinorAloneError), (
                fit,
                self.last_error,
            )
        if result is None:
            return
        assert not must_refuse, "a person was placed twice on the same nights"
        assert overfull is None, (
            f"placed although the structure is over its places on night {overfull}"
        )
        new = self.new_stays(before)
        if fit is not None:
            assert fit.fits, fit.reasons
            assert {s.person: s.bed for s in new.values()} == dict(fit.proposed_beds)
        assert {s.person for s in new.values()} == set(people)
        assert all(
            s.start == n and s.end is None and s.placement == result.id for s in new.values()
        )
        assert all(self.net.structure_of_bed[s.bed] == sid for s in new.values())
        if chosen:
            assert {s.person: s.bed for s in new.values()} == chosen
        self.add(new)
        self.status[result.id] = "active"
        self.planned_end[result.id] = n + planned if planned else None
        self.household_of[result.id] = household

    @precondition(lambda self: self.active())
    @rule(
        pick=st.integers(0, 20),
        structure=st.integers(0, 2),
        delta=st.integers(-1, 15),
        who=st.sampled_from(["all", "all", "first", "last"]),
        override=st.booleans(),
    )
    def transfer(self, pick, structure, delta, who, override):
        pl = self.active()[pick % len(self.active())]
        n = self.latest_start(pl) + delta
        sid = self.net.structures[structure]
        current = {s.person: i for i, s in self.live_in(pl, n) if s.start <= n}
        person_ids = self.pick_people(self.household_of[pl], who, list(current))
        before = self.max_stay_id()
        overfull = None
        if current:
            moving = (
                list(current) if person_ids is None else [p for p in person_ids if p in current]
            )
            here = self.net.structure_of_bed[self.stays[next(iter(current.values()))].bed]
            until = (
                self.planned_end[pl]
                if self.net.programme_of[sid] == self.net.programme_of[here]
                else None
            )
            overfull = self.overfull_night(sid, n, until, len(moving), {current[p] for p in moving})
        result = self.attempt(
            self.sv.placements.transfer,
            pl,
            day(n),
            sid,
            person_ids=person_ids,
            override_reason="prova" if override else "",
        )
        if result is None:
            return
        assert overfull is None, (
            f"moved although the structure is over its places on night {overfull}"
        )
        moving = list(current) if person_ids is None else person_ids
        assert set(moving) <= set(current)
        for p in moving:
            old = self.stays[current[p]]
            assert old.start < n and old.end is None
            old.end = n
        new = self.new_stays(before)
        assert {s.person for s in new.values()} == set(moving)
        assert all(
            s.start == n and s.end is None and s.placement == result.id for s in new.values()
        )
        assert all(self.net.structure_of_bed[s.bed] == sid for s in new.values())
        self.add(new)
        if result.id != pl:
            assert (
                self.net.programme_of[sid]
                != self.net.programme_of[
                    self.net.structure_of_bed[self.stays[current[moving[0]]].bed]
                ]
            )
            self.status[result.id] = "active"
            self.planned_end[result.id] = None
            self.household_of[result.id] = self.household_of[pl]
            if set(moving) == set(current):
                self.status[pl] = "exited"

    @precondition(lambda self: self.active())
    @rule(
        pick=st.integers(0, 20),
        delta=st.integers(-1, 15),
        who=st.sampled_from(["all", "all", "first", "last"]),
        reason=st.sampled_from(REASONS),
    )
    def exit(self, pick, delta, who, reason):
        pl = self.active()[pick % len(self.active())]
        n = self.latest_start(pl) + delta
        live = self.live_in(pl, n)
        person_ids = self.pick_people(self.household_of[pl], who, [s.person for _i, s in live])
        result = self.attempt(
            self.sv.placements.record_exit, pl, day(n), reason, person_ids=person_ids
        )
        if result is None:
            return
        leaving = [(i, s) for i, s in live if person_ids is None or s.person in person_ids]
        for _i, s in leaving:
            assert s.start < n
            s.end = n
        if len(leaving) == len(live):
            self.status[pl] = "exited"
            assert (result.status, result.exit_date, result.exit_reason) == (
                "exited",
                day(n),
                reason,
            )

    @precondition(lambda self: self.active())
    @rule(pick=st.integers(0, 20), delta=st.integers(-5, 30))
    def extend(self, pick, delta):
        pl = self.active()[pick % len(self.active())]
        n = (self.planned_end[pl] or self.latest_start(pl)) + delta
        result = self.attempt(self.sv.placements.extend, pl, day(n), "proroga")
        if result is None:
            return
        assert self.planned_end[pl] is None or n > self.planned_end[pl]
        self.planned_end[pl] = n

    @precondition(lambda self: self.status)
    @rule(pick=st.integers(0, 40), whole=st.booleans())
    def cancel(self, pick, whole):
        """Cancel one stay, or a whole placement, entered by mistake."""
        if whole or not self.stays:
            candidates = sorted(p for p, s in self.status.items() if s != "cancelled")
            if not candidates:
                return
            pl = candidates[pick % len(candidates)]
            result = self.attempt(
                self.sv.corrections.cancel_placement, pl, "inserimento per errore"
            )
            assert result is not None and result.status == "cancelled"
            self.stays = {i: s for i, s in self.stays.items() if s.placement != pl}
            self.status[pl] = "cancelled"
            return
        sid = sorted(self.stays)[pick % len(self.stays)]
        stay = self.attempt(self.sv.corrections.cancel_stay, sid, "inserita per errore")
        assert stay is not None and stay.cancelled
        pl = self.stays.pop(sid).placement
        self.history_corrected = True
        if self.status[pl] == "active" and not any(s.placement == pl for s in self.stays.values()):
            self.status[pl] = "cancelled"

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def database_holds_the_model(self):
        model = {i: (s.person, s.bed, s.start, s.end, s.placement) for i, s in self.stays.items()}
        assert self.db_stays() == model
        with self.db.engine.connect() as c:
            rows = dict(c.execute(text("SELECT id, status FROM placement")).all())
            ends = dict(c.execute(text("SELECT id, planned_end FROM placement")).all())
        assert rows == self.status
        assert {k: offset(_date(v)) for k, v in ends.items()} == self.planned_end

    def teardown(self):
        self.check_nights()

    def check_nights(self) -> None:
        bed_night: dict[tuple[int, int], int] = {}
        person_night: dict[tuple[int, int], int] = {}
        for s in self.stays.values():
            for n in s.nights():
                assert (s.bed, n) not in bed_night, "two people in one bed"
                assert (s.person, n) not in person_night, "one person in two beds"
                bed_night[(s.bed, n)] = s.person
                person_night[(s.person, n)] = s.bed
        # Never a minor without his mother in the structure (unless history was corrected).
        if not self.history_corrected:
            for n in range(HORIZON):
                child = person_night.get((self.net.child, n))
                if child is not None:
                    mother = person_night.get((self.net.mother, n))
                    assert mother is not None
                    assert self.net.structure_of_bed[mother] == self.net.structure_of_bed[child]
        for n in PROBES:
            seen = {(r.person_id, r.bed_id) for r in Presence(self.db).who_is_where(day(n))}
            assert seen == {(p, b) for (p, m), b in person_night.items() if m == n}
        for year, month in ((2023, 1), (2023, 2)):
            register = {
                r.person_id: set(r.days) for r in Presence(self.db).month_nights(year, month)
            }
            expected: dict[int, set[int]] = defaultdict(set)
            for p, n in person_night:
                d = day(n)
                if (d.year, d.month) == (year, month):
                    expected[p].add(d.day)
            assert register == dict(expected)
        occupied = {r.key: r.occupied for r in Occupancy(self.db).at(day(20))}
        for sid, code in zip(self.net.structures, ("S-1", "S-2", "S-3"), strict=True):
            assert occupied[code] == sum(
                1 for (b, n) in bed_night if n == 20 and self.net.structure_of_bed[b] == sid
            )


def _date(value) -> dt.date | None:  # type: ignore[no-untyped-def]
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _run(db: Database, net: Network, reset: Callable[[], None], examples: int) -> None:
    STATS.clear()
    StayMachine.db, StayMachine.net, StayMachine.reset = db, net, staticmethod(reset)
    run_state_machine_as_test(StayMachine, settings=settings(SETTINGS, max_examples=examples))
    # The runs did exercise every operation, not only its refusals.
    for op in ("place", "transfer", "record_exit", "extend", "cancel_stay", "cancel_placement"):
        assert STATS[f"{op} done"] > 0, sorted(STATS.items())


@pytest.mark.slow
def test_stays_follow_the_day_by_day_model_sqlite(sqlite_template, tmp_path):
    template = tmp_path / "network.sqlite3"
    shutil.copy(sqlite_template, template)
    setup = Database(f"sqlite:///{template}")
    net = build_network(setup)
    setup.dispose()
    source = sqlite3.connect(template)
    db = Database("sqlite://")  # in memory, reloaded from the prepared file for each run

    def reset() -> None:
        raw = db.engine.raw_connection()
        try:
            source.backup(raw.driver_connection)
        finally:
            raw.close()

    try:
        _run(db, net, reset, 500 if ON_CI else 50)
    finally:
        db.dispose()
        source.close()


@pytest.mark.slow
def test_stays_follow_the_day_by_day_model_postgresql(pg_server):
    db = Database(pg_server.create())
    net = build_network(db)

    def reset() -> None:
        with db.engine.begin() as c:
            c.exec_driver_sql(
                "TRUNCATE bed_stay, extension, reservation_bed, reservation, placement_request, placement "
                "RESTART IDENTITY"
            )

    try:
        _run(db, net, reset, 60 if ON_CI else 15)
    finally:
        db.dispose()
