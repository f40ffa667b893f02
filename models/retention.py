"""Retention (conservazione): the people whose records are past their time, anonymised in
one step by an administrator, every figure kept (``backend.retention``).

Who is past their time, for a cut-off ``years`` years before today (``candidates``):

- a person whose household was placed, every placement of that household has ended
  (or was cancelled) and the last exit is before the cut-off, with no bed stay of theirs
  ending on or after it; or a person whose household was never placed and whose
  requests on the waiting list were all closed (withdrawn, expired) before the cut-off;
- and nothing of the household is still open: no placement, no stay, no held
  reservation, no waiting request. A household is judged whole: a member who left years
  ago waits until the whole household's last stay is past the cut-off.
- People never placed and never on the waiting list are left alone: nothing dates their
  record.

The cut-off: 10 years by default (``DEFAULT_YEARS``). Italian law asks a cooperative to
keep the records that support its accounts for ten years (art. 2220 of the Civil Code),
and the costs of a SAI project are reported and audited per person per day of presence;
ten years is also the ordinary limitation period (art. 2946). A shorter setting is the
administrator's choice; the command line always asks for it.

What anonymisation does to each of those people, in ONE transaction (``anonymise``):

- the name becomes ``Anonimo`` and their code (last name ``Anonimo``, first name the
  code); alias, gender identity and citizenship are emptied; search text is rebuilt from
  what is left; sex, legal status, household and relationships stay (figures use them);
- the birth date keeps only what the figures need: a minor or an adult on every night
  they were placed stays so, the 18th birthday staying on the same side of every night
  they were placed (occupancy sheets, presence registers, counts of minors) and of the
  coming-of-age list at any past day. Adult on every night: 1 January of the birth year;
  minor on every night and 18 more than a year after the last night: 31 December of the
  birth year; otherwise (18 while placed, or within a year of leaving) the date is kept;
- free text that could name or point to someone is emptied: the notes and exit
  destination of the household's placements, the reasons of their extensions, the
  reservations' notes, the waiting-list requests' notes, referral codes and closing
  reasons; a stay's reason for a target-group override becomes ``-`` (an override was
  recorded, why is gone);
- the change log's old values of those columns (``models.change_log.FORGOTTEN``) become
  the anonymised ones, and the free-text reasons of the records' audit entries are
  emptied: through the one sanctioned path the frozen log allows (``change_log.forget``);
- one audit entry ``anonymise`` with the cut-off and the counts, no names.

Dates, beds, stays, placements, exits and their reasons, capacity: untouched. So
occupancy, presence days, capacity and rates read the same before and after.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, or_, select, update
from sqlalchemy.engine import Connection

from . import change_log
from . import entities as e
from .access import NOT_ALLOWED
from .errors import NotAllowedError, ValidationError
from .i18n import _
from .people import search_text
from .presence import add_months, eighteenth_birthday
from .retention_terms import (
    DEFAULT_YEARS,
    MAX_YEARS,
    MIN_YEARS,
    AnonymisedResult,
    RetentionSummary,
)
from .unit_of_work import UseCases

# How far after the last night a coming-of-age list of a past day can reach.
_COMING_OF_AGE_REACH = dt.timedelta(days=366)
_OVERRIDE_GONE = "-"


def cut_off(today: dt.date, years: int) -> dt.date:
    """The day whose anniversary ``years`` back from ``today`` is the limit: last exits
    strictly before it are past their time."""
    return add_months(today, -12 * years)


def check_years(years: int) -> int:
    if not isinstance(years, int) or not MIN_YEARS <= years <= MAX_YEARS:
        raise ValidationError(
            _("The years must be a whole number from {low} to {high}.").format(
                low=MIN_YEARS, high=MAX_YEARS
            )
        )
    return years


def reduced_birth_date(
    birth: dt.date | None, first_night: dt.date | None, last_night: dt.date | None
) -> dt.date | None:
    """The birth date kept for the figures (see the module's docstring); none for
    someone never in a bed, whom no figure counts."""
    if birth is None or first_night is None or last_night is None:
        return None
    eighteenth = eighteenth_birthday(birth)
    if eighteenth <= first_night:
        return dt.date(birth.year, 1, 1)
    if eighteenth > last_night + _COMING_OF_AGE_REACH:
        return dt.date(birth.year, 12, 31)
    return birth


class Retention(UseCases):
    """Who is past the retention time, and their anonymisation."""

    # -- reads ------------------------------------------------------------------------

    def candidates(self, years: int = DEFAULT_YEARS) -> RetentionSummary:
        """How many people would be anonymised at ``years`` (nobody named)."""
        check_years(years)
        limit = cut_off(self.work.today(), years)
        with self.db.read() as s:
            conn = s.connection()
            people, households = _candidates(conn, limit)
            placements, latest = _placements(conn, households)
        return RetentionSummary(
            years, limit, len(people), len(households), placements, latest_exit=latest
        )

    # -- the one write ----------------------------------------------------------------

    def anonymise(self, years: int) -> AnonymisedResult:
        """Anonymise every person past ``years`` in one transaction (administrators)."""
        check_years(years)
        if not self.work.principal.may_anonymise:
            raise NotAllowedError(_(NOT_ALLOWED))
        limit = cut_off(self.work.today(), years)
        with self.work.transaction() as s:
            conn = s.connection()
            people, households = _candidates(conn, limit)
            placements, _latest = _placements(conn, households)
            rewritten = 0
            if people:
                rewritten = _anonymise(conn, people, households)
                s.info["touched"].households.update(households)
                s.info["touched"].persons.update(people)
            self.work.audit(
                s,
                "anonymise",
                "person",
                None,
                years=years,
                cut_off=limit,
                people=len(people),
                households=len(households),
                placements=placements,
            )
        return AnonymisedResult(years, limit, len(people), len(households), placements, rewritten)


# -- the statements ------------------------------------------------------------------


def _candidates(conn: Connection, limit: dt.date) -> tuple[list[int], list[int]]:
    """The people past their time and their households (ids, sorted)."""
    P, M, PL, BS = e.Person, e.HouseholdMember, e.Placement, e.BedStay
    R, Q = e.Reservation, e.PlacementRequest
    hh = M.household_id
    live = PL.status != e.PlacementStatus.CANCELLED
    open_placement = exists().where(
        PL.household_id == hh, live, or_(PL.exit_date.is_(None), PL.exit_date >= limit)
    )
    open_stay = exists().where(
        BS.person_id == P.id,
        BS.cancelled.is_(False),
        or_(BS.end_date.is_(None), BS.end_date >= limit),
    )
    # Stays of other members count too: the household is judged whole.
    open_member_stay = exists().where(
        BS.placement_id == PL.id,
        PL.household_id == hh,
        BS.cancelled.is_(False),
        or_(BS.end_date.is_(None), BS.end_date >= limit),
    )
    open_reservation = exists().where(
        R.household_id == hh,
        or_(R.status == e.ReservationStatus.HELD, R.expected_on >= limit),
    )
    open_request = exists().where(
        Q.household_id == hh,
        or_(Q.status == e.RequestStatus.WAITING, Q.closed_on.is_(None), Q.closed_on >= limit),
    )
    placed = exists().where(PL.household_id == hh, live)
    requested = exists().where(Q.household_id == hh)
    already = and_(P.last_name == change_log.ANONYMOUS, P.first_name == P.code)
    stmt = (
        select(P.id, hh)
        .join(M, M.person_id == P.id)
        .where(
            or_(placed, requested),
            ~open_placement,
            ~open_stay,
            ~open_member_stay,
            ~open_reservation,
            ~open_request,
            ~already,
        )
        .order_by(P.id)
    )
    rows = conn.execute(stmt).all()
    return [int(r[0]) for r in rows], sorted({int(r[1]) for r in rows})


def _placements(conn: Connection, households: list[int]) -> tuple[int, dt.date | None]:
    if not households:
        return 0, None
    count, latest = 0, None
    for chunk in _chunks(households):
        n, last = conn.execute(
            select(func.count(e.Placement.id), func.max(e.Placement.exit_date)).where(
                e.Placement.household_id.in_(chunk),
                e.Placement.status != e.PlacementStatus.CANCELLED,
            )
        ).one()
        count += int(n)
        if last is not None and (latest is None or last > latest):
            latest = last
    return count, latest


def _anonymise(conn: Connection, people: list[int], households: list[int]) -> int:
    """Every statement of the anonymisation; the log rows rewritten."""
    P, PL, BS = e.Person, e.Placement, e.BedStay
    # Each person's nights: the first and the last night of their live stays.
    nights: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    births: dict[int, tuple[str, dt.date | None]] = {}
    for chunk in _chunks(people):
        for pid, first_start, latest_end in conn.execute(
            select(BS.person_id, func.min(BS.start_date), func.max(BS.end_date))
            .where(BS.person_id.in_(chunk), BS.cancelled.is_(False))
            .group_by(BS.person_id)
        ):
            nights[int(pid)] = (first_start, latest_end)
        for pid, code, birth in conn.execute(
            select(P.id, P.code, P.birth_date).where(P.id.in_(chunk))
        ):
            births[int(pid)] = (code, birth)
    rows: list[dict[str, Any]] = []
    for pid in people:
        code, birth = births[pid]
        first, last_end = nights.get(pid, (None, None))
        last_night = last_end - dt.timedelta(days=1) if last_end is not None else None
        rows.append(
            {
                "pid": pid,
                "first": code,
                "birth": reduced_birth_date(birth, first, last_night),
                "search": search_text(code, change_log.ANONYMOUS, "", code, ""),
            }
        )
    conn.execute(
        update(P)
        .where(P.id == bindparam("pid"))
        .values(
            first_name=bindparam("first"),
            last_name=change_log.ANONYMOUS,
            alias="",
            gender_identity="",
            citizenship="",
            birth_date=bindparam("birth"),
            search_text=bindparam("search"),
            version=P.version + 1,
        )
        .execution_options(synchronize_session=False),
        rows,
    )
    placement_ids: list[int] = []
    stay_ids: list[int] = []
    extension_ids: list[int] = []
    reservation_ids: list[int] = []
    request_ids: list[int] = []
    for chunk in _chunks(households):
        placement_ids += [
            int(i) for i in conn.scalars(select(PL.id).where(PL.household_id.in_(chunk)))
        ]
        reservation_ids += [
            int(i)
            for i in conn.scalars(
                select(e.Reservation.id).where(e.Reservation.household_id.in_(chunk))
            )
        ]
        request_ids += [
            int(i)
            for i in conn.scalars(
                select(e.PlacementRequest.id).where(e.PlacementRequest.household_id.in_(chunk))
            )
        ]
    for chunk in _chunks(placement_ids):
        stay_ids += [int(i) for i in conn.scalars(select(BS.id).where(BS.placement_id.in_(chunk)))]
        extension_ids += [
            int(i)
            for i in conn.scalars(select(e.Extension.id).where(e.Extension.placement_id.in_(chunk)))
        ]
    for chunk in _chunks(people):
        # Stays of these people in another household's placement (none is expected).
        stay_ids += [int(i) for i in conn.scalars(select(BS.id).where(BS.person_id.in_(chunk)))]
    stay_ids = sorted(set(stay_ids))
    _blank(
        conn,
        PL,
        placement_ids,
        [PL.note, PL.exit_destination],
        version=True,
    )
    _blank(conn, e.Extension, extension_ids, [e.Extension.reason])
    for chunk in _chunks(stay_ids):
        conn.execute(
            update(BS)
            .where(BS.id.in_(chunk), BS.override_reason != "")
            .values(override_reason=_OVERRIDE_GONE)
        )
    _blank(conn, e.Reservation, reservation_ids, [e.Reservation.note], version=True)
    Q = e.PlacementRequest
    _blank(conn, Q, request_ids, [Q.notes, Q.referral_code, Q.close_reason], version=True)
    # The log last: it holds the rows the statements above have just added.
    rewritten = 0
    for table, ids in (
        ("person", people),
        ("placement", placement_ids),
        ("extension", extension_ids),
        ("bed_stay", stay_ids),
        ("reservation", reservation_ids),
        ("placement_request", request_ids),
    ):
        rewritten += change_log.forget(conn, table, ids)
    return rewritten


def _blank(
    conn: Connection, cls: Any, ids: list[int], columns: list[Any], *, version: bool = False
) -> None:
    """Empty these text columns of these rows, where they are not empty already."""
    for chunk in _chunks(ids):
        for column in columns:
            values: dict[str, Any] = {column.key: ""}
            if version:
                values["version"] = cls.version + 1
            conn.execute(update(cls).where(cls.id.in_(chunk), column != "").values(**values))


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
