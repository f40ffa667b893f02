"""The waiting list (lista d'attesa): requests of placement for households referred and
waiting for a place (``backend.waiting_list``).

A request is never deleted. Placing from it records the placement in the same
transaction and closes it with the entry day (the wait); a withdrawn or expired request
keeps its status, day and reason. Each change is one transaction, versioned and audited.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import convert, finder, limits
from . import entities as e
from . import results as r
from .database import Reading
from .errors import ValidationError
from .formatting import format_date
from .i18n import _
from .placements import place_in
from .unit_of_work import Right, UnitOfWork, UseCases, check_version, get

# Placed requests of this many days back make the dashboard's median wait.
RECENT_DAYS = 365


def _info(
    req: e.PlacementRequest, programme_code: str, household_code: str, today: dt.date
) -> r.RequestInfo:
    until = req.closed_on if req.closed_on is not None else today
    return r.RequestInfo(
        id=req.id,
        referral_code=req.referral_code,
        referral_date=req.referral_date,
        referring_body=req.referring_body,
        target_group=req.target_group.value if req.target_group else None,
        adults=req.adults,
        minors=req.minors,
        needs=frozenset(n.value for n in req.need_set),
        priority=req.priority,
        province=req.province,
        programme_id=req.programme_id,
        programme_code=programme_code,
        stay_days=req.stay_days,
        household_id=req.household_id,
        household_code=household_code,
        notes=req.notes,
        status=req.status.value,
        closed_on=req.closed_on,
        close_reason=req.close_reason,
        placement_id=req.placement_id,
        days_waited=max((until - req.referral_date).days, 0),
        version=req.version,
    )


def _check(new: r.NewRequest, today: dt.date) -> dict[str, Any]:
    """The request's columns, or a refusal of what cannot be recorded."""
    if new.referral_date > today:
        raise ValidationError(_("The referral date is in the future."))
    finder.check_request(today, today + dt.timedelta(days=1), new.adults, new.minors)
    if new.priority not in (1, 2, 3):
        raise ValidationError(_("Choose the priority."))
    if new.stay_days <= 0 or new.stay_days > 3 * 366:
        raise ValidationError(_("The expected stay must be from 1 day to 3 years."))
    try:
        needs = sorted(e.RequestNeed(n).value for n in new.needs)
        target = e.TargetGroup(new.target_group) if new.target_group else None
    except ValueError as exc:
        raise ValidationError(_("Choose the target group and the needs from the lists.")) from exc
    return {
        "referral_code": new.referral_code.strip(),
        "referral_date": new.referral_date,
        "referring_body": new.referring_body.strip(),
        "target_group": target,
        "adults": new.adults,
        "minors": new.minors,
        "needs": ",".join(needs),
        "priority": new.priority,
        "province": limits.province(new.province) if new.province.strip() else "",
        "programme_id": new.programme_id,
        "stay_days": new.stay_days,
        "household_id": new.household_id,
        "notes": new.notes.strip(),
    }


