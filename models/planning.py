"""The planning board (tabellone): the beds of a selection as rows, the days of a window
as columns, each stay a bar, with the reservations, the beds out of service and the
nights a structure has fewer places than beds (``backend.planning``).

The rows of a selection are read in one statement (``rows``); what lies on them over a
window of days in four more (``window``: stays, reservations, outages, places), whatever
the size of the network or of the window. ``board`` reads both at once.

Dates are nights and intervals half open (DESIGN.md): a bar ``[start, end)`` covers the
nights from ``start`` to the night before ``end``; an open stay has no end. Free places
follow the one definition of ``places.free_places``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Date, bindparam, or_, select

from . import entities as e
from .board import (
    ANTI_TRAFFICKING,
    ONE_DAY,
    Board,
    BoardBar,
    BoardOutage,
    BoardReservation,
    BoardRow,
    BoardWindow,
    StructureNight,
    all_structure_nights,
    easter,
    italian_holidays,
    natural_key,
    structure_nights,
)
from .database import Database

# -- the statements, built once -----------------------------------------------------------

_STATEMENTS: dict[tuple[str, bool, bool, bool], Any] = {}
_WINDOW: dict[str, Any] = {}


def _selected(stmt: Any, province: bool, programme: bool, structure: bool) -> Any:
    if province:
        stmt = stmt.where(e.Structure.province == bindparam("province"))
    if programme:
        stmt = stmt.where(e.Programme.code == bindparam("programme_code"))
    if structure:
        stmt = stmt.where(e.Structure.id == bindparam("structure_id"))
    return stmt


def _rows_statement(province: bool, programme: bool, structure: bool) -> Any:
    stmt = (
        select(
            e.Bed.id,
            e.Bed.label,
            e.Room.id,
            e.Room.name,
            e.Structure.id,
            e.Structure.code,
            e.Structure.name,
            e.Structure.province,
            e.Programme.code,
            e.Programme.name,
            e.Programme.kind,
            e.Structure.opened_on,
            e.Structure.closed_on,
            e.Programme.start_date,
            e.Programme.end_date,
            e.Structure.confidential,
        )
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .join(e.Structure, e.Structure.id == e.Room.structure_id)
        .join(e.Programme, e.Programme.id == e.Structure.programme_id)
    )
    return _selected(stmt, province, programme, structure)


def _window_statements() -> dict[str, Any]:
    """The four statements of a window, over the beds of the structures listed in the
    expanding parameter ``sids``, for the nights ``[first, stop)``."""
    if _WINDOW:
        return _WINDOW
    first = bindparam("first", type_=Date)
    stop = bindparam("stop", type_=Date)
    sids: Any = bindparam("sids", expanding=True)
    beds = (
        select(e.Bed.id)
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .where(e.Room.structure_id.in_(sids))
        .scalar_subquery()
    )
    exits_ahead = e.BedStay.end_date  # compared with the placement's exit in Python
    stays = (
        select(
            e.BedStay.id,
            e.BedStay.bed_id,
            e.Person.id,
            e.Person.code,
            e.Person.first_name,
            e.Person.last_name,
            e.Person.birth_date,
            e.Placement.id,
            e.Household.id,
            e.Household.code,
            e.BedStay.start_date,
            exits_ahead,
            e.Placement.entry_date,
            e.Placement.planned_end,
            e.Placement.exit_date,
            e.Placement.status,
            e.Programme.kind,
        )
        .join(e.Person, e.Person.id == e.BedStay.person_id)
        .join(e.Placement, e.Placement.id == e.BedStay.placement_id)
        .join(e.Household, e.Household.id == e.Placement.household_id)
        .join(e.Programme, e.Programme.id == e.Placement.programme_id)
        .where(
            e.BedStay.cancelled.is_(False),
            e.BedStay.bed_id.in_(beds),
            e.BedStay.start_date < stop,
            or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > first),
        )
        .order_by(e.BedStay.bed_id, e.BedStay.start_date)
    )
    reservations = (
        select(
            e.Reservation.id,
            e.ReservationBed.bed_id,
            e.Household.id,
            e.Household.code,
            e.Reservation.held_from,
            e.Reservation.closed_on,
            e.Reservation.expected_on,
            e.Reservation.note,
        )
        .join(e.ReservationBed, e.ReservationBed.reservation_id == e.Reservation.id)
        .join(e.Household, e.Household.id == e.Reservation.household_id)
        .where(
            e.Reservation.status != e.ReservationStatus.CANCELLED,
            e.Reservation.structure_id.in_(sids),
            e.Reservation.held_from < stop,
            or_(e.Reservation.closed_on.is_(None), e.Reservation.closed_on > first),
        )
        .order_by(e.ReservationBed.bed_id, e.Reservation.held_from)
    )
    outages = (
        select(
            e.BedOutage.id,
            e.BedOutage.bed_id,
            e.BedOutage.start_date,
            e.BedOutage.end_date,
            e.BedOutage.reason,
        )
        .where(
            e.BedOutage.bed_id.in_(beds),
            e.BedOutage.start_date < stop,
            or_(e.BedOutage.end_date.is_(None), e.BedOutage.end_date > first),
        )
        .order_by(e.BedOutage.bed_id, e.BedOutage.start_date)
    )
    # Every capacity period of the structures from the one in force on the first night.
    in_force_at_first = (
        select(e.CapacityPeriod.valid_from)
        .where(
            e.CapacityPeriod.structure_id == e.Structure.id,
            e.CapacityPeriod.valid_from <= first,
        )
        .order_by(e.CapacityPeriod.valid_from.desc())
        .limit(1)
        .correlate(e.Structure)
        .scalar_subquery()
    )
    capacity = (
        select(e.CapacityPeriod.structure_id, e.CapacityPeriod.valid_from, e.CapacityPeriod.places)
        .join(e.Structure, e.Structure.id == e.CapacityPeriod.structure_id)
        .where(
            e.Structure.id.in_(sids),
            e.CapacityPeriod.valid_from < stop,
            or_(
                in_force_at_first.is_(None),
                e.CapacityPeriod.valid_from >= in_force_at_first,
            ),
        )
        .order_by(e.CapacityPeriod.structure_id, e.CapacityPeriod.valid_from)
    )
    _WINDOW.update(
        {"stays": stays, "reservations": reservations, "outages": outages, "capacity": capacity}
    )
    return _WINDOW


def _is_minor(birth: dt.date | None, day: dt.date) -> bool:
    return e.is_minor(birth, day)


class Planning:
    """The reads of the planning board."""

    def __init__(self, db: Database, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.db = db
        self.today = today

    def rows(
        self,
        *,
        programme_code: str | None = None,
        province: str | None = None,
        structure_id: int | None = None,
    ) -> list[BoardRow]:
        """The beds of the selection, grouped by programme, structure and room in the
        navigation's order (programme name, province, structure code and name; then
        rooms and beds as people count them). One statement."""
        shape = ("rows", bool(province), bool(programme_code), structure_id is not None)
        stmt = _STATEMENTS.get(shape)
        if stmt is None:
            stmt = _STATEMENTS[shape] = _rows_statement(*shape[1:])
        params: dict[str, Any] = {}
        if province:
            params["province"] = province.upper()
        if programme_code:
            params["programme_code"] = programme_code
        if structure_id is not None:
            params["structure_id"] = structure_id
        with self.db.read() as s:
            found = s.connection().execute(stmt, params).all()
        rows = [
            BoardRow(
                bed_id=r[0],
                bed_label=r[1],
                room_id=r[2],
                room_name=r[3],
                structure_id=r[4],
                structure_code=r[5],
                structure_name=r[6],
                province=r[7],
                programme_code=r[8],
                programme_name=r[9],
                programme_kind=str(getattr(r[10], "value", r[10])),
                opened_on=r[11],
                closed_on=r[12],
                programme_start=r[13],
                programme_end=r[14],
                confidential=bool(r[15]),
            )
            for r in found
        ]
        rows.sort(
            key=lambda b: (
                natural_key(b.programme_name),
                b.programme_code,
                b.province,
                natural_key(f"{b.structure_code} {b.structure_name}"),
                b.structure_id,
                natural_key(b.room_name),
                b.room_id,
                natural_key(b.bed_label),
                b.bed_id,
            )
        )
        return rows

    def window(self, structure_ids: Sequence[int], start: dt.date, stop: dt.date) -> BoardWindow:
        """What lies on the beds of ``structure_ids`` over the nights ``[start, stop)``:
        four statements, whatever the number of structures or days."""
        if stop <= start:
            raise ValueError("empty window")
        sids = sorted(set(structure_ids))
        if not sids:
            return BoardWindow(start, stop)
        stmts = _window_statements()
        params = {"sids": sids, "first": start, "stop": stop}
        today = self.today()
        with self.db.read() as s:
            conn = s.connection()
            stays = conn.execute(stmts["stays"], params).all()
            held = conn.execute(stmts["reservations"], params).all()
            outs = conn.execute(stmts["outages"], params).all()
            capacity = conn.execute(stmts["capacity"], params).all()
        bars = []
        for r in stays:
            (sid, bed, pid, code, first_name, last_name, birth, plid, hid, hcode) = r[:10]
            (start_d, end_d, entry, planned, exit_d, status, kind) = r[10:]
            kind = str(getattr(kind, "value", kind))
            # A person read without names (models.visibility) is shown by code.
            label = (
                code if kind == ANTI_TRAFFICKING else f"{last_name} {first_name}".strip() or code
            )
            status = str(getattr(status, "value", status))
            # A stay ending after today while the placement goes on past it.
            moving = (
                end_d
                if end_d is not None
                and end_d > today
                and (exit_d is None or end_d < exit_d)
                and status == e.PlacementStatus.ACTIVE.value
                else None
            )
            bars.append(
                BoardBar(
                    stay_id=sid,
                    bed_id=bed,
                    person_id=pid,
                    person_code=code,
                    label=label,
                    minor=_is_minor(birth, max(start, min(today, stop - ONE_DAY))),
                    placement_id=plid,
                    household_id=hid,
                    household_code=hcode,
                    start=start_d,
                    end=end_d,
                    entry_date=entry,
                    planned_end=planned,
                    exit_date=exit_d,
                    scheduled_move=moving,
                )
            )
        reservations = [
            BoardReservation(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] or "") for r in held
        ]
        outages = [BoardOutage(r[0], r[1], r[2], r[3], r[4] or "") for r in outs]
        periods: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
        for structure, valid_from, places in capacity:
            periods[structure].append((valid_from, places))
        days = (stop - start).days
        places_of: dict[int, list[int]] = {}
        for structure in sids:
            per = periods.get(structure, [])
            nights = []
            j, current = 0, 0
            for i in range(days):
                night = start + dt.timedelta(days=i)
                while j < len(per) and per[j][0] <= night:
                    current = per[j][1]
                    j += 1
                nights.append(current)
            places_of[structure] = nights
        return BoardWindow(start, stop, bars, reservations, outages, places_of)

    def board(
        self,
        start: dt.date,
        stop: dt.date,
        *,
        programme_code: str | None = None,
        province: str | None = None,
        structure_id: int | None = None,
    ) -> Board:
        """The rows of the selection and what lies on them over ``[start, stop)``."""
        rows = self.rows(
            programme_code=programme_code, province=province, structure_id=structure_id
        )
        sids = list(dict.fromkeys(r.structure_id for r in rows))
        return Board(rows, self.window(sids, start, stop))


__all__ = [
    "Board",
    "BoardBar",
    "BoardOutage",
    "BoardReservation",
    "BoardRow",
    "BoardWindow",
    "Planning",
    "StructureNight",
    "all_structure_nights",
    "easter",
    "italian_holidays",
    "natural_key",
    "structure_nights",
]
