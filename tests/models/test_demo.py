"""The demo networks: the cooperative's real network, the synthetic generator, the rules."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import demo, occupancy_counts, schema
from models import entities as e
from models.backend import Backend
from models.database import Database
from models.directory import Directory
from models.errors import ValidationError
from models.occupancy import Occupancy
from models.presence import Presence
from models.results import NewPerson, OccupancyRow
from models.rules import household_groups
from models.sheets import Sheets
from tests.factories import D, scenario

TODAY = D(2026, 11, 26)


@pytest.fixture
def make_db(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], Database]]:
    """More fresh, migrated databases on the engine of this test's parameter."""
    made: list[Database] = []

    def make() -> Database:
        if engine_name == "sqlite":
            path = tmp_path / f"extra{len(made)}.sqlite3"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            db = Database(f"sqlite:///{path}")
        else:
            db = Database(request.getfixturevalue("pg_server").create())
        made.append(db)
        return db

    yield make
    for db in made:
        db.dispose()


@pytest.fixture
def coop(db: Database) -> Database:
    demo.generate(db, scale="coop", seed=1, today=TODAY)
    return db


def _programme(db: Database, code: str, day: dt.date) -> OccupancyRow:
    rows = Occupancy(db).at(day, group_by="programme", programme_code=code)
    assert len(rows) == 1
    return rows[0]


def test_coop_besozzo_places_go_from_36_to_13(coop: Database) -> None:
    before = _programme(coop, "SAI-BESOZZO", D(2020, 6, 1))
    after = _programme(coop, "SAI-BESOZZO", D(2022, 6, 1))
    assert before.capacity == 36
    assert after.capacity == 13
    assert 0 < before.occupied <= 36
    assert after.occupied <= 13
    assert after.beds == before.beds == 36  # the beds stay, the authorised places go down


def test_the_demo_leaves_its_tables_analysed_and_on_postgresql_vacuumed(coop: Database) -> None:
    """A fresh demo is measured at once (the benchmark): the planner needs its sizes, and
    PostgreSQL's index-only scans need the visibility map that only a vacuum writes."""
    with coop.engine.connect() as conn:
        if coop.is_sqlite:
            analysed = {row[0] for row in conn.exec_driver_sql("SELECT tbl FROM sqlite_stat1")}
            assert {"bed_stay", "bed", "structure", "placement"} <= analysed
        else:
            rows = conn.exec_driver_sql(
                "SELECT relname, last_vacuum, last_analyze FROM pg_stat_user_tables "
                "WHERE relname IN ('bed_stay', 'bed', 'structure', 'placement')"
            ).all()
            assert len(rows) == 4 and all(
                vacuumed and analysed for _name, vacuumed, analysed in rows
            ), rows


def test_coop_network_matches_the_cooperatives_description(coop: Database) -> None:
    structures = Directory(coop).structures()
    by_programme: dict[str, list] = defaultdict(list)
    for st in structures:
        by_programme[st.programme_code].append(st)
    assert len(by_programme["SAI-SONDRIO"]) == 11
    assert len(by_programme["SAI-NOVATE"]) == 5
    assert len(by_programme["SAI-CINISELLO"]) == 4
    assert len(by_programme["SAI-BESOZZO"]) == 3
    derive = by_programme["ART18-DERIVE"]
    assert len(derive) == 7
    assert all(st.confidential for st in derive)
    assert {st.province for st in derive} == {"CO", "MI", "MB", "SO", "VA"}
    assert not any(
        st.confidential
        for code, sts in by_programme.items()
        if code != "ART18-DERIVE"
        for st in sts
    )
    codes = {p.code for p in Directory(coop).programmes()}
    assert "ART18-ALI" in codes and "ART18-ALI" not in by_programme  # contact and assessment only
    assert 36 <= len(structures) <= 44
    places = {r.key: r.capacity for r in Occupancy(coop).at(TODAY, group_by="programme")}
    assert places["SAI-SONDRIO"] == 47
    assert places["SAI-NOVATE"] == 16
    assert places["SAI-CINISELLO"] == 15
    # Derive e Approdi ran from 1 October 2022 to 28 February 2024.
    assert Presence(coop).who_is_where(D(2023, 6, 1), programme_code="ART18-DERIVE")
    assert not Presence(coop).who_is_where(D(2024, 3, 1), programme_code="ART18-DERIVE")


