"""Free beds by target group: what the dashboard shows a coordinator looking for a bed."""

from __future__ import annotations

import datetime as dt

from models import queries
from tests.factories import scenario


def test_free_beds_count_under_each_group_of_a_structure(db, services):
    sc = scenario(services)
    day = dt.date(2024, 1, 10)
    free = {r.target: r.free for r in queries.free_beds_by_target(db, day)}
    assert free == {"men": 2, "women": 8, "families": 10, "single_parent": 10}
    services.place(sc.mother.id, sc.families.id, dt.date(2024, 1, 5))
    free = {r.target: r.free for r in queries.free_beds_by_target(db, day)}
    assert free == {"men": 2, "women": 5, "families": 7, "single_parent": 7}
    # the day before the entry the beds were still free
    before = {r.target: r.free for r in queries.free_beds_by_target(db, dt.date(2024, 1, 4))}
    assert before["women"] == 8
    only_mi = {r.target: r.free for r in queries.free_beds_by_target(db, day, province="MI")}
    assert only_mi == {"women": 4, "families": 4, "single_parent": 4}


def test_bed_outages_lists_the_periods_of_a_structure(db, services):
    sc = scenario(services)
    beds = services.add_room(sc.men.id, "Camera 2", ["X"])
    services.put_bed_out_of_service(beds[0].id, dt.date(2024, 2, 1), dt.date(2024, 3, 1), "muffa")
    [row] = queries.bed_outages(db, sc.men.id)
    assert (row.room_name, row.bed_label, row.start_date, row.end_date, row.reason) == (
        "Camera 2", "X", dt.date(2024, 2, 1), dt.date(2024, 3, 1), "muffa")
    assert queries.bed_outages(db, sc.families.id) == []
