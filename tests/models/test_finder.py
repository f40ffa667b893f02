"""The free-bed finder (``backend.finder``, ``accoglienza free``) against a night-by-night
brute force over the cooperative's demo network, computed from the raw tables; and the
finder's statements, the same whatever the size of the network. Both engines."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop import cli
from models import demo, finder, rules
from models.backend import Backend
from models.database import Database
from models.errors import ValidationError
from tests.models.test_round_trips import count_statements

TODAY = dt.date(2026, 11, 26)
GROUPS = ["men", "women", "families", "single_parent", "lgbtqia", "transgender", "minors"]


def _network(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path, scale: str
) -> Database:
    if engine_name == "sqlite":
        path = tmp_path / f"{scale}.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        db = Database(f"sqlite:///{path}")
    else:
        db = Database(request.getfixturevalue("pg_server").create())
    demo.generate(db, scale=scale, seed=1, today=TODAY)
    return db


@pytest.fixture
def coop(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    db = _network(engine_name, request, tmp_path, "coop")
    yield db
    db.dispose()


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class Raw:
    """The tables, read as they are, and the rules of DESIGN.md applied night by night."""

    def __init__(self, db: Database) -> None:
        with db.engine.connect() as c:

            def rows(sql: str) -> list[Any]:
                return list(c.execute(text(sql)))

            self.structures = {
                r[0]: (r[1], r[2], _day(r[3]), _day(r[4]), r[5], r[6])
                for r in rows(
                    "SELECT s.id, s.code, s.province, s.opened_on, s.closed_on, s.target_groups,"
                    " s.programme_id FROM structure s"
                )
            }
            self.programmes = {
                r[0]: (r[1], _day(r[2]), _day(r[3]), r[4])
                for r in rows("SELECT id, code, start_date, end_date, sai_category FROM programme")
            }
            self.beds: dict[int, list[int]] = {sid: [] for sid in self.structures}
            self.bed_structure: dict[int, int] = {}
            for bed_id, sid in rows(
                "SELECT b.id, r.structure_id FROM bed b JOIN room r ON r.id = b.room_id"
            ):
                self.beds[sid].append(bed_id)
                self.bed_structure[bed_id] = sid
            self.stays = [
                (r[0], _day(r[1]), _day(r[2]))
                for r in rows(
                    "SELECT bed_id, start_date, end_date FROM bed_stay WHERE cancelled = false"
                    if db.backend != "sqlite"
                    else "SELECT bed_id, start_date, end_date FROM bed_stay WHERE cancelled = 0"
                )
            ]
            self.outages = [
                (r[0], _day(r[1]), _day(r[2]))
                for r in rows("SELECT bed_id, start_date, end_date FROM bed_outage")
            ]
            self.reserved = [
                (r[0], r[1], _day(r[2]), _day(r[3]))
                for r in rows(
                    "SELECT rb.bed_id, r.status, r.held_from, r.closed_on FROM reservation_bed rb"
                    " JOIN reservation r ON r.id = rb.reservation_id"
                )
            ]
            self.capacity: dict[int, list[tuple[dt.date, int]]] = {}
            for sid, valid_from, places in rows(
                "SELECT structure_id, valid_from, places FROM capacity_period ORDER BY valid_from"
            ):
                self.capacity.setdefault(sid, []).append((_day(valid_from), places))

    @staticmethod
    def covers(first: dt.date, end: dt.date | None, night: dt.date) -> bool:
        return first <= night and (end is None or night < end)

    def free_bed(self, bed: int, nights: list[dt.date]) -> bool:
        if any(b == bed and status == "held" for b, status, _f, _c in self.reserved):
            return False  # held for a household expected: not free, whatever the date
        for b, first, end in [*self.stays, *self.outages]:
            if b == bed and any(self.covers(first, end, n) for n in nights):
                return False
        return True

    def places_enough(self, sid: int, nights: list[dt.date], needed: int) -> bool:
        beds = set(self.beds[sid])
        for n in nights:
            in_force = [p for vf, p in self.capacity.get(sid, []) if vf <= n]
            if not in_force:
                continue
            taken = {b for b, f, e in self.stays if b in beds and self.covers(f, e, n)}
            held = {
                b
                for b, status, f, c in self.reserved
                if b in beds and status != "cancelled" and self.covers(f, c, n) and b not in taken
            }
            if len(taken) + len(held) + needed > in_force[-1]:
                return False
        return True

    def answer(self, req: dict[str, Any]) -> dict[str, set[int] | None]:
        """Structure code -> the free beds (None: it cannot take them), for the request."""
        start, end = req["start"], req["end"]
        nights = [start + dt.timedelta(days=i) for i in range((end - start).days)]
        adults, minors = req["adults"], req["minors"]
        needed = adults + minors
        if req["target"]:
            groups: set[str] | None = {req["target"]}
        elif not adults:
            groups = {"minors"}
        elif minors:
            groups = {"families", "single_parent"} if adults == 1 else {"families"}
        else:
            groups = None
        found: dict[str, set[int] | None] = {}
        for sid, (code, province, opened, closed, targets, pid) in self.structures.items():
            pcode, pstart, pend, category = self.programmes[pid]
            if closed is not None and closed < start or pend is not None and pend < start:
                continue
            if req["province"] and province != req["province"]:
                continue
            if req["programme"] and pcode != req["programme"]:
                continue
            ok = all(
                opened <= n
                and (closed is None or n <= closed)
                and pstart <= n
                and (pend is None or n <= pend)
                for n in nights
            )
            if minors and not adults and category != "msna":
                ok = False
            wanted = {t for t in targets.split(",") if t}
            if groups is not None and wanted and not groups & wanted:
                ok = False
            free = {b for b in self.beds[sid] if self.free_bed(b, nights)}
            if len(free) < needed or not self.places_enough(sid, nights, needed):
                ok = False
            found[code] = free if ok else None
        return found


def _requests(raw: Raw, count: int, seed: int) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    provinces = sorted({p for _c, p, *_rest in raw.structures.values()})
    programmes = sorted({p[0] for p in raw.programmes.values()})
    made = []
    for _ in range(count):
        start = TODAY + dt.timedelta(days=rnd.randint(-1800, 200))
        adults = rnd.choice([0, 1, 1, 1, 2, 2, 3])
        minors = rnd.choice([0, 0, 1, 2, 3]) if adults else rnd.randint(1, 2)
        made.append(
            {
                "start": start,
                "end": start + dt.timedelta(days=rnd.choice([1, 2, 7, 14, 30, 60, 120])),
                "adults": adults,
                "minors": minors,
                "target": rnd.choice([None, None, *GROUPS]),
                "province": rnd.choice([None, None, None, *provinces]),
                "programme": rnd.choice([None, None, None, None, *programmes]),
            }
        )
    return made


def _ask(backend: Backend, req: dict[str, Any]) -> list[Any]:
    """The finder's answers to one of ``_requests``."""
    return backend.finder.free(
        req["start"],
        req["end"],
        adults=req["adults"],
        minors=req["minors"],
        target=req["target"],
        programme_code=req["programme"],
        province=req["province"],
    )


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_the_finder_equals_a_night_by_night_brute_force(coop: Database, engine_name: str) -> None:
    backend = Backend(coop, actor="test", today=lambda: TODAY)
    raw = Raw(coop)
    # 200 requests on the local file, a sample of them on the shared server.
    requests = _requests(raw, 200 if engine_name == "sqlite" else 40, seed=16)
    fitting = 0
    for req in requests:
        answers = _ask(backend, req)
        expected = raw.answer(req)
        assert {a.structure_code for a in answers} == set(expected), req
        for a in answers:
            free = expected[a.structure_code]
            assert a.fits == (free is not None), (req, a)
            if a.fits:
                fitting += 1
                assert not a.reasons
                # as many beds as people, all different, in the structure, free every night
                assert len({b.id for b in a.beds}) == req["adults"] + req["minors"]
                assert {b.id for b in a.beds} <= free, (req, a)
            else:
                assert a.reasons and not a.beds
    assert fitting > (20 if engine_name == "sqlite" else 1)  # not only refusals compared