def test_coop_today_looks_like_a_working_network(coop: Database) -> None:
    total = Occupancy(coop).at(TODAY, group_by="network")[0]
    assert total.rate is not None and 0.75 <= total.rate <= 0.97
    assert total.reserved > 0 and total.out_of_service > 0
    with coop.read() as s:
        people = s.scalar(select(func.count()).select_from(e.Person))
        stays = s.scalar(select(func.count()).select_from(e.BedStay))
        exits = set(s.scalars(select(e.Placement.exit_reason).distinct()))
        extensions = s.scalar(select(func.count()).select_from(e.Extension))
        names = s.execute(select(e.Person.first_name, e.Person.last_name)).all()
    assert 1200 <= people <= 2500
    assert stays > people  # transfers open new stays
    assert {"socio_economic", "term_expired", "voluntary_abandonment"} <= {
        x.value for x in exits if x
    }
    assert extensions > 0
    # Names keep letters that Latin-1 cannot write (Ğ, ı, Ș, Ł, Đ...).
    assert any(not (first + last).isascii() and _not_latin1(first + last) for first, last in names)
    expiring = Presence(coop).expiring(TODAY, 60)
    assert expiring


def _not_latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return True
    return False


def test_coop_has_single_parent_families_with_minors(coop: Database) -> None:
    found = 0
    for day in (D(2021, 3, 1), D(2023, 3, 1), TODAY):
        households: dict[int, list] = defaultdict(list)
        for row in Presence(coop).who_is_where(day):
            households[row.household_id].append(row)
        for rows in households.values():
            adults = [r for r in rows if not r.minor]
            minors = [r for r in rows if r.minor]
            if len(adults) == 1 and minors:
                found += 1
    assert found >= 3


def test_demo_respects_the_rules(coop: Database) -> None:
    report = schema.check(coop)
    assert report.ok, report.problems
    with coop.read() as s:
        rows = s.execute(
            select(e.BedStay, e.Person, e.HouseholdMember.relationship_, e.Structure, e.Programme)
            .join(e.Person, e.Person.id == e.BedStay.person_id)
            .join(e.HouseholdMember, e.HouseholdMember.person_id == e.Person.id)
            .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
            .join(e.Room, e.Room.id == e.Bed.room_id)
            .join(e.Structure, e.Structure.id == e.Room.structure_id)
            .join(e.Programme, e.Programme.id == e.Structure.programme_id)
        ).all()
        moves: dict[tuple[int, dt.date], list] = defaultdict(list)
        for stay, person, rel, st, prog in rows:
            moves[(stay.placement_id, stay.start_date)].append((stay, person, rel, st, prog))
        for (_placement, start), group in moves.items():
            structures = {st.id for _s, _p, _r, st, _g in group}
            st, prog = group[0][3], group[0][4]
            # Households move together, into a structure whose target groups fit them.
            assert len(structures) == 1
            fits = household_groups([(p, r) for _s, p, r, _st, _g in group], start) & st.targets
            assert fits or all(stay.override_reason for stay, *_rest in group)
            if prog.sai_category != e.SaiCategory.MSNA:
                assert any(not p.is_minor_on(start) for _s, p, _r, _st, _g in group)
            assert st.opened_on <= start and (st.closed_on is None or start < st.closed_on)
    for day in (D(2020, 6, 1), D(2021, 7, 1), D(2022, 6, 1), D(2024, 2, 27), TODAY):
        for row in Occupancy(coop).at(day):
            assert row.occupied + row.reserved + row.out_of_service <= row.beds
            assert row.occupied <= row.capacity, (row.key, day)


def test_same_seed_same_network_other_seed_other_network(
    coop: Database, make_db: Callable[[], Database]
) -> None:
    again, other = make_db(), make_db()
    demo.generate(again, scale="coop", seed=1, today=TODAY)
    demo.generate(other, scale="coop", seed=2, today=TODAY)

    def figures(db: Database) -> list:
        return [
            Occupancy(db).at(day, group_by="structure")
            for day in (D(2021, 1, 1), D(2023, 1, 1), TODAY)
        ] + [[(p.first_name, p.last_name) for p in Directory(db).search_people("", limit=50)]]

    assert figures(coop) == figures(again)
    assert figures(coop) != figures(other)


def test_demo_refuses_a_database_with_programmes(db: Database, backend: Backend) -> None:
    scenario(backend)
    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(e.Person))
    with pytest.raises(ValidationError) as err:
        demo.generate(db, scale="coop", today=TODAY)
    assert "dimostrativa" in str(err.value)  # the coordinator's language (Italian by default)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(e.Person)) == before


def test_demo_is_written_once_only(coop: Database) -> None:
    with pytest.raises(ValidationError):
        demo.generate(coop, scale="coop", today=TODAY)


