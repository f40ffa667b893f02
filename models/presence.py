"""Reads of who is where: the people in a bed on a day, the nights of presence of a month
(the presence register), the placements ending soon (``backend.presence``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
    func,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session

from . import entities as e
from .database import Database, Reading
from .occupancy_counts import _structure_filter
from .results import (
    ComingOfAge,
    ExpiringPlacement,
    PresenceDays,
    PresenceRow,
)
from .rules import live_stay_clause, live_stays_first

_PRESENCE_STATEMENTS: dict[tuple[bool, bool], Any] = {}


def _presence(s: Session, day: dt.date, **filters: Any) -> list[PresenceRow]:
    return _presence_rows(s.execute(_presence_statement(day, **filters)), day)


def _presence_statement(day: dt.date, **filters: Any) -> Any:
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
    if filters.get("placement_id") is not None:  # an id, or SQL giving it
        stmt = stmt.where(e.Placement.id == filters["placement_id"])
    return stmt


def _presence_rows(rows: Any, day: dt.date) -> list[PresenceRow]:
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
    ) in rows:
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


class Presence:
    """Who sleeps where, nights of presence and ends of placements."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def who_is_where(
        self,
        day: dt.date,
        *,
        structure_id: int | None = None,
        programme_code: str | None = None,
        province: str | None = None,
        household_id: int | None = None,
    ) -> list[PresenceRow]:
        with self.db.read() as s:
            return _presence(
                s,
                day,
                structure_id=structure_id,
                programme_code=programme_code,
                province=province,
                household_id=household_id,
            )

    def who_is_where_reading(
        self, days: Sequence[dt.date], *, placement_id: Any
    ) -> Callable[[Session], Reading]:
        """For each of ``days``, the people of the placement in a bed that night, as a
        reading (``Database.read_together``): ``placement_id`` an id, or SQL giving it
        (``Directory.placement_id_expression``). One statement a day."""
        wanted = list(days)
        statements = [_presence_statement(d, placement_id=placement_id) for d in wanted]

        def finish(rows: list[list[Any]]) -> dict[dt.date, list[PresenceRow]]:
            return {d: _presence_rows(found, d) for d, found in zip(wanted, rows, strict=True)}

        return lambda _s: (statements, finish)

    def month_nights(
        self,
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
        with self.db.read() as s:
            rows = s.connection().execute(stmt, params).all()
        people: dict[int, dict[str, Any]] = {}
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

    def expiring(
        self,
        day: dt.date,
        within_days: int = 30,
        *,
        province: str | None = None,
        programme_code: str | None = None,
        structure_id: int | None = None,
    ) -> list[ExpiringPlacement]:
        """Placements running on ``day`` whose planned end falls within ``within_days`` of it."""
        reading = self.expiring_reading(
            day,
            within_days,
            province=province,
            programme_code=programme_code,
            structure_id=structure_id,
        )
        return self.db.read_together(reading)[0]  # type: ignore[no-any-return]

    def expiring_reading(
        self,
        day: dt.date,
        within_days: int = 30,
        *,
        province: str | None = None,
        programme_code: str | None = None,
        structure_id: int | None = None,
    ) -> Callable[[Session], Reading]:
        """``expiring`` as a reading, to be sent with others (``Database.read_together``)."""
        from sqlalchemy.orm import aliased

        limit = day + dt.timedelta(days=within_days)
        # The household's reference person in the same statement, as plain columns: the
        # dashboard lists some 1,800 placements nationally.
        ref_member = aliased(e.HouseholdMember)
        ref = aliased(e.Person)
        # The placements that may be listed, found first by the indexes on the dates:
        # those planned to end within the window and those with a stay ending in it. The
        # statement starts from these few thousand, not from every placement.
        candidates = union(
            select(e.Placement.id.label("id")).where(
                e.Placement.planned_end >= day, e.Placement.planned_end <= limit
            ),
            select(e.BedStay.placement_id).where(
                e.BedStay.end_date > day, e.BedStay.end_date <= limit
            ),
        ).subquery()
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
                func.min(e.BedStay.end_date),
                e.Placement.exit_date,
                e.Placement.exit_reason,
            )
            .select_from(candidates)
            .join(e.Placement, e.Placement.id == candidates.c.id)
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
                # The planned end, or an exit or transfer already recorded for a date
                # within the window (uscita o trasferimento programmato).
                or_(
                    and_(e.Placement.planned_end >= day, e.Placement.planned_end <= limit),
                    and_(e.BedStay.end_date.is_not(None), e.BedStay.end_date <= limit),
                ),
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
        )
        stmt = _structure_filter(stmt, province, programme_code, structure_id)

        def finish(found: list[list[Any]]) -> list[ExpiringPlacement]:
            rows: Any = found[0]
            result = []
            for (
                pid,
                hid,
                entry,
                planned_end,
                hcode,
                scode,
                sname,
                pcode,
                last,
                first,
                rcode,
                count,
                stay_end,
                exit_date,
                exit_reason,
            ) in rows:
                kind = "planned_end"
                end = planned_end
                if stay_end is not None and stay_end <= limit and (end is None or stay_end < end):
                    end = stay_end
                    whole_exit = (
                        exit_date == stay_end and exit_reason != e.ExitReason.TRANSFER_OTHER_PROJECT
                    )
                    kind = "exit" if whole_exit else "transfer"
                if end is None or end > limit:
                    continue
                result.append(
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
                        planned_end=end,
                        days_left=(end - day).days,
                        people=count,
                        kind=kind,
                    )
                )
            result.sort(key=lambda x: (x.planned_end, x.household_code))
            return result

        return lambda _s: ([stmt], finish)

    def coming_of_age(
        self,
        day: dt.date,
        within_days: int = 60,
        *,
        province: str | None = None,
        programme_code: str | None = None,
        structure_id: int | None = None,
    ) -> list[ComingOfAge]:
        """``coming_of_age_reading`` read alone (see there)."""
        reading = self.coming_of_age_reading(
            day,
            within_days,
            province=province,
            programme_code=programme_code,
            structure_id=structure_id,
        )
        return self.db.read_together(reading)[0]  # type: ignore[no-any-return]

    def coming_of_age_reading(
        self,
        day: dt.date,
        within_days: int = 60,
        *,
        province: str | None = None,
        programme_code: str | None = None,
        structure_id: int | None = None,
    ) -> Callable[[Session], Reading]:
        """People in a bed of an MSNA programme on ``day`` who were minors when placed and
        turn 18 within ``within_days``, or have turned 18 and are still there
        (neomaggiorenni), soonest birthday first. One statement."""
        limit = day + dt.timedelta(days=within_days)
        # Born on or before this day, they are 18 by ``limit``.
        born_by = eighteenth_birthday(limit, back=True)
        extended = (
            select(func.count(e.Extension.id))
            .where(e.Extension.placement_id == e.Placement.id)
            .correlate(e.Placement)
            .scalar_subquery()
        )
        stmt = (
            select(
                e.Person.id,
                e.Person.code,
                e.Person.last_name,
                e.Person.first_name,
                e.Person.alias,
                e.Person.birth_date,
                e.Placement.id,
                e.Placement.household_id,
                e.Household.code,
                e.Programme.code,
                e.Structure.code,
                e.Structure.name,
                e.Placement.entry_date,
                e.Placement.planned_end,
                extended,
            )
            .join(e.BedStay, e.BedStay.person_id == e.Person.id)
            .join(e.Placement, e.Placement.id == e.BedStay.placement_id)
            .join(e.Household, e.Household.id == e.Placement.household_id)
            .join(e.Programme, e.Programme.id == e.Placement.programme_id)
            .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
            .join(e.Room, e.Room.id == e.Bed.room_id)
            .join(e.Structure, e.Structure.id == e.Room.structure_id)
            .where(
                e.Programme.sai_category == e.SaiCategory.MSNA,
                e.Placement.status != e.PlacementStatus.CANCELLED,
                e.Person.birth_date.is_not(None),
                e.Person.birth_date <= born_by,
                live_stay_clause(day),
            )
        )
        stmt = _structure_filter(stmt, province, programme_code, structure_id)

        def finish(found: list[list[Any]]) -> list[ComingOfAge]:
            rows: Any = found[0]
            result = []
            for (
                pid,
                pcode,
                last,
                first,
                alias,
                birth,
                placement_id,
                hid,
                hcode,
                prog,
                scode,
                sname,
                entry,
                planned_end,
                extensions,
            ) in rows:
                eighteenth = eighteenth_birthday(birth)
                if eighteenth <= entry:
                    continue  # an adult when placed: not a minor coming of age here
                name = f"{last} {first}".strip() or alias
                result.append(
                    ComingOfAge(
                        person_id=pid,
                        person_code=pcode,
                        name=name,
                        birth_date=birth,
                        eighteenth=eighteenth,
                        placement_id=placement_id,
                        household_id=hid,
                        household_code=hcode,
                        programme_code=prog,
                        structure_code=scode,
                        structure_name=sname,
                        planned_end=planned_end,
                        rule_end=add_months(eighteenth, ADULT_MONTHS),
                        extended=bool(extensions),
                    )
                )
            result.sort(key=lambda x: (x.eighteenth, x.person_code))
            return result

        return lambda s: ([stmt.where(live_stays_first(s, day))], finish)


# After the 18th birthday an MSNA placement runs on for six months (SAI rules), unless
# the placement is extended.
ADULT_MONTHS = 6


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def eighteenth_birthday(day: dt.date, *, back: bool = False) -> dt.date:
    """The 18th birthday of someone born on ``day`` (29 February: 28 February), or with
    ``back`` the latest birth date of someone who is 18 on ``day``."""
    return add_months(day, -216 if back else 216)
