"""The rules of DESIGN.md, in one place: every check of a placement, a transfer, a
reservation and of the placement dialog's fit is made here.

- a bed holds one person a night, a person sleeps in one bed a night (``bed_problems``,
  ``assign``; the database enforces both too);
- a structure takes no more people than its places on any night (``capacity_shortfall``);
- the structure's target groups (``target_problem``, overridable with a reason);
- no minor left without an adult of the household, except in MSNA programmes
  (``minor_problem``, never overridable);
- the structure and its programme open on the day (``check_structure_open``).

The functions take the open ``Session`` of the use case that asks, so every check sees
the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Date, Integer, and_, cast, literal, null, or_, select, true, union_all
from sqlalchemy.orm import Session, joinedload

from . import entities as e
from .errors import (
    BedOccupiedError,
    BedOutOfServiceError,
    BedReservedError,
    DomainError,
    NotFoundError,
    PersonAlreadyPlacedError,
    StructureFullError,
    TargetGroupError,
    ValidationError,
)
from .formatting import format_date
from .i18n import _, ngettext
from .labels import target_group_label
from .unit_of_work import get

FAR_FUTURE = dt.date(9999, 12, 31)
# The kinds of a bed's problem rows (bed_problems_statement), in the order they count.
OCCUPIED, OUT_OF_SERVICE, RESERVED, RETIRED = 0, 1, 2, 3


def overlaps(
    a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None
) -> bool:
    return a_start < (b_end or FAR_FUTURE) and b_start < (a_end or FAR_FUTURE)


def live_stay_clause(day: dt.date) -> Any:
    """SQL condition: a bed stay covers the night of ``day``."""
    return and_(
        e.BedStay.cancelled.is_(False),
        e.BedStay.start_date <= day,
        or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > day),
    )


def live_stay_ids(day: dt.date) -> Any:
    """The ids of the stays that cover the night of ``day`` (``live_stay_clause``), as
    two halves an index on (end_date, start_date) answers directly: the open stays and
    those ending after ``day``. Put beside ``live_stay_clause`` as ``BedStay.id.in_(…)``,
    it makes a list over the whole network start from the few thousand stays live that
    night, instead of SQLite walking every bed's whole history."""
    return period_stay_ids(day, day + dt.timedelta(days=1))


def live_stays_first(s: Session, day: dt.date) -> Any:
    """A condition to put beside ``live_stay_clause`` in a list over the whole network:
    on SQLite, ``BedStay.id`` among ``live_stay_ids``, which makes the statement start from
    the stays live that night; on PostgreSQL nothing (its planner combines both halves of
    the dates' index by itself, and the extra condition only slows it down)."""
    return e.BedStay.id.in_(live_stay_ids(day)) if dates_first(s) else true()


