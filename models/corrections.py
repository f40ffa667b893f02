"""Corrections of history: a wrong stay corrected or cancelled, a placement entered by
mistake cancelled; the old values stay in the audit trail (``backend.corrections``)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from . import convert, rules
from . import entities as e
from . import results as r
from .errors import (
    BedOccupiedError,
    NotFoundError,
    PersonAlreadyPlacedError,
    ValidationError,
)
from .formatting import format_date
from .i18n import _
from .unit_of_work import Right, UseCases, check_version, get, lock_row, touch

_BED_IN_STRUCTURE = (
    joinedload(e.Bed.room, innerjoin=True).joinedload(e.Room.structure, innerjoin=True),
)


class Keep(enum.Enum):
    """Left out of a correction: the value stays as it is."""

    END = "keep"


def _locked_stay(s: Session, stay_id: int, version: int | None) -> e.BedStay:
    """The stay, read after its placement is locked and its version checked: what the
    audit keeps as "before" is what the change replaces, and two corrections of one
    stay at once are taken one after the other (the second is told)."""
    placement_id = s.scalar(select(e.BedStay.placement_id).where(e.BedStay.id == stay_id))
    if placement_id is None:
        raise NotFoundError(_("The record no longer exists (it may have been removed)."))
    pl = s.get(e.Placement, placement_id, with_for_update=True, populate_existing=True)
    if pl is None:
        raise NotFoundError(_("The record no longer exists (it may have been removed)."))
    check_version(pl, version)
    return get(s, e.BedStay, stay_id, options=convert.STAY)


class Corrections(UseCases):
    """Corrections and cancellations of stays and placements.

    ``version`` is the version of the placement (``StayInfo.placement_version``,
    ``PlacementInfo.version``) as the coordinator saw it; None skips the check.
    """

    def correct_stay(
        self,
        stay_id: int,
        reason: str,
        *,
        start_date: dt.date | None = None,
        end_date: dt.date | None | Keep = Keep.END,
        bed_id: int | None = None,
        version: int | None = None,
    ) -> r.StayInfo:
        """Correct a wrong stay (dates or bed). The old values stay in the audit trail.

        ``end_date=None`` makes the stay open; left out, the end stays as it is.
        """
        if not reason.strip():
            raise ValidationError(_("A correction needs a reason."))
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.BedStay, stay_id)
            if bed_id is not None:
                self.work.require(s, Right.PLACE, e.Bed, bed_id)
            stay = _locked_stay(s, stay_id, version)
            if stay.cancelled:
                raise ValidationError(_("This stay was cancelled: it cannot be corrected."))
            before = {"start": stay.start_date, "end": stay.end_date, "bed": stay.bed_id}
            new_start = start_date or stay.start_date
            new_end = stay.end_date if isinstance(end_date, Keep) else end_date
            if new_end is not None and new_end <= new_start:
                raise ValidationError(_("The end date must come after the start date."))
            new_bed = bed_id or stay.bed_id
            b = get(s, e.Bed, new_bed, options=_BED_IN_STRUCTURE)
            err = rules.bed_problem(
                s, b, new_start, new_end, stay.placement.household_id, {stay.id}
            )
            if isinstance(err, BedOccupiedError):
                raise err
            for other in s.scalars(
                select(e.BedStay).where(
                    e.BedStay.person_id == stay.person_id,
                    e.BedStay.cancelled.is_(False),
                    e.BedStay.id != stay.id,
                )
            ):
                if rules.overlaps(other.start_date, other.end_date, new_start, new_end):
                    raise PersonAlreadyPlacedError(
                        _("{person} already has a bed from {date}.").format(
                            person=stay.person.code,
                            date=format_date(max(other.start_date, new_start)),
                        )
                    )
            stay.start_date, stay.end_date, stay.bed = new_start, new_end, b
            s.flush()
            pl = stay.placement
            if new_start < pl.entry_date:
                pl.entry_date = new_start
            touch(pl)
            self.work.audit(
                s,
                "correct",
                "bed_stay",
                stay.id,
                reason=reason.strip(),
                before=before,
                after={"start": new_start, "end": new_end, "bed": new_bed},
            )
            s.flush()
            return convert.stay(stay)

    def cancel_stay(self, stay_id: int, reason: str, version: int | None = None) -> r.StayInfo:
        """Cancel a stay entered by mistake: it stays in the records, marked cancelled."""
        if not reason.strip():
            raise ValidationError(_("A cancellation needs a reason."))
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.BedStay, stay_id)
            stay = _locked_stay(s, stay_id, version)
            if stay.cancelled:
                raise ValidationError(_("This stay is already cancelled."))
            stay.cancelled = True
            s.flush()
            pl = stay.placement
            live = s.scalar(
                select(func.count(e.BedStay.id)).where(
                    e.BedStay.placement_id == pl.id, e.BedStay.cancelled.is_(False)
                )
            )
            if not live and pl.status == e.PlacementStatus.ACTIVE:
                pl.status = e.PlacementStatus.CANCELLED
            touch(pl)
            self.work.audit(s, "cancel", "bed_stay", stay.id, reason=reason.strip())
            s.flush()
            return convert.stay(stay)

    def cancel_placement(
        self, placement_id: int, reason: str, version: int | None = None
    ) -> r.PlacementInfo:
        """Cancel a placement entered by mistake, with all its stays."""
        if not reason.strip():
            raise ValidationError(_("A cancellation needs a reason."))
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Placement, placement_id)
            lock_row(s, e.Placement, placement_id)
            pl = get(s, e.Placement, placement_id, options=convert.PLACEMENT)
            check_version(pl, version)
            if pl.status == e.PlacementStatus.CANCELLED:
                raise ValidationError(_("This placement is already cancelled."))
            for stay in s.scalars(select(e.BedStay).where(e.BedStay.placement_id == pl.id)):
                stay.cancelled = True
            pl.status = e.PlacementStatus.CANCELLED
            s.flush()
            self.work.audit(s, "cancel", "placement", pl.id, reason=reason.strip())
            return convert.placement(pl)
