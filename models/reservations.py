"""Use cases of reservations: beds held for a household expected on a date
(``backend.reservations``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import convert, rules
from . import entities as e
from . import results as r
from .errors import (
    ValidationError,
)
from .i18n import _
from .unit_of_work import Right, UseCases, get, lock_structure


def res_household_code(s: Session, household_id: int) -> str:
    return s.scalar(select(e.Household.code).where(e.Household.id == household_id)) or ""


class Reservations(UseCases):
    """Reservations (prenotazioni): hold beds, confirm on arrival, cancel."""

    def reserve(
        self,
        household_id: int,
        structure_id: int,
        expected_on: dt.date,
        *,
        beds: Mapping[int, int] | None = None,
        held_from: dt.date | None = None,
        person_ids: Sequence[int] | None = None,
        override_reason: str = "",
        note: str = "",
    ) -> r.ReservationInfo:
        """Prenotazione: hold beds for a household expected on a date."""
        held_from = held_from or min(self.work.today(), expected_on)
        if expected_on < held_from:
            raise ValidationError(_("The expected date comes before the reservation."))
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Structure, structure_id)
            st = lock_structure(s, structure_id)
            members = rules.select_members(s, household_id, person_ids)
            if s.scalar(
                select(e.Reservation.id).where(
                    e.Reservation.household_id == household_id,
                    e.Reservation.status == e.ReservationStatus.HELD,
                )
            ):
                raise ValidationError(_("This household already has a reservation held."))
            chosen = rules.assign(
                s,
                st=st,
                programme=st.programme,
                household_id=household_id,
                people=members,
                # How long they will stay is decided when they arrive: the places are
                # checked for the whole stay then (confirm_reservation).
                start=expected_on,
                until=expected_on + dt.timedelta(days=1),
                beds=beds,
                override_reason=override_reason,
            )
            res = e.Reservation(
                household_id=household_id,
                programme_id=st.programme_id,
                structure_id=st.id,
                held_from=held_from,
                expected_on=expected_on,
                status=e.ReservationStatus.HELD,
                note=(
                    note.strip()
                    + (" " + override_reason.strip() if override_reason.strip() else "")
                ).strip(),
                beds=[
                    e.ReservationBed(bed_id=bed_id, person_id=pid) for pid, bed_id in chosen.items()
                ],
            )
            s.add(res)
            s.flush()
            self.work.audit(s, "reserve", "reservation", res.id, structure=st.id, beds=len(chosen))
            return convert.reservation(res, st.code, res_household_code(s, household_id))

    def confirm_reservation(
        self,
        reservation_id: int,
        *,
        entry_date: dt.date | None = None,
        planned_end: dt.date | None = None,
        override_reason: str = "",
    ) -> r.PlacementInfo:
        """The household arrived: the reservation becomes a placement in the held beds."""
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Reservation, reservation_id)
            res = get(s, e.Reservation, reservation_id, options=convert.RESERVATION)
            if res.status != e.ReservationStatus.HELD:
                raise ValidationError(_("This reservation is no longer held."))
            # Held for the result's household code (the session keeps only referenced rows).
            household = get(s, e.Household, res.household_id)
            day = entry_date or res.expected_on
            if day < res.held_from:
                raise ValidationError(_("The entry date comes before the reservation."))
            if planned_end is not None and planned_end <= day:
                raise ValidationError(_("The planned end must come after the entry date."))
            st = lock_structure(s, res.structure_id)
            beds = {b.person_id: b.bed_id for b in res.beds if b.person_id is not None}
            members = rules.select_members(s, res.household_id, list(beds))
            res.status = e.ReservationStatus.CONFIRMED
            res.closed_on = day
            s.flush()
            chosen = rules.assign(
                s,
                st=st,
                programme=st.programme,
                household_id=res.household_id,
                people=members,
                start=day,
                until=planned_end,
                beds=beds,
                override_reason=override_reason or res.note,
            )
            pl = e.Placement(
                household_id=res.household_id,
                programme_id=st.programme_id,
                entry_date=day,
                planned_end=planned_end,
                status=e.PlacementStatus.ACTIVE,
                household=household,
                extensions=[],
            )
            s.add(pl)
            s.flush()
            # The reason given when the beds were held (kept in the note) is recorded on the
            # stays when the target group still needs it, as a direct placement would.
            recorded = override_reason.strip()
            if not recorded and rules.target_problem(
                st, [(m.person, m.relationship_) for m in members], day
            ):
                recorded = res.note
            for pid, bed_id in chosen.items():
                s.add(
                    e.BedStay(
                        placement_id=pl.id,
                        person_id=pid,
                        bed_id=bed_id,
                        start_date=day,
                        end_date=None,
                        override_reason=recorded,
                    )
                )
            s.flush()
            self.work.audit(
                s, "confirm", "reservation", res.id, placement=pl.id, override=bool(recorded)
            )
            return convert.placement(pl)

    def cancel_reservation(
        self, reservation_id: int, *, day: dt.date | None = None, reason: str = ""
    ) -> r.ReservationInfo:
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Reservation, reservation_id)
            res = get(s, e.Reservation, reservation_id, options=convert.RESERVATION)
            if res.status != e.ReservationStatus.HELD:
                raise ValidationError(_("This reservation is no longer held."))
            res.status = e.ReservationStatus.CANCELLED
            res.closed_on = max(day or self.work.today(), res.held_from)
            s.flush()
            self.work.audit(s, "cancel", "reservation", res.id, reason=reason.strip())
            st = get(s, e.Structure, res.structure_id)
            return convert.reservation(res, st.code, res_household_code(s, res.household_id))