class StructureFacts(Protocol):
    """What the rules read of a structure: the entity, or a row of its columns (the
    free-bed finder reads a whole network as plain rows)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def opened_on(self) -> dt.date: ...
    @property
    def closed_on(self) -> dt.date | None: ...
    @property
    def targets(self) -> frozenset[e.TargetGroup]: ...


class ProgrammeFacts(Protocol):
    """What the rules read of a programme: the entity, or a row of its columns."""

    @property
    def code(self) -> str: ...
    @property
    def sai_category(self) -> e.SaiCategory | None: ...
    @property
    def start_date(self) -> dt.date: ...
    @property
    def end_date(self) -> dt.date | None: ...


def period_stay_ids(start: dt.date, until: dt.date | None) -> Any:
    """The ids of the stays not cancelled that cover a night from ``start`` up to the
    night before ``until`` (no end: None), as the two halves an index on (end_date,
    start_date) answers directly, like ``live_stay_ids``: the open stays and those ending
    after ``start``."""
    halves = []
    for ends in (e.BedStay.end_date.is_(None), e.BedStay.end_date > start):
        half = select(e.BedStay.id).where(e.BedStay.cancelled.is_(False), ends)
        if until is not None:
            half = half.where(e.BedStay.start_date < until)
        halves.append(half)
    return union_all(*halves)


def dates_first(s: Session) -> bool:
    """Should a list over the stays of a whole network start from the stays of the
    period (``period_stay_ids``) rather than from each bed's history? On SQLite yes: a
    bed's history is long, the stays of a month are few. PostgreSQL's planner finds its
    way by itself."""
    return bool(s.get_bind().dialect.name == "sqlite")


def household_groups(
    members: Sequence[tuple[e.Person, e.Relationship]], day: dt.date
) -> set[e.TargetGroup]:
    """Target groups a set of people placed together belongs to."""
    adults = [p for p, _rel in members if not p.is_minor_on(day)]
    minors = [p for p, _rel in members if p.is_minor_on(day)]
    groups: set[e.TargetGroup] = set()
    if not adults:
        return {e.TargetGroup.MINORS}
    if minors:
        groups.add(e.TargetGroup.FAMILIES)
        if len(adults) == 1:
            groups.add(e.TargetGroup.SINGLE_PARENT)
        return groups
    if len(adults) > 1:
        groups.add(e.TargetGroup.FAMILIES)
    sexes = {p.sex for p in adults}
    if sexes == {e.Sex.MALE}:
        groups.add(e.TargetGroup.MEN)
    if sexes == {e.Sex.FEMALE}:
        groups.add(e.TargetGroup.WOMEN)
    if len(adults) == 1:
        # Nothing in the record says someone is LGBTQIA+ except a sex other than F/M or
        # a recorded gender identity; anyone else needs the coordinator's reason.
        p = adults[0]
        if p.sex == e.Sex.OTHER or p.gender_identity.strip():
            groups.add(e.TargetGroup.LGBTQIA)
            groups.add(e.TargetGroup.TRANSGENDER)
    return groups


def not_enough_beds_message(structure: str, day: dt.date, count: int) -> str:
    return ngettext(
        "Structure {structure} has no free bed on {date} for {count} person.",
        "Structure {structure} has not enough free beds on {date} for {count} people.",
        count,
    ).format(structure=structure, date=format_date(day), count=count)


def capacity_message(
    structure: str, day: dt.date, occupied: int, capacity: int, needed: int, held: int = 0
) -> str:
    """Why the authorised places are not enough: full, or too few places left for everyone.
    The places left are the free places of the page: places less people and held beds."""
    free = max(capacity - occupied - held, 0)
    held_note = (
        " "
        + ngettext(
            "({count} bed is held by a reservation.)",
            "({count} beds are held by reservations.)",
            held,
        ).format(count=held)
        if held
        else ""
    )
    if free == 0:
        return (
            ngettext(
                "Structure {structure} is full on {date}: {occupied} of {capacity} place is taken.",
                "Structure {structure} is full on {date}: {occupied} of {capacity} places are taken.",
                occupied + held,
            ).format(
                structure=structure,
                date=format_date(day),
                occupied=occupied + held,
                capacity=capacity,
            )
            + held_note
        )
    if occupied + held == 0:
        return ngettext(
            "Structure {structure} has only {capacity} place on {date}: not enough for {count} people.",
            "Structure {structure} has only {capacity} places on {date}: not enough for {count} people.",
            capacity,
        ).format(structure=structure, capacity=capacity, date=format_date(day), count=needed)
    return (
        ngettext(
            "Structure {structure} has {free} of {capacity} places left on {date}: not enough for {count} people.",
            "Structure {structure} has {free} of {capacity} places left on {date}: not enough for {count} people.",
            free,
        ).format(
            structure=structure,
            free=free,
            capacity=capacity,
            date=format_date(day),
            count=needed,
        )
        + held_note
    )


def bed_name(b: e.Bed) -> str:
    return f"{b.room.name} / {b.label}"


def fetch_together(s: Session, statements: Sequence[Any]) -> list[list[Any]]:
    """The rows of each statement, in one round trip to the shared server (the
    session's ``Database.fetch_together``); one by one on SQLite."""
    db = s.info.get("database")
    if db is None:
        return [list(s.execute(stmt).all()) for stmt in statements]
    found: list[list[Any]] = db.fetch_together(s, statements)
    return found


def capacity_problem(
    s: Session,
    structure_id: int,
    structure_name: str,
    start: dt.date,
    until: dt.date | None,
    people: Sequence[int],
    household_id: int | None = None,
) -> str | None:
    """Why ``people`` cannot all sleep in the structure from ``start`` up to ``until``
    (open-ended when None); None when its places are enough. Their own stays begun
    before ``start`` are the ones a move ends: they are not counted."""
    short = capacity_shortfall(s, structure_id, start, until, people, household_id=household_id)
    return shortfall_message(structure_name, start, short, len(people))


def shortfall_message(
    structure_name: str, start: dt.date, short: Shortfall | None, needed: int
) -> str | None:
    """What a shortfall found by ``capacity_shortfall`` means, for ``needed`` people."""
    if short is None:
        return None
    message = capacity_message(
        structure_name, short.night, short.occupied, short.places, needed, short.held
    )
    if short.night > start:
        message += " " + _(
            "The stay would still be going on then: give a planned end "
            "up to that date, or choose another structure."
        )
    return message


class Shortfall(NamedTuple):
    """The first night a structure's places are not enough: who is there, the beds held
    for others by reservations, and the places in force."""

    night: dt.date
    occupied: int
    held: int
    places: int


def capacity_shortfall(
    s: Session,
    structure_id: int,
    start: dt.date,
    until: dt.date | None,
    people: Sequence[int] = (),
    *,
    household_id: int | None = None,
    count_held: bool = True,
) -> Shortfall | None:
    """The first night from ``start`` up to ``until`` (open-ended when None) on which
    ``people`` (none: the people already there alone) would take the structure past its
    places; None when its places are enough every night.

    Each night counts the stays covering it and, with ``count_held``, the beds held by
    reservations of other households than ``household_id`` (held beds are not free:
    DESIGN.md), against the capacity in force. Only the nights where any of these can
    change are looked at: ``start``, each later capacity period, each later stay's or
    hold's start. The stays of ``people`` begun before ``start`` are not counted among
    the others: they are the ones a move ends (a change of bed within the structure), or
    the very stays being prolonged (an extension). A person has one such stay at most,
    since nobody sleeps in two beds a night.
    """
    return capacity_shortfalls(
        s,
        start,
        {structure_id: until},
        people,
        household_id=household_id,
        count_held=count_held,
    )[structure_id]


def capacity_shortfalls(
    s: Session,
    start: dt.date,
    untils: Mapping[int, dt.date | None],
    people: Sequence[int] = (),
    *,
    household_id: int | None = None,
    count_held: bool = True,
    needed: int | None = None,
    among: Any = None,
    by_dates: bool = False,
) -> dict[int, Shortfall | None]:
    """``capacity_shortfall`` of several structures at once (structure id -> its
    ``until``), in one statement whatever their number. ``needed``: how many people
    come (``people`` by default: a household not yet recorded has no ids); ``among``: a
    select of the same structure ids, sent instead of the list of ids (a whole network
    has more structures than a statement takes parameters); ``by_dates``: start from
    the stays of the period (``dates_first``)."""
    stmt, finish = capacity_shortfalls_query(
        start,
        untils,
        people,
        household_id=household_id,
        count_held=count_held,
        needed=needed,
        among=among,
        by_dates=by_dates,
    )
    return finish(s.execute(stmt).all() if stmt is not None else [])


def capacity_shortfalls_query(
    start: dt.date,
    untils: Mapping[int, dt.date | None],
    people: Sequence[int] = (),
    *,
    household_id: int | None = None,
    count_held: bool = True,
    needed: int | None = None,
    among: Any = None,
    by_dates: bool = False,
) -> tuple[Any, Callable[[Sequence[Any]], dict[int, Shortfall | None]]]:
    """``capacity_shortfalls`` as its statement (None: nothing to ask) and what makes
    the answer from its rows, to be sent with other statements."""
    ends = {
        # a planned end already past: that night only
        sid: start + dt.timedelta(days=1) if until is not None and until <= start else until
        for sid, until in untils.items()
    }
    if not ends:
        return None, lambda _rows: {}
    ids = list(ends)
    in_ids: Any = ids if among is None else among
    bounded = [end for end in ends.values() if end is not None]
    # Stays and holds that begin after every end count nowhere.
    last = max(bounded) if len(bounded) == len(ends) else None
    stays_query = (
        select(
            e.Room.structure_id,
            e.BedStay.start_date,
            e.BedStay.end_date,
            cast(null(), Integer),
            e.BedStay.bed_id,
        )
        .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .where(
            e.Room.structure_id.in_(in_ids),
            e.BedStay.cancelled.is_(False),
            or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > start),
        )
    )
    if last is not None:
        stays_query = stays_query.where(e.BedStay.start_date < last)
    if by_dates:
        stays_query = stays_query.where(e.BedStay.id.in_(period_stay_ids(start, last)))
    if people:
        stays_query = stays_query.where(
            ~and_(e.BedStay.person_id.in_(people), e.BedStay.start_date < start)
        )
    # One round trip: the capacity periods and the held beds come with the stays, told
    # apart by their places (a period) or by a negative place count (a held bed).
    parts: list[Any] = [
        stays_query,
        select(
            e.CapacityPeriod.structure_id,
            e.CapacityPeriod.valid_from,
            cast(null(), Date),
            e.CapacityPeriod.places,
            cast(null(), Integer),
        ).where(e.CapacityPeriod.structure_id.in_(in_ids)),
    ]
    if count_held:
        held_query = (
            select(
                e.Reservation.structure_id,
                e.Reservation.held_from,
                e.Reservation.closed_on,
                literal(-1),
                e.ReservationBed.bed_id,
            )
            .join(e.ReservationBed, e.ReservationBed.reservation_id == e.Reservation.id)
            .where(
                e.Reservation.structure_id.in_(in_ids),
                e.Reservation.status != e.ReservationStatus.CANCELLED,
                or_(e.Reservation.closed_on.is_(None), e.Reservation.closed_on > start),
            )
        )
        if household_id is not None:
            held_query = held_query.where(e.Reservation.household_id != household_id)
        if last is not None:
            held_query = held_query.where(e.Reservation.held_from < last)
        parts.append(held_query)

    def finish(rows: Sequence[Any]) -> dict[int, Shortfall | None]:
        stays: dict[int, list[tuple[dt.date, dt.date | None, int]]] = {}
        holds: dict[int, list[tuple[dt.date, dt.date | None, int]]] = {}
        periods: dict[int, list[tuple[dt.date, int]]] = {}
        for sid, first, end, places, bed_id in rows:
            if sid not in ends:
                continue  # ``among`` chose more than ``untils`` names
            if places is None:
                found = stays.get(sid)
                if found is None:
                    found = stays[sid] = []
                found.append((first, end, bed_id))
            elif places < 0:
                found = holds.get(sid)
                if found is None:
                    found = holds[sid] = []
                found.append((first, end, bed_id))
            else:
                in_force = periods.get(sid)
                if in_force is None:
                    in_force = periods[sid] = []
                in_force.append((first, places))
        count = len(people) if needed is None else needed
        return {
            sid: _first_short_night(
                stays.get(sid, ()), holds.get(sid, ()), periods[sid], start, ends[sid], count
            )
            if sid in periods
            else None  # no capacity recorded: nothing to exceed
            for sid in ids
        }

    return union_all(*parts), finish


