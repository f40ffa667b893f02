"""Read-only questions: occupancy, who is where, histories, presence days, expiring stays.

Each function takes a ``Database`` and returns plain rows. Counting is done by the
database with a fixed number of grouped statements, whatever the size of the network.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from . import entities as e
from .database import Database
from .results import (
    BedLine,
    BedOutageRow,
    ExpiringPlacement,
    OccupancyOverview,
    OccupancyRow,
    OccupancyTotals,
    PresenceDays,
    PresenceRow,
    StructurePage,
    StructureSheet,
    TargetFreeRow,
)
from .services import live_stay_clause


def _structure_filter(
    stmt: Select, province: str | None, programme_code: str | None, structure_id: int | None
) -> Select:
    if province:
        stmt = stmt.where(e.Structure.province == province.upper())
    if programme_code:
        stmt = stmt.where(e.Programme.code == programme_code)
    if structure_id is not None:
        stmt = stmt.where(e.Structure.id == structure_id)
    return stmt


def live_stay_beds(day: Any) -> Any:
    """Subquery of the beds with a live stay on the night of ``day`` (column ``bed_id``).

    Written as two halves, the open stays and the stays ending after ``day``, each of
    which an index on (end_date, start_date) answers directly: the single condition
    ``end IS NULL OR end > day`` makes SQLite walk every stay started before ``day``,
    the whole history for today's date.
    """
    open_stays = select(e.BedStay.bed_id).where(
        e.BedStay.cancelled.is_(False), e.BedStay.end_date.is_(None), e.BedStay.start_date <= day
    )
    ending_later = select(e.BedStay.bed_id).where(
        e.BedStay.cancelled.is_(False), e.BedStay.end_date > day, e.BedStay.start_date <= day
    )
    return union_all(open_stays, ending_later).subquery()


def _open_on(day: Any):  # type: ignore[no-untyped-def]
    return and_(
        e.Structure.opened_on <= day,
        or_(e.Structure.closed_on.is_(None), e.Structure.closed_on > day),
    )


# Built once per shape of selection: building the statement cost more than running it
# on a small network (the dashboard is reloaded at every click).
_COUNTS_STATEMENTS: dict[tuple[bool, bool, bool, bool, bool, bool], Any] = {}

# Below this many stays ending after the day, the day counts as recent (see
# _counts_statement); today there are none but the exits recorded ahead of time.
RECENT_DAY_LATER_STAYS = 200


def _bed_occupied(bed_id: Any, day: Any) -> Any:
    """Is bed ``bed_id`` occupied on the night of ``day``: an open stay started by then,
    looked up by bed in the partial index of open stays (migration 0004), or a stay
    ending after the day. For a recent day the second list is short or empty."""
    open_stay = e.BedStay.__table__.alias("open_stay")
    started = (
        select(literal(1))
        .select_from(open_stay)
        .where(
            open_stay.c.bed_id == bed_id,
            open_stay.c.end_date.is_(None),
            open_stay.c.cancelled.is_(False),
            open_stay.c.start_date <= day,
        )
        # SQLite would rather walk (bed, start, end) through a bed's whole history.
        .with_hint(open_stay, "INDEXED BY ix_bed_stay_open", "sqlite")
    )
    ending_later = select(e.BedStay.bed_id).where(
        e.BedStay.cancelled.is_(False), e.BedStay.end_date > day, e.BedStay.start_date <= day
    )
    return or_(started.exists(), bed_id.in_(ending_later))


def _counts_statement(
    by_province: bool,
    by_programme: bool,
    by_structure: bool,
    include_closed: bool,
    ordered: bool = True,
    recent: bool = False,
) -> Any:
    """Per structure of the selection: its row, capacity in force, beds, occupied,
    reserved and out of service (the last two among beds free of stays).

    Two shapes, the same figures. For a recent day (few stays end after it) each bed
    is looked up in the index of open stays: on SQLite, national network, 78 -> 52 ms
    today, 32 -> 8 ms for one province. For an older day the live stays are gathered
    once and joined to the beds: there, most live stays have ended since, and a
    lookup per bed would walk them again for every bed (96 -> 135 ms in 2025).
    """
    day = bindparam("day", type_=Date)
    # The reservations in force first, then their beds: joined the other way round,
    # SQLite walks every reserved bed of the history.
    held_beds = (
        select(e.ReservationBed.bed_id)
        .where(
            e.ReservationBed.reservation_id.in_(
                select(e.Reservation.id).where(
                    e.Reservation.status != e.ReservationStatus.CANCELLED,
                    e.Reservation.held_from <= day,
                    or_(e.Reservation.closed_on.is_(None), e.Reservation.closed_on > day),
                )
            )
        )
        .distinct()
        .subquery()
    )
    out_beds = (
        select(e.BedOutage.bed_id)
        .where(
            e.BedOutage.start_date <= day,
            or_(e.BedOutage.end_date.is_(None), e.BedOutage.end_date > day),
        )
        .distinct()
        .subquery()
    )
    capacity_in_force = (
        select(e.CapacityPeriod.places)
        .where(e.CapacityPeriod.structure_id == e.Structure.id, e.CapacityPeriod.valid_from <= day)
        .order_by(e.CapacityPeriod.valid_from.desc())
        .limit(1)
        .correlate(e.Structure)
        .scalar_subquery()
    )
    # The beds are counted per structure id alone, then joined to the structures: grouped
    # with the structure's and programme's names and codes, every one of the 40,000 beds
    # carried them through the aggregate (a third of the statement's time nationally).
    if recent:
        per_structure = select(
            e.Room.structure_id.label("structure_id"),
            func.count(e.Bed.id).label("beds"),
            func.sum(case((_bed_occupied(e.Bed.id, day), 1), else_=0)).label("occupied"),
        ).join(e.Bed, e.Bed.room_id == e.Room.id)
        # Reserved and out of service: the few held or out beds, those free of stays.
        flagged_union = union_all(
            select(held_beds.c.bed_id, literal(1).label("held"), literal(0).label("out")),
            select(out_beds.c.bed_id, literal(0).label("held"), literal(1).label("out")),
        ).subquery()
        flagged = (
            select(
                flagged_union.c.bed_id,
                func.max(flagged_union.c.held).label("held"),
                func.max(flagged_union.c.out).label("out"),
            )
            .group_by(flagged_union.c.bed_id)
            .subquery()
        )
        flags = (
            select(
                e.Room.structure_id.label("structure_id"),
                func.sum(flagged.c.held).label("reserved"),
                func.sum(flagged.c.out).label("out"),
            )
            .select_from(flagged)
            .join(e.Bed, e.Bed.id == flagged.c.bed_id)
            .join(e.Room, e.Room.id == e.Bed.room_id)
            .where(~_bed_occupied(flagged.c.bed_id, day))
            .group_by(e.Room.structure_id)
            .subquery()
        )
    else:
        occupied_beds = live_stay_beds(day)
        free_of_stay = occupied_beds.c.bed_id.is_(None)
        per_structure = (
            select(
                e.Room.structure_id.label("structure_id"),
                func.count(e.Bed.id).label("beds"),
                func.count(occupied_beds.c.bed_id).label("occupied"),
                func.sum(
                    case((and_(free_of_stay, held_beds.c.bed_id.is_not(None)), 1), else_=0)
                ).label("reserved"),
                func.sum(
                    case((and_(free_of_stay, out_beds.c.bed_id.is_not(None)), 1), else_=0)
                ).label("out"),
            )
            .join(e.Bed, e.Bed.room_id == e.Room.id)
            .outerjoin(occupied_beds, occupied_beds.c.bed_id == e.Bed.id)
            .outerjoin(held_beds, held_beds.c.bed_id == e.Bed.id)
            .outerjoin(out_beds, out_beds.c.bed_id == e.Bed.id)
        )
    per_structure = per_structure.group_by(e.Room.structure_id)
    # The selection is applied inside too, or the whole network's beds would be counted.
    if by_province or by_programme:
        per_structure = per_structure.join(e.Structure, e.Structure.id == e.Room.structure_id)
    if by_province:
        per_structure = per_structure.where(e.Structure.province == bindparam("province"))
    if by_programme:
        per_structure = per_structure.join(
            e.Programme, e.Programme.id == e.Structure.programme_id
        ).where(e.Programme.code == bindparam("programme_code"))
    if by_structure:
        per_structure = per_structure.where(
            e.Room.structure_id == bindparam("structure_id", type_=Integer)
        )
    counts = per_structure.subquery()
    if recent:
        reserved, out = flags.c.reserved, flags.c.out
    else:
        reserved, out = counts.c.reserved, counts.c.out
    stmt = (
        select(
            e.Structure.id,
            e.Structure.code,
            e.Structure.name,
            e.Structure.province,
            e.Programme.code.label("programme_code"),
            e.Programme.name.label("programme_name"),
            e.Structure.target_groups,
            capacity_in_force.label("capacity"),
            func.coalesce(counts.c.beds, 0),
            func.coalesce(counts.c.occupied, 0),
            func.coalesce(reserved, 0),
            func.coalesce(out, 0),
        )
        .join(e.Programme, e.Programme.id == e.Structure.programme_id)
        .outerjoin(counts, counts.c.structure_id == e.Structure.id)
    )
    if recent:
        stmt = stmt.outerjoin(flags, flags.c.structure_id == e.Structure.id)
    if ordered:  # the overview sums groups and has no use for an order (a sort of 8,000 rows)
        stmt = stmt.order_by(e.Structure.province, e.Programme.code, e.Structure.code)
    if by_province:
        stmt = stmt.where(e.Structure.province == bindparam("province"))
    if by_programme:
        stmt = stmt.where(e.Programme.code == bindparam("programme_code"))
    if by_structure:
        stmt = stmt.where(e.Structure.id == bindparam("structure_id", type_=Integer))
    if not include_closed:
        stmt = stmt.where(_open_on(day))
    return stmt


# How many stays end after a day, counted up to RECENT_DAY_LATER_STAYS (index only).
_LATER_STAYS = select(func.count()).select_from(
    select(e.BedStay.id)
    .where(e.BedStay.end_date > bindparam("day", type_=Date))
    .limit(RECENT_DAY_LATER_STAYS)
    .subquery()
)


def _is_recent(s: Session, day: dt.date) -> bool:
    return (
        s.connection().execute(_LATER_STAYS, {"day": day}).scalar() or 0
    ) < RECENT_DAY_LATER_STAYS


def structure_counts(
    s: Session,
    day: dt.date,
    *,
    province: str | None = None,
    programme_code: str | None = None,
    structure_id: int | None = None,
    include_closed: bool = False,
) -> list[tuple[Any, OccupancyTotals]]:
    """Per structure: capacity in force, beds, occupied, reserved, out of service, free.

    One grouped statement for the whole selection (8,000 structures nationally), in
    one of two shapes chosen by the day and the engine (see ``_counts_statement``).
    """
    return [
        (st, OccupancyTotals(*figures))
        for st, figures in _structure_figures(
            s, day, province, programme_code, structure_id, include_closed, True
        )
    ]


def _structure_figures(
    s: Session,
    day: dt.date,
    province: str | None,
    programme_code: str | None,
    structure_id: int | None,
    include_closed: bool,
    ordered: bool,
) -> list[tuple[Any, tuple[int, int, int, int, int, int, int]]]:
    """``structure_counts`` with the figures as plain tuples (see ``_figures``)."""
    # The lookup per bed pays on SQLite only: PostgreSQL's hash joins do the gathered shape
    # faster for every day (national network: 78 against 86 ms today, 68 against 173 ms
    # in 2021), so it is spared the question.
    recent = s.get_bind().dialect.name == "sqlite" and _is_recent(s, day)
    shape = (
        bool(province),
        bool(programme_code),
        structure_id is not None,
        include_closed,
        ordered,
        recent,
    )
    stmt = _COUNTS_STATEMENTS.get(shape)
    if stmt is None:
        stmt = _COUNTS_STATEMENTS[shape] = _counts_statement(*shape)
    params: dict[str, Any] = {"day": day}
    if province:
        params["province"] = province.upper()
    if programme_code:
        params["programme_code"] = programme_code
    if structure_id is not None:
        params["structure_id"] = structure_id
    with _collection_deferred():
        return _figures(
            s.connection().execute(stmt, params).all()
        )  # one fetch: row by row took a fifth longer


@contextmanager
def _collection_deferred() -> Iterator[None]:
    """No cyclic garbage collection while a large result is built.

    Thousands of rows and tuples made at once set off the collector again and again,
    and each full pass walks every object of the application: a third of the
    dashboard's time on PostgreSQL. Rows and tuples hold no cycles; the collector
    runs again as usual afterwards. (Process-wide: another thread only has its
    collection put off for as long.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _figures(result: Any) -> list[tuple[Any, tuple[int, int, int, int, int, int, int]]]:
    """Each structure row with its figures in the order of ``OccupancyTotals``' fields:
    capacity, beds, occupied, reserved, out of service, free, and 1 structure."""
    rows = []
    for st in result:  # Core rows: no ORM result processing
        # By position: 8,000 rows nationally, and a row's attribute lookup is slower.
        capacity, beds, occupied = st[7] or 0, st[8], st[9]
        reserved, out = int(st[10] or 0), int(st[11] or 0)
        free = beds - out
        if capacity < free:
            free = capacity
        free -= occupied + reserved
        rows.append((st, (capacity, beds, occupied, reserved, out, free if free > 0 else 0, 1)))
    return rows


def _summed(figures: list[tuple[int, ...]]) -> OccupancyTotals:
    """The totals of a group of structures' figures (``_figures``), column by column."""
    return OccupancyTotals(*map(sum, zip(*figures, strict=True))) if figures else OccupancyTotals()


def occupancy(
    db: Database,
    day: dt.date,
    *,
    group_by: str = "structure",
    province: str | None = None,
    programme_code: str | None = None,
) -> list[OccupancyRow]:
    """Occupancy at ``day`` per structure, province, programme, or for the whole network."""
    with db.read() as s:
        per_structure = _structure_figures(s, day, province, programme_code, None, False, True)
    if group_by == "structure":
        return [
            OccupancyRow(
                key=st.code,
                label=st.name,
                province=st.province,
                programme_code=st.programme_code,
                structure_id=st.id,
                **vars(OccupancyTotals(*figures)),
            )
            for st, figures in per_structure
        ]
    # Filed under their groups, then summed column by column (as occupancy_overview does).
    groups: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    labels: dict[str, str] = {}
    for st, figures in per_structure:
        if group_by == "province":
            key, label = st.province, st.province
        elif group_by == "programme":
            key, label = st.programme_code, st.programme_name
        elif group_by == "network":
            key, label = "*", "*"
        else:
            raise ValueError(group_by)
        groups[key].append(figures)
        labels[key] = label
    if group_by == "network" and not groups:
        groups["*"] = []
        labels["*"] = "*"
    return [
        OccupancyRow(
            key=k,
            label=labels[k],
            **vars(_summed(groups[k])),
            province=k if group_by == "province" else "",
            programme_code=k if group_by == "programme" else "",
        )
        for k in sorted(groups)
    ]


def _days_between(start, end, dialect: str):  # type: ignore[no-untyped-def]
    """Number of nights from ``start`` to ``end`` as an SQL expression."""
    if dialect == "sqlite":
        return func.cast(func.julianday(end) - func.julianday(start), e.Integer)
    return end - start


def occupancy_rate(
    db: Database,
    start: dt.date,
    end: dt.date,
    *,
    province: str | None = None,
    programme_code: str | None = None,
    structure_id: int | None = None,
) -> tuple[int, int, float | None]:
    """Occupied bed-nights, capacity-nights and their ratio over ``[start, end)``."""
    if end <= start:
        return 0, 0, None
    with db.read() as s:
        dialect = db.backend
        ids = _structure_filter(
            select(e.Structure.id).join(e.Programme, e.Programme.id == e.Structure.programme_id),
            province,
            programme_code,
            structure_id,
        ).subquery()
        lo = (
            func.max(e.BedStay.start_date, literal(start))
            if dialect == "sqlite"
            else func.greatest(e.BedStay.start_date, literal(start))
        )
        hi_end = func.coalesce(e.BedStay.end_date, literal(end))
        hi = (
            func.min(hi_end, literal(end))
            if dialect == "sqlite"
            else func.least(hi_end, literal(end))
        )
        nights = (
            s.scalar(
                select(func.coalesce(func.sum(_days_between(lo, hi, dialect)), 0))
                .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
                .join(e.Room, e.Room.id == e.Bed.room_id)
                .where(
                    e.Room.structure_id.in_(select(ids.c.id)),
                    e.BedStay.cancelled.is_(False),
                    e.BedStay.start_date < end,
                    or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > start),
                )
            )
            or 0
        )
        periods = s.execute(
            select(
                e.CapacityPeriod.structure_id,
                e.CapacityPeriod.valid_from,
                e.CapacityPeriod.places,
                e.Structure.opened_on,
                e.Structure.closed_on,
            )
            .join(e.Structure, e.Structure.id == e.CapacityPeriod.structure_id)
            .where(
                e.CapacityPeriod.structure_id.in_(select(ids.c.id)),
                e.CapacityPeriod.valid_from < end,
            )
            .order_by(e.CapacityPeriod.structure_id, e.CapacityPeriod.valid_from)
        ).all()
    cap_nights = 0
    by_structure: dict[int, list] = defaultdict(list)
    for row in periods:
        by_structure[row[0]].append(row)
    for rows in by_structure.values():
        for i, (_sid, vf, places, opened, closed) in enumerate(rows):
            nxt = rows[i + 1][1] if i + 1 < len(rows) else end
            a = max(vf, start, opened)
            b = min(nxt, end, closed or end)
            if b > a:
                cap_nights += places * (b - a).days
    return int(nights), cap_nights, (int(nights) / cap_nights if cap_nights else None)


