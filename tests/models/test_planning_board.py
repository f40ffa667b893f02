"""The planning board's model without a window: bars, reservations and outages on the
right beds and nights, across month boundaries, open stays, transfers on the first and the
last night of the window, places fewer than beds; a fixed number of statements."""

from __future__ import annotations

import datetime as dt

import pytest

from models.backend import Backend
from models.planning import Board, BoardWindow
from models.results import NewPerson
from tests.factories import scenario

D = dt.date
TODAY = D(2026, 2, 15)
# Three months' boundaries: 25 January to 4 March (the night of 4 March is the last).
FIRST, STOP = D(2026, 1, 25), D(2026, 3, 5)


@pytest.fixture
def planning_backend(db) -> Backend:
    return Backend(db, actor="test", today=lambda: TODAY)


def nights(window: BoardWindow, bed_id: int, what: str = "bars") -> dict[dt.date, str]:
    """Each night of the window on a bed, with what covers it: a person's code, a
    household's code for a reservation, "out" for an outage (as a user reads the cells)."""
    out: dict[dt.date, str] = {}
    for day in window.days:
        for item in getattr(window, what):
            if item.bed_id == bed_id and item.covers(day):
                out[day] = getattr(item, "person_code", None) or getattr(
                    item, "household_code", "out"
                )
    return out


def span(a: dt.date, b: dt.date) -> list[dt.date]:
    """The nights [a, b)."""
    return [a + dt.timedelta(days=i) for i in range((b - a).days)]


def bed_ids(board: Board, structure_id: int) -> list[int]:
    return [r.bed_id for r in board.rows if r.structure_id == structure_id]


def test_rows_are_beds_grouped_by_programme_structure_and_room(planning_backend):
    backend = planning_backend
    sc = scenario(backend)
    board = backend.planning.board(FIRST, STOP)
    # Programmes by name as the navigation lists them, then structures, rooms and beds.
    order = [(r.programme_code, r.structure_code, r.room_name, r.bed_label) for r in board.rows]
    assert order[0] == ("ART18-T", "T-ART", "Camera 1", "1")
    assert [o[1] for o in order] == ["T-ART"] * 4 + ["T-FAM"] * 4 + ["T-PIC"] * 2 + ["T-UOM"] * 2
    assert order[4:8] == [
        ("SAI-TEST", "T-FAM", "Camera 1", "A"),
        ("SAI-TEST", "T-FAM", "Camera 1", "B"),
        ("SAI-TEST", "T-FAM", "Camera 2", "A"),
        ("SAI-TEST", "T-FAM", "Camera 2", "B"),
    ]
    # The selection: one structure, or one programme's province.
    one = backend.planning.board(FIRST, STOP, structure_id=sc.men.id)
    assert {r.structure_code for r in one.rows} == {"T-UOM"}
    so = backend.planning.board(FIRST, STOP, programme_code="SAI-TEST", province="SO")
    assert {r.structure_code for r in so.rows} == {"T-FAM", "T-PIC", "T-UOM"}
    assert len(board.window.days) == 39


def test_bars_cross_month_boundaries_and_open_stays_reach_the_end(planning_backend):
    backend = planning_backend
    sc = scenario(backend)
    pl = backend.placements.place(
        sc.mother.id, sc.families.id, D(2026, 1, 20), planned_end=D(2026, 2, 28)
    )
    board = backend.planning.board(FIRST, STOP, structure_id=sc.families.id)
    bars = board.window.bars
    assert len(bars) == 3
    assert {b.household_id for b in bars} == {sc.mother.id}
    assert all(b.end is None and b.planned_end == D(2026, 2, 28) for b in bars)
    assert all(b.placement_id == pl.id for b in bars)
    # An open stay started before the window covers every night of it, across two month
    # boundaries.
    for bar in bars:
        assert set(nights(board.window, bar.bed_id)) == set(board.window.days)
    # Labels are names here (an SAI programme), and the minors are marked.
    assert {b.label for b in bars} == {"Ğülşen Amina", "Ğülşen Łucja", "Ğülşen Omar"}
    assert sorted(b.minor for b in bars) == [False, True, True]

    # Ended by an exit on 1 March: the last night is 28 February.
    backend.placements.record_exit(pl.id, D(2026, 3, 1), "socio_economic")
    board = backend.planning.board(FIRST, STOP, structure_id=sc.families.id)
    for bar in board.window.bars:
        covered = nights(board.window, bar.bed_id)
        assert min(covered) == FIRST and max(covered) == D(2026, 2, 28)
        assert bar.end == D(2026, 3, 1) and bar.exit_date == D(2026, 3, 1)


