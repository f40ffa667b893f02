"""The counting statements behind every occupancy figure: per structure on a day
(places in force, beds, occupied, reserved, out of service, free) and bed-nights over
a period, each in a fixed number of grouped statements whatever the size of the network.

The definition of free places (``places.free_places``) is applied here: places in force,
less occupied, reserved and out-of-service beds, never more than the beds in service.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

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
from .database import Database, Reading, collection_deferred
from .places import free_places
from .results import (
    OccupancyTotals,
)

# Built once per shape of selection: building the statement cost more than running it
# on a small network (the dashboard is reloaded at every click).
S = TypeVar("S", bound=Select[*tuple[Any, ...]])  # a select of any columns

_COUNTS_STATEMENTS: dict[tuple[bool, bool, bool, bool, bool, bool], Any] = {}


# The morning after a closing date: a closing date is the last night open (DESIGN.md).
ONE_NIGHT = dt.timedelta(days=1)


def _structure_filter(
    stmt: S, province: str | None, programme_code: str | None, structure_id: int | None
) -> S:
    if province:
        stmt = stmt.where(e.Structure.province == province.upper())
    if programme_code:
        stmt = stmt.where(e.Programme.code == programme_code)
    if structure_id is not None:
        stmt = stmt.where(e.Structure.id == structure_id)
    return stmt


def programme_on(day: Any) -> Any:
    """The id of the programme structure ``e.Structure`` counts under on the night of
    ``day``: the programme it left at its first move after that night, otherwise its
    present one (``e.StructureMove``). A structure never moved has no move to look up."""
    before_move = (
        select(e.StructureMove.from_programme_id)
        .where(e.StructureMove.structure_id == e.Structure.id, e.StructureMove.moved_on > day)
        .order_by(e.StructureMove.moved_on)
        .limit(1)
        .correlate(e.Structure)
        .scalar_subquery()
    )
    return func.coalesce(before_move, e.Structure.programme_id)


def bed_in_service(day: Any) -> Any:
    """The bed ``e.Bed`` is not retired on the night of ``day``."""
    return or_(e.Bed.retired_on.is_(None), e.Bed.retired_on > day)


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


def _open_on(day: Any) -> Any:
    """The structure is open on the night of ``day``: its closing date, as people say it,
    is its last day open (DESIGN.md)."""
    return and_(
        e.Structure.opened_on <= day,
        or_(e.Structure.closed_on.is_(None), e.Structure.closed_on >= day),
    )


def _taking_people(day: Any) -> Any:
    """Open on the night of ``day``, in a programme running then: places can be free."""
    return and_(
        _open_on(day),
        e.Programme.start_date <= day,
        or_(e.Programme.end_date.is_(None), e.Programme.end_date >= day),
    )


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
    is looked up in the index of open stays. For an older day, when most stays live then
    have ended since, the live stays are gathered once and joined to the beds.
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
    # Beds are counted per structure id alone, then joined to the structures, so that the
    # names and codes are not carried through the aggregate bed by bed.
    if recent:
        per_structure: Any = select(
            e.Room.structure_id.label("structure_id"),
            func.count(e.Bed.id).label("beds"),
            func.sum(case((_bed_occupied(e.Bed.id, day), 1), else_=0)).label("occupied"),
        ).join(e.Bed, and_(e.Bed.room_id == e.Room.id, bed_in_service(day)))
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
            .where(~_bed_occupied(flagged.c.bed_id, day), bed_in_service(day))
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
            .join(e.Bed, and_(e.Bed.room_id == e.Room.id, bed_in_service(day)))
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
        per_structure = per_structure.join_from(
            e.Structure, e.Programme, e.Programme.id == programme_on(day)
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
            case((_taking_people(day), 1), else_=0),
        )
        .join_from(e.Structure, e.Programme, e.Programme.id == programme_on(day))
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
    stmt, params = _structure_figures_statement(
        s, day, province, programme_code, structure_id, include_closed, ordered
    )
    return _figures_of(s.connection().execute(stmt, params).all())


def _figures_of(rows: Any) -> list[tuple[Any, tuple[int, int, int, int, int, int, int]]]:
    with collection_deferred():
        return _figures(rows)  # one fetch rather than row by row


def _structure_figures_statement(
    s: Session,
    day: dt.date,
    province: str | None,
    programme_code: str | None,
    structure_id: int | None,
    include_closed: bool,
    ordered: bool,
) -> tuple[Any, dict[str, Any]]:
    """The statement of ``_structure_figures`` and its parameters."""
    # The lookup per bed pays on SQLite only: PostgreSQL's hash joins do the gathered
    # shape well for every day.
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
    return stmt, params


def _figures(result: Any) -> list[tuple[Any, tuple[int, int, int, int, int, int, int]]]:
    """Each structure row with its figures in the order of ``OccupancyTotals``' fields:
    capacity, beds, occupied, reserved, out of service, free, and 1 structure."""
    rows = []
    for st in result:  # Core rows: no ORM result processing
        # By position: 8,000 rows nationally, and a row's attribute lookup is slower.
        capacity, beds, occupied = st[7] or 0, st[8], st[9]
        reserved, out = int(st[10] or 0), int(st[11] or 0)
        free = free_places(capacity, beds, occupied, reserved, out, bool(st[12]))
        rows.append((st, (capacity, beds, occupied, reserved, out, free, 1)))
    return rows


def _summed(figures: list[tuple[int, ...]]) -> OccupancyTotals:
    """The totals of a group of structures' figures (``_figures``), column by column."""
    return OccupancyTotals(*map(sum, zip(*figures, strict=True))) if figures else OccupancyTotals()