def who_is_where(
    db: Database,
    day: dt.date,
    *,
    structure_id: int | None = None,
    programme_code: str | None = None,
    province: str | None = None,
    household_id: int | None = None,
) -> list[PresenceRow]:
    with db.read() as s:
        return _presence(
            s,
            day,
            structure_id=structure_id,
            programme_code=programme_code,
            province=province,
            household_id=household_id,
        )


def _presence(s: Session, day: dt.date, **filters) -> list[PresenceRow]:  # type: ignore[no-untyped-def]
    # Plain columns, not entities: no identity map to fill for rows thrown away at once.
    stmt = (
        select(
            e.BedStay.id,
            e.BedStay.bed_id,
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
            e.Bed.label,
            e.Room.name,
            e.Structure.id,
            e.Structure.code,
            e.Structure.name,
            e.Structure.province,
            e.Programme.code,
        )
        .join(e.Person, e.Person.id == e.BedStay.person_id)
        .join(e.Placement, e.Placement.id == e.BedStay.placement_id)
        .join(e.Household, e.Household.id == e.Placement.household_id)
        .outerjoin(e.HouseholdMember, e.HouseholdMember.person_id == e.Person.id)
        .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .join(e.Structure, e.Structure.id == e.Room.structure_id)
        .join(e.Programme, e.Programme.id == e.Structure.programme_id)
        .where(live_stay_clause(day))
        .order_by(e.Structure.code, e.Room.name, e.Bed.label)
    )
    if filters.get("structure_id") is not None:
        stmt = stmt.where(e.Structure.id == filters["structure_id"])
    if filters.get("programme_code"):
        stmt = stmt.where(e.Programme.code == filters["programme_code"])
    if filters.get("province"):
        stmt = stmt.where(e.Structure.province == filters["province"].upper())
    if filters.get("household_id") is not None:
        stmt = stmt.where(e.Household.id == filters["household_id"])
    out = []
    for (
        stay_id,
        bed_id,
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
        bed_label,
        room_name,
        sid,
        scode,
        sname,
        province,
        prog_code,
    ) in s.execute(stmt):
        out.append(
            PresenceRow(
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
                bed_label=bed_label,
                room_name=room_name,
                structure_id=sid,
                structure_code=scode,
                structure_name=sname,
                province=province,
                programme_code=prog_code,
            )
        )
    return out


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
        .where(e.Room.structure_id == sid)
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


