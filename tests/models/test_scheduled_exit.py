"""An exit or transfer recorded ahead of its date (uscita/trasferimento programmato): the
placement runs until then, stays editable, and the dashboard's ends list names it."""

from __future__ import annotations

import datetime as dt

import pytest

from models.backend import Backend
from models.errors import ValidationError
from models.presence import Presence
from tests.factories import scenario

D = dt.date
TODAY = D(2026, 12, 2)


@pytest.fixture
def today_backend(db) -> Backend:
    return Backend(db, actor="test", today=lambda: TODAY)


def test_an_exit_recorded_ahead_keeps_the_placement_running(db, today_backend):
    backend = today_backend
    sc = scenario(backend)
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2026, 11, 1))
    out = backend.placements.record_exit(pl.id, D(2027, 1, 15), "socio_economic")
    assert (out.status, out.exit_date, out.exit_scheduled) == ("active", D(2027, 1, 15), True)
    [seen] = backend.directory.placements_of_household(sc.mother.id)
    assert seen.status == "active" and seen.exit_scheduled
    # Still there tonight, gone on the night of the exit.
    assert len(backend.presence.who_is_where(TODAY, household_id=sc.mother.id)) == 3
    assert backend.presence.who_is_where(D(2027, 1, 15), household_id=sc.mother.id) == []
    # An extension is still granted.
    longer = backend.placements.extend(pl.id, D(2027, 6, 30), "percorso di autonomia")
    assert longer.planned_end == D(2027, 6, 30) and longer.status == "active"
    # Recorded again, the exit moves to the new date.
    moved = backend.placements.record_exit(pl.id, D(2027, 1, 31), "term_expired")
    assert (moved.exit_date, moved.exit_reason, moved.exit_scheduled) == (
        D(2027, 1, 31),
        "term_expired",
        True,
    )
    assert len(backend.presence.who_is_where(D(2027, 1, 20), household_id=sc.mother.id)) == 3
    # The scheduled exit is taken back: the stays go on, no exit is left.
    back = backend.placements.cancel_scheduled_exit(pl.id)
    assert (back.status, back.exit_date, back.exit_scheduled) == ("active", None, False)
    assert len(backend.presence.who_is_where(D(2027, 2, 1), household_id=sc.mother.id)) == 3
    # Recorded again for another date, it is scheduled again.
    again = backend.placements.record_exit(pl.id, D(2027, 2, 1), "term_expired")
    assert again.exit_scheduled and again.exit_date == D(2027, 2, 1)


def test_a_past_exit_ends_the_placement(db, today_backend):
    backend = today_backend
    sc = scenario(backend)
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2026, 11, 1))
    out = backend.placements.record_exit(pl.id, D(2026, 11, 30), "socio_economic")
    assert (out.status, out.exit_scheduled) == ("exited", False)
    with pytest.raises(ValidationError):
        backend.placements.extend(pl.id, D(2027, 6, 30), "percorso")
    with pytest.raises(ValidationError):
        backend.placements.cancel_scheduled_exit(pl.id)


def test_the_ends_list_names_scheduled_exits_and_transfers(db, today_backend):
    backend = today_backend
    sc = scenario(backend)
    pl = backend.placements.place(
        sc.mother.id, sc.families.id, D(2026, 11, 1), planned_end=D(2027, 5, 1)
    )
    assert Presence(db).expiring(TODAY) == []
    backend.placements.record_exit(pl.id, D(2026, 12, 20), "socio_economic")
    [row] = Presence(db).expiring(TODAY)
    assert (row.planned_end, row.days_left, row.kind, row.people) == (
        D(2026, 12, 20),
        18,
        "exit",
        3,
    )
    backend.placements.cancel_scheduled_exit(pl.id)
    assert Presence(db).expiring(TODAY) == []


def test_a_transfer_to_another_programme_ahead_keeps_the_placement_running(db, today_backend):
    backend = today_backend
    sc = scenario(backend)
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2026, 11, 1))
    backend.placements.transfer(pl.id, D(2026, 12, 28), sc.other.id)
    old, new = backend.directory.placements_of_household(sc.mother.id)
    assert (old.id, old.status, old.exit_scheduled) == (pl.id, "active", True)
    assert (new.status, new.entry_date) == ("active", D(2026, 12, 28))
    [row] = Presence(db).expiring(TODAY)
    assert (row.placement_id, row.planned_end, row.kind) == (pl.id, D(2026, 12, 28), "transfer")


def test_the_opening_read_of_a_placement_dialog_finds_the_running_placement(db, today_backend):
    """Read together as the transfer and exit dialogs do (one round trip), from the
    household alone: its running placement, extensions and all, also when its exit is
    only scheduled, its household and who of it is in a bed; nothing once it ended."""
    backend = today_backend
    d = backend.directory
    sc = scenario(backend)

    def opening(household_id: int) -> list:
        at = d.placement_id_expression(None, household_id)
        return backend.read_together(
            d.placement_reading(None, household_id),
            d.household_reading(household_id),
            backend.presence.who_is_where_reading([TODAY], placement_id=at),
        )

    assert opening(sc.mother.id)[0] is None
    old = backend.placements.place(sc.mother.id, sc.families.id, D(2026, 6, 1))
    backend.placements.record_exit(old.id, D(2026, 9, 1), "socio_economic")
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2026, 11, 1))
    backend.placements.extend(pl.id, D(2027, 6, 30), "percorso di autonomia")
    backend.placements.record_exit(pl.id, D(2027, 1, 15), "socio_economic")
    placement, household, rows = opening(sc.mother.id)
    assert placement == d.placement(pl.id) and placement.exit_scheduled
    assert len(placement.extensions) == 1
    assert household == d.household(sc.mother.id)
    assert {r.person_id for r in rows[TODAY]} == {m.person.id for m in household.members}
    assert {r.placement_id for r in rows[TODAY]} == {pl.id}
    # By the placement's id, the household comes with it.
    by_id = backend.read_together(d.placement_reading(pl.id), d.household_reading(None, pl.id))
    assert by_id == [placement, household]
    backend.placements.record_exit(pl.id, D(2026, 12, 1), "socio_economic")
    assert opening(sc.mother.id)[0] is None