def _days_between(start: Any, end: Any, dialect: str) -> Any:
    """Number of nights from ``start`` to ``end`` as an SQL expression."""
    if dialect == "sqlite":
        return func.cast(func.julianday(end) - func.julianday(start), Integer)
    return end - start


def _period_nights(
    db: Database,
    bounds: list[tuple[dt.date, dt.date]],
    *,
    province: str | None = None,
    programme_code: str | None = None,
    structure_id: int | None = None,
) -> tuple[list[int], list[int]]:
    """Occupied bed-nights and capacity-nights of each ``[start, stop)`` in ``bounds``."""
    if not bounds:
        return [], []
    if programme_code:
        spans = moved_spans(db, programme_code)
        if spans:
            return _period_nights_with_moves(db, bounds, province, programme_code, spans)
    return _period_nights_in_place(
        db,
        bounds,
        province=province,
        programme_code=programme_code,
        structure_id=structure_id,
    )


def moved_spans(
    db: Database, programme_code: str
) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
    """The structures that moved into or out of the programme, each with the nights it
    counted under it: ``[(first, last or None)]``. Empty when none ever moved (the
    common case, one short statement)."""
    with db.read() as s:
        pid = s.scalar(select(e.Programme.id).where(e.Programme.code == programme_code))
        if pid is None:
            return {}
        moved = select(e.StructureMove.structure_id).where(
            or_(e.StructureMove.from_programme_id == pid, e.StructureMove.to_programme_id == pid)
        )
        rows = s.execute(
            select(
                e.Structure.id,
                e.Structure.programme_id,
                e.Structure.opened_on,
                e.Structure.closed_on,
                e.StructureMove.from_programme_id,
                e.StructureMove.moved_on,
            )
            .join(e.StructureMove, e.StructureMove.structure_id == e.Structure.id)
            .where(e.Structure.id.in_(moved))
            .order_by(e.Structure.id, e.StructureMove.moved_on)
        ).all()
    by_structure: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_structure[row[0]].append(row)
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    for sid, moves in by_structure.items():
        first: dt.date = moves[0][2]
        periods: list[tuple[int, dt.date, dt.date | None]] = []
        for _sid, _now, _opened, _closed, before, moved_on in moves:
            periods.append((before, first, moved_on - ONE_NIGHT))
            first = moved_on
        periods.append((moves[0][1], first, moves[0][3]))
        spans[sid] = [(a, b) for p, a, b in periods if p == pid]
    return spans


def _period_nights_with_moves(
    db: Database,
    bounds: list[tuple[dt.date, dt.date]],
    province: str | None,
    programme_code: str,
    spans: dict[int, list[tuple[dt.date, dt.date | None]]],
) -> tuple[list[int], list[int]]:
    """``_period_nights`` of a programme some structures moved into or out of: the
    structures never moved as usual, each moved one over the nights it counted there."""
    nights, capacity = _period_nights_in_place(
        db, bounds, province=province, programme_code=programme_code, exclude=set(spans)
    )
    with db.read() as s:
        provinces: dict[int, str] = {
            sid: prov
            for sid, prov in s.execute(
                select(e.Structure.id, e.Structure.province).where(e.Structure.id.in_(list(spans)))
            )
        }
    for sid, ranges in spans.items():
        if province and provinces.get(sid) != province.upper():
            continue
        for first, last in ranges:
            stop = last + ONE_NIGHT if last is not None else None
            clipped = []
            for a, b in bounds:
                lo = max(a, first)
                hi = min(b, stop) if stop is not None else b
                lo = min(lo, hi)
                clipped.append((lo, hi))
            n, c = _period_nights_in_place(db, clipped, structure_id=sid)
            nights = [x + y for x, y in zip(nights, n, strict=True)]
            capacity = [x + y for x, y in zip(capacity, c, strict=True)]
    return nights, capacity