def _first_short_night(
    stays: Sequence[tuple[dt.date, dt.date | None, int]],
    holds: Sequence[tuple[dt.date, dt.date | None, int]],
    periods: list[tuple[dt.date, int]],
    start: dt.date,
    until: dt.date | None,
    needed: int,
) -> Shortfall | None:
    """The rule itself: the first night in ``[start, until)`` on which the beds taken,
    the beds held and ``needed`` more people exceed the places in force (see
    ``capacity_shortfall``)."""
    if not periods:
        return None
    periods.sort()
    # The nights where anything can change: ``start`` and every later beginning before
    # ``until``.
    nights = {start}
    for first, _places in periods:
        if start < first and (until is None or first < until):
            nights.add(first)
    for dated in (stays, holds):
        for first, _end, _bed in dated:
            if start < first and (until is None or first < until):
                nights.add(first)
    for night in sorted(nights):
        places = None
        for valid_from, in_force in periods:
            if valid_from > night:
                break
            places = in_force
        if places is None:
            continue  # no capacity recorded yet on that night
        # A bed holds one person a night (the database sees to it): stays are beds.
        taken = {
            bed for first, end, bed in stays if first <= night and (end is None or end > night)
        }
        held = {
            bed
            for first, end, bed in holds
            if first <= night and (end is None or end > night) and bed not in taken
        }
        if len(taken) + len(held) + needed > places:
            return Shortfall(night, len(taken), len(held), places)
    return None


