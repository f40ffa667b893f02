"""Setting up and changing the network (Rete): programmes, structures, rooms and beds.

Every refusal changes nothing (the counts and versions read before and after are the
same); a change made from a stale copy is refused; each change leaves its audit entry;
the free places follow a bed retired and a structure moved to another programme. On
SQLite and on PostgreSQL (the ``backend`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from models import entities as e
from models.errors import (
    BedOccupiedError,
    BedOutOfServiceError,
    BedReservedError,
    ConcurrentEditError,
    DomainError,
    ValidationError,
)
from models.results import NewPerson

D = dt.date


def snapshot(backend) -> tuple:
    """What a refused change must leave as it was: every row count and every version."""
    with backend.db.read() as s:
        counts = tuple(
            s.scalar(select(func.count()).select_from(cls))
            for cls in (
                e.Programme,
                e.Structure,
                e.StructureMove,
                e.Room,
                e.Bed,
                e.CapacityPeriod,
                e.BedStay,
                e.AuditEntry,
            )
        )
        rows = (
            tuple(s.execute(select(e.Programme.id, e.Programme.version, e.Programme.end_date))),
            tuple(
                s.execute(
                    select(
                        e.Structure.id,
                        e.Structure.version,
                        e.Structure.programme_id,
                        e.Structure.closed_on,
                    )
                )
            ),
            tuple(s.execute(select(e.Bed.id, e.Bed.version, e.Bed.retired_on, e.Bed.label))),
            tuple(s.execute(select(e.Room.id, e.Room.version, e.Room.name))),
        )
    return counts, rows


def audit(backend, entity: str, entity_id: int) -> list[str]:
    with backend.db.read() as s:
        return list(
            s.scalars(
                select(e.AuditEntry.action)
                .where(e.AuditEntry.entity == entity, e.AuditEntry.entity_id == entity_id)
                .order_by(e.AuditEntry.id)
            )
        )


@pytest.fixture
def net(backend):
    """A SAI programme with one structure of four beds (two rooms), an anti-trafficking
    programme, and a household of one woman."""
    sai = backend.structures.create_programme(
        "SAI-T", "SAI di prova", "sai", D(2020, 1, 1), holder="Comune di Prova", provinces="so, MI"
    )
    art18 = backend.structures.create_programme(
        "ART18-T", "Programma di prova", "anti_trafficking", D(2020, 1, 1)
    )
    st = backend.structures.create_structure(
        sai.id, "T-1", "Casa Uno", "SO", D(2020, 2, 1), places=4, targets=["women"]
    )
    beds = backend.structures.add_room(st.id, "Stanza 1", 2) + backend.structures.add_room(
        st.id, "Stanza 2", 2
    )
    household = backend.people.register_household([NewPerson("Ada", "Prova", "F", D(1990, 1, 1))])
    return sai, art18, st, beds, household


def test_a_programme_is_created_edited_and_ended_with_its_audit(backend, net):
    sai, art18, st, _beds, _h = net
    assert sai.provinces == ("MI", "SO")
    assert (sai.kind, sai.sai_category) == ("sai", "ord")  # ordinary when not said
    msna = backend.structures.create_programme(
        "MSNA-T", "Minori", "sai", D(2021, 1, 1), sai_category="msna"
    )
    assert msna.sai_category == "msna"
    assert art18.sai_category is None
    edited = backend.structures.update_programme(
        msna.id, msna.version, name="Minori soli", holder="Comune di Sondrio", provinces=["SO"]
    )
    assert (edited.name, edited.holder, edited.provinces) == (
        "Minori soli",
        "Comune di Sondrio",
        ("SO",),
    )
    assert edited.version == msna.version + 1
    ended = backend.structures.close_programme(msna.id, edited.version, D(2024, 12, 31))
    assert ended.end_date == D(2024, 12, 31)
    assert audit(backend, "programme", msna.id) == ["create", "update", "update"]


def test_a_structure_of_an_anti_trafficking_programme_is_protected_unless_said(backend, net):
    _sai, art18, _st, _beds, _h = net
    protected = backend.structures.create_structure(art18.id, "A-1", "Casa A", "MI", D(2021, 1, 1))
    assert protected.confidential
    open_one = backend.structures.create_structure(
        art18.id, "A-2", "Casa B", "MI", D(2021, 1, 1), confidential=False
    )
    assert not open_one.confidential


def test_closing_a_structure_with_people_after_the_date_is_refused_and_changes_nothing(
    backend, net
):
    _sai, _art18, st, _beds, h = net
    backend.placements.place(h.id, st.id, D(2024, 3, 1))
    before = snapshot(backend)
    with pytest.raises(BedOccupiedError) as info:
        backend.structures.close_structure(st.id, st.version, D(2024, 6, 30))
    assert "1" in str(info.value)
    assert snapshot(backend) == before
    # Before the entry, too: the stay would be left outside.
    with pytest.raises(BedOccupiedError):
        backend.structures.close_structure(st.id, st.version, D(2024, 2, 1))
    assert snapshot(backend) == before


def test_a_structure_closes_once_everyone_has_left(backend, net):
    _sai, _art18, st, _beds, h = net
    pl = backend.placements.place(h.id, st.id, D(2024, 3, 1))
    backend.placements.record_exit(pl.id, D(2024, 7, 1), "socio_economic", version=pl.version)
    # Out on the morning of 1 July: 30 June is the last night anyone slept there.
    closed = backend.structures.close_structure(st.id, st.version, D(2024, 6, 30))
    assert closed.closed_on == D(2024, 6, 30)
    assert audit(backend, "structure", st.id) == ["create", "update"]
    rows = {r.key: r for r in backend.occupancy.at(D(2024, 7, 1))}
    assert "T-1" not in rows  # closed: no longer among the structures open that day


def test_retiring_an_occupied_or_held_bed_is_refused_and_changes_nothing(backend, net):
    _sai, _art18, st, beds, h = net
    backend.placements.place(h.id, st.id, D(2024, 3, 1))
    stay_bed = backend.directory.stays_of_household(h.id)[0].bed_id
    bed = next(b for b in beds if b.id == stay_bed)
    before = snapshot(backend)
    with pytest.raises(BedOccupiedError):
        backend.structures.retire_bed(bed.id, bed.version, D(2024, 5, 1))
    # A later stay counts too: retiring from before the entry is refused.
    with pytest.raises(BedOccupiedError):
        backend.structures.retire_bed(bed.id, bed.version, D(2024, 1, 1))
    assert snapshot(backend) == before
    other = backend.people.register_household([NewPerson("Bea", "Prova", "F", D(1991, 1, 1))])
    free = next(b for b in beds if b.id != stay_bed)
    backend.reservations.reserve(
        other.id, st.id, D(2024, 9, 1), beds={other.members[0].person.id: free.id}
    )
    before = snapshot(backend)
    with pytest.raises(BedReservedError):
        backend.structures.retire_bed(free.id, free.version, D(2024, 5, 1))
    assert snapshot(backend) == before


def test_a_retired_bed_counts_no_more_from_its_date_and_keeps_its_history(backend, net):
    _sai, _art18, st, beds, _h = net
    backend.structures.set_capacity(st.id, D(2020, 2, 1), 4)
    bed = beds[3]
    retired = backend.structures.retire_bed(bed.id, bed.version, D(2024, 5, 1))
    assert retired.retired_on == D(2024, 5, 1)
    assert audit(backend, "bed", bed.id) == ["retire"]
    before = {r.key: r for r in backend.occupancy.at(D(2024, 4, 30))}["T-1"]
    after = {r.key: r for r in backend.occupancy.at(D(2024, 5, 1))}["T-1"]
    assert (before.beds, before.free) == (4, 4)
    # Four places, three beds in service: three free.
    assert (after.beds, after.free) == (3, 3)
    # Still listed with its rooms (never deleted), no longer offered for a stay.
    rooms = backend.structures.rooms(st.id)
    assert [b.label for r in rooms for b in r.beds] == ["1", "2", "1", "2"]
    other = backend.people.register_household([NewPerson("Cia", "Prova", "F", D(1992, 1, 1))])
    with pytest.raises(BedOutOfServiceError):
        backend.placements.place(
            other.id, st.id, D(2024, 6, 1), beds={other.members[0].person.id: bed.id}
        )
    # Retiring twice is refused.
    with pytest.raises(ValidationError):
        backend.structures.retire_bed(bed.id, retired.version, D(2024, 6, 1))


def test_rooms_and_beds_are_renamed_with_their_versions(backend, net):
    _sai, _art18, st, beds, _h = net
    room = backend.structures.rooms(st.id)[0]
    renamed = backend.structures.rename_room(room.id, room.version, "Stanza blu")
    assert renamed.name == "Stanza blu"
    with pytest.raises(ConcurrentEditError):
        backend.structures.rename_room(room.id, room.version, "Stanza rossa")
    bed = beds[0]
    backend.structures.rename_bed(bed.id, bed.version, "A")
    before = snapshot(backend)
    with pytest.raises(ValidationError):  # the room has a bed "2" already
        backend.structures.rename_bed(bed.id, bed.version + 1, "2")
    with pytest.raises(ConcurrentEditError):
        backend.structures.rename_bed(bed.id, bed.version, "B")
    assert snapshot(backend) == before
    assert audit(backend, "room", room.id) == ["create", "rename"]
    assert audit(backend, "bed", bed.id) == ["rename"]


def test_a_programme_cannot_end_before_its_structures(backend, net):
    sai, _art18, st, _beds, _h = net
    before = snapshot(backend)
    with pytest.raises(ValidationError) as info:
        backend.structures.close_programme(sai.id, sai.version, D(2024, 12, 31))
    assert "T-1" in str(info.value)
    backend.structures.close_structure(st.id, st.version, D(2025, 3, 31))
    before = snapshot(backend)
    with pytest.raises(ValidationError):
        backend.structures.close_programme(sai.id, sai.version, D(2024, 12, 31))
    with pytest.raises(ValidationError):  # nor start after a structure opened in it
        backend.structures.update_programme(sai.id, sai.version, start_date=D(2021, 1, 1))
    assert snapshot(backend) == before
    ended = backend.structures.close_programme(sai.id, sai.version, D(2025, 3, 31))
    assert ended.end_date == D(2025, 3, 31)
    # A structure can no longer open beyond its programme's end.
    with pytest.raises(ValidationError):
        backend.structures.create_structure(sai.id, "T-9", "Casa Nove", "SO", D(2025, 1, 1))


def test_a_stale_copy_is_refused_with_a_clear_message(backend, net):
    sai, _art18, st, _beds, _h = net
    backend.structures.update_structure(st.id, st.version, name="Casa Uno bis")
    backend.structures.update_programme(sai.id, sai.version, holder="Provincia di Sondrio")
    before = snapshot(backend)
    for change in (
        lambda: backend.structures.update_structure(st.id, st.version, name="Casa Tre"),
        lambda: backend.structures.close_structure(st.id, st.version, D(2030, 1, 1)),
        lambda: backend.structures.move_structure(st.id, st.version, _art18.id, D(2024, 1, 1)),
        lambda: backend.structures.update_programme(sai.id, sai.version, name="Altro"),
    ):
        with pytest.raises(ConcurrentEditError) as info:
            change()
        assert "F5" in str(info.value)
    assert snapshot(backend) == before


def test_a_structure_moved_to_another_programme_counts_there_from_the_date(backend, net):
    sai, art18, st, _beds, h = net
    pl = backend.placements.place(h.id, st.id, D(2024, 3, 1))
    before = snapshot(backend)
    with pytest.raises(BedOccupiedError):  # someone still sleeps there after the date
        backend.structures.move_structure(st.id, st.version, art18.id, D(2024, 6, 1))
    assert snapshot(backend) == before
    backend.placements.record_exit(
        pl.id, D(2024, 6, 1), "transfer_other_project", version=pl.version
    )
    moved = backend.structures.move_structure(st.id, st.version, art18.id, D(2024, 6, 1))
    assert moved.programme_code == "ART18-T"
    assert audit(backend, "structure", st.id) == ["create", "move"]
    by_programme = lambda day: {  # noqa: E731
        r.key: r.structures for r in backend.occupancy.at(day, group_by="programme")
    }
    assert by_programme(D(2024, 5, 31)).get("SAI-T") == 1
    assert by_programme(D(2024, 5, 31)).get("ART18-T", 0) == 0
    assert by_programme(D(2024, 6, 1)).get("ART18-T") == 1
    assert by_programme(D(2024, 6, 1)).get("SAI-T", 0) == 0
    # The programme filter follows the date as well.
    assert [r.key for r in backend.occupancy.at(D(2024, 3, 15), programme_code="SAI-T")] == ["T-1"]
    assert backend.occupancy.at(D(2024, 3, 15), programme_code="ART18-T") == []
    # Bed-nights over a period follow the move too: the stay (March to May) counts under
    # the former programme only, the places under each for its own nights.
    june_first = D(2024, 6, 1)
    sai_nights, sai_places, _rate = backend.occupancy.rate(
        D(2024, 3, 1), D(2024, 7, 1), programme_code="SAI-T"
    )
    art_nights, art_places, _rate = backend.occupancy.rate(
        D(2024, 3, 1), D(2024, 7, 1), programme_code="ART18-T"
    )
    assert sai_nights == (june_first - D(2024, 3, 1)).days and art_nights == 0
    assert (sai_places, art_places) == (4 * 92, 4 * 30)
    monthly = dict(backend.occupancy.monthly(D(2024, 6, 30), 2, programme_code="ART18-T"))
    assert monthly[D(2024, 6, 1)] == 0.0 and monthly[D(2024, 5, 1)] is None
    # The history stays: the old programme cannot end before the move.
    with pytest.raises(ValidationError):
        backend.structures.close_programme(sai.id, sai.version, D(2024, 4, 30))
    backend.structures.close_programme(sai.id, sai.version, D(2024, 5, 31))
    assert [m.moved_on for m in backend.structures.moves(st.id)] == [D(2024, 6, 1)]


def test_bad_input_is_refused_in_the_users_words(backend, net):
    sai, _art18, st, _beds, _h = net
    before = snapshot(backend)
    for bad in (
        lambda: backend.structures.create_programme("SAI-T", "Doppio", "sai", D(2020, 1, 1)),
        lambda: backend.structures.create_programme(
            "X", "X", "sai", D(2020, 1, 1), provinces=["ZZ"]
        ),
        lambda: backend.structures.create_structure(sai.id, "T-1", "Doppia", "SO", D(2021, 1, 1)),
        lambda: backend.structures.create_structure(sai.id, "T-5", "Prima", "SO", D(2019, 1, 1)),
        lambda: backend.structures.update_structure(st.id, st.version, code=""),
        lambda: backend.structures.add_room(st.id, "Stanza 1", 1),
        lambda: backend.structures.move_structure(st.id, st.version, sai.id, D(2024, 1, 1)),
    ):
        with pytest.raises(DomainError):
            bad()
    assert snapshot(backend) == before
