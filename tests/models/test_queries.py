"""Occupancy, rates, presence days and expiring placements on hand-computable examples."""

from __future__ import annotations

import datetime as dt

import pytest

from models.occupancy import Occupancy
from models.presence import Presence
from models.results import NewPerson
from tests.factories import D, scenario
from tests.models.helpers import bed_ids, single


@pytest.fixture
def sc(backend):
    return scenario(backend)


def _besozzo(backend, sc):
    """36 places from 2018, 13 from July 2021; 36 beds in three rooms."""
    st = backend.structures.create_structure(
        sc.programme.id,
        "T-BES",
        "Casa Besozzo",
        "VA",
        D(2018, 1, 1),
        targets=["men", "women", "families"],
        places=36,
    )
    for room in ("A", "B", "C"):
        backend.structures.add_room(st.id, f"Camera {room}", 12)
    backend.structures.set_capacity(st.id, D(2021, 7, 1), 13, "riduzione posti")
    return st


def test_occupancy_follows_capacity_history(backend, db, sc):
    st = _besozzo(backend, sc)
    beds = bed_ids(backend, st.id)
    for i, name in enumerate(("Ada", "Bice")):
        hh, p = single(backend, name)
        backend.placements.place(hh.id, st.id, D(2020, 1, 1), beds={p: beds[i]})
    backend.structures.put_bed_out_of_service(beds[2], D(2019, 1, 1), None, "bagno inagibile")
    family, _p = single(backend, "Carla")
    backend.reservations.reserve(
        family.id, st.id, D(2030, 1, 1), held_from=D(2020, 1, 1), beds={_p: beds[3]}
    )

    def row(day):
        return {r.key: r for r in Occupancy(db).at(day)}["T-BES"]

    before, after = row(D(2020, 6, 1)), row(D(2022, 6, 1))
    assert (
        before.capacity,
        before.beds,
        before.occupied,
        before.reserved,
        before.out_of_service,
        before.free,
    ) == (36, 36, 2, 1, 1, 32)
    assert (
        after.capacity,
        after.beds,
        after.occupied,
        after.reserved,
        after.out_of_service,
        after.free,
    ) == (13, 36, 2, 1, 1, 10)
    assert after.rate == pytest.approx(2 / 13)
    # The day before the reduction still has 36 places; the day itself has 13.
    assert row(D(2021, 6, 30)).capacity == 36
    assert row(D(2021, 7, 1)).capacity == 13
    # Before the structure opened it is not listed.
    assert "T-BES" not in {r.key for r in Occupancy(db).at(D(2017, 12, 31))}


def test_occupancy_groups_add_up(backend, db, sc):
    _besozzo(backend, sc)
    backend.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    hh, _p = single(backend, "Dora")
    backend.placements.place(hh.id, sc.other.id, D(2023, 1, 10))
    day = D(2023, 2, 1)
    structures = Occupancy(db).at(day)
    assert {r.key: (r.capacity, r.occupied) for r in structures} == {
        "T-FAM": (4, 3),
        "T-UOM": (2, 0),
        "T-PIC": (2, 0),
        "T-ART": (4, 1),
        "T-BES": (13, 0),
    }
    provinces = {
        r.key: (r.capacity, r.occupied, r.structures)
        for r in Occupancy(db).at(day, group_by="province")
    }
    assert provinces == {"SO": (8, 3, 3), "MI": (4, 1, 1), "VA": (13, 0, 1)}
    programmes = {
        r.key: (r.capacity, r.occupied) for r in Occupancy(db).at(day, group_by="programme")
    }
    assert programmes == {"SAI-TEST": (21, 3), "ART18-T": (4, 1)}
    (network,) = Occupancy(db).at(day, group_by="network")
    assert (network.capacity, network.occupied, network.structures) == (25, 4, 5)
    assert network.free == sum(r.free for r in structures)
    only_so = Occupancy(db).at(day, province="so")
    assert {r.key for r in only_so} == {"T-FAM", "T-UOM", "T-PIC"}
    only_art = Occupancy(db).at(day, programme_code="ART18-T", group_by="network")
    assert (only_art[0].capacity, only_art[0].occupied) == (4, 1)


def test_occupancy_rate_in_bed_nights(backend, db, sc):
    # Casa Glicine: 4 places until 6 Jan 2023, then 2. Over [1 Jan, 11 Jan): 4*5 + 2*5 = 30 place-nights.
    backend.structures.set_capacity(sc.families.id, D(2023, 1, 6), 2)
    beds = bed_ids(backend, sc.families.id)
    b, pb = single(backend, "Bice")
    backend.placements.place(
        b.id, sc.families.id, D(2022, 12, 20), beds={pb: beds[1]}
    )  # 10 nights in the window
    a, pa = single(backend, "Ada")
    pl = backend.placements.place(a.id, sc.families.id, D(2023, 1, 1), beds={pa: beds[0]})
    backend.placements.record_exit(pl.id, D(2023, 1, 6), "other")  # 5 nights: 1..5 January
    c, pc = single(backend, "Carla")
    backend.placements.place(
        c.id, sc.families.id, D(2023, 1, 8), beds={pc: beds[2]}
    )  # 3 nights: 8, 9, 10
    nights, capacity_nights, rate = Occupancy(db).rate(
        D(2023, 1, 1), D(2023, 1, 11), structure_id=sc.families.id
    )
    assert (nights, capacity_nights) == (18, 30)
    assert rate == pytest.approx(0.6)
    # The whole network over the same window adds the other structures' places.
    n_all, cap_all, _ = Occupancy(db).rate(D(2023, 1, 1), D(2023, 1, 11))
    assert (n_all, cap_all) == (18, 30 + 2 * 10 + 2 * 10 + 4 * 10)
    assert Occupancy(db).rate(D(2023, 1, 11), D(2023, 1, 11)) == (0, 0, None)