def household_members(s: Session, household_id: int) -> list[e.HouseholdMember]:
    # A placement asks for the members three times (which to place, the minor rule,
    # who is already there): read once per transaction. Adding a member clears it.
    cache: dict[int, list[e.HouseholdMember]] = s.info.setdefault("members", {})
    if household_id not in cache:
        cache[household_id] = list(s.scalars(household_members_statement(household_id)))
    return list(cache[household_id])


def remember_members(s: Session, household_id: int, members: Iterable[e.HouseholdMember]) -> None:
    """The household's members as read ahead (``household_members_statement``), for
    the rest of the transaction."""
    s.info.setdefault("members", {})[household_id] = list(members)


def household_members_statement(household_id: Any) -> Any:
    """The statement of ``household_members`` (to be sent ahead: ``Database.prefetch``);
    ``household_id`` may be a select of the id (the household of a placement)."""
    return (
        select(e.HouseholdMember)
        .where(e.HouseholdMember.household_id == household_id)
        .options(
            joinedload(e.HouseholdMember.person, innerjoin=True),
            # with the household: its code, for the results, without a statement
            joinedload(e.HouseholdMember.household, innerjoin=True),
        )
        .order_by(e.HouseholdMember.id)
    )


def household_beds(s: Session, household_id: int, day: dt.date) -> dict[int, int]:
    """Where the members of the household sleep on ``day``: person -> structure, for
    the members in a bed (a person sleeps in one bed a night). Asked by the minor rule
    and by the companions, read once when read ahead (``remember_household_beds``)."""
    known = s.info.get("household_beds", {}).get((household_id, day))
    if known is not None:
        return dict(known)
    return {p: st for p, st in s.execute(household_beds_statement(household_id, day))}


def remember_household_beds(
    s: Session, household_id: int, day: dt.date, rows: Iterable[Any]
) -> None:
    """``household_beds`` as read ahead, for the rest of the transaction: only before
    any stay of the household changes in it (the stays go with the COMMIT)."""
    s.info.setdefault("household_beds", {})[household_id, day] = {p: st for p, st in rows}


def household_beds_statement(household_id: Any, day: dt.date) -> Any:
    """The statement of ``household_beds``: (person, structure) rows; ``household_id``
    may be a select of the id (the household of a placement)."""
    return (
        select(e.BedStay.person_id, e.Room.structure_id)
        .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .join(e.HouseholdMember, e.HouseholdMember.person_id == e.BedStay.person_id)
        .where(e.HouseholdMember.household_id == household_id, live_stay_clause(day))
        .order_by(e.BedStay.person_id)
    )


def companions(
    s: Session, household_id: int, structure_id: int, day: dt.date, exclude: Iterable[int]
) -> list[e.HouseholdMember]:
    """Members of the household (other than ``exclude``) in a bed of the structure on ``day``."""
    return companions_by_structure(s, household_id, day, exclude).get(structure_id, [])


def companions_by_structure(
    s: Session, household_id: int, day: dt.date, exclude: Iterable[int]
) -> dict[int, list[e.HouseholdMember]]:
    """Members of the household (other than ``exclude``) in a bed on ``day``, by the
    structure they sleep in: one statement (a person sleeps in one bed a night)."""
    excluded = set(exclude)
    members = [m for m in household_members(s, household_id) if m.person_id not in excluded]
    if not members:
        return {}
    where = household_beds(s, household_id, day)
    found: dict[int, list[e.HouseholdMember]] = {}
    for m in members:
        if m.person_id in where:
            found.setdefault(where[m.person_id], []).append(m)
    return found


def companions_query(
    members: Sequence[e.HouseholdMember], day: dt.date, exclude: Iterable[int]
) -> tuple[Any, Callable[[Sequence[Any]], dict[int, list[e.HouseholdMember]]]]:
    """``companions_by_structure`` of the household's ``members`` as its statement (None:
    nothing to ask) and what makes the answer from its rows."""
    excluded = set(exclude)
    others = [m.person_id for m in members if m.person_id not in excluded]
    if not others:
        return None, lambda _rows: {}
    stmt = (
        select(e.BedStay.person_id, e.Room.structure_id)
        .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .where(e.BedStay.person_id.in_(others), live_stay_clause(day))
    )

    def finish(rows: Sequence[Any]) -> dict[int, list[e.HouseholdMember]]:
        where: dict[int, int] = {}
        for person_id, structure_id in rows:
            where[person_id] = structure_id
        found: dict[int, list[e.HouseholdMember]] = {}
        for m in members:
            if m.person_id in where:
                found.setdefault(where[m.person_id], []).append(m)
        return found

    return stmt, finish