def _sheet(conn: Any, structure_id: int, day: dt.date) -> tuple[StructureSheet, Any]:
    """The sheet of a structure on ``day`` and its StructureInfo, in two statements."""
    from . import results as r
    from .errors import NotFoundError
    from .i18n import _

    stmts = _structure_statements()
    params = {"sid": structure_id, "day": day}
    row = conn.execute(stmts["structure"], params).first()
    if row is None:
        raise NotFoundError(_("The record no longer exists (it may have been removed)."))
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
    ) in conn.execute(stmts["beds"], params):
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
    free = max(0, min(capacity, len(lines) - out) - occupied - reserved)
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


def structure_sheet(db: Database, structure_id: int, day: dt.date) -> StructureSheet:
    """Every bed of a structure by room on ``day``, with its occupant and the totals."""
    with db.read() as s:
        return _sheet(s.connection(), structure_id, day)[0]


def structure_page(db: Database, structure_id: int, day: dt.date) -> StructurePage:
    """The sheet on ``day``, the capacity history, the outages and the structure's details:
    four statements in one read transaction, whatever the size of the network."""
    from . import results as r

    with db.read() as s:
        conn = s.connection()
        sheet, info = _sheet(conn, structure_id, day)
        stmts = _structure_statements()
        capacity = [
            r.CapacityInfo(*row) for row in conn.execute(stmts["capacity"], {"sid": structure_id})
        ]
        outages = [
            BedOutageRow(*row) for row in conn.execute(stmts["outages"], {"sid": structure_id})
        ]
    return StructurePage(sheet, capacity, outages, info)