def test_services_keep_working_on_a_demo_database(coop: Database) -> None:
    backend = Backend(coop, actor="test", today=lambda: TODAY)
    household = backend.people.register_household([NewPerson("Ayşe", "Yılmaz", "F", D(1990, 1, 2))])
    assert household.members[0].person.code.startswith("P")
    free = [
        r for r in Occupancy(coop).at(TODAY) if r.free and "women" in _targets(coop, r.structure_id)
    ]
    assert free
    placement = backend.placements.place(
        household.id, free[0].structure_id, TODAY, planned_end=TODAY + dt.timedelta(days=183)
    )
    assert placement.status == "active"


def _targets(db: Database, structure_id: int | None) -> frozenset[str]:
    assert structure_id is not None
    return Sheets(db).sheet(structure_id, TODAY).targets


def test_synthetic_network_small_scale(db: Database) -> None:
    summary = demo.generate(db, scale="tiny", seed=3, today=TODAY)
    assert summary["programmes"] == 4 and summary["structures"] == 14
    assert (
        summary["beds"] >= 50 and summary["people"] > 50 and summary["stays"] >= summary["people"]
    )
    assert schema.check(db).ok
    total = Occupancy(db).at(TODAY, group_by="network")[0]
    assert 0 < total.beds <= summary["beds"]  # closed structures no longer count
    assert total.rate is not None and 0.6 <= total.rate <= 1.0
    for day in (TODAY - dt.timedelta(days=400), TODAY):
        for row in Occupancy(db).at(day):
            assert row.occupied <= row.capacity


def test_unknown_scale_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError):
        demo.generate(db, scale="galactic", today=TODAY)


def test_a_structure_counts_the_same_in_any_selection(coop: Database) -> None:
    """The dashboard narrowed to a province, a programme or one structure shows each
    structure with the figures it has in the whole network."""
    whole = {r.structure_id: r for r in Occupancy(coop).at(TODAY)}
    assert sum(r.reserved for r in whole.values()) and sum(r.out_of_service for r in whole.values())
    structures = {st.id: st for st in Directory(coop).structures()}
    for province in {structures[sid].province for sid in whole}:
        narrowed = {r.structure_id: r for r in Occupancy(coop).at(TODAY, province=province)}
        assert narrowed == {
            sid: r for sid, r in whole.items() if structures[sid].province == province
        }
    programme = Occupancy(coop).at(TODAY, group_by="programme")[0].key
    narrowed = {r.structure_id: r for r in Occupancy(coop).at(TODAY, programme_code=programme)}
    assert narrowed and narrowed == {
        sid: r for sid, r in whole.items() if r.programme_code == programme
    }
    for sid, row in whole.items():
        one = Occupancy(coop).overview(TODAY, structure_id=sid).total
        assert (
            one.capacity,
            one.beds,
            one.occupied,
            one.reserved,
            one.out_of_service,
            one.free,
        ) == (row.capacity, row.beds, row.occupied, row.reserved, row.out_of_service, row.free)


def test_both_shapes_of_the_occupancy_statement_count_the_same(coop: Database) -> None:
    """Occupancy per structure is asked in two ways (a lookup per bed among the open stays
    for a recent day on SQLite, the live stays gathered once otherwise): whichever is
    chosen, every structure has the same figures, today and years back, in any selection."""
    from models.occupancy_counts import _counts_statement

    structures = {st.id: st for st in Directory(coop).structures()}
    province = next(iter(structures.values())).province
    programme = Occupancy(coop).at(TODAY, group_by="programme")[0].key
    some_id = next(iter(structures))
    selections = [
        ({}, (False, False, False)),
        ({"province": province}, (True, False, False)),
        ({"programme_code": programme}, (False, True, False)),
        ({"structure_id": some_id}, (False, False, True)),
    ]
    compared = 0
    for day in (TODAY, TODAY - dt.timedelta(days=200), D(2022, 6, 1), D(2019, 3, 15)):
        for params, flags in selections:
            for include_closed in (False, True):
                results = []
                for recent in (False, True):
                    stmt = _counts_statement(*flags, include_closed, True, recent)
                    with coop.read() as s:
                        results.append(
                            [tuple(r) for r in s.connection().execute(stmt, {"day": day, **params})]
                        )
                gathered, looked_up = results
                assert gathered == looked_up, (day, params, include_closed)
                compared += len(gathered)
    assert compared > 4 * len(structures)  # structures with figures were compared, not empty lists
    # Years back the demo's stays really do end after the day: the older shape is the one used.
    with coop.read() as s:
        assert not occupancy_counts._is_recent(s, D(2019, 3, 15)) and occupancy_counts._is_recent(
            s, TODAY
        )
