"""Use cases of a stay: the fit of a household in a structure, placement, transfer,
exit and extension (``backend.placements``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from . import convert, limits, rules, terms
from . import entities as e
from . import results as r
from .database import Reading
from .errors import (
    DomainError,
    MinorAloneError,
    ValidationError,
)
from .formatting import format_date
from .i18n import _
from .unit_of_work import (
    Right,
    UnitOfWork,
    UseCases,
    check_version,
    get,
    lock_row,
    lock_row_statement,
    lock_structure,
    lock_structure_statement,
    touch,
)


class Placements(UseCases):
    """Placements (inserimenti), transfers (trasferimenti), exits (uscite), extensions (proroghe)."""

    def _open_stays(
        self,
        s: Session,
        placement_id: int,
        chosen: Mapping[int, int],
        day: dt.date,
        override_reason: str,
    ) -> None:
        open_stays(self.work, s, placement_id, chosen, day, override_reason)

    def _end_stays(self, s: Session, stays: Sequence[e.BedStay], day: dt.date) -> None:
        """End ``stays`` on ``day``, sent with the COMMIT and before any new stay of the
        same people (a person sleeps in one bed a night)."""
        if not stays:
            return
        self.work.with_commit(
            s,
            update(e.BedStay)
            .where(e.BedStay.id.in_([x.id for x in stays]))
            .values(end_date=day)
            .execution_options(synchronize_session=False),
        )
        touched = s.info["touched"]
        touched.beds.update(x.bed_id for x in stays)
        touched.placements.update(x.placement_id for x in stays)

    def check_fit(
        self,
        household_id: int,
        structure_id: int,
        day: dt.date,
        person_ids: Sequence[int] | None = None,
        *,
        until: dt.date | None = None,
    ) -> r.FitReport:
        """Does the household fit the structure from ``day``? Proposes beds, explains refusals.

        The places are checked up to ``until`` (the planned end; open-ended when None), as
        ``place`` does.
        """
        with self.db.read() as s:
            st = get(s, e.Structure, structure_id, options=convert.STRUCTURE)
            members = rules.select_members(s, household_id, person_ids)
            ids = [m.person_id for m in members]
            persons = [m.person for m in members]
            proposal = rules.propose(s, st, persons, day, None, household_id)
            # Someone moving to another bed of the structure leaves their own place (transfer).
            short = rules.capacity_shortfall(s, st.id, day, until, ids, household_id=household_id)
            reasons, target = rules.fit_reasons(
                st,
                st.programme,
                day,
                members,
                rules.companions(s, household_id, st.id, day, ids),
                proposal,
                short,
            )
            return r.FitReport(structure_id, not reasons, tuple(reasons), target, proposal or {})

    def check_fit_many(
        self,
        household_id: int,
        structure_ids: Sequence[int],
        day: dt.date,
        person_ids: Sequence[int] | None = None,
        *,
        until: dt.date | None = None,
        until_programme: int | None = None,
    ) -> dict[int, r.FitReport]:
        """``check_fit`` for every structure of ``structure_ids`` (a whole programme for the
        placement dialog) in a few statements whatever their number, through the same
        rules. ``until`` holds for the structures of ``until_programme`` only, when given
        (a transfer keeps its planned end within its programme), the others open-ended.
        A refusal that concerns the people rather than a structure is every structure's
        answer."""
        found: dict[int, r.FitReport] = self.db.read_together(
            self.fit_many_reading(
                household_id,
                structure_ids,
                day,
                person_ids,
                until=until,
                until_programme=until_programme,
            )
        )[0]
        return found

    def fit_many_reading(
        self,
        household_id: int,
        structure_ids: Sequence[int] | None,
        day: dt.date,
        person_ids: Sequence[int] | None = None,
        *,
        until: dt.date | None = None,
        until_programme: int | None = None,
        programme_id: int | None = None,
    ) -> Callable[[Session], Reading]:
        """``check_fit_many`` as a reading: the structures and the people are read first
        (one round trip), then the beds, their problems, the places and where the other
        members sleep go in one round trip, with any other reading sent together
        (``Database.read_together``). ``structure_ids`` None: every structure of
        ``programme_id``, without asking for their list first."""
        wanted = list(dict.fromkeys(structure_ids or ()))
        structures_statement = select(e.Structure).options(*convert.STRUCTURE)
        if structure_ids is None:
            structures_statement = structures_statement.where(
                e.Structure.programme_id == programme_id
            )
        else:
            structures_statement = structures_statement.where(e.Structure.id.in_(wanted))

        def reading(s: Session) -> Reading:
            self.db.prefetch(
                s, [structures_statement, rules.household_members_statement(household_id)]
            )
            structures = {st.id: st for st in s.scalars(structures_statement)}
            if structure_ids is None:
                wanted[:] = list(structures)
            gone = _("The record no longer exists (it may have been removed).")
            reports = {
                sid: r.FitReport(sid, False, (gone,), False, {})
                for sid in wanted
                if sid not in structures
            }
            try:
                members = rules.select_members(s, household_id, person_ids)
            except DomainError as exc:
                refused = {sid: r.FitReport(sid, False, (str(exc),), False, {}) for sid in wanted}
                return [], lambda _rows: refused
            ids = [m.person_id for m in members]
            persons = [m.person for m in members]
            beds, proposals_of = rules.proposals_query(
                list(structures), persons, day, None, household_id
            )
            places, shortfalls_of = rules.capacity_shortfalls_query(
                day,
                {
                    sid: until if until_programme in (None, st.programme_id) else None
                    for sid, st in structures.items()
                },
                ids,
                household_id=household_id,
            )
            together, companions_of = rules.companions_query(
                rules.household_members(s, household_id), day, ids
            )
            statements = [*beds, *(x for x in (places, together) if x is not None)]

            def finish(rows: list[list[Any]]) -> dict[int, r.FitReport]:
                proposals = proposals_of(rows[:2])
                at = 2
                shortfalls = shortfalls_of(rows[at] if places is not None else [])
                at += places is not None
                companions = companions_of(rows[at] if together is not None else [])
                for sid, st in structures.items():
                    reasons, target = rules.fit_reasons(
                        st,
                        st.programme,
                        day,
                        members,
                        companions.get(sid, []),
                        proposals[sid],
                        shortfalls[sid],
                    )
                    reports[sid] = r.FitReport(
                        sid, not reasons, tuple(reasons), target, proposals[sid] or {}
                    )
                return {sid: reports[sid] for sid in wanted}

            return statements, finish

        return reading

    def place(
        self,
        household_id: int,
        structure_id: int,
        entry_date: dt.date,
        *,
        planned_end: dt.date | None = None,
        beds: Mapping[int, int] | None = None,
        person_ids: Sequence[int] | None = None,
        override_reason: str = "",
        note: str = "",
    ) -> r.PlacementInfo:
        """Place a household (or the chosen members) into a structure from ``entry_date``.

        ``beds`` maps person id to bed id; without it the service proposes free beds.
        """
        if planned_end is not None and planned_end <= entry_date:
            raise ValidationError(_("The planned end must come after the entry date."))
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Structure, structure_id)
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
            )
            return convert.placement(pl, self.work.today())

    def transfer(
        self,
        placement_id: int,
        day: dt.date,
        destination_structure_id: int,
        *,
        person_ids: Sequence[int] | None = None,
        beds: Mapping[int, int] | None = None,
        override_reason: str = "",
        version: int | None = None,
    ) -> r.PlacementInfo:
        """Move the household (or chosen members) to other beds from ``day``, in one transaction.

        Within the programme the placement goes on; to a structure of another programme
        the moved people leave this placement ("transferred to another project") and a
        new placement starts there. Returns the placement the people are in afterwards.
        """
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Placement, placement_id)
            self.work.require(s, Right.PLACE, e.Structure, destination_structure_id)
            # On the shared server the locks and every read below go in the first round
            # trip, with the BEGIN; the stays and the placement's new version go with the
            # COMMIT (two round trips and the checks' one).
            household = (
                select(e.Placement.household_id)
                .where(e.Placement.id == placement_id)
                .scalar_subquery()
            )
            placement_statement = (
                select(e.Placement)
                .where(e.Placement.id == placement_id)
                .options(*convert.PLACEMENT)
            )
            members_statement = rules.household_members_statement(household)
            beds_statement = rules.household_beds_statement(household, day)
            shared = not self.db.is_sqlite
            if shared:
                self.db.prefetch(
                    s,
                    [
                        # The placement first, then the structure (as a placement
                        # locks its household before its structure).
                        lock_row_statement(e.Placement, placement_id),
                        placement_statement,
                        lock_structure_statement(destination_structure_id),
                        rules.live_stays_statement(placement_id, day),
                        members_statement,
                        beds_statement,
                    ],
                )
                lock_row(s, e.Placement, placement_id)
            pl = s.execute(placement_statement).unique().scalar_one_or_none() or get(
                s, e.Placement, placement_id
            )  # gone: ``get`` says so
            check_version(pl, version)
            if pl.status != e.PlacementStatus.ACTIVE:
                raise ValidationError(_("This placement has ended: it cannot be changed."))
            dest = lock_structure(s, destination_structure_id)
            stays = rules.live_stays(s, placement_id, day)
            if shared:
                rules.remember_members(
                    s, pl.household_id, s.scalars(members_statement).unique().all()
                )
                rules.remember_household_beds(s, pl.household_id, day, s.execute(beds_statement))
            stays = [x for x in stays if x.start_date <= day]
            current = {x.person_id: x for x in stays}
            if not current:
                raise ValidationError(
                    _("Nobody of this placement has a bed on {date}.").format(date=format_date(day))
                )
            moving_ids = list(person_ids) if person_ids is not None else list(current)
            for pid in moving_ids:
                if pid not in current:
                    raise ValidationError(
                        _("This person has no bed in this placement on {date}.").format(
                            date=format_date(day)
                        )
                    )
            for pid in moving_ids:
                if current[pid].start_date >= day:
                    raise ValidationError(
                        _(
                            "The transfer date must come after the start of the current stay; correct the stay instead."
                        )
                    )
                if current[pid].end_date is not None:
                    raise ValidationError(
                        _(
                            "A stay that already has an end cannot be transferred; correct it instead."
                        )
                    )
            members = [
                m
                for m in rules.household_members(s, pl.household_id)
                if m.person_id in set(moving_ids)
            ]
            new_programme = dest.programme
            ignore = {current[pid].id for pid in moving_ids}
            # Same bed again is no transfer.
            if beds is not None and all(current[pid].bed_id == beds.get(pid) for pid in moving_ids):
                raise ValidationError(_("The destination is the bed the person is in already."))
            # First the rule no reason can override: no minor left without an adult.
            problem = rules.minor_problem(
                s, pl.household_id, pl.programme, day, dict.fromkeys(moving_ids, dest.id)
            )
            if problem:
                raise MinorAloneError(problem)
            # Within the programme the people stay until the placement's planned end; in
            # another one a new placement starts, with no planned end yet.
            until = pl.planned_end if new_programme.id == pl.programme_id else None
            chosen = rules.assign(
                s,
                st=dest,
                programme=new_programme,
                household_id=pl.household_id,
                people=members,
                start=day,
                until=until,
                beds=beds,
                override_reason=override_reason,
                ignore_stays=ignore,
                companions=rules.companions(s, pl.household_id, dest.id, day, moving_ids),
            )
            self._end_stays(s, [current[pid] for pid in moving_ids], day)
            target = pl
            if new_programme.id != pl.programme_id:
                target = e.Placement(
                    household_id=pl.household_id,
                    programme_id=new_programme.id,
                    entry_date=day,
                    planned_end=None,
                    status=e.PlacementStatus.ACTIVE,
                    extensions=[],
                )
                s.add(target)
                s.flush()
                if set(moving_ids) == set(current):
                    pl.exit_date = day
                    pl.exit_reason = e.ExitReason.TRANSFER_OTHER_PROJECT
                    pl.exit_destination = new_programme.code
                    pl.status = e.PlacementStatus.EXITED
            self._open_stays(s, target.id, chosen, day, override_reason)
            if shared and target is pl:
                # Locked since the first round trip: its version is the one read, and
                # the new one goes with the COMMIT.
                self.work.with_commit(
                    s,
                    update(e.Placement)
                    .where(e.Placement.id == pl.id, e.Placement.version == pl.version)
                    .values(version=pl.version + 1)
                    .execution_options(synchronize_session=False),
                )
                set_committed_value(pl, "version", pl.version + 1)
                s.info["touched"].add(pl)
            else:
                touch(pl)
            s.flush()
            self.work.audit(
                s,
                "transfer",
                "placement",
                pl.id,
                to_structure=dest.id,
                people=len(chosen),
                to_placement=target.id,
                override=bool(override_reason.strip()),
            )
            return convert.placement(target, self.work.today())

    def record_exit(
        self,
        placement_id: int,
        day: dt.date,
        reason: str,
        *,
        destination: str = "",
        person_ids: Sequence[int] | None = None,
        version: int | None = None,
    ) -> r.PlacementInfo:
        """Uscita: end the stays of the placement (or of some members) on ``day``.

        When nobody of the placement is left, the placement ends with the reason.
        """
        try:
            exit_reason = e.ExitReason(reason)
        except ValueError as exc:
            raise ValidationError(_("Choose the reason of the exit.")) from exc
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Placement, placement_id)
            pl = get(s, e.Placement, placement_id, options=convert.PLACEMENT)
            check_version(pl, version)
            previous = None
            if _exit_scheduled(pl, self.work.today()):
                # Recording the exit again changes its date and reason: the stays it
                # ended run again first (the audit names the date replaced).
                previous = pl.exit_date
                _reopen(s, pl)
            if pl.status != e.PlacementStatus.ACTIVE:
                raise ValidationError(_("This placement has ended: it cannot be changed."))
            if day < pl.entry_date:
                raise ValidationError(_("The exit date comes before the entry date."))
            stays = rules.live_stays(s, placement_id, day)
            leaving = [x for x in stays if person_ids is None or x.person_id in set(person_ids)]
            if person_ids is not None and {x.person_id for x in leaving} != set(person_ids):
                raise ValidationError(
                    _("This person has no bed in this placement on {date}.").format(
                        date=format_date(day)
                    )
                )
            for x in leaving:
                if x.start_date >= day:
                    raise ValidationError(
                        _(
                            "The exit date must come after the start of the stay ({date}); cancel the stay instead."
                        ).format(date=format_date(x.start_date))
                    )
                if x.end_date is not None:
                    # Someone who already left (on a later date) keeps that record:
                    # shortening it here would overwrite history without a trace.
                    raise ValidationError(
                        _("A member already left on {date}: correct that stay first.").format(
                            date=format_date(x.end_date)
                        )
                    )
            if person_ids is not None:
                problem = rules.minor_problem(
                    s, pl.household_id, pl.programme, day, dict.fromkeys(person_ids)
                )
                if problem:
                    raise MinorAloneError(problem)
            self._end_stays(s, leaving, day)
            remaining = [x for x in stays if x not in leaving]
            if not remaining:
                pl.exit_date = day
                pl.exit_reason = exit_reason
                pl.exit_destination = destination.strip()
                pl.status = e.PlacementStatus.EXITED
            touch(pl)
            s.flush()
            self.work.audit(
                s,
                "exit",
                "placement",
                pl.id,
                day=day,
                reason=exit_reason.value,
                people=len(leaving),
                whole=not remaining,
                replaces=previous,
            )
            return convert.placement(pl, self.work.today())

    def cancel_scheduled_exit(
        self, placement_id: int, *, version: int | None = None
    ) -> r.PlacementInfo:
        """Take back an exit recorded for a later date: the stays it ended go on, the
        placement runs again with no exit (to change the date, record the exit again)."""
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Placement, placement_id)
            pl = get(s, e.Placement, placement_id, options=convert.PLACEMENT)
            check_version(pl, version)
            today = self.work.today()
            if not _exit_scheduled(pl, today):
                raise ValidationError(_("This placement has no scheduled exit to cancel."))
            day = pl.exit_date
            _reopen(s, pl)
            touch(pl)
            s.flush()
            self.work.audit(s, "cancel_exit", "placement", pl.id, day=day)
            return convert.placement(pl, today)

    def extend(
        self,
        placement_id: int,
        new_planned_end: dt.date,
        reason: str,
        *,
        authorised_by: str = "",
        granted_on: dt.date | None = None,
        version: int | None = None,
        beyond_terms_reason: str = "",
    ) -> r.PlacementInfo:
        """Proroga: move the planned end of an active placement later, with a reason.

        In a SAI programme an extension beyond the terms (six months, then six more) also
        needs ``beyond_terms_reason``, recorded with the reason; the extension is marked
        (``ExtensionInfo.beyond_terms``)."""
        if not reason.strip():
            raise ValidationError(_("An extension needs a reason."))
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Placement, placement_id)
            pl = get(s, e.Placement, placement_id, options=convert.PLACEMENT)
            check_version(pl, version)
            if not rules.running(pl, self.work.today()):
                raise ValidationError(_("This placement has ended: it cannot be changed."))
            if new_planned_end <= pl.entry_date:
                raise ValidationError(_("The planned end must come after the entry date."))
            if pl.planned_end is not None and new_planned_end <= pl.planned_end:
                raise ValidationError(
                    _("An extension must move the planned end later than {date}.").format(
                        date=format_date(pl.planned_end)
                    )
                )
            text = reason.strip()
            category = pl.programme.sai_category
            applies = terms.sai_terms_apply(
                pl.programme.kind.value, category.value if category else None
            )
            beyond = terms.beyond_sai_terms(applies, pl.entry_date, new_planned_end)
            if beyond:
                why = beyond_terms_reason.strip()
                if not why:
                    raise ValidationError(
                        _(
                            "The new planned end goes beyond the SAI terms (six months, then six "
                            "more: until {date}). Write why in “Beyond the SAI terms”; nothing "
                            "was saved."
                        ).format(date=format_date(terms.sai_terms_end(pl.entry_date)))
                    )
                text = f"{text} — {_('beyond the SAI terms')}: {why}"[:500]
            pl.extensions.append(
                e.Extension(
                    previous_planned_end=pl.planned_end,
                    new_planned_end=new_planned_end,
                    reason=text,
                    authorised_by=authorised_by.strip(),
                    granted_on=granted_on or self.work.today(),
                )
            )
            pl.planned_end = new_planned_end
            s.flush()
            self.work.audit(
                s,
                "extend",
                "placement",
                pl.id,
                new_planned_end=new_planned_end,
                beyond_sai_terms=beyond,
            )
            return convert.placement(pl, self.work.today())

    def extension_capacity_warning(self, placement_id: int, new_planned_end: dt.date) -> str | None:
        """Would the people of the placement take their structure past its places on a
        night that the new planned end adds? The extension is granted by others and is
        recorded anyway: this only warns (the extension dialog shows it)."""
        with self.db.read() as s:
            pl = get(s, e.Placement, placement_id)
            if pl.status != e.PlacementStatus.ACTIVE or pl.planned_end is None:
                return None  # an open-ended stay was counted as such when it began
            start = pl.planned_end
            if new_planned_end <= start:
                return None
            rows = s.execute(
                select(e.BedStay.person_id, e.Room.structure_id, e.Structure.name)
                .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
                .join(e.Room, e.Room.id == e.Bed.room_id)
                .join(e.Structure, e.Structure.id == e.Room.structure_id)
                .where(
                    e.BedStay.placement_id == pl.id,
                    e.BedStay.cancelled.is_(False),
                    e.BedStay.start_date <= start,
                    e.BedStay.end_date.is_(None),
                )
            ).all()
            staying: dict[tuple[int, str], list[int]] = {}
            for person_id, structure_id, name in rows:
                staying.setdefault((structure_id, name), []).append(person_id)
            for (structure_id, name), people in sorted(staying.items()):
                short = rules.capacity_shortfall(
                    s, structure_id, start, new_planned_end, people, household_id=pl.household_id
                )
                if short is not None:
                    return (
                        rules.capacity_message(
                            name,
                            short.night,
                            short.occupied,
                            short.places,
                            len(people),
                            short.held,
                        )
                        + " "
                        + _(
                            "The extension can be recorded anyway: plan a transfer, or the end of another stay."
                        )
                    )
            return None


def _exit_scheduled(pl: e.Placement, today: dt.date) -> bool:
    """A whole exit recorded for a date after ``today`` (a transfer to another programme
    is taken back by cancelling the placement it opened)."""
    return (
        pl.status == e.PlacementStatus.EXITED
        and pl.exit_date is not None
        and pl.exit_date > today
        and pl.exit_reason != e.ExitReason.TRANSFER_OTHER_PROJECT
    )


def _reopen(s: Session, pl: e.Placement) -> None:
    """The stays a scheduled exit ended run on; the placement has no exit."""
    for stay in s.scalars(
        select(e.BedStay).where(
            e.BedStay.placement_id == pl.id,
            e.BedStay.cancelled.is_(False),
            e.BedStay.end_date == pl.exit_date,
        )
    ):
        stay.end_date = None
    pl.exit_date = None
    pl.exit_reason = None
    pl.exit_destination = ""
    pl.status = e.PlacementStatus.ACTIVE
    s.flush()


def place_in(
    work: UnitOfWork,
    s: Session,
    household_id: int,
    structure_id: int,
    entry_date: dt.date,
    *,
    planned_end: dt.date | None = None,
    beds: Mapping[int, int] | None = None,
    person_ids: Sequence[int] | None = None,
    override_reason: str = "",
    note: str = "",
    write_now: bool = False,
) -> e.Placement:
    """The placement of ``Placements.place`` inside the transaction ``s`` of a use case
    (placing from the waiting list closes the request in the same transaction).
    ``write_now``: the placement's row is written before this returns (the caller's
    rows refer to it), not with the COMMIT."""
    held_statement = select(e.Reservation).where(
        e.Reservation.household_id == household_id,
        e.Reservation.status == e.ReservationStatus.HELD,
    )
    shared = not work.db.is_sqlite and not write_now
    # On the shared server every read below goes in the first round trip, with the
    # BEGIN and the locks, and the new placement's id is taken there too: its rows then
    # go with the COMMIT (two round trips and the checks' one).
    work.db.prefetch(
        s,
        [
            lock_row_statement(e.Household, household_id),
            lock_structure_statement(structure_id),
            rules.household_members_statement(household_id),
            held_statement,
            # asked by the minor rule and by the companions' target group
            rules.household_beds_statement(household_id, entry_date),
            rules.household_beds_statement(household_id, entry_date),
            *([next_id_statement(e.Placement)] if shared else []),
        ],
    )
    # The household first, then the structure: two placements of one household
    # into two structures are taken one after the other (the second is told they
    # are already placed) instead of deadlocking on the stays' exclusion.
    lock_row(s, e.Household, household_id)
    st = lock_structure(s, structure_id)
    programme = st.programme
    # The members come with their household, held by them for the result's code.
    members = rules.select_members(s, household_id, person_ids)
    held = s.scalar(held_statement)
    if held is not None:
        # Placing beside a held reservation would keep its beds held for nobody.
        raise ValidationError(
            _(
                "This household has beds reserved (expected on {date}): confirm the "
                "reservation, or cancel it first."
            ).format(date=format_date(held.expected_on))
        )
    # First the rule no reason can override: no minor left without an adult.
    problem = rules.minor_problem(
        s,
        household_id,
        programme,
        entry_date,
        dict.fromkeys([m.person_id for m in members], st.id),
    )
    if problem:
        raise MinorAloneError(problem)
    chosen = rules.assign(
        s,
        st=st,
        programme=programme,
        household_id=household_id,
        people=members,
        start=entry_date,
        until=planned_end,
        beds=beds,
        override_reason=override_reason,
        companions=rules.companions(
            s, household_id, st.id, entry_date, [m.person_id for m in members]
        ),
    )
    values = {
        "household_id": household_id,
        "programme_id": programme.id,
        "entry_date": entry_date,
        "planned_end": planned_end,
        "note": note,
        "status": e.PlacementStatus.ACTIVE,
        "exit_date": None,
        "exit_reason": None,
        "exit_destination": "",
    }
    if shared:
        # Its id taken ahead: the row goes with the COMMIT, before its stays.
        pl = e.Placement(id=s.scalar(next_id_statement(e.Placement)), version=1, **values)
        limits.check_object(pl, changed_only=False)
        work.with_commit(s, insert(e.Placement).values(id=pl.id, version=1, **values))
        s.info["touched"].add(pl)
        # held by the placement for its result, after this returns (not added to the
        # session: the row is written by the statement above)
        set_committed_value(pl, "programme", programme)
        set_committed_value(pl, "household", members[0].household)
        set_committed_value(pl, "extensions", [])
    else:
        pl = e.Placement(
            **values,
            programme=programme,  # held by the placement for its result
            extensions=[],  # a new placement has none: no need to read them back
        )
        s.add(pl)
        s.flush()
    open_stays(work, s, pl.id, chosen, entry_date, override_reason)
    work.audit(
        s,
        "place",
        "placement",
        pl.id,
        structure=st.id,
        people=len(chosen),
        override=bool(override_reason.strip()),
    )
    return pl


def next_id_statement(cls: type[Any]) -> Any:
    """The next id of ``cls``'s table (PostgreSQL): taken ahead, so the new row can go
    with the COMMIT (a refused transaction leaves a gap in the ids, as any does)."""
    table = cls.__table__
    return select(func.nextval(func.pg_get_serial_sequence(table.name, "id")))


def open_stays(
    work: UnitOfWork,
    s: Session,
    placement_id: int,
    chosen: Mapping[int, int],
    day: dt.date,
    override_reason: str,
) -> None:
    """The new open stays (person -> bed), sent with the COMMIT: nothing reads them
    back in the transaction, and the database refuses them there if another PC took
    a bed or the person meanwhile (the exclusion constraints)."""
    if not chosen:
        return
    # Within its limits, as a flush would have checked it (models.limits).
    limits.check_object(e.BedStay(override_reason=override_reason.strip()), changed_only=False)
    work.with_commit(
        s,
        insert(e.BedStay).values(
            [
                {
                    "placement_id": placement_id,
                    "person_id": pid,
                    "bed_id": bed_id,
                    "start_date": day,
                    "end_date": None,
                    "cancelled": False,
                    "override_reason": override_reason.strip(),
                }
                for pid, bed_id in chosen.items()
            ]
        ),
    )
    touched = s.info["touched"]
    touched.beds.update(chosen.values())
    touched.placements.add(placement_id)