_PRESENCE_STATEMENTS: dict[tuple[bool, bool], Any] = {}


def presence_days(
    db: Database,
    year: int,
    month: int,
    *,
    structure_id: int | None = None,
    programme_code: str | None = None,
) -> list[PresenceDays]:
    """Registro presenze: for each person, the nights of ``month`` covered by a stay."""
    first = dt.date(year, month, 1)
    last_day = calendar.monthrange(year, month)[1]
    after = first + dt.timedelta(days=last_day)
    shape = (structure_id is not None, bool(programme_code))
    stmt = _PRESENCE_STATEMENTS.get(shape)
    if stmt is None:  # built once per shape, like the occupancy statement
        first_p, after_p = bindparam("first", type_=Date), bindparam("after", type_=Date)
        stmt = (
            select(
                e.BedStay.start_date,
                e.BedStay.end_date,
                e.Person.id,
                e.Person.code,
                e.Person.first_name,
                e.Person.last_name,
                e.Person.alias,
                e.Structure.code,
            )
            .join(e.Person, e.Person.id == e.BedStay.person_id)
            .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
            .join(e.Room, e.Room.id == e.Bed.room_id)
            .join(e.Structure, e.Structure.id == e.Room.structure_id)
            .where(
                e.BedStay.cancelled.is_(False),
                e.BedStay.start_date < after_p,
                or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > first_p),
            )
        )
        if shape[0]:
            stmt = stmt.where(e.Structure.id == bindparam("structure_id", type_=Integer))
        if shape[1]:
            stmt = (
                stmt.join(e.Placement, e.Placement.id == e.BedStay.placement_id)
                .join(e.Programme, e.Programme.id == e.Placement.programme_id)
                .where(e.Programme.code == bindparam("programme_code"))
            )
        _PRESENCE_STATEMENTS[shape] = stmt
    params: dict[str, Any] = {"first": first, "after": after}
    if structure_id is not None:
        params["structure_id"] = structure_id
    if programme_code:
        params["programme_code"] = programme_code
    with db.read() as s:
        rows = s.connection().execute(stmt, params).all()
    people: dict[int, dict] = {}
    for start, end, pid, code, first_name, last_name, alias, scode in rows:
        entry = people.setdefault(
            pid,
            {
                "code": code,
                "first": first_name,
                "last": last_name,
                "alias": alias,
                "structures": [],
                "days": set(),
            },
        )
        if scode not in entry["structures"]:
            entry["structures"].append(scode)
        a = max(start, first)
        b = min(end or after, after)
        entry["days"].update(range(a.day, a.day + (b - a).days))
    result = [
        PresenceDays(
            pid,
            v["code"],
            v["first"],
            v["last"],
            v["alias"],
            tuple(v["structures"]),
            frozenset(v["days"]),
        )
        for pid, v in people.items()
    ]
    result.sort(key=lambda x: (x.last_name.lower(), x.first_name.lower(), x.person_code))
    return result