def bed_problem(
    s: Session,
    b: e.Bed,
    start: dt.date,
    end: dt.date | None,
    household_id: int,
    ignore_stays: set[int] = frozenset(),  # type: ignore[assignment]
) -> DomainError | None:
    """Why bed ``b`` cannot be used for ``[start, end)``, or None."""
    return bed_problems(s, [b], start, end, household_id, ignore_stays)[b.id]


def bed_problems(
    s: Session,
    beds: Sequence[e.Bed],
    start: dt.date,
    end: dt.date | None,
    household_id: int,
    ignore_stays: set[int] = frozenset(),  # type: ignore[assignment]
) -> dict[int, DomainError | None]:
    """Why each of ``beds`` cannot be used for ``[start, end)`` (None: it can), with
    one statement whatever the number of beds: a structure's beds are checked
    together when free beds are proposed (the placement dialog does it for every
    structure of the programme)."""
    return named_bed_problems(
        s, {b.id: bed_name(b) for b in beds}, start, end, household_id, ignore_stays
    )


def named_bed_problems(
    s: Session,
    names: Mapping[int, str],
    start: dt.date,
    end: dt.date | None,
    household_id: int | None,
    ignore_stays: set[int] = frozenset(),  # type: ignore[assignment]
    among: Any = None,
    explain: bool = True,
) -> dict[int, DomainError | None]:
    """``bed_problems`` of the beds ``names`` names (bed id -> "room / label");
    ``among``: a select of the same bed ids, sent instead of the list (see
    ``capacity_shortfalls``). ``household_id`` None: a household not recorded yet, for
    whom no bed is held. Without ``explain`` every bed that cannot be used gets one
    unexplained refusal (the free-bed finder of a whole network needs only which)."""
    if not names:
        return {}
    stmt = bed_problems_statement(
        list(names) if among is None else among, start, end, household_id, ignore_stays
    )
    return bed_problems_from(s.execute(stmt).all(), names, start, explain=explain)


def bed_problems_statement(
    beds: Any,
    start: dt.date,
    end: dt.date | None,
    household_id: int | None,
    ignore_stays: set[int] = frozenset(),  # type: ignore[assignment]
    *,
    ordered: bool = True,
    by_dates: bool = False,
) -> Any:
    """The statement of ``named_bed_problems`` for ``beds`` (bed ids, or a select of
    them): the stays, outages and held reservations of these beds in one round trip,
    and whether they are retired, each row tagged with its kind (``bed_problems_from``
    reads it). ``household_id`` None: a household not recorded yet. Not ``ordered``:
    the rows in any order, for ``bed_problems_from`` without ``explain`` (any row
    refuses its bed); ``by_dates``: start from the stays of the period
    (``dates_first``)."""
    until = end or FAR_FUTURE
    stays = select(
        literal(OCCUPIED).label("kind"),
        e.BedStay.bed_id.label("bed_id"),
        e.BedStay.start_date.label("day"),
        e.BedStay.id.label("row_id"),
    ).where(
        e.BedStay.bed_id.in_(beds),
        e.BedStay.cancelled.is_(False),
        e.BedStay.start_date < until,
        or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > start),
    )
    if ignore_stays:
        stays = stays.where(e.BedStay.id.not_in(ignore_stays))
    if by_dates:
        stays = stays.where(e.BedStay.id.in_(period_stay_ids(start, end)))
    outages = select(
        literal(OUT_OF_SERVICE), e.BedOutage.bed_id, e.BedOutage.start_date, e.BedOutage.id
    ).where(
        e.BedOutage.bed_id.in_(beds),
        e.BedOutage.start_date < until,
        or_(e.BedOutage.end_date.is_(None), e.BedOutage.end_date > start),
    )
    holds = (
        select(
            literal(RESERVED),
            e.ReservationBed.bed_id,
            e.Reservation.expected_on,
            e.Reservation.id,
        )
        .join(e.Reservation, e.ReservationBed.reservation_id == e.Reservation.id)
        .where(
            e.ReservationBed.bed_id.in_(beds),
            e.Reservation.status == e.ReservationStatus.HELD,
        )
    )
    if household_id is not None:
        holds = holds.where(e.Reservation.household_id != household_id)
    retired = select(literal(RETIRED), e.Bed.id, e.Bed.retired_on, e.Bed.id).where(
        e.Bed.id.in_(beds), e.Bed.retired_on.is_not(None), e.Bed.retired_on < until
    )
    found: Any = union_all(stays, outages, holds, retired)
    return found.order_by("kind", "day", "row_id") if ordered else found


def bed_problems_from(
    rows: Sequence[Any], names: Mapping[int, str], start: dt.date, *, explain: bool = True
) -> dict[int, DomainError | None]:
    """Why each of the beds ``names`` names cannot be used (None: it can), from the rows
    of ``bed_problems_statement``: the first reason found for a bed stands, occupied,
    then out of service, then reserved, then retired, the earliest first. Without
    ``explain`` every bed that cannot be used gets one unexplained refusal."""
    found: dict[int, DomainError | None] = dict.fromkeys(names)
    for kind, bed_id, day, _id in rows:
        if bed_id not in found or found[bed_id] is not None:
            continue
        if not explain:
            found[bed_id] = _NOT_FREE
            continue
        name = names[bed_id]
        if kind == OCCUPIED:
            found[bed_id] = BedOccupiedError(
                # Translators: write the preposition as for any day ("il {date}", "dal {date}"):
                # before the 8th and the 11th it becomes "l'8", "dall'11" by itself.
                _("Bed {bed} is already occupied on {date}.").format(
                    bed=name, date=format_date(max(day, start))
                )
            )
        elif kind == OUT_OF_SERVICE:
            found[bed_id] = BedOutOfServiceError(
                _("Bed {bed} is out of service from {start}.").format(
                    bed=name, start=format_date(day)
                )
            )
        elif kind == RETIRED:
            found[bed_id] = BedOutOfServiceError(
                _("Bed {bed} is no longer in service from {start}.").format(
                    bed=name, start=format_date(day)
                )
            )
        else:
            found[bed_id] = BedReservedError(
                _("Bed {bed} is reserved for another household expected on {date}.").format(
                    bed=name, date=format_date(day)
                )
            )
    return found


