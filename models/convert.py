"""Turn ORM rows into the plain results of ``models.results``.

Each function reads the related rows its result names; the reads load them with the
row, through the loader options given here beside the function (relationships never
load lazily: ``models.entities``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import joinedload

from . import entities as e
from . import results as r
from . import terms

# What each conversion needs loaded with the row (``options(*STRUCTURE)``).
STRUCTURE: tuple[Any, ...] = (joinedload(e.Structure.programme, innerjoin=True),)
BED: tuple[Any, ...] = (joinedload(e.Bed.room, innerjoin=True),)
MEMBER: tuple[Any, ...] = (joinedload(e.HouseholdMember.household, innerjoin=True),)
# Joined: the household and its members in one statement. Outer joins one after the
# other: an inner join nested in the outer one makes SQLite read every member.
HOUSEHOLD: tuple[Any, ...] = (joinedload(e.Household.members).joinedload(e.HouseholdMember.person),)
# Joined, extensions included (a placement has few): one statement; lists of placements
# take ``.unique()``.
PLACEMENT: tuple[Any, ...] = (
    joinedload(e.Placement.household, innerjoin=True),
    joinedload(e.Placement.programme, innerjoin=True),
    joinedload(e.Placement.extensions),
)
RESERVATION: tuple[Any, ...] = (joinedload(e.Reservation.beds),)
STAY: tuple[Any, ...] = (
    joinedload(e.BedStay.bed, innerjoin=True)
    .joinedload(e.Bed.room, innerjoin=True)
    .joinedload(e.Room.structure, innerjoin=True),
    joinedload(e.BedStay.person, innerjoin=True),
    joinedload(e.BedStay.placement, innerjoin=True).joinedload(
        e.Placement.programme, innerjoin=True
    ),
)


def programme(p: e.Programme) -> r.ProgrammeInfo:
    return r.ProgrammeInfo(
        id=p.id,
        code=p.code,
        name=p.name,
        kind=p.kind.value,
        sai_category=p.sai_category.value if p.sai_category else None,
        holder=p.holder,
        managing_partner=p.managing_partner,
        start_date=p.start_date,
        end_date=p.end_date,
        version=p.version,
        provinces=tuple(code for code in (p.provinces or "").split(",") if code),
    )


def structure(s: e.Structure) -> r.StructureInfo:
    return r.StructureInfo(
        id=s.id,
        code=s.code,
        name=s.name,
        programme_id=s.programme_id,
        programme_code=s.programme.code,
        programme_name=s.programme.name,
        programme_kind=s.programme.kind.value,
        holder=s.programme.holder,
        address=s.address,
        comune=s.comune,
        province=s.province,
        targets=frozenset(t.value for t in s.targets),
        confidential=s.confidential,
        opened_on=s.opened_on,
        closed_on=s.closed_on,
        version=s.version,
    )


def capacity(c: e.CapacityPeriod) -> r.CapacityInfo:
    return r.CapacityInfo(c.id, c.structure_id, c.valid_from, c.places, c.note)


def bed(b: e.Bed) -> r.BedInfo:
    return r.BedInfo(
        b.id, b.label, b.room_id, b.room.name, b.room.structure_id, b.retired_on, b.version
    )


def person(
    p: e.Person, member: e.HouseholdMember | None = None, household_code: str | None = None
) -> r.PersonInfo:
    """The person; with ``member``, their household (its code read from ``member`` unless
    given)."""
    if member is not None and household_code is None:
        household_code = member.household.code
    return r.PersonInfo(
        id=p.id,
        code=p.code,
        first_name=p.first_name,
        last_name=p.last_name,
        alias=p.alias,
        sex=p.sex.value,
        gender_identity=p.gender_identity,
        birth_date=p.birth_date,
        citizenship=p.citizenship,
        legal_status=p.legal_status.value,
        version=p.version,
        household_id=member.household_id if member else None,
        household_code=household_code if member else None,
        relationship=member.relationship_.value if member else None,
    )


def household(h: e.Household) -> r.HouseholdInfo:
    return r.HouseholdInfo(
        id=h.id,
        code=h.code,
        members=tuple(
            r.MemberInfo(person(m.person, m, h.code), m.relationship_.value) for m in h.members
        ),
        version=h.version,
    )


def placement(p: e.Placement, today: dt.date | None = None) -> r.PlacementInfo:
    """The placement as of ``today``: an exit recorded for a later date is only scheduled,
    and the placement is still running ("active") until then."""
    category = p.programme.sai_category
    applies = terms.sai_terms_apply(p.programme.kind.value, category.value if category else None)
    scheduled = (
        p.exit_date
        if p.status == e.PlacementStatus.EXITED
        and p.exit_date is not None
        and today is not None
        and p.exit_date > today
        else None
    )
    return r.PlacementInfo(
        id=p.id,
        household_id=p.household_id,
        household_code=p.household.code,
        programme_id=p.programme_id,
        programme_code=p.programme.code,
        entry_date=p.entry_date,
        planned_end=p.planned_end,
        exit_date=p.exit_date,
        exit_reason=p.exit_reason.value if p.exit_reason else None,
        exit_destination=p.exit_destination,
        status="active" if scheduled is not None else p.status.value,
        version=p.version,
        extensions=tuple(
            r.ExtensionInfo(
                x.id,
                x.previous_planned_end,
                x.new_planned_end,
                x.reason,
                x.authorised_by,
                x.granted_on,
                terms.beyond_sai_terms(applies, p.entry_date, x.new_planned_end),
            )
            for x in p.extensions
        ),
        sai_terms=applies,
    )


def placement_of_row(row: Any, extensions: Any, today: dt.date | None = None) -> r.PlacementInfo:
    """``placement`` from plain columns (``Directory.placement_reading``): the placement's
    row and its extensions' rows, by id."""
    (
        pid,
        household_id,
        household_code,
        programme_id,
        programme_code,
        kind,
        category,
        entry_date,
        planned_end,
        exit_date,
        exit_reason,
        exit_destination,
        status,
        version,
    ) = row
    applies = terms.sai_terms_apply(kind.value, category.value if category else None)
    scheduled = (
        exit_date
        if status == e.PlacementStatus.EXITED
        and exit_date is not None
        and today is not None
        and exit_date > today
        else None
    )
    return r.PlacementInfo(
        id=pid,
        household_id=household_id,
        household_code=household_code,
        programme_id=programme_id,
        programme_code=programme_code,
        entry_date=entry_date,
        planned_end=planned_end,
        exit_date=exit_date,
        exit_reason=exit_reason.value if exit_reason else None,
        exit_destination=exit_destination,
        status="active" if scheduled is not None else status.value,
        version=version,
        extensions=tuple(
            r.ExtensionInfo(
                xid,
                previous,
                new,
                reason,
                authorised_by,
                granted_on,
                terms.beyond_sai_terms(applies, entry_date, new),
            )
            for xid, previous, new, reason, authorised_by, granted_on in extensions
        ),
        sai_terms=applies,
    )