def _period_nights_in_place(
    db: Database,
    bounds: list[tuple[dt.date, dt.date]],
    *,
    province: str | None = None,
    programme_code: str | None = None,
    structure_id: int | None = None,
    exclude: set[int] = frozenset(),  # type: ignore[assignment]
) -> tuple[list[int], list[int]]:
    """``_period_nights`` counting each structure under its present programme."""
    found: tuple[list[int], list[int]] = db.read_together(
        _period_nights_reading(
            bounds,
            province=province,
            programme_code=programme_code,
            structure_id=structure_id,
            exclude=exclude,
        )
    )[0]
    return found


def _period_nights_reading(
    bounds: list[tuple[dt.date, dt.date]],
    *,
    province: str | None = None,
    programme_code: str | None = None,
    structure_id: int | None = None,
    exclude: set[int] = frozenset(),  # type: ignore[assignment]
) -> Callable[[Session], Reading]:
    """``_period_nights`` as a reading: its two statements go together."""
    first, last = bounds[0][0], bounds[-1][1]
    chosen = _structure_filter(
        select(e.Structure.id).join(e.Programme, e.Programme.id == e.Structure.programme_id),
        province,
        programme_code,
        structure_id,
    )
    if exclude:
        chosen = chosen.where(e.Structure.id.not_in(exclude))
    ids = chosen.subquery()
    # The nights are counted night by night from three small answers instead of a sum
    # per period over every stay of the range: the stays live on the first night, and
    # how many stays begin and how many end on each day after it. The nights occupied
    # on a day are those of the day before, plus the stays begun that day, less those
    # ended (a stay ending on a day does not take its night).
    filtered = bool(province or programme_code or structure_id is not None or exclude)

    def stays(*columns: Any) -> Any:
        found = select(*columns).select_from(e.BedStay).where(e.BedStay.cancelled.is_(False))
        if filtered:
            found = (
                found.join(e.Bed, e.Bed.id == e.BedStay.bed_id)
                .join(e.Room, e.Room.id == e.Bed.room_id)
                .where(e.Room.structure_id.in_(select(ids.c.id)))
            )
        return found

    on_first = literal(first, Date)
    totals_stmt = union_all(
        # Live on the first night, in the two halves the (end_date, start_date) index
        # answers directly (open; ending after it).
        stays(literal(0).label("kind"), on_first.label("day"), func.count().label("n")).where(
            e.BedStay.end_date.is_(None), e.BedStay.start_date <= first
        ),
        stays(literal(0), on_first, func.count()).where(
            e.BedStay.end_date > first, e.BedStay.start_date <= first
        ),
        stays(literal(1), e.BedStay.start_date, func.count())
        .where(e.BedStay.start_date > first, e.BedStay.start_date < last)
        .group_by(e.BedStay.start_date),
        stays(literal(2), e.BedStay.end_date, func.count())
        .where(e.BedStay.end_date > first, e.BedStay.end_date < last)
        .group_by(e.BedStay.end_date),
    )
    capacity_stmt = (
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
    )

    def finish(found: list[list[Any]]) -> tuple[list[int], list[int]]:
        changes, capacity_rows = found[0], found[1]
        # What changes on each day: the stays begun less those ended (after the first
        # night, whose stays are counted whole), and the places of the capacity periods
        # in force from that day less those ending (each period until the next one of
        # its structure, within the structure's opening and its closing day).
        live = 0
        stays_on: dict[dt.date, int] = defaultdict(int)
        for kind, day, n in changes:
            if kind == 0:
                live += n
            else:
                stays_on[day] += n if kind == 1 else -n
        places_on: dict[dt.date, int] = defaultdict(int)
        by_structure: dict[int, list[Any]] = defaultdict(list)
        for row in capacity_rows:
            by_structure[row[0]].append(row)
        for per in by_structure.values():
            for j, (_sid, vf, places, opened, closed) in enumerate(per):
                nxt = per[j + 1][1] if j + 1 < len(per) else last
                a = max(vf, first, opened)
                b = min(nxt, last, closed + ONE_NIGHT if closed else last)
                if b > a:
                    places_on[a] += places
                    places_on[b] -= places
        # Night by night, what is occupied and what is in force, summed up to each day;
        # then each period is the difference of its two ends.
        nights_to, places_to = {first: 0}, {first: 0}
        in_force = 0
        day = first
        while day < last:
            if day != first:
                live += stays_on.get(day, 0)
            in_force += places_on.get(day, 0)
            following = day + ONE_NIGHT
            nights_to[following] = nights_to[day] + live
            places_to[following] = places_to[day] + in_force
            day = following
        nights = [nights_to[end] - nights_to[start] for start, end in bounds]
        capacity = [places_to[end] - places_to[start] for start, end in bounds]
        return nights, capacity

    return lambda _s: ([totals_stmt, capacity_stmt], finish)
