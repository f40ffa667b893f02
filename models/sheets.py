"""Reads of one structure: its beds on a day with their occupants (the occupancy sheet and
the structure page), its beds, capacity history, outages and reservations
(``backend.sheets``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
    or_,
    select,
)
from sqlalchemy.orm import Session, contains_eager, selectinload

from . import convert
from . import entities as e
from . import results as r
from .database import Database, Reading
from .places import free_places
from .results import (
    BedLine,
    BedOutageRow,
    PresenceRow,
    StructurePage,
    StructureSheet,
)

_STATEMENTS: dict[str, Any] = {}


def _structure_statements() -> dict[str, Any]:
    """The structure page's statements, built once with parameters ``sid`` and ``day``.

    Building a statement costs more than running it on one structure, and the page is
    reloaded at every click: they are built on first use and kept.
    """
    if _STATEMENTS:
        return _STATEMENTS
    sid = bindparam("sid", type_=Integer)
    day = bindparam("day", type_=Date)
    capacity_in_force = (
        select(e.CapacityPeriod.places)
        .where(e.CapacityPeriod.structure_id == e.Structure.id, e.CapacityPeriod.valid_from <= day)
        .order_by(e.CapacityPeriod.valid_from.desc())
        .limit(1)
        .correlate(e.Structure)
        .scalar_subquery()
    )
    _STATEMENTS["structure"] = (
        select(
            e.Structure.id,
            e.Structure.code,
            e.Structure.name,
            e.Structure.programme_id,
            e.Programme.code,
            e.Programme.name,
            e.Programme.kind,
            e.Programme.holder,
            e.Structure.address,
            e.Structure.comune,
            e.Structure.province,
            e.Structure.target_groups,
            e.Structure.confidential,
            e.Structure.opened_on,
            e.Structure.closed_on,
            e.Structure.version,
            capacity_in_force,
            e.Programme.start_date,
            e.Programme.end_date,
        )
        .join(e.Programme, e.Programme.id == e.Structure.programme_id)
        .where(e.Structure.id == sid)
    )
    # The household a bed is held for, and why it is out of service, on ``day``.
    held_for = (
        select(e.Household.code)
        .join(e.Reservation, e.Reservation.household_id == e.Household.id)
        .join(e.ReservationBed, e.ReservationBed.reservation_id == e.Reservation.id)
        .where(
            e.ReservationBed.bed_id == e.Bed.id,
            e.Reservation.structure_id == sid,
            e.Reservation.status != e.ReservationStatus.CANCELLED,
            e.Reservation.held_from <= day,
            or_(e.Reservation.closed_on.is_(None), e.Reservation.closed_on > day),
        )
        .limit(1)
        .correlate(e.Bed)
        .scalar_subquery()
    )
    outage_reason = (
        select(e.BedOutage.reason)
        .where(
            e.BedOutage.bed_id == e.Bed.id,
            e.BedOutage.start_date <= day,
            or_(e.BedOutage.end_date.is_(None), e.BedOutage.end_date > day),
        )
        .limit(1)
        .correlate(e.Bed)
        .scalar_subquery()
    )
    # Every bed with its occupant on ``day`` (a bed holds one person a night at most).
    _STATEMENTS["beds"] = (
        select(
            e.Bed.id,
            e.Room.name,
            e.Bed.label,
            held_for,
            outage_reason,
            e.BedStay.id,
            e.BedStay.start_date,
            e.BedStay.end_date,
            e.Person.id,
            e.Person.code,
            e.Person.first_name,
            e.Person.last_name,
            e.Person.alias,
            e.Person.sex,
            e.Person.birth_date,
            e.Person.citizenship,
            e.HouseholdMember.relationship_,
            e.Household.id,
            e.Household.code,
            e.Placement.id,
            e.Placement.entry_date,
            e.Placement.planned_end,
        )
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .outerjoin(
            e.BedStay,
            and_(
                e.BedStay.bed_id == e.Bed.id,
                e.BedStay.cancelled.is_(False),
                e.BedStay.start_date <= day,
                or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > day),
            ),
        )
        .outerjoin(e.Person, e.Person.id == e.BedStay.person_id)
        .outerjoin(e.Placement, e.Placement.id == e.BedStay.placement_id)
        .outerjoin(e.Household, e.Household.id == e.Placement.household_id)
        .outerjoin(e.HouseholdMember, e.HouseholdMember.person_id == e.Person.id)
        # A retired bed leaves the sheet from the night it is retired.
        .where(e.Room.structure_id == sid, or_(e.Bed.retired_on.is_(None), e.Bed.retired_on > day))
        .order_by(e.Room.name, e.Bed.label)
    )
    _STATEMENTS["capacity"] = (
        select(
            e.CapacityPeriod.id,
            e.CapacityPeriod.structure_id,
            e.CapacityPeriod.valid_from,
            e.CapacityPeriod.places,
            e.CapacityPeriod.note,
        )
        .where(e.CapacityPeriod.structure_id == sid)
        .order_by(e.CapacityPeriod.valid_from)
    )
    _STATEMENTS["outages"] = (
        select(
            e.BedOutage.id,
            e.BedOutage.bed_id,
            e.Room.name,
            e.Bed.label,
            e.BedOutage.start_date,
            e.BedOutage.end_date,
            e.BedOutage.reason,
        )
        .join(e.Bed, e.Bed.id == e.BedOutage.bed_id)
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .where(e.Room.structure_id == sid)
        .order_by(e.BedOutage.start_date.desc(), e.Room.name, e.Bed.label)
    )
    return _STATEMENTS


def _sheet_from(
    structure_rows: Sequence[Any], bed_rows: Sequence[Any], day: dt.date
) -> tuple[StructureSheet, Any]:
    """The sheet and the StructureInfo from the rows of the statements ``structure`` and
    ``beds`` of ``_structure_statements``."""
    from . import results as r
    from .errors import NotFoundError
    from .i18n import _

    row = structure_rows[0] if structure_rows else None
    if row is None:
        raise NotFoundError(
            _(
                "These data no longer exist (perhaps removed on another PC): nothing was saved. Press F5 (View › Refresh) to read the data again."
            )
        )
    (
        sid,
        code,
        name,
        programme_id,
        prog_code,
        prog_name,
        prog_kind,
        holder,
        address,
        comune,
        province,
        target_groups,
        confidential,
        opened_on,
        closed_on,
        version,
        capacity,
        programme_start,
        programme_end,
    ) = row
    capacity = capacity or 0
    targets = frozenset(t for t in target_groups.split(",") if t)
    info = r.StructureInfo(
        id=sid,
        code=code,
        name=name,
        programme_id=programme_id,
        programme_code=prog_code,
        programme_name=prog_name,
        programme_kind=prog_kind.value,
        holder=holder,
        address=address,
        comune=comune,
        province=province,
        targets=targets,
        confidential=confidential,
        opened_on=opened_on,
        closed_on=closed_on,
        version=version,
    )
    lines = []
    occupied = reserved = out = 0
    for (
        bed_id,
        room,
        label,
        held,
        outage,
        stay_id,
        start,
        end,
        pid,
        pcode,
        first,
        last,
        alias,
        sex,
        birth,
        citizenship,
        rel,
        hid,
        hcode,
        placement_id,
        entry,
        planned_end,
    ) in bed_rows:
        if stay_id is not None:
            occupant = PresenceRow(
                stay_id=stay_id,
                person_id=pid,
                person_code=pcode,
                first_name=first,
                last_name=last,
                alias=alias,
                sex=sex.value,
                birth_date=birth,
                citizenship=citizenship,
                minor=e.is_minor(birth, day),
                household_id=hid,
                household_code=hcode,
                relationship=rel.value if rel else None,
                placement_id=placement_id,
                entry_date=entry,
                planned_end=planned_end,
                stay_start=start,
                stay_end=end,
                bed_id=bed_id,
                bed_label=label,
                room_name=room,
                structure_id=sid,
                structure_code=code,
                structure_name=name,
                province=province,
                programme_code=prog_code,
            )
            lines.append(BedLine(bed_id, room, label, "occupied", occupant))
            occupied += 1
        elif held is not None:
            lines.append(BedLine(bed_id, room, label, "reserved", None, held))
            reserved += 1
        elif outage is not None:
            lines.append(BedLine(bed_id, room, label, "out_of_service", None, outage or ""))
            out += 1
        else:
            lines.append(BedLine(bed_id, room, label, "free", None))
    taking = (
        opened_on <= day
        and (closed_on is None or day <= closed_on)
        and programme_start <= day
        and (programme_end is None or day <= programme_end)
    )
    free = free_places(capacity, len(lines), occupied, reserved, out, taking)
    # Beds free of anyone beyond the free places are not free places: shown as such.
    spare = 0
    for i, line in enumerate(lines):
        if line.status == "free":
            spare += 1
            if spare > free:
                lines[i] = BedLine(
                    line.bed_id,
                    line.room_name,
                    line.bed_label,
                    "no_place",
                    None,
                    _("the places in force are all taken")
                    if taking
                    else _("nobody can be placed here on this date"),
                )
    sheet = StructureSheet(
        structure_id=sid,
        code=code,
        name=name,
        address=address,
        comune=comune,
        province=province,
        confidential=confidential,
        targets=targets,
        programme_code=prog_code,
        programme_name=prog_name,
        programme_kind=prog_kind.value,
        holder=holder,
        day=day,
        beds=tuple(lines),
        capacity=capacity,
        occupied=occupied,
        reserved=reserved,
        out_of_service=out,
        free=free,
    )
    return sheet, info


class Sheets:
    """What one structure holds: beds, occupants, places and their history."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def sheet(self, structure_id: int, day: dt.date) -> StructureSheet:
        """Every bed of a structure by room on ``day``, with its occupant and the totals."""
        stmts = _structure_statements()
        params = {"sid": structure_id, "day": day}
        with self.db.read() as s:
            found = self.db.fetch_together(
                s, [(stmts["structure"], params), (stmts["beds"], params)]
            )
        return _sheet_from(found[0], found[1], day)[0]

    def sheet_reading(self, structure_id: int, day: dt.date) -> Callable[[Session], Reading]:
        """``sheet`` as a reading (``Database.read_together``); its result is None when
        the structure is gone, so that the reads sent with it are kept."""
        stmts = _structure_statements()
        params = {"sid": structure_id, "day": day}

        def finish(rows: list[list[Any]]) -> StructureSheet | None:
            if not rows[0]:
                return None
            return _sheet_from(rows[0], rows[1], day)[0]

        return lambda _s: ([(stmts["structure"], params), (stmts["beds"], params)], finish)

    def page(self, structure_id: int, day: dt.date) -> StructurePage:
        """The sheet on ``day``, the capacity history, the outages and the structure's details:
        four statements in one read, whatever the size of the network."""
        from . import results as r

        stmts = _structure_statements()
        params = {"sid": structure_id, "day": day}
        with self.db.read() as s:  # one round trip to the shared server
            found = self.db.fetch_together(
                s,
                [
                    (stmts["structure"], params),
                    (stmts["beds"], params),
                    (stmts["capacity"], {"sid": structure_id}),
                    (stmts["outages"], {"sid": structure_id}),
                ],
            )
        sheet, info = _sheet_from(found[0], found[1], day)
        capacity = [r.CapacityInfo(*row) for row in found[2]]
        outages = [BedOutageRow(*row) for row in found[3]]
        return StructurePage(sheet, capacity, outages, info)

    def beds(self, structure_id: int) -> list[r.BedInfo]:
        """Every bed of a structure, by room and label."""
        with self.db.read() as s:
            beds = s.scalars(
                select(e.Bed)
                .join(e.Room, e.Room.id == e.Bed.room_id)
                .options(contains_eager(e.Bed.room))
                .where(e.Room.structure_id == structure_id)
                .order_by(e.Room.name, e.Bed.label)
            ).all()
            return [convert.bed(b) for b in beds]

    def outages(self, structure_id: int) -> list[BedOutageRow]:
        """Every out-of-service period of the structure's beds, latest first."""
        with self.db.read() as s:
            rows = s.execute(
                select(
                    e.BedOutage.id,
                    e.BedOutage.bed_id,
                    e.Room.name,
                    e.Bed.label,
                    e.BedOutage.start_date,
                    e.BedOutage.end_date,
                    e.BedOutage.reason,
                )
                .join(e.Bed, e.Bed.id == e.BedOutage.bed_id)
                .join(e.Room, e.Room.id == e.Bed.room_id)
                .where(e.Room.structure_id == structure_id)
                .order_by(e.BedOutage.start_date.desc(), e.Room.name, e.Bed.label)
            ).all()
        return [BedOutageRow(*row) for row in rows]

    def capacity_history(self, structure_id: int) -> list[r.CapacityInfo]:
        with self.db.read() as s:
            return [
                convert.capacity(c)
                for c in s.scalars(
                    select(e.CapacityPeriod)
                    .where(e.CapacityPeriod.structure_id == structure_id)
                    .order_by(e.CapacityPeriod.valid_from)
                )
            ]

    def reservations(
        self,
        *,
        household_id: int | None = None,
        structure_id: int | None = None,
        held_only: bool = True,
        limit: int = 500,
    ) -> list[r.ReservationInfo]:
        """Reservations (prenotazioni), the held ones by default, by expected date."""
        with self.db.read() as s:
            stmt = (
                select(e.Reservation, e.Structure.code, e.Household.code)
                .options(selectinload(e.Reservation.beds))
                .join(e.Structure, e.Structure.id == e.Reservation.structure_id)
                .join(e.Household, e.Household.id == e.Reservation.household_id)
                .order_by(e.Reservation.expected_on, e.Reservation.id)
                .limit(limit)
            )
            if held_only:
                stmt = stmt.where(e.Reservation.status == e.ReservationStatus.HELD)
            if household_id is not None:
                stmt = stmt.where(e.Reservation.household_id == household_id)
            if structure_id is not None:
                stmt = stmt.where(e.Reservation.structure_id == structure_id)
            return [convert.reservation(r, scode, hcode) for r, scode, hcode in s.execute(stmt)]