# A bed that cannot be used, when nobody asks why (``named_bed_problems``).
_NOT_FREE = DomainError("")


def target_problem(
    st: e.Structure, people: Sequence[tuple[e.Person, e.Relationship]], day: dt.date
) -> str | None:
    return target_groups_problem(st, household_groups(people, day))


def target_groups_problem(st: StructureFacts, groups: Iterable[e.TargetGroup]) -> str | None:
    """Why people of ``groups`` are outside the structure's target groups, or None."""
    targets = st.targets
    if not targets or set(groups) & targets:
        return None
    return _(
        "Structure {structure} is for: {targets}. The people to place do not belong to these groups."
    ).format(
        structure=st.name,
        targets=", ".join(sorted(target_group_label(t.value) for t in targets)),
    )


def minor_problem(
    s: Session,
    household_id: int,
    programme: e.Programme,
    day: dt.date,
    after: Mapping[int, int | None],
) -> str | None:
    """Would a minor be left without an adult of the household in a structure?

    ``after`` maps person id -> structure id where the person sleeps on ``day``
    after the operation (None: not placed).
    """
    if unaccompanied_allowed(programme):
        return None
    members = household_members(s, household_id)
    where: dict[int, int | None] = {m.person_id: None for m in members}
    others = {m.person_id for m in members if m.person_id not in after}
    if others:  # where the others sleep that night, in one statement
        for person_id, structure_id in household_beds(s, household_id, day).items():
            if person_id in others:
                where[person_id] = structure_id
    where.update((pid, sid) for pid, sid in after.items() if pid in where)
    adults_at = {
        where[m.person_id] for m in members if not m.person.is_minor_on(day) and where[m.person_id]
    }
    for m in members:
        if m.person.is_minor_on(day) and where[m.person_id] and where[m.person_id] not in adults_at:
            return minor_alone_message()
    return None


def unaccompanied_allowed(programme: ProgrammeFacts) -> bool:
    """Minors may live without an adult of their household in MSNA programmes only."""
    return programme.sai_category == e.SaiCategory.MSNA


def minor_alone_message() -> str:
    return _(
        "A minor of the household would be left in a structure without an adult of the "
        "household. Move or place an adult together with the minors."
    )


class HasId(Protocol):
    """Whoever a bed is proposed for: a person, or a place for one not recorded yet."""

    @property
    def id(self) -> int: ...


def propose(
    s: Session,
    st: e.Structure,
    people: Sequence[HasId],
    start: dt.date,
    end: dt.date | None,
    household_id: int,
) -> dict[int, int] | None:
    """Free beds for ``people``, preferring one room for the whole household."""
    return proposals(s, [st.id], people, start, end, household_id)[st.id]


def proposals(
    s: Session,
    structure_ids: Sequence[int],
    people: Sequence[HasId],
    start: dt.date,
    end: dt.date | None,
    household_id: int | None,
    *,
    among: Any = None,
    names: dict[int, str] | None = None,
    explain: bool = True,
    by_dates: bool = False,
) -> dict[int, dict[int, int] | None]:
    """``propose`` for several structures at once: their beds by room in one statement
    (plain columns: a programme can have hundreds), checked together in another
    (``bed_problems``). ``among``: a select of the same structure ids, sent instead of
    the list (see ``capacity_shortfalls``); ``names``, when given, receives each bed's
    "room / label"; without ``explain``, a bed that cannot be used is not told why;
    ``by_dates``: start from the stays of the period (``dates_first``)."""
    if not structure_ids:
        return {}
    statements, finish = proposals_query(
        structure_ids,
        people,
        start,
        end,
        household_id,
        among=among,
        names=names,
        explain=explain,
        by_dates=by_dates,
    )
    return finish([s.execute(stmt).all() for stmt in statements])