def test_the_stays_looked_for_by_their_dates_give_the_same_answers(
    coop: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over most of a network the finder looks for the stays of the period by their
    dates (on SQLite): the same answers, every field, as bed by bed."""
    backend = Backend(coop, actor="test", today=lambda: TODAY)
    requests = _requests(Raw(coop), 40, seed=3)

    def answers() -> list[Any]:
        return [_ask(backend, req) for req in requests]

    monkeypatch.setattr(finder, "WHOLE_NETWORK", 10**9)
    bed_by_bed = answers()
    monkeypatch.setattr(finder, "WHOLE_NETWORK", 0)
    monkeypatch.setattr(rules, "dates_first", lambda _s: True)
    assert answers() == bed_by_bed
    assert any(a.fits for found in bed_by_bed for a in found)


def test_structures_that_fit_have_the_free_places_of_occupancy_every_night(
    coop: Database, engine_name: str
) -> None:
    """``accoglienza free`` cross-checked night by night against ``occupancy --json``."""
    if engine_name != "sqlite":
        pytest.skip("the same statements on both engines: the brute force covers PostgreSQL")
    backend = Backend(coop, actor="test", today=lambda: TODAY)
    raw = Raw(coop)
    checked = 0
    for req in _requests(raw, 60, seed=7):
        req["end"] = req["start"] + dt.timedelta(days=min((req["end"] - req["start"]).days, 10))
        answers = [
            a
            for a in backend.finder.free(
                req["start"], req["end"], adults=req["adults"], minors=req["minors"]
            )
            if a.fits
        ]
        night = req["start"]
        while answers and night < req["end"]:
            free = {row.key: row.free for row in backend.occupancy.at(night)}
            for a in answers:
                assert free[a.structure_code] >= req["adults"] + req["minors"], (req, a, night)
                checked += 1
            night += dt.timedelta(days=1)
    assert checked > 50


def test_the_command_line_prints_the_structures_and_the_beds(
    coop: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = Raw(coop)
    req = {"start": TODAY + dt.timedelta(days=400), "end": TODAY + dt.timedelta(days=430)}
    req |= {"adults": 1, "minors": 0, "target": "women", "province": None, "programme": None}
    expected = {code for code, free in raw.answer(req).items() if free is not None}
    assert expected
    args = ["--database", coop.url, "free", "--from", req["start"].isoformat()]
    args += ["--to", req["end"].isoformat(), "--target", "women", "--json"]
    assert cli.main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["structure_code"] for d in data} == expected
    assert all(len(d["beds"]) == 1 and d["programme_code"] for d in data)
    # A period the wrong way round: one line, a non-zero exit, nothing printed.
    args[args.index("--to") + 1] = (req["start"] - dt.timedelta(days=1)).isoformat()
    assert cli.main(args) == 1
    out = capsys.readouterr()
    assert out.out == "" and len(out.err.strip().splitlines()) == 1


def test_a_household_without_anyone_is_refused(coop: Database) -> None:
    backend = Backend(coop, actor="test", today=lambda: TODAY)
    with pytest.raises(ValidationError):
        backend.finder.free(TODAY, TODAY + dt.timedelta(days=3), adults=0, minors=0)


def test_statements_per_finder_call_do_not_grow_with_the_network(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    found = []
    for scale in ("tiny", "coop"):
        db = _network(engine_name, request, tmp_path, scale)
        backend = Backend(db, actor="test", today=lambda: TODAY)

        def ask(backend: Backend = backend) -> None:
            backend.finder.free(TODAY, TODAY + dt.timedelta(days=30), adults=1, minors=1)
            backend.finder.free(TODAY, TODAY + dt.timedelta(days=7), province="SO", target="men")

        ask()
        found.append(count_statements(db, ask))
        db.dispose()
    assert found[0] == found[1]
    assert found[1] <= (10 if engine_name == "sqlite" else 8)


def test_a_structure_with_no_places_recorded_yet_is_limited_by_its_beds_alone(
    coop: Database,
) -> None:
    """A structure just created, its places not recorded yet: nothing to exceed but its
    beds, as the placement's own check says (``capacity_shortfalls``)."""
    backend = Backend(coop, actor="test", today=lambda: TODAY)
    programme = backend.directory.programmes()[0]
    st = backend.structures.create_structure(
        programme.id, "T-NEW", "Casa Nuova", "SO", TODAY - dt.timedelta(days=30)
    )
    beds = {b.id for b in backend.structures.add_room(st.id, "Camera 1", beds=["A", "B"])}
    week = (TODAY, TODAY + dt.timedelta(days=7))
    [two] = [a for a in backend.finder.free(*week, adults=2) if a.structure_id == st.id]
    assert two.fits and {b.id for b in two.beds} == beds
    [three] = [a for a in backend.finder.free(*week, adults=3) if a.structure_id == st.id]
    assert not three.fits and three.reasons