def expiring_placements(
    db: Database,
    day: dt.date,
    within_days: int = 30,
    *,
    province: str | None = None,
    programme_code: str | None = None,
    structure_id: int | None = None,
) -> list[ExpiringPlacement]:
    """Placements running on ``day`` whose planned end falls within ``within_days`` of it."""
    from sqlalchemy.orm import aliased

    limit = day + dt.timedelta(days=within_days)
    # The household's reference person in the same statement, as plain columns: the
    # dashboard lists some 1,800 placements nationally.
    ref_member = aliased(e.HouseholdMember)
    ref = aliased(e.Person)
    stmt = (
        select(
            e.Placement.id,
            e.Placement.household_id,
            e.Placement.entry_date,
            e.Placement.planned_end,
            e.Household.code,
            e.Structure.code,
            e.Structure.name,
            e.Programme.code,
            ref.last_name,
            ref.first_name,
            ref.code,
            func.count(e.BedStay.id),
        )
        .join(e.Household, e.Household.id == e.Placement.household_id)
        .join(e.Programme, e.Programme.id == e.Placement.programme_id)
        .join(e.BedStay, e.BedStay.placement_id == e.Placement.id)
        .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .join(e.Structure, e.Structure.id == e.Room.structure_id)
        .outerjoin(
            ref_member,
            and_(
                ref_member.household_id == e.Placement.household_id,
                ref_member.relationship_ == e.Relationship.REFERENCE,
            ),
        )
        .outerjoin(ref, ref.id == ref_member.person_id)
        .where(
            # Not only the active ones: on a past date, a placement that has ended
            # since was still running then (the live stay below says it was).
            e.Placement.status != e.PlacementStatus.CANCELLED,
            e.Placement.planned_end.is_not(None),
            e.Placement.planned_end >= day,
            e.Placement.planned_end <= limit,
            live_stay_clause(day),
        )
        .group_by(
            e.Placement.id,
            e.Household.code,
            e.Structure.code,
            e.Structure.name,
            e.Programme.code,
            ref.id,
        )
        .order_by(e.Placement.planned_end, e.Household.code)
    )
    stmt = _structure_filter(stmt, province, programme_code, structure_id)
    with db.read() as s:
        rows = s.execute(stmt).all()
    return [
        ExpiringPlacement(
            placement_id=pid,
            household_id=hid,
            household_code=hcode,
            reference_name=f"{last} {first}" if rcode is not None else "",
            reference_code=rcode or "",
            programme_code=pcode,
            structure_code=scode,
            structure_name=sname,
            entry_date=entry,
            planned_end=planned_end,
            days_left=(planned_end - day).days,
            people=count,
        )
        for pid, hid, entry, planned_end, hcode, scode, sname, pcode, last, first, rcode, count in rows
    ]


