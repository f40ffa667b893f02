"""Queries behind the dashboard and the structure page: overview, free beds by target group, monthly chart, outages."""

from __future__ import annotations

import datetime as dt

from models.occupancy import Occupancy
from models.presence import Presence
from models.sheets import Sheets
from tests.factories import scenario


def test_free_beds_count_under_each_group_of_a_structure(db, backend):
    sc = scenario(backend)
    day = dt.date(2024, 1, 10)
    free = {r.target: r.free for r in Occupancy(db).free_by_target(day)}
    assert free == {"men": 2, "women": 8, "families": 10, "single_parent": 10}
    backend.placements.place(sc.mother.id, sc.families.id, dt.date(2024, 1, 5))
    free = {r.target: r.free for r in Occupancy(db).free_by_target(day)}
    assert free == {"men": 2, "women": 5, "families": 7, "single_parent": 7}
    # the day before the entry the beds were still free
    before = {r.target: r.free for r in Occupancy(db).free_by_target(dt.date(2024, 1, 4))}
    assert before["women"] == 8
    only_mi = {r.target: r.free for r in Occupancy(db).free_by_target(day, province="MI")}
    assert only_mi == {"women": 4, "families": 4, "single_parent": 4}


def test_bed_outages_lists_the_periods_of_a_structure(db, backend):
    sc = scenario(backend)
    beds = backend.structures.add_room(sc.men.id, "Camera 2", ["X"])
    backend.structures.put_bed_out_of_service(
        beds[0].id, dt.date(2024, 2, 1), dt.date(2024, 3, 1), "muffa"
    )
    [row] = Sheets(db).outages(sc.men.id)
    assert (row.room_name, row.bed_label, row.start_date, row.end_date, row.reason) == (
        "Camera 2",
        "X",
        dt.date(2024, 2, 1),
        dt.date(2024, 3, 1),
        "muffa",
    )
    assert Sheets(db).outages(sc.families.id) == []


def test_overview_counts_like_the_separate_queries(db, backend):
    sc = scenario(backend)
    backend.placements.place(sc.mother.id, sc.families.id, dt.date(2024, 1, 5))
    beds = backend.structures.add_room(sc.men.id, "Camera 2", ["X"])
    backend.structures.put_bed_out_of_service(beds[0].id, dt.date(2024, 1, 1), None, "lavori")
    day = dt.date(2024, 1, 10)
    for filters in ({}, {"province": "SO"}, {"programme_code": "ART18-T"}):
        overview = Occupancy(db).overview(day, **filters)
        assert overview.total == Occupancy(db).at(day, group_by="network", **filters)[0]
        assert overview.provinces == Occupancy(db).at(day, group_by="province", **filters)
        assert overview.programmes == Occupancy(db).at(day, group_by="programme", **filters)
        assert overview.targets == Occupancy(db).free_by_target(day, **filters)
    total = Occupancy(db).overview(day).total
    assert (total.capacity, total.occupied, total.out_of_service, total.free) == (12, 3, 1, 9)
    one = Occupancy(db).overview(day, structure_id=sc.families.id)
    assert (one.total.capacity, one.total.occupied, one.total.free) == (4, 3, 1)
    assert [r.key for r in one.provinces] == ["SO"]


def test_monthly_occupancy_matches_occupancy_rate_month_by_month(db, backend):
    sc = scenario(backend)
    backend.placements.place(sc.mother.id, sc.families.id, dt.date(2024, 1, 5))
    backend.structures.set_capacity(sc.families.id, dt.date(2024, 2, 15), 3)
    from models.results import NewPerson

    man = backend.people.register_household([NewPerson("Ivo", "Prova", "M", dt.date(1980, 1, 1))])
    pl = backend.placements.place(man.id, sc.men.id, dt.date(2023, 12, 20))
    backend.placements.record_exit(pl.id, dt.date(2024, 2, 10), "socio_economic")
    end = dt.date(2024, 3, 17)
    for filters in (
        {},
        {"province": "SO"},
        {"programme_code": "SAI-TEST"},
        {"structure_id": sc.men.id},
        {"province": "MI"},
    ):
        points = Occupancy(db).monthly(end, 5, **filters)
        assert [p for p, _r in points] == [
            dt.date(2023, 11, 1),
            dt.date(2023, 12, 1),
            dt.date(2024, 1, 1),
            dt.date(2024, 2, 1),
            dt.date(2024, 3, 1),
        ]
        for month, rate in points:
            stop = min(
                dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1),
                end + dt.timedelta(days=1),
            )
            assert rate == Occupancy(db).rate(month, stop, **filters)[2], (filters, month)
    men = dict(Occupancy(db).monthly(end, 5, structure_id=sc.men.id))
    assert men[dt.date(2024, 1, 1)] == 31 / 62  # one of two places, every night of January


def test_expiring_placements_on_a_past_date_include_those_ended_since(db, backend):
    sc = scenario(backend)
    pl = backend.placements.place(
        sc.mother.id, sc.families.id, dt.date(2024, 1, 5), planned_end=dt.date(2024, 3, 1)
    )
    backend.placements.record_exit(pl.id, dt.date(2024, 3, 1), "term_expired")
    assert [r.placement_id for r in Presence(db).expiring(dt.date(2024, 2, 10), 30)] == [pl.id]
    assert Presence(db).expiring(dt.date(2024, 3, 1), 30) == []  # gone that day