def stay(s: e.BedStay) -> r.StayInfo:
    st = s.bed.room.structure
    return r.StayInfo(
        id=s.id,
        placement_id=s.placement_id,
        person_id=s.person_id,
        person_code=s.person.code,
        person_name=f"{s.person.last_name} {s.person.first_name}",
        bed_id=s.bed_id,
        bed_label=s.bed.label,
        room_name=s.bed.room.name,
        structure_id=st.id,
        structure_code=st.code,
        structure_name=st.name,
        programme_code=s.placement.programme.code,
        start_date=s.start_date,
        end_date=s.end_date,
        cancelled=s.cancelled,
        override_reason=s.override_reason,
        placement_version=s.placement.version,
    )


def reservation(x: e.Reservation, structure_code: str, household_code: str) -> r.ReservationInfo:
    return r.ReservationInfo(
        id=x.id,
        household_id=x.household_id,
        household_code=household_code,
        programme_id=x.programme_id,
        structure_id=x.structure_id,
        structure_code=structure_code,
        held_from=x.held_from,
        expected_on=x.expected_on,
        closed_on=x.closed_on,
        status=x.status.value,
        bed_ids=tuple(b.bed_id for b in x.beds),
        person_ids=tuple(b.person_id for b in x.beds),
        note=x.note,
        version=x.version,
    )
