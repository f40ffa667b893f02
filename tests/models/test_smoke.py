from models.occupancy import Occupancy
from tests.factories import D, scenario


def test_place_single_parent_family_counts_in_occupancy(backend, db):
    sc = scenario(backend)
    backend.placements.place(
        sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 7, 10)
    )
    row = {r.key: r for r in Occupancy(db).at(D(2023, 2, 1))}["T-FAM"]
    assert (row.capacity, row.occupied, row.free) == (4, 3, 1)