def proposals_query(
    structure_ids: Sequence[int],
    people: Sequence[HasId],
    start: dt.date,
    end: dt.date | None,
    household_id: int | None,
    *,
    among: Any = None,
    names: dict[int, str] | None = None,
    explain: bool = True,
    by_dates: bool = False,
) -> tuple[list[Any], Callable[[Sequence[Sequence[Any]]], dict[int, dict[int, int] | None]]]:
    """``proposals`` as its two statements, which can go together (the beds' problems
    are asked for the beds of the structures, not for the bed ids the first one
    returns), and what makes the answer from their rows."""
    ids = list(structure_ids)
    in_ids: Any = ids if among is None else among
    rooms_stmt = (
        select(e.Room.structure_id, e.Room.id, e.Room.name, e.Bed.id, e.Bed.label)
        .join(e.Bed, e.Bed.room_id == e.Room.id)
        .where(e.Room.structure_id.in_(in_ids))
        .order_by(e.Room.structure_id, e.Room.name, e.Bed.label)
    )
    beds = select(e.Bed.id).join(e.Room, e.Room.id == e.Bed.room_id)
    problems_stmt = bed_problems_statement(
        beds.where(e.Room.structure_id.in_(in_ids)),
        start,
        end,
        household_id,
        ordered=explain,
        by_dates=by_dates,
    )

    def finish(found: Sequence[Sequence[Any]]) -> dict[int, dict[int, int] | None]:
        rooms: dict[int, dict[int, tuple[str, list[int]]]] = {sid: {} for sid in ids}
        bed_names: dict[int, str] = {} if names is None else names
        for structure_id, room_id, room_name, bed_id, label in found[0]:
            by_room = rooms.get(structure_id)
            if by_room is None:
                continue  # ``among`` chose more than ``structure_ids``
            room = by_room.get(room_id)
            if room is None:
                room = by_room[room_id] = (room_name, [])
            room[1].append(bed_id)
            bed_names[bed_id] = f"{room_name} / {label}"
        problems = bed_problems_from(found[1], bed_names, start, explain=explain)
        return {sid: _choose_beds(list(rooms[sid].values()), problems, people) for sid in ids}

    return [rooms_stmt, problems_stmt], finish


def _choose_beds(
    rooms: Sequence[tuple[str, Sequence[int]]],
    problems: Mapping[int, DomainError | None],
    people: Sequence[HasId],
) -> dict[int, int] | None:
    """The rule itself: one room that takes everyone, the smallest such room first;
    otherwise the free beds of the emptiest rooms; None when there are too few.
    ``rooms`` are (name, bed ids) in the order of their names, beds by label."""
    free_by_room = [(name, [b for b in beds if problems[b] is None]) for name, beds in rooms]
    need = len(people)
    fitting = [(len(f), name, f) for name, f in free_by_room if len(f) >= need]
    if fitting:
        chosen = min(fitting)[2][:need]
    else:
        chosen = [b for _name, f in sorted(free_by_room, key=lambda rf: -len(rf[1])) for b in f][
            :need
        ]
    if len(chosen) < need:
        return None
    return {p.id: b for p, b in zip(people, chosen, strict=True)}


def check_structure_open(st: StructureFacts, programme: ProgrammeFacts, day: dt.date) -> None:
    # A closing or ending date is the last day open (DESIGN.md).
    if day < st.opened_on or (st.closed_on is not None and day > st.closed_on):
        raise ValidationError(
            _("Structure {structure} is not open on {date}.").format(
                structure=st.name, date=format_date(day)
            )
        )
    if day < programme.start_date or (programme.end_date is not None and day > programme.end_date):
        raise ValidationError(
            _("Programme {programme} is not running on {date}.").format(
                programme=programme.code, date=format_date(day)
            )
        )


def fit_reasons(
    st: e.Structure,
    programme: e.Programme,
    day: dt.date,
    members: Sequence[e.HouseholdMember],
    companions: Sequence[e.HouseholdMember],
    proposal: Mapping[int, int] | None,
    short: Shortfall | None,
) -> tuple[list[str], bool]:
    """Why ``members`` do not fit structure ``st`` from ``day`` (none: they fit), and
    whether the target group is among the reasons: the placement dialog's fit, from the
    checks ``assign`` makes (``proposal``: ``propose``'s beds; ``short``:
    ``capacity_shortfall`` for them)."""
    together = [*members, *companions]
    problem = target_problem(st, [(m.person, m.relationship_) for m in together], day)
    return structure_fit_reasons(st, programme, day, problem, len(members), proposal, short), (
        problem is not None
    )


def structure_fit_reasons(
    st: StructureFacts,
    programme: ProgrammeFacts,
    day: dt.date,
    target: str | None,
    needed: int,
    proposal: Mapping[int, int] | None,
    short: Shortfall | None,
    *,
    last_night: dt.date | None = None,
    minor_alone: str | None = None,
) -> list[str]:
    """The reasons of ``fit_reasons`` (``target``: ``target_problem``'s answer), for
    ``needed`` people; ``last_night``: the structure and the programme must be open up
    to that night too (the free-bed finder's period); ``minor_alone``: the minors' rule,
    when already known to refuse."""
    reasons: list[str] = []
    for night in dict.fromkeys([day, last_night or day]):
        try:
            check_structure_open(st, programme, night)
        except DomainError as exc:
            reasons.append(str(exc))
            break
    if minor_alone:
        reasons.append(minor_alone)
    if target:
        reasons.append(target)
    if not proposal and last_night is not None and last_night > day:
        reasons.append(
            ngettext(
                "Structure {structure} has no bed free for {count} person on every night "
                "from {start} to {last}.",
                "Structure {structure} has not enough beds free for {count} people on every "
                "night from {start} to {last}.",
                needed,
            ).format(
                structure=st.name,
                count=needed,
                start=format_date(day),
                last=format_date(last_night),
            )
        )
    elif not proposal:
        reasons.append(not_enough_beds_message(st.name, day, needed))
    message = shortfall_message(st.name, day, short, needed)
    if message:
        reasons.append(message)
    return reasons