class WaitingList(UseCases):
    """Requests of placement: add, change, withdraw, mark expired, place; the list."""

    def __init__(self, work: UnitOfWork, finder_: finder.Finder) -> None:
        super().__init__(work)
        self.finder = finder_

    # -- writes --
    def add(self, new: r.NewRequest) -> r.RequestInfo:
        today = self.work.today()
        values = _check(new, today)
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Programme, new.programme_id)
            req = e.PlacementRequest(**values, status=e.RequestStatus.WAITING, close_reason="")
            s.add(req)
            s.flush()
            self.work.audit(
                s, "request", "placement_request", req.id, people=req.adults + req.minors
            )
            return self._result(s, req, today)

    def change(
        self, request_id: int, new: r.NewRequest, *, version: int | None = None
    ) -> r.RequestInfo:
        """Correct what a waiting request says."""
        today = self.work.today()
        values = _check(new, today)
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.PlacementRequest, request_id)
            self.work.require(s, Right.PLACE, e.Programme, new.programme_id)
            req = self._waiting(s, request_id, version)
            for key, value in values.items():
                setattr(req, key, value)
            s.flush()
            self.work.audit(s, "change", "placement_request", req.id)
            return self._result(s, req, today)

    def withdraw(
        self, request_id: int, day: dt.date, reason: str, *, version: int | None = None
    ) -> r.RequestInfo:
        """The referral is withdrawn (found another place, refused, no longer reachable)."""
        if not reason.strip():
            raise ValidationError(_("Write why the request is withdrawn."))
        return self._close(request_id, day, reason, e.RequestStatus.WITHDRAWN, version)

    def expire(
        self, request_id: int, day: dt.date, reason: str = "", *, version: int | None = None
    ) -> r.RequestInfo:
        """The request lapsed without a place (the referral's terms ran out)."""
        return self._close(request_id, day, reason, e.RequestStatus.EXPIRED, version)

    def place(
        self,
        request_id: int,
        household_id: int,
        structure_id: int,
        entry_date: dt.date,
        *,
        version: int | None = None,
        planned_end: dt.date | None = None,
        beds: Mapping[int, int] | None = None,
        person_ids: Sequence[int] | None = None,
        override_reason: str = "",
        note: str = "",
    ) -> r.PlacementInfo:
        """Place the household of the request (as ``placements.place``) and close the
        request with the entry day and the placement, in one transaction."""
        if planned_end is not None and planned_end <= entry_date:
            raise ValidationError(_("The planned end must come after the entry date."))
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.PlacementRequest, request_id)
            self.work.require(s, Right.PLACE, e.Structure, structure_id)
            req = self._waiting(s, request_id, version)
            if entry_date < req.referral_date:
                raise ValidationError(
                    _("The entry date comes before the referral ({date}).").format(
                        date=format_date(req.referral_date)
                    )
                )
            pl = place_in(
                self.work,
                s,
                household_id,
                structure_id,
                entry_date,
                planned_end=planned_end,
                beds=beds,
                person_ids=person_ids,
                override_reason=override_reason,
                note=note,
                write_now=True,  # the request refers to it
            )
            req.status = e.RequestStatus.PLACED
            req.closed_on = entry_date
            req.placement_id = pl.id
            req.household_id = household_id
            s.flush()
            self.work.audit(
                s,
                "place",
                "placement_request",
                req.id,
                placement=pl.id,
                days_waited=(entry_date - req.referral_date).days,
            )
            return convert.placement(pl, self.work.today())

    # -- reads --
    def requests(self, *, waiting_only: bool = False) -> list[r.RequestInfo]:
        """The requests, those waiting first by priority and days waited (longest first),
        then the closed ones, the latest closed first."""
        today = self.work.today()
        stmt = (
            select(e.PlacementRequest, e.Programme.code, e.Household.code)
            .outerjoin(e.Programme, e.Programme.id == e.PlacementRequest.programme_id)
            .outerjoin(e.Household, e.Household.id == e.PlacementRequest.household_id)
        )
        if waiting_only:
            stmt = stmt.where(e.PlacementRequest.status == e.RequestStatus.WAITING)
        with self.db.read() as s:
            found = [
                _info(req, pcode or "", hcode or "", today) for req, pcode, hcode in s.execute(stmt)
            ]
        waiting = sorted(
            (q for q in found if q.waiting), key=lambda q: (q.priority, -q.days_waited, q.id)
        )
        closed = sorted(
            (q for q in found if not q.waiting),
            key=lambda q: (q.closed_on or dt.date.min, q.id),
            reverse=True,
        )
        return waiting + closed

    def request(self, request_id: int) -> r.RequestInfo:
        with self.db.read() as s:
            return self._result(s, get(s, e.PlacementRequest, request_id), self.work.today())

    def answer(self, req: r.RequestInfo, start: dt.date | None = None) -> list[r.FreeBedAnswer]:
        """The free-bed finder's answer for the request: from ``start`` (today) for its
        expected stay, in its programme and province when it names them."""
        start = start or self.work.today()
        return self.finder.free(
            start,
            start + dt.timedelta(days=req.stay_days),
            adults=req.adults,
            minors=req.minors,
            target=req.target_group,
            programme_code=req.programme_code or None,
            province=req.province or None,
        )

    def summary(self) -> list[r.WaitingGroupRow]:
        """Per target group (None: not given): requests waiting and their median wait so
        far; requests placed in the last year and their median wait."""
        return self.db.read_together(self.summary_reading())[0]  # type: ignore[no-any-return]

    def summary_reading(self) -> Callable[[Session], Reading]:
        """``summary`` as a reading, to be sent with others (``Database.read_together``):
        the dashboard's tables come in one round trip."""
        today = self.work.today()
        since = today - dt.timedelta(days=RECENT_DAYS)
        stmt = select(
            e.PlacementRequest.target_group,
            e.PlacementRequest.status,
            e.PlacementRequest.referral_date,
            e.PlacementRequest.closed_on,
        ).where(
            (e.PlacementRequest.status == e.RequestStatus.WAITING)
            | (
                (e.PlacementRequest.status == e.RequestStatus.PLACED)
                & (e.PlacementRequest.closed_on >= since)
            )
        )

        def finish(found: list[list[Any]]) -> list[r.WaitingGroupRow]:
            waiting: dict[str | None, list[int]] = {}
            placed: dict[str | None, list[int]] = {}
            for group, status, referred, closed in found[0]:
                key = group.value if group else None
                if status == e.RequestStatus.WAITING:
                    waiting.setdefault(key, []).append(max((today - referred).days, 0))
                else:
                    placed.setdefault(key, []).append(((closed or referred) - referred).days)
            keys = sorted(set(waiting) | set(placed), key=lambda k: (k is None, k or ""))
            return [
                r.WaitingGroupRow(
                    target_group=k,
                    waiting=len(waiting.get(k, [])),
                    median_days_waiting=statistics.median(waiting[k]) if waiting.get(k) else None,
                    placed=len(placed.get(k, [])),
                    median_days_to_place=statistics.median(placed[k]) if placed.get(k) else None,
                )
                for k in keys
            ]

        return lambda _s: ([stmt], finish)

    # -- helpers --
    def _close(
        self,
        request_id: int,
        day: dt.date,
        reason: str,
        status: e.RequestStatus,
        version: int | None,
    ) -> r.RequestInfo:
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.PlacementRequest, request_id)
            req = self._waiting(s, request_id, version)
            if day < req.referral_date:
                raise ValidationError(
                    _("The date comes before the referral ({date}).").format(
                        date=format_date(req.referral_date)
                    )
                )
            req.status = status
            req.closed_on = day
            req.close_reason = reason.strip()
            s.flush()
            self.work.audit(
                s, status.value, "placement_request", req.id, day=day, reason=reason.strip()
            )
            return self._result(s, req, self.work.today())

    @staticmethod
    def _waiting(s: Session, request_id: int, version: int | None) -> e.PlacementRequest:
        req = get(s, e.PlacementRequest, request_id)
        check_version(req, version)
        if req.status != e.RequestStatus.WAITING:
            raise ValidationError(_("This request is no longer waiting: it cannot be changed."))
        return req

    @staticmethod
    def _result(s: Session, req: e.PlacementRequest, today: dt.date) -> r.RequestInfo:
        pcode = hcode = ""
        if req.programme_id is not None:
            pcode = (
                s.scalar(select(e.Programme.code).where(e.Programme.id == req.programme_id)) or ""
            )
        if req.household_id is not None:
            hcode = (
                s.scalar(select(e.Household.code).where(e.Household.id == req.household_id)) or ""
            )
        return _info(req, pcode, hcode, today)