def person_history(db: Database, person_id: int) -> list:
    """Every stay of a person, oldest first, cancelled ones included and marked."""
    from . import convert

    with db.read() as s:
        stays = s.scalars(
            select(e.BedStay)
            .where(e.BedStay.person_id == person_id)
            .order_by(e.BedStay.start_date, e.BedStay.id)
        ).all()
        return [convert.stay(x) for x in stays]


def placements_of_household(db: Database, household_id: int) -> list:
    from . import convert

    with db.read() as s:
        return [
            convert.placement(p)
            for p in s.scalars(
                select(e.Placement)
                .where(e.Placement.household_id == household_id)
                .order_by(e.Placement.entry_date)
            )
        ]


def search_people(db: Database, text: str, *, limit: int = 200, offset: int = 0) -> list:
    """People whose name, alias, code or citizenship contains every word of ``text``.

    ``offset`` skips the first matches, for lists that load a page at a time.
    """
    from . import convert

    words = [w for w in text.lower().split() if w]
    with db.read() as s:
        stmt = (
            select(e.Person, e.HouseholdMember)
            .outerjoin(e.HouseholdMember, e.HouseholdMember.person_id == e.Person.id)
            .order_by(e.Person.last_name, e.Person.first_name, e.Person.id)
            .limit(limit)
            .offset(offset)
        )
        for w in words:
            stmt = stmt.where(e.Person.search_text.contains(w, autoescape=True))
        return [convert.person(p, m) for p, m in s.execute(stmt)]


def list_programmes(db: Database) -> list:
    from . import convert

    with db.read() as s:
        return [
            convert.programme(p) for p in s.scalars(select(e.Programme).order_by(e.Programme.code))
        ]


def list_structures(
    db: Database, *, programme_id: int | None = None, province: str | None = None
) -> list:
    from . import results as r

    # Plain columns, not entities: the navigation tree lists all 8,000 structures of the
    # national network at start, and loading them as objects took three times as long.
    stmt = (
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
        )
        .join(e.Programme, e.Programme.id == e.Structure.programme_id)
        .order_by(e.Structure.province, e.Structure.code)
    )
    if programme_id is not None:
        stmt = stmt.where(e.Structure.programme_id == programme_id)
    if province:
        stmt = stmt.where(e.Structure.province == province.upper())
    targets_of: dict[str, frozenset[str]] = {}
    out = []
    with db.read() as s:
        for (
            sid,
            code,
            name,
            pid,
            pcode,
            pname,
            kind,
            holder,
            address,
            comune,
            prov,
            groups,
            confidential,
            opened_on,
            closed_on,
            version,
        ) in s.execute(stmt):
            targets = targets_of.get(groups)
            if targets is None:
                targets = targets_of[groups] = frozenset(t for t in groups.split(",") if t)
            out.append(
                r.StructureInfo(
                    id=sid,
                    code=code,
                    name=name,
                    programme_id=pid,
                    programme_code=pcode,
                    programme_name=pname,
                    programme_kind=kind.value,
                    holder=holder,
                    address=address,
                    comune=comune,
                    province=prov,
                    targets=targets,
                    confidential=confidential,
                    opened_on=opened_on,
                    closed_on=closed_on,
                    version=version,
                )
            )
    return out


def capacity_history(db: Database, structure_id: int) -> list:
    from . import convert

    with db.read() as s:
        return [
            convert.capacity(c)
            for c in s.scalars(
                select(e.CapacityPeriod)
                .where(e.CapacityPeriod.structure_id == structure_id)
                .order_by(e.CapacityPeriod.valid_from)
            )
        ]


def household(db: Database, household_id: int):  # type: ignore[no-untyped-def]
    from . import convert
    from .errors import NotFoundError
    from .i18n import _

    with db.read() as s:
        h = s.get(e.Household, household_id)
        if h is None:
            raise NotFoundError(_("The record no longer exists (it may have been removed)."))
        return convert.household(h)