def test_a_transfer_on_the_first_and_on_the_last_night_of_the_window(planning_backend):
    backend = planning_backend
    sc = scenario(backend)
    man = backend.people.register_household([NewPerson("Kwame", "Mensah", "M", D(1995, 1, 1))])
    pl = backend.placements.place(man.id, sc.men.id, D(2026, 1, 10))
    beds = backend.sheets.beds(sc.men.id)
    first_bed, second_bed = beds[0].id, beds[1].id
    [code] = [m.person.code for m in man.members]
    person_id = man.members[0].person.id
    # Where he sleeps: the service chose one of the two beds.
    start_bed = backend.planning.board(FIRST, STOP, structure_id=sc.men.id).window.bars[0].bed_id
    other_bed = second_bed if start_bed == first_bed else first_bed

    # Moved on the first day of the window: the old stay has no night in it.
    backend.placements.transfer(pl.id, FIRST, sc.men.id, beds={person_id: other_bed})
    board = backend.planning.board(FIRST, STOP, structure_id=sc.men.id)
    assert nights(board.window, start_bed) == {}
    assert nights(board.window, other_bed) == {d: code for d in span(FIRST, STOP)}
    assert len(board.window.bars) == 1

    # Moved back on the last day of the window, recorded ahead (after today): every night
    # but the last on one bed, the last on the other; the move is marked as scheduled.
    last = STOP - dt.timedelta(days=1)
    backend.placements.transfer(pl.id, last, sc.men.id, beds={person_id: start_bed})
    board = backend.planning.board(FIRST, STOP, structure_id=sc.men.id)
    assert nights(board.window, other_bed) == {d: code for d in span(FIRST, last)}
    assert nights(board.window, start_bed) == {last: code}
    [leaving] = [b for b in board.window.bars if b.bed_id == other_bed]
    assert leaving.end == last and leaving.scheduled_move == last
    [arriving] = [b for b in board.window.bars if b.bed_id == start_bed]
    assert arriving.start == last and arriving.end is None and arriving.scheduled_move is None


def test_reservations_outages_and_places_on_their_nights(planning_backend):
    backend = planning_backend
    sc = scenario(backend)
    fam_beds = [b.id for b in backend.sheets.beds(sc.families.id)]
    # A bed out of service from 30 January to 3 February (nights 30 Jan - 2 Feb).
    backend.structures.put_bed_out_of_service(fam_beds[0], D(2026, 1, 30), D(2026, 2, 3), "muffa")
    # The family expected on 20 February, its beds held from 16 February.
    res = backend.reservations.reserve(
        sc.mother.id, sc.families.id, D(2026, 2, 20), held_from=D(2026, 2, 16)
    )
    # From 1 March the structure has 2 places for 4 beds.
    backend.structures.set_capacity(sc.families.id, D(2026, 3, 1), 2)

    board = backend.planning.board(FIRST, STOP, structure_id=sc.families.id)
    window = board.window
    assert nights(window, fam_beds[0], "outages") == {
        d: "out" for d in span(D(2026, 1, 30), D(2026, 2, 3))
    }
    held = [h for h in window.reservations]
    assert len(held) == 3 and {h.reservation_id for h in held} == {res.id}
    for h in held:
        # Held until the reservation is closed: every night from 16 February on.
        assert set(nights(window, h.bed_id, "reservations")) == set(span(D(2026, 2, 16), STOP))
    # Places over the nights: 4 until 28 February, then 2; short of places from 1 March.
    per_night = dict(zip(window.days, board.nights(sc.families.id), strict=True))
    assert per_night[D(2026, 2, 28)].places == 4
    assert per_night[D(2026, 3, 1)].places == 2
    assert [d for d, n in per_night.items() if n.short_of_places] == span(D(2026, 3, 1), STOP)
    # Free places by the one definition: the outage and the held beds are not free.
    assert per_night[D(2026, 1, 25)].free == 4
    assert per_night[D(2026, 1, 30)].free == 3
    assert per_night[D(2026, 2, 16)].free == 1
    assert per_night[D(2026, 3, 1)].free == 0
    # The same figure as the occupancy of the structure on those nights.
    for day in (D(2026, 1, 30), D(2026, 2, 16), D(2026, 3, 2)):
        [line] = backend.occupancy.overview(day, structure_id=sc.families.id).structures
        assert per_night[day].free == line.free


def test_anti_trafficking_bars_show_the_person_code(planning_backend):
    backend = planning_backend
    sc = scenario(backend)
    backend.placements.place(sc.mother.id, sc.other.id, D(2026, 1, 20))
    board = backend.planning.board(FIRST, STOP, structure_id=sc.other.id)
    people = backend.directory.household(sc.mother.id).members
    assert {b.label for b in board.window.bars} == {m.person.code for m in people}
    assert not any("Ğülşen" in b.label for b in board.window.bars)


def test_italian_holidays_include_easter_monday():
    from models.planning import easter, italian_holidays

    assert easter(2026) == D(2026, 4, 5)
    assert easter(2024) == D(2024, 3, 31)
    days = italian_holidays(2026)
    assert D(2026, 4, 6) in days  # Pasquetta
    assert {D(2026, 4, 25), D(2026, 6, 2), D(2026, 8, 15), D(2026, 12, 26)} <= days
    assert D(2026, 4, 7) not in days and len(days) == 12