def test_presence_days_are_nights_half_open(backend, db, sc):
    hh, p = single(backend)
    pl = backend.placements.place(hh.id, sc.families.id, D(2023, 3, 1))
    backend.placements.record_exit(pl.id, D(2023, 3, 11), "other")
    (row,) = Presence(db).month_nights(2023, 3)
    assert row.days == frozenset(range(1, 11)) and row.total == 10
    assert Presence(db).who_is_where(D(2023, 3, 10), household_id=hh.id)
    assert Presence(db).who_is_where(D(2023, 3, 11), household_id=hh.id) == []
    assert Presence(db).month_nights(2023, 2) == [] and Presence(db).month_nights(2023, 4) == []


def test_presence_across_months_and_transfer(backend, db, sc):
    dest = backend.structures.create_structure(
        sc.programme.id,
        "T-FA2",
        "Casa Tiglio",
        "SO",
        D(2014, 2, 1),
        targets=["families", "single_parent", "women"],
        places=4,
    )
    backend.structures.add_room(dest.id, "Camera 1", 4)
    hh, p = single(backend)
    pl = backend.placements.place(hh.id, sc.families.id, D(2024, 1, 20))
    backend.placements.transfer(pl.id, D(2024, 2, 10), dest.id)
    (jan,) = Presence(db).month_nights(2024, 1)
    assert jan.days == frozenset(range(20, 32))
    (feb,) = Presence(db).month_nights(2024, 2)  # leap year: 29 nights, the 10th once
    assert feb.total == 29 and set(feb.structure_codes) == {"T-FAM", "T-FA2"}
    (old,) = Presence(db).month_nights(2024, 2, structure_id=sc.families.id)
    (new,) = Presence(db).month_nights(2024, 2, structure_id=dest.id)
    assert old.days == frozenset(range(1, 10)) and new.days == frozenset(range(10, 30))
    # Occupancy on the day of the transfer counts the person once, in the new structure.
    rows = {r.key: r.occupied for r in Occupancy(db).at(D(2024, 2, 10))}
    assert (rows["T-FAM"], rows["T-FA2"]) == (0, 1)
    assert Presence(db).month_nights(2024, 2, programme_code="SAI-TEST")[0].total == 29
    del p


def test_expiring_placements_within_days(backend, db, sc):
    day = D(2023, 6, 1)
    due = {}
    for name, end in (
        ("Ada", D(2023, 6, 1)),
        ("Bice", D(2023, 7, 1)),
        ("Carla", D(2023, 7, 2)),
        ("Dora", D(2023, 5, 31)),
    ):
        hh, _p = single(backend, name)
        due[name] = backend.placements.place(hh.id, sc.families.id, D(2023, 1, 10), planned_end=end)
    gone, _p = single(backend, "Elsa", "M")
    left = backend.placements.place(gone.id, sc.men.id, D(2023, 1, 10), planned_end=D(2023, 6, 15))
    backend.placements.record_exit(left.id, D(2023, 5, 1), "voluntary_abandonment")
    rows = Presence(db).expiring(day, 30)
    assert [(r.placement_id, r.days_left, r.people, r.structure_code) for r in rows] == [
        (due["Ada"].id, 0, 1, "T-FAM"),
        (due["Bice"].id, 30, 1, "T-FAM"),
    ]
    family = backend.people.register_household(
        [
            NewPerson("Gaia", "Prova", "F", D(1988, 1, 1)),
            NewPerson("Ivo", "Prova", "M", D(2017, 1, 1), relationship="child"),
        ]
    )
    backend.placements.place(family.id, sc.small.id, D(2023, 1, 10), planned_end=D(2023, 6, 20))
    rows = {r.structure_code: r for r in Presence(db).expiring(day, 30)}
    assert (
        rows["T-PIC"].people == 2 and rows["T-PIC"].reference_code == family.members[0].person.code
    )
    assert {r.structure_code for r in Presence(db).expiring(day, 30, province="MI")} == set()


def test_monthly_occupancy_matches_the_rate_of_each_month(backend, db, sc):
    """The dashboard's monthly chart gives the same figures as occupancy_rate month by month."""
    backend.structures.set_capacity(sc.families.id, D(2023, 2, 15), 3)
    beds = bed_ids(backend, sc.families.id)
    a, pa = single(backend, "Ada")
    first = backend.placements.place(a.id, sc.families.id, D(2022, 12, 20), beds={pa: beds[0]})
    backend.placements.record_exit(first.id, D(2023, 2, 3), "other")
    b, pb = single(backend, "Bice")
    backend.placements.place(b.id, sc.families.id, D(2023, 1, 31), beds={pb: beds[1]})
    c, _pc = single(backend, "Carla")
    backend.placements.place(c.id, sc.other.id, D(2023, 3, 5))
    end = D(2023, 3, 20)
    for filters in (
        {},
        {"structure_id": sc.families.id},
        {"province": "SO"},
        {"programme_code": "ART18-T"},
    ):
        chart = Occupancy(db).monthly(end, 4, **filters)
        assert [month for month, _rate in chart] == [
            D(2022, 12, 1),
            D(2023, 1, 1),
            D(2023, 2, 1),
            D(2023, 3, 1),
        ]
        for month, rate in chart:
            stop = min(
                D(month.year + month.month // 12, month.month % 12 + 1, 1),
                end + dt.timedelta(days=1),
            )
            expected = Occupancy(db).rate(month, stop, **filters)[2]
            assert rate == pytest.approx(expected) if expected is not None else rate is None, (
                filters,
                month,
            )