def assign(
    s: Session,
    *,
    st: e.Structure,
    programme: e.Programme,
    household_id: int,
    people: Sequence[e.HouseholdMember],
    start: dt.date,
    beds: Mapping[int, int] | None,
    override_reason: str,
    until: dt.date | None,
    ignore_stays: set[int] = frozenset(),  # type: ignore[assignment]
    companions: Sequence[e.HouseholdMember] = (),
) -> dict[int, int]:
    """Check every rule for putting ``people`` into ``st`` from ``start``; return person -> bed.

    Beds are checked for the open stays that will be made; the structure's places
    for every night up to ``until``, the planned end (open-ended when None).

    ``companions`` are members of the household already sleeping in ``st``: the target
    group is the one of everybody who will be there together (a child moving to another
    bed of its mother's apartment is still part of a single-parent family).
    """
    check_structure_open(st, programme, start)
    persons = [m.person for m in people]
    problem = target_problem(
        st, [(m.person, m.relationship_) for m in [*people, *companions]], start
    )
    if problem and not override_reason.strip():
        raise TargetGroupError(problem + " " + _("To place them anyway, give a reason."))
    # Every question at once (one round trip to the shared server): the stays of these
    # people that the new open stays would overlap; the free beds proposed, or the beds
    # chosen and their problems; the structure's places up to ``until``. Their own stays
    # begun before ``start`` are the ones being ended (``ignore_stays``): any other is
    # refused by the first check.
    overlapping_stmt = (
        select(e.BedStay.id, e.BedStay.person_id, e.BedStay.start_date)
        .where(
            e.BedStay.person_id.in_([p.id for p in persons]),
            e.BedStay.cancelled.is_(False),
            or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > start),
        )
        .order_by(e.BedStay.start_date, e.BedStay.id)
    )
    if beds is None:
        beds_statements, proposals_of = proposals_query([st.id], persons, start, None, household_id)
    else:
        chosen_ids = list(beds.values())
        beds_statements = [
            select(e.Bed.id, e.Room.structure_id, e.Room.name, e.Bed.label)
            .join(e.Room, e.Room.id == e.Bed.room_id)
            .where(e.Bed.id.in_(chosen_ids)),
            bed_problems_statement(chosen_ids, start, None, household_id, ignore_stays),
        ]
    places_stmt, shortfalls_of = capacity_shortfalls_query(
        start, {st.id: until}, [p.id for p in persons], household_id=household_id
    )
    found = fetch_together(s, [overlapping_stmt, *beds_statements, places_stmt])
    overlapping: dict[int, dt.date] = {}
    for stay_id, person_id, stay_start in found[0]:
        if stay_id not in ignore_stays:
            overlapping.setdefault(person_id, stay_start)
    for p in persons:
        if p.id in overlapping:
            raise PersonAlreadyPlacedError(
                _("{person} already has a bed from {date}.").format(
                    person=p.code, date=format_date(max(overlapping[p.id], start))
                )
            )
    if beds is None:
        proposal = proposals_of(found[1:3])[st.id]
        if proposal is None:
            raise StructureFullError(not_enough_beds_message(st.name, start, len(persons)))
        beds = proposal
    else:
        if set(beds) != {p.id for p in persons}:
            raise ValidationError(_("Choose one bed for each person to place."))
        if len(set(beds.values())) != len(beds):
            raise BedOccupiedError(_("Two people cannot share one bed."))
        where = {bed_id: (sid, f"{room} / {label}") for bed_id, sid, room, label in found[1]}
        for bed_id in beds.values():
            if bed_id not in where:
                raise NotFoundError(
                    _(
                        "These data no longer exist (perhaps removed on another PC): nothing was saved. Press F5 (View › Refresh) to read the data again."
                    )
                )
            if where[bed_id][0] != st.id:
                raise ValidationError(
                    _("The chosen bed is not in structure {structure}.").format(structure=st.name)
                )
        problems = bed_problems_from(found[2], {b: where[b][1] for b in beds.values()}, start)
        for bed_id in beds.values():
            if problems[bed_id] is not None:
                raise problems[bed_id]  # type: ignore[misc]
    problem = shortfall_message(st.name, start, shortfalls_of(found[3])[st.id], len(persons))
    if problem:
        raise StructureFullError(problem)
    return dict(beds)


def select_members(
    s: Session, household_id: int, person_ids: Sequence[int] | None
) -> list[e.HouseholdMember]:
    members = household_members(s, household_id)
    if not members:
        get(s, e.Household, household_id)  # gone, or really without members
        raise ValidationError(_("The household has no members."))
    if person_ids is None:
        return members
    chosen = [m for m in members if m.person_id in set(person_ids)]
    if len(chosen) != len(set(person_ids)) or not chosen:
        raise ValidationError(_("This person is not a member of the household."))
    return chosen


def running(pl: e.Placement, today: dt.date) -> bool:
    """Is the placement still running on ``today``? One whose exit is recorded for a later
    date (uscita programmata) is, until that date."""
    if pl.status == e.PlacementStatus.ACTIVE:
        return True
    return (
        pl.status == e.PlacementStatus.EXITED and pl.exit_date is not None and pl.exit_date > today
    )


def live_stays(s: Session, placement_id: int, day: dt.date) -> list[e.BedStay]:
    """Stays of a placement that are open or end after ``day`` (its current beds)."""
    return list(s.scalars(live_stays_statement(placement_id, day)))


def live_stays_statement(placement_id: int, day: dt.date) -> Any:
    """The statement of ``live_stays`` (to be sent ahead: ``Database.prefetch``)."""
    return (
        select(e.BedStay)
        .where(
            e.BedStay.placement_id == placement_id,
            e.BedStay.cancelled.is_(False),
            or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > day),
        )
        .order_by(e.BedStay.id)
    )
