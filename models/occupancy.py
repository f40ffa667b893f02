"""Reads of occupancy figures: at a date by structure, province, programme or the whole
network; rates over a period; the dashboard's overview (``backend.occupancy``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from . import entities as e
from .database import Database, Reading
from .occupancy_counts import (
    ONE_NIGHT,
    _days_between,
    _figures_of,
    _period_nights,
    _structure_figures,
    _structure_figures_statement,
    _structure_filter,
    _summed,
    moved_spans,
)
from .results import (
    OccupancyOverview,
    OccupancyRow,
    OccupancyTotals,
    StructureOccupancyRow,
    TargetFreeRow,
)
from .rules import live_stay_clause, live_stays_first


class Occupancy:
    """Occupancy figures of the network or a selection of it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def at(
        self,
        day: dt.date,
        *,
        group_by: str = "structure",
        province: str | None = None,
        programme_code: str | None = None,
    ) -> list[OccupancyRow]:
        """Occupancy at ``day`` per structure, province, programme, or for the whole network."""
        if group_by == "structure":
            found: list[OccupancyRow] = self.db.read_together(
                self.at_reading(day, province=province, programme_code=programme_code)
            )[0]
            return found
        with self.db.read() as s:
            per_structure = _structure_figures(s, day, province, programme_code, None, False, True)
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

    def at_reading(
        self, day: dt.date, *, province: str | None = None, programme_code: str | None = None
    ) -> Callable[[Session], Reading]:
        """``at`` per structure as a reading, to be sent with others
        (``Database.read_together``)."""

        def rows_of(found: list[list[Any]]) -> list[OccupancyRow]:
            return [
                OccupancyRow(
                    key=st.code,
                    label=st.name,
                    province=st.province,
                    programme_code=st.programme_code,
                    structure_id=st.id,
                    **vars(OccupancyTotals(*figures)),
                )
                for st, figures in _figures_of(found[0])
            ]

        return lambda s: (
            [_structure_figures_statement(s, day, province, programme_code, None, False, True)],
            rows_of,
        )

    def rate(
        self,
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
        if programme_code and moved_spans(self.db, programme_code):
            # Structures moved into or out of it count only over their nights there.
            (nights_moved,), (capacity_moved,) = _period_nights(
                self.db, [(start, end)], province=province, programme_code=programme_code
            )
            return (
                nights_moved,
                capacity_moved,
                nights_moved / capacity_moved if capacity_moved else None,
            )
        with self.db.read() as s:
            dialect = self.db.backend
            ids = _structure_filter(
                select(e.Structure.id).join(
                    e.Programme, e.Programme.id == e.Structure.programme_id
                ),
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
        by_structure: dict[int, list[Any]] = defaultdict(list)
        for row in periods:
            by_structure[row[0]].append(row)
        for rows in by_structure.values():
            for i, (_sid, vf, places, opened, closed) in enumerate(rows):
                nxt = rows[i + 1][1] if i + 1 < len(rows) else end
                a = max(vf, start, opened)
                b = min(nxt, end, closed + ONE_NIGHT if closed else end)
                if b > a:
                    cap_nights += places * (b - a).days
        return int(nights), cap_nights, (int(nights) / cap_nights if cap_nights else None)

    def monthly(
        self,
        end: dt.date,
        months: int = 12,
        *,
        province: str | None = None,
        programme_code: str | None = None,
        structure_id: int | None = None,
    ) -> list[tuple[dt.date, float | None]]:
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
        nights, capacity = _period_nights(
            self.db,
            bounds,
            province=province,
            programme_code=programme_code,
            structure_id=structure_id,
        )
        return [
            (a, nights[i] / capacity[i] if capacity[i] else None)
            for i, (a, _b) in enumerate(bounds)
        ]

    def overview(
        self,
        day: dt.date,
        *,
        province: str | None = None,
        programme_code: str | None = None,
        structure_id: int | None = None,
    ) -> OccupancyOverview:
        """Occupancy of the selection at ``day``: its total, per province, per programme,
        the free beds by target group (as ``free_beds_by_target``), counted once, and each
        structure with its figures and the nearest end among its placements."""
        found: OccupancyOverview = self.db.read_together(
            self.overview_reading(
                day, province=province, programme_code=programme_code, structure_id=structure_id
            )
        )[0]
        return found

    def overview_reading(
        self,
        day: dt.date,
        *,
        province: str | None = None,
        programme_code: str | None = None,
        structure_id: int | None = None,
    ) -> Callable[[Session], Reading]:
        """``overview`` as a reading, to be sent with others (``Database.read_together``)."""

        def reading(s: Session) -> Reading:
            return [
                _structure_figures_statement(
                    s, day, province, programme_code, structure_id, False, False
                ),
                _next_ends_statement(s, day, province, programme_code, structure_id),
            ], lambda rows: self._overview(_figures_of(rows[0]), _next_ends_of(rows[1]))

        return reading

    def _overview(
        self,
        per_structure: Sequence[tuple[Any, tuple[int, ...]]],
        next_ends: dict[int, dt.date],
    ) -> OccupancyOverview:
        # One pass over the structures files each one's figures under its groups; each
        # group is then summed column by column rather than object by object.
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
                    key=k,
                    label=programme_names[k],
                    programme_code=k,
                    **vars(_summed(programmes[k])),
                )
                for k in sorted(programmes)
            ],
            targets=targets,
            structures=sorted(
                (
                    StructureOccupancyRow(
                        structure_id=st[0],
                        code=st[1],
                        name=st[2],
                        province=st[3],
                        programme_code=st[4],
                        target_groups=tuple(t for t in (st[6] or "").split(",") if t),
                        capacity=figures[0],
                        occupied=figures[2],
                        reserved=figures[3],
                        out_of_service=figures[4],
                        free=figures[5],
                        next_end=next_ends.get(st[0]),
                    )
                    for st, figures in per_structure
                ),
                key=lambda r: (r.province, r.programme_code, r.code),
            ),
        )

    def free_by_target(
        self,
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
        return self.overview(
            day, province=province, programme_code=programme_code, structure_id=structure_id
        ).targets


def _next_ends_statement(
    s: Session,
    day: dt.date,
    province: str | None,
    programme_code: str | None,
    structure_id: int | None,
) -> Any:
    """Per structure, the nearest end in sight among the placements living there on
    ``day``: a planned end, or the end of a stay recorded ahead (a scheduled exit or
    transfer). One grouped statement for the whole selection (``_next_ends_of``)."""
    stmt = (
        select(
            e.Room.structure_id,
            func.min(e.Placement.planned_end),
            func.min(e.BedStay.end_date),
        )
        .select_from(e.BedStay)
        .join(e.Placement, e.Placement.id == e.BedStay.placement_id)
        .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .where(
            e.Placement.status != e.PlacementStatus.CANCELLED,
            live_stay_clause(day),
            live_stays_first(s, day),
        )
        .group_by(e.Room.structure_id)
    )
    if not (province or programme_code or structure_id is not None):
        return stmt  # the whole network: the room gives the structure, nothing to join
    stmt = stmt.join(e.Structure, e.Structure.id == e.Room.structure_id).join(
        e.Programme, e.Programme.id == e.Structure.programme_id
    )
    return _structure_filter(stmt, province, programme_code, structure_id)


def _next_ends_of(rows: Any) -> dict[int, dt.date]:
    ends: dict[int, dt.date] = {}
    for sid, planned, stay_end in rows:
        known = [d for d in (planned, stay_end) if d is not None]
        if known:
            ends[int(sid)] = min(known)
    return ends