def structure_by_code(db: Database, code: str):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import joinedload

    from . import convert

    with db.read() as s:
        st = s.scalar(
            select(e.Structure)
            .options(joinedload(e.Structure.programme))
            .where(e.Structure.code == code)
        )
        return convert.structure(st) if st else None


def provinces(db: Database) -> list[str]:
    with db.read() as s:
        return list(
            s.scalars(select(e.Structure.province).distinct().order_by(e.Structure.province))
        )


def monthly_occupancy(
    db: Database, end: dt.date, months: int = 12, **filters
) -> list[tuple[dt.date, float | None]]:  # type: ignore[no-untyped-def]
    """Occupancy rate of each of the last ``months`` calendar months up to ``end``.

    The same figures as ``occupancy_rate`` month by month, counted with one grouped
    statement over the bed stays (the dashboard's chart at national scale).
    """
    y, m = end.year, end.month
    points = []
    for _i in range(months):
        points.append((y, m))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    bounds = []
    for y, m in reversed(points):
        start = dt.date(y, m, 1)
        stop = dt.date(y + (m == 12), (m % 12) + 1, 1)
        bounds.append((start, min(stop, end + dt.timedelta(days=1))))
    nights, capacity = _period_nights(db, bounds, **filters)
    return [
        (a, nights[i] / capacity[i] if capacity[i] else None) for i, (a, _b) in enumerate(bounds)
    ]


def _period_nights(
    db: Database,
    bounds: list[tuple[dt.date, dt.date]],
    *,
    province: str | None = None,
    programme_code: str | None = None,
    structure_id: int | None = None,
) -> tuple[list[int], list[int]]:
    """Occupied bed-nights and capacity-nights of each ``[start, stop)`` in ``bounds``."""
    from sqlalchemy import Date

    if not bounds:
        return [], []
    first, last = bounds[0][0], bounds[-1][1]
    dialect = db.backend
    with db.read() as s:
        ids = _structure_filter(
            select(e.Structure.id).join(e.Programme, e.Programme.id == e.Structure.programme_id),
            province,
            programme_code,
            structure_id,
        ).subquery()
        # One scan of the stays that touch the whole range, with one sum per period:
        # nights of a stay inside [a, b) = max(0, min(end or b, b) - max(start, a)).
        # The stays are found in two halves (open; ending after ``first``) that the
        # (end_date, start_date) index answers without walking the older history.
        # Each stay's start and end as day numbers from ``first``, computed once per stay
        # (not once per month): the sums below are then plain arithmetic.
        lf, ll = literal(first, Date), literal(last, Date)
        end_or_last = func.coalesce(e.BedStay.end_date, ll)
        if dialect == "sqlite":
            day_of = (
                _days_between(lf, e.BedStay.start_date, dialect),
                _days_between(lf, end_or_last, dialect),
            )
        else:
            day_of = (e.BedStay.start_date - lf, end_or_last - lf)
        cols = (e.BedStay.bed_id, day_of[0].label("d0"), day_of[1].label("d1"))
        touching = union_all(
            select(*cols).where(
                e.BedStay.cancelled.is_(False),
                e.BedStay.end_date.is_(None),
                e.BedStay.start_date < last,
            ),
            select(*cols).where(
                e.BedStay.cancelled.is_(False),
                e.BedStay.end_date > first,
                e.BedStay.start_date < last,
            ),
        ).subquery()
        d0, d1 = touching.c.d0, touching.c.d1
        sums = []
        for a, b in bounds:
            la, lb = literal((a - first).days), literal((b - first).days)
            # CASE rather than SQLite's min()/max(): twelve sums over every stay of the
            # year, and a function call costs more than the arithmetic.
            hi = case((d1 < lb, d1), else_=lb)
            lo = case((d0 > la, d0), else_=la)
            sums.append(func.coalesce(func.sum(case((hi > lo, hi - lo), else_=0)), 0))
        if not (province or programme_code or structure_id is not None):
            totals = s.execute(select(*sums).select_from(touching)).one()  # the whole network
        else:
            totals = s.execute(
                select(*sums)
                .select_from(touching)
                .join(e.Bed, e.Bed.id == touching.c.bed_id)
                .join(e.Room, e.Room.id == e.Bed.room_id)
                .where(e.Room.structure_id.in_(select(ids.c.id)))
            ).one()
        capacity_rows = s.execute(
            select(
                e.CapacityPeriod.structure_id,
                e.CapacityPeriod.valid_from,
                e.CapacityPeriod.places,
                e.Structure.opened_on,
                e.Structure.closed_on,
            )
            .join(e.Structure, e.Structure.id == e.CapacityPeriod.structure_id)
            .where(
                e.CapacityPeriod.structure_id.in_(select(ids.c.id)),
                e.CapacityPeriod.valid_from < last,
            )
            .order_by(e.CapacityPeriod.structure_id, e.CapacityPeriod.valid_from)
        ).all()
    nights = [int(n or 0) for n in totals]
    capacity = [0] * len(bounds)
    by_structure: dict[int, list] = defaultdict(list)
    for row in capacity_rows:
        by_structure[row[0]].append(row)
    for per in by_structure.values():
        for j, (_sid, vf, places, opened, closed) in enumerate(per):
            nxt = per[j + 1][1] if j + 1 < len(per) else last
            for i, (start, end) in enumerate(bounds):
                a = max(vf, start, opened)
                b = min(nxt, end, closed or end)
                if b > a:
                    capacity[i] += places * (b - a).days
    return nights, capacity


def stays_of_household(db: Database, household_id: int) -> list:
    """Every bed stay of the household's placements, oldest first, cancelled ones included."""
    from . import convert

    with db.read() as s:
        stays = s.scalars(
            select(e.BedStay)
            .join(e.Placement, e.Placement.id == e.BedStay.placement_id)
            .where(e.Placement.household_id == household_id)
            .order_by(e.BedStay.start_date, e.BedStay.id)
        ).all()
        return [convert.stay(x) for x in stays]


def reservations(
    db: Database,
    *,
    household_id: int | None = None,
    structure_id: int | None = None,
    held_only: bool = True,
    limit: int = 500,
) -> list:
    """Reservations (prenotazioni), the held ones by default, by expected date."""
    from . import convert

    with db.read() as s:
        stmt = (
            select(e.Reservation, e.Structure.code, e.Household.code)
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


def structure_beds(db: Database, structure_id: int) -> list:
    """Every bed of a structure, by room and label."""
    from . import convert

    with db.read() as s:
        beds = s.scalars(
            select(e.Bed)
            .join(e.Room, e.Room.id == e.Bed.room_id)
            .where(e.Room.structure_id == structure_id)
            .order_by(e.Room.name, e.Bed.label)
        ).all()
        return [convert.bed(b) for b in beds]


def change_marker(db: Database) -> int:
    """A number that grows with every change, by any PC: the last audit entry.

    The desktop polls it to refresh its screens when another office PC changed data.
    """
    with db.read() as s:
        return int(s.scalar(select(func.max(e.AuditEntry.id))) or 0)


def free_beds_by_target(
    db: Database,
    day: dt.date,
    *,
    province: str | None = None,
    programme_code: str | None = None,
    structure_id: int | None = None,
) -> list[TargetFreeRow]:
    """For each target group, the free beds of the structures that welcome it.

    A structure for women and families counts its free beds under both groups, as a
    coordinator looking for a bed for either would count them.
    """
    return occupancy_overview(
        db, day, province=province, programme_code=programme_code, structure_id=structure_id
    ).targets


def placement(db: Database, placement_id: int):  # type: ignore[no-untyped-def]
    """One placement (inserimento) with its extensions."""
    from . import convert
    from .errors import NotFoundError
    from .i18n import _

    with db.read() as s:
        p = s.get(e.Placement, placement_id)
        if p is None:
            raise NotFoundError(_("The record no longer exists (it may have been removed)."))
        return convert.placement(p)


def bed_outages(db: Database, structure_id: int) -> list[BedOutageRow]:
    """Every out-of-service period of the structure's beds, latest first."""
    with db.read() as s:
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


def programmes_with_open_structures(db: Database, day: dt.date) -> set[int]:
    """Ids of the programmes that have at least one structure open on ``day``."""
    with db.read() as s:
        return set(s.scalars(select(e.Structure.programme_id).where(_open_on(day)).distinct()))


def occupancy_overview(
    db: Database,
    day: dt.date,
    *,
    province: str | None = None,
    programme_code: str | None = None,
    structure_id: int | None = None,
) -> OccupancyOverview:
    """Occupancy of the selection at ``day``: its total, per province, per programme, and
    the free beds by target group (as ``free_beds_by_target``), counted once."""
    with db.read() as s:
        per_structure = _structure_figures(
            s, day, province, programme_code, structure_id, False, False
        )
    # One pass over the structures (8,000 of them nationally) that only files each one's
    # figures under its groups; each group is then summed column by column. Adding up
    # totals object by object took longer than the statement's fetch.
    provinces: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    programmes: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    programme_names: dict[str, str] = {}
    by_target: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    split_targets: dict[str, list[list[tuple[int, ...]]]] = {}
    for st, figures in per_structure:
        provinces[st[3]].append(figures)
        programmes[st[4]].append(figures)
        programme_names[st[4]] = st[5]
        groups = st[6] or ""
        lists = split_targets.get(groups)
        if lists is None:
            lists = split_targets[groups] = [by_target[t] for t in groups.split(",") if t]
        for filed in lists:
            filed.append(figures)
    total = _summed([figures for _st, figures in per_structure])
    totals = {t: _summed(figures) for t, figures in by_target.items()}
    order = [t.value for t in e.TargetGroup]
    targets = [
        TargetFreeRow(
            target=t,
            structures=totals[t].structures,
            capacity=totals[t].capacity,
            occupied=totals[t].occupied,
            free=totals[t].free,
        )
        for t in sorted(totals, key=lambda t: order.index(t) if t in order else len(order))
    ]
    return OccupancyOverview(
        total=OccupancyRow(key="*", label="*", **vars(total)),
        provinces=[
            OccupancyRow(key=k, label=k, province=k, **vars(_summed(provinces[k])))
            for k in sorted(provinces)
        ],
        programmes=[
            OccupancyRow(
                key=k, label=programme_names[k], programme_code=k, **vars(_summed(programmes[k]))
            )
            for k in sorted(programmes)
        ],
        targets=targets,
    )
