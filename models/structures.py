"""Use cases of the network: programmes, structures, their places, rooms, beds and
beds out of service (``backend.structures``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from . import convert, limits, rules
from . import entities as e
from . import results as r
from .errors import (
    BedOccupiedError,
    BedReservedError,
    ValidationError,
)
from .formatting import format_date
from .i18n import _, ngettext
from .unit_of_work import Right, UseCases, check_version, get, lock_structure

ONE_DAY = dt.timedelta(days=1)


class Structures(UseCases):
    """Programmes (progetti), structures (strutture), capacity (capienza), rooms and beds."""

    def create_programme(
        self,
        code: str,
        name: str,
        kind: str,
        start_date: dt.date,
        *,
        sai_category: str | None = None,
        holder: str = "",
        managing_partner: str = "",
        end_date: dt.date | None = None,
        provinces: Iterable[str] = (),
    ) -> r.ProgrammeInfo:
        code, name = code.strip(), name.strip()
        if not code or not name:
            raise ValidationError(_("A programme needs a code and a name."))
        if end_date is not None and end_date <= start_date:
            raise ValidationError(_("The end date must come after the start date."))
        kind_, category = _kind_and_category(kind, sai_category)
        with self.work.transaction() as s:
            self.work.require(s, Right.PROGRAMMES)
            if s.scalar(select(e.Programme.id).where(e.Programme.code == code)):
                raise ValidationError(
                    _("A programme with code {code} already exists.").format(code=code)
                )
            p = e.Programme(
                code=code,
                name=name,
                kind=kind_,
                sai_category=category,
                holder=holder.strip(),
                managing_partner=managing_partner.strip(),
                provinces=_provinces(provinces),
                start_date=start_date,
                end_date=end_date,
            )
            s.add(p)
            s.flush()
            self.work.audit(s, "create", "programme", p.id)
            return convert.programme(p)

    def update_programme(
        self, programme_id: int, version: int | None, **fields: Any
    ) -> r.ProgrammeInfo:
        """Change a programme's details; its dates may not leave out a night on which
        one of its structures counted under it (a programme ending before its
        structures)."""
        allowed = {
            "code",
            "name",
            "holder",
            "managing_partner",
            "start_date",
            "end_date",
            "sai_category",
            "kind",
            "provinces",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise ValidationError(f"unknown fields {sorted(unknown)}")
        with self.work.transaction() as s:
            self.work.require(s, Right.PROGRAMMES)
            p = get(s, e.Programme, programme_id)
            check_version(p, version)
            if "code" in fields:
                code = str(fields["code"]).strip()
                if not code:
                    raise ValidationError(_("A programme needs a code and a name."))
                if code != p.code and s.scalar(
                    select(e.Programme.id).where(e.Programme.code == code)
                ):
                    raise ValidationError(
                        _("A programme with code {code} already exists.").format(code=code)
                    )
                p.code = code
            if "name" in fields:
                name = str(fields["name"]).strip()
                if not name:
                    raise ValidationError(_("A programme needs a code and a name."))
                p.name = name
            for key in ("holder", "managing_partner"):
                if key in fields:
                    setattr(p, key, str(fields[key]).strip())
            if "provinces" in fields:
                p.provinces = _provinces(fields["provinces"])
            if "kind" in fields or "sai_category" in fields:
                p.kind, p.sai_category = _kind_and_category(
                    fields.get("kind", p.kind.value),
                    fields.get("sai_category", p.sai_category.value if p.sai_category else None),
                )
            if "start_date" in fields:
                p.start_date = fields["start_date"]
            if "end_date" in fields:
                p.end_date = fields["end_date"]
            if p.end_date is not None and p.end_date <= p.start_date:
                raise ValidationError(_("The end date must come after the start date."))
            self._check_programme_covers(s, p)
            s.flush()
            self.work.audit(s, "update", "programme", p.id, fields=sorted(fields))
            return convert.programme(p)

    def close_programme(
        self, programme_id: int, version: int | None, end_date: dt.date
    ) -> r.ProgrammeInfo:
        """End a programme: ``end_date`` is its last day running. Refused while one of
        its structures stays open after it (close or move them first)."""
        return self.update_programme(programme_id, version, end_date=end_date)

    def _check_programme_covers(self, s: Session, p: e.Programme) -> None:
        for st, first, last in _programme_spans(s, p.id):
            if first < p.start_date:
                raise ValidationError(
                    _(
                        "Structure {structure} belongs to the programme from {date}: the "
                        "programme cannot start after that."
                    ).format(structure=st.code, date=format_date(first))
                )
            if p.end_date is not None and (last is None or last > p.end_date):
                if last is None:
                    message = _(
                        "Structure {structure} is still open with no closing date: close it "
                        "or move it to another programme before the programme ends."
                    ).format(structure=st.code)
                else:
                    message = _(
                        "Structure {structure} stays in the programme until {date}: the "
                        "programme cannot end before. Close it or move it to another "
                        "programme first."
                    ).format(structure=st.code, date=format_date(last))
                raise ValidationError(message)

    def create_structure(
        self,
        programme_id: int,
        code: str,
        name: str,
        province: str,
        opened_on: dt.date,
        *,
        address: str = "",
        comune: str = "",
        targets: Iterable[str] = (),
        confidential: bool | None = None,
        places: int | None = None,
        closed_on: dt.date | None = None,
    ) -> r.StructureInfo:
        """A new structure; ``confidential`` unsaid: protected in an anti-trafficking
        programme, not otherwise."""
        code, name = code.strip(), name.strip()
        if not code or not name:
            raise ValidationError(_("A structure needs a code and a name."))
        province = limits.province(province)
        if closed_on is not None and closed_on <= opened_on:
            raise ValidationError(_("The closing date must come after the opening date."))
        if places is not None and places < 0:
            raise ValidationError(_("The number of places cannot be negative."))
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.Programme, programme_id)
            programme = get(s, e.Programme, programme_id)
            if s.scalar(select(e.Structure.id).where(e.Structure.code == code)):
                raise ValidationError(
                    _("A structure with code {code} already exists.").format(code=code)
                )
            _check_within_programme(programme, opened_on, closed_on)
            if confidential is None:
                confidential = programme.kind == e.ProgrammeKind.ANTI_TRAFFICKING
            st = e.Structure(
                programme=programme,
                code=code,
                name=name,
                province=province,
                opened_on=opened_on,
                closed_on=closed_on,
                address=address.strip(),
                comune=comune.strip(),
                confidential=confidential,
            )
            st.targets = {e.TargetGroup(t) for t in targets}
            s.add(st)
            s.flush()
            if places is not None:
                s.add(
                    e.CapacityPeriod(
                        structure_id=st.id, valid_from=opened_on, places=places, note=""
                    )
                )
            self.work.audit(s, "create", "structure", st.id, places=places)
            s.flush()
            return convert.structure(st)

    def update_structure(
        self, structure_id: int, version: int | None, **fields: Any
    ) -> r.StructureInfo:
        """Change a structure's details. Its dates may not leave out a night someone
        slept there or a bed was held, nor go beyond its programme's."""
        allowed = {
            "code",
            "name",
            "address",
            "comune",
            "province",
            "targets",
            "confidential",
            "opened_on",
            "closed_on",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise ValidationError(f"unknown fields {sorted(unknown)}")
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.Structure, structure_id)
            lock_structure(s, structure_id)
            st = get(s, e.Structure, structure_id, options=convert.STRUCTURE)
            check_version(st, version)
            for key, value in fields.items():
                if key == "targets":
                    st.targets = {e.TargetGroup(t) for t in value}
                elif key == "province":
                    st.province = limits.province(value)
                elif key in ("code", "name"):
                    text = str(value).strip()
                    if not text:
                        raise ValidationError(_("A structure needs a code and a name."))
                    if (
                        key == "code"
                        and text != st.code
                        and s.scalar(select(e.Structure.id).where(e.Structure.code == text))
                    ):
                        raise ValidationError(
                            _("A structure with code {code} already exists.").format(code=text)
                        )
                    setattr(st, key, text)
                elif key in ("address", "comune"):
                    setattr(st, key, str(value).strip())
                else:
                    setattr(st, key, value)
            if st.closed_on is not None and st.closed_on <= st.opened_on:
                raise ValidationError(_("The closing date must come after the opening date."))
            if "opened_on" in fields or "closed_on" in fields:
                _check_structure_dates(s, st)
            s.flush()
            self.work.audit(s, "update", "structure", st.id, fields=sorted(fields))
            return convert.structure(st)

    def close_structure(
        self, structure_id: int, version: int | None, closed_on: dt.date
    ) -> r.StructureInfo:
        """Close a structure: ``closed_on`` is its last day open. Refused while someone
        sleeps there, or a bed is held, after that day."""
        return self.update_structure(structure_id, version, closed_on=closed_on)

    def move_structure(
        self, structure_id: int, version: int | None, programme_id: int, from_date: dt.date
    ) -> r.StructureInfo:
        """Pass a structure to another programme from ``from_date`` (its first night
        there). Its earlier nights still count under the programme it had then; the
        stays and reservations from that night on must be ended first (people are
        placed in a programme: an exit, a transfer or a new placement says where they
        go)."""
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.Structure, structure_id)
            self.work.require(s, Right.NETWORK, e.Programme, programme_id)
            lock_structure(s, structure_id)
            st = get(s, e.Structure, structure_id, options=convert.STRUCTURE)
            check_version(st, version)
            target = get(s, e.Programme, programme_id)
            if target.id == st.programme_id:
                raise ValidationError(
                    _("Structure {structure} already belongs to programme {programme}.").format(
                        structure=st.code, programme=target.code
                    )
                )
            if from_date <= st.opened_on:
                raise ValidationError(
                    _(
                        "The date of the move must come after the structure opened ({date}): "
                        "to correct its programme from the start, close it and create it again."
                    ).format(date=format_date(st.opened_on))
                )
            if st.closed_on is not None and from_date > st.closed_on:
                raise ValidationError(
                    _("Structure {structure} is not open on {date}.").format(
                        structure=st.name, date=format_date(from_date)
                    )
                )
            last_move = s.scalar(
                select(func.max(e.StructureMove.moved_on)).where(
                    e.StructureMove.structure_id == st.id
                )
            )
            if last_move is not None and from_date <= last_move:
                raise ValidationError(
                    _(
                        "The structure already moved to its present programme on {date}: a new "
                        "move must come after it."
                    ).format(date=format_date(last_move))
                )
            _check_within_programme(target, from_date, st.closed_on)
            old = st.programme
            if old.end_date is not None and from_date - ONE_DAY > old.end_date:
                raise ValidationError(
                    _("Programme {programme} is not running on {date}.").format(
                        programme=old.code, date=format_date(from_date - ONE_DAY)
                    )
                )
            busy = _people_or_holds_from(s, st.id, from_date)
            if busy:
                raise BedOccupiedError(
                    ngettext(
                        "{n} person sleeps in the structure, or a bed is held, on {date} or "
                        "later: record their exit or transfer up to that date first.",
                        "{n} people sleep in the structure, or beds are held, on {date} or "
                        "later: record their exits or transfers up to that date first.",
                        busy,
                    ).format(n=busy, date=format_date(from_date))
                )
            s.add(
                e.StructureMove(
                    structure_id=st.id,
                    from_programme_id=old.id,
                    to_programme_id=target.id,
                    moved_on=from_date,
                )
            )
            st.programme = target
            st.programme_id = target.id
            s.flush()
            self.work.audit(
                s,
                "move",
                "structure",
                st.id,
                from_programme=old.id,
                to_programme=target.id,
                day=from_date,
            )
            return convert.structure(st)

    def moves(self, structure_id: int) -> list[r.StructureMoveInfo]:
        """The programmes a structure passed between, oldest first."""
        a, b = aliased(e.Programme), aliased(e.Programme)
        with self.db.read() as s:
            rows = s.execute(
                select(e.StructureMove.structure_id, a.code, b.code, e.StructureMove.moved_on)
                .join(a, a.id == e.StructureMove.from_programme_id)
                .join(b, b.id == e.StructureMove.to_programme_id)
                .where(e.StructureMove.structure_id == structure_id)
                .order_by(e.StructureMove.moved_on)
            ).all()
            return [r.StructureMoveInfo(*row) for row in rows]

    def programme(self, programme_id: int) -> r.ProgrammeInfo:
        with self.db.read() as s:
            return convert.programme(get(s, e.Programme, programme_id))

    def structure(self, structure_id: int) -> r.StructureInfo:
        with self.db.read() as s:
            return convert.structure(get(s, e.Structure, structure_id, options=convert.STRUCTURE))

    def set_capacity(
        self, structure_id: int, valid_from: dt.date, places: int, note: str = ""
    ) -> r.CapacityInfo:
        """Change the authorised places from a date (the earlier history stays)."""
        if places < 0:
            raise ValidationError(_("The number of places cannot be negative."))
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.Structure, structure_id)
            st = get(s, e.Structure, structure_id, lock=True)
            if valid_from < st.opened_on:
                raise ValidationError(_("The date comes before the structure opened."))
            existing = s.scalar(
                select(e.CapacityPeriod).where(
                    e.CapacityPeriod.structure_id == structure_id,
                    e.CapacityPeriod.valid_from == valid_from,
                )
            )
            if existing is not None:
                before = existing.places
                existing.places, existing.note = places, note
                period = existing
                self.work.audit(
                    s, "correct", "capacity_period", existing.id, before=before, after=places
                )
            else:
                period = e.CapacityPeriod(
                    structure_id=structure_id, valid_from=valid_from, places=places, note=note
                )
                s.add(period)
                s.flush()
                self.work.audit(
                    s, "create", "capacity_period", period.id, places=places, valid_from=valid_from
                )
            return convert.capacity(period)

    def capacity_warning(self, structure_id: int, from_date: dt.date) -> str | None:
        """After a change of places from ``from_date``: the first night from then on which
        the stays recorded hold more people than the places (someone must move, or an exit
        is still to be recorded); None when the places are enough. A warning only: the
        places are decided by others, and the change is recorded anyway."""
        with self.db.read() as s:
            st = get(s, e.Structure, structure_id)
            # People, not held beds: the warning is about who would have no place.
            short = rules.capacity_shortfall(s, structure_id, from_date, None, count_held=False)
            if short is None:
                return None
            night, occupied, places = short.night, short.occupied, short.places
            # Translators: {people_phrase} is "3 people", {places_phrase} "2 places".
            return _(
                "On {date} structure {structure} will hold {people_phrase} for {places_phrase}, "
                "according to the bed stays recorded: plan transfers, or record the exits of "
                "those who leave before."
            ).format(
                date=format_date(night),
                structure=st.name,
                people_phrase=ngettext("{n} person", "{n} people", occupied).format(n=occupied),
                places_phrase=ngettext("{n} place", "{n} places", places).format(n=places),
            )

    def rooms(self, structure_id: int) -> list[r.RoomInfo]:
        """The structure's rooms and all their beds, retired ones included."""
        with self.db.read() as s:
            rooms = s.scalars(
                select(e.Room)
                .where(e.Room.structure_id == structure_id)
                .options(selectinload(e.Room.beds))
                .order_by(e.Room.name)
            ).all()
            return [
                r.RoomInfo(
                    room.id,
                    room.name,
                    room.structure_id,
                    room.version,
                    tuple(
                        r.BedInfo(
                            b.id,
                            b.label,
                            room.id,
                            room.name,
                            room.structure_id,
                            b.retired_on,
                            b.version,
                        )
                        for b in room.beds
                    ),
                )
                for room in rooms
            ]

    def add_room(
        self, structure_id: int, name: str, beds: int | Sequence[str] = 1
    ) -> list[r.BedInfo]:
        name = name.strip()
        if not name:
            raise ValidationError(_("A room needs a name."))
        labels = (
            [str(i + 1) for i in range(beds)]
            if isinstance(beds, int)
            else [b.strip() for b in beds]
        )
        if not labels or any(not b for b in labels) or len(set(labels)) != len(labels):
            raise ValidationError(_("Give each bed of the room a different label."))
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.Structure, structure_id)
            get(s, e.Structure, structure_id)
            if s.scalar(
                select(e.Room.id).where(e.Room.structure_id == structure_id, e.Room.name == name)
            ):
                raise ValidationError(
                    _("The structure already has a room called {name}.").format(name=name)
                )
            room = e.Room(structure_id=structure_id, name=name)
            s.add(room)
            s.flush()
            made = []
            for label in labels:
                b = e.Bed(room=room, label=label)
                s.add(b)
                made.append(b)
            s.flush()
            self.work.audit(s, "create", "room", room.id, beds=len(made))
            return [convert.bed(b) for b in made]

    def add_bed(self, room_id: int, label: str) -> r.BedInfo:
        label = label.strip()
        if not label:
            raise ValidationError(_("Give each bed of the room a different label."))
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.Room, room_id)
            room = get(s, e.Room, room_id)
            if s.scalar(select(e.Bed.id).where(e.Bed.room_id == room_id, e.Bed.label == label)):
                raise ValidationError(_("Give each bed of the room a different label."))
            b = e.Bed(room=room, label=label)
            s.add(b)
            s.flush()
            self.work.audit(s, "create", "bed", b.id)
            return convert.bed(b)

    def rename_room(self, room_id: int, version: int | None, name: str) -> r.RoomInfo:
        name = name.strip()
        if not name:
            raise ValidationError(_("A room needs a name."))
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.Room, room_id)
            room = get(s, e.Room, room_id)
            check_version(room, version)
            if name != room.name and s.scalar(
                select(e.Room.id).where(
                    e.Room.structure_id == room.structure_id, e.Room.name == name
                )
            ):
                raise ValidationError(
                    _("The structure already has a room called {name}.").format(name=name)
                )
            room.name = name
            s.flush()
            self.work.audit(s, "rename", "room", room.id)
            return r.RoomInfo(room.id, room.name, room.structure_id, room.version)

    def rename_bed(self, bed_id: int, version: int | None, label: str) -> r.BedInfo:
        label = label.strip()
        if not label:
            raise ValidationError(_("Give each bed of the room a different label."))
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.Bed, bed_id)
            b = get(s, e.Bed, bed_id, options=convert.BED)
            check_version(b, version)
            if label != b.label and s.scalar(
                select(e.Bed.id).where(e.Bed.room_id == b.room_id, e.Bed.label == label)
            ):
                raise ValidationError(_("Give each bed of the room a different label."))
            b.label = label
            s.flush()
            self.work.audit(s, "rename", "bed", b.id)
            return convert.bed(b)

    def retire_bed(self, bed_id: int, version: int | None, day: dt.date) -> r.BedInfo:
        """Take a bed out of the structure from the night of ``day`` for good: it counts
        no more from then, and its history stays. Refused while someone sleeps in it,
        or it is held, on that night or later."""
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.Bed, bed_id)
            b = get(s, e.Bed, bed_id, options=convert.BED)
            lock_structure(s, b.room.structure_id)
            check_version(b, version)
            if b.retired_on is not None:
                raise ValidationError(
                    _("Bed {bed} is already retired from {date}.").format(
                        bed=rules.bed_name(b), date=format_date(b.retired_on)
                    )
                )
            later_stay = s.scalar(
                select(func.max(e.BedStay.start_date)).where(
                    e.BedStay.bed_id == bed_id,
                    e.BedStay.cancelled.is_(False),
                    or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > day),
                )
            )
            if later_stay is not None:
                raise BedOccupiedError(
                    _(
                        "Bed {bed} is occupied on {date} or later: record the exit or the "
                        "transfer of its occupant first."
                    ).format(bed=rules.bed_name(b), date=format_date(max(day, later_stay)))
                )
            held = s.scalar(
                select(func.count())
                .select_from(e.ReservationBed)
                .join(e.Reservation, e.Reservation.id == e.ReservationBed.reservation_id)
                .where(
                    e.ReservationBed.bed_id == bed_id,
                    e.Reservation.status == e.ReservationStatus.HELD,
                )
            )
            if held:
                raise BedReservedError(
                    _("Bed {bed} is held by a reservation: confirm or cancel it first.").format(
                        bed=rules.bed_name(b)
                    )
                )
            b.retired_on = day
            s.flush()
            self.work.audit(s, "retire", "bed", b.id, day=day)
            return convert.bed(b)

    def put_bed_out_of_service(
        self, bed_id: int, start: dt.date, end: dt.date | None, reason: str
    ) -> r.OutageInfo:
        if end is not None and end <= start:
            raise ValidationError(_("The end date must come after the start date."))
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.Bed, bed_id)
            b = get(s, e.Bed, bed_id, options=convert.BED)
            lock_structure(s, b.room.structure_id)
            stays = s.scalars(
                select(e.BedStay).where(e.BedStay.bed_id == bed_id, e.BedStay.cancelled.is_(False))
            ).all()
            for st in stays:
                if rules.overlaps(st.start_date, st.end_date, start, end):
                    raise BedOccupiedError(
                        _(
                            "Bed {bed} is occupied during that period: move its occupant first."
                        ).format(bed=rules.bed_name(b))
                    )
            outage = e.BedOutage(
                bed_id=bed_id, start_date=start, end_date=end, reason=reason.strip()
            )
            s.add(outage)
            s.flush()
            self.work.audit(s, "create", "bed_outage", outage.id, start=start, end=end)
            return r.OutageInfo(outage.id, bed_id, start, end, outage.reason)

    def end_bed_outage(self, outage_id: int, end: dt.date) -> r.OutageInfo:
        with self.work.transaction() as s:
            self.work.require(s, Right.NETWORK, e.BedOutage, outage_id)
            o = get(s, e.BedOutage, outage_id)
            if end <= o.start_date:
                raise ValidationError(_("The end date must come after the start date."))
            o.end_date = end
            self.work.audit(s, "update", "bed_outage", o.id, end=end)
            return r.OutageInfo(o.id, o.bed_id, o.start_date, o.end_date, o.reason)


def _kind_and_category(
    kind: str, sai_category: str | None
) -> tuple[e.ProgrammeKind, e.SaiCategory | None]:
    """The kind and, for a SAI programme only, its category (ordinary when unsaid)."""
    try:
        kind_ = e.ProgrammeKind(kind)
        category = e.SaiCategory(sai_category) if sai_category else None
    except ValueError as exc:
        raise ValidationError(_("Choose the kind of programme.")) from exc
    if kind_ != e.ProgrammeKind.SAI:
        return kind_, None
    return kind_, category or e.SaiCategory.ORD


def _provinces(values: Iterable[str] | str) -> str:
    if isinstance(values, str):
        values = values.replace(";", ",").replace(" ", ",").split(",")
    return ",".join(sorted({limits.province(v) for v in values if str(v).strip()}))


def _check_within_programme(programme: e.Programme, first: dt.date, last: dt.date | None) -> None:
    """A structure counts under ``programme`` from the night ``first`` to the night
    ``last`` (open-ended when None): the programme must run all that while."""
    if first < programme.start_date:
        raise ValidationError(
            _(
                "Programme {programme} starts on {date}: the structure cannot be in it before."
            ).format(programme=programme.code, date=format_date(programme.start_date))
        )
    if programme.end_date is not None and (last is None or last > programme.end_date):
        raise ValidationError(
            _(
                "Programme {programme} ends on {date}: give the structure a closing date up to "
                "then."
            ).format(programme=programme.code, date=format_date(programme.end_date))
        )


def _programme_spans(
    s: Session, programme_id: int
) -> list[tuple[e.Structure, dt.date, dt.date | None]]:
    """Each structure that counts, or counted, under the programme, with the first and
    the last night it does (the last open-ended when None)."""
    moves = s.scalars(
        select(e.StructureMove).where(
            or_(
                e.StructureMove.from_programme_id == programme_id,
                e.StructureMove.to_programme_id == programme_id,
            )
        )
    ).all()
    ids = {m.structure_id for m in moves}
    structures = s.scalars(
        select(e.Structure).where(
            or_(e.Structure.programme_id == programme_id, e.Structure.id.in_(ids))
        )
    ).all()
    all_moves = s.scalars(
        select(e.StructureMove)
        .where(e.StructureMove.structure_id.in_([st.id for st in structures]))
        .order_by(e.StructureMove.structure_id, e.StructureMove.moved_on)
    ).all()
    spans: list[tuple[e.Structure, dt.date, dt.date | None]] = []
    for st in structures:
        own = [m for m in all_moves if m.structure_id == st.id]
        # Each period: (programme, first night, last night).
        first = st.opened_on
        periods: list[tuple[int, dt.date, dt.date | None]] = []
        for m in own:
            periods.append((m.from_programme_id, first, m.moved_on - ONE_DAY))
            first = m.moved_on
        periods.append((st.programme_id, first, st.closed_on))
        for pid, a, b in periods:
            if pid == programme_id:
                spans.append((st, a, b))
    return spans


def _check_structure_dates(s: Session, st: e.Structure) -> None:
    """The structure's opening and closing dates leave no stay or held bed outside, and
    stay within its programmes' dates."""
    last_night = st.closed_on
    if last_night is not None:
        busy = _people_or_holds_from(s, st.id, last_night + ONE_DAY)
        if busy:
            raise BedOccupiedError(
                ngettext(
                    "{n} person sleeps in the structure, or a bed is held, after {date}: "
                    "record their exit or transfer by then, or choose a later closing date.",
                    "{n} people sleep in the structure, or beds are held, after {date}: "
                    "record their exits or transfers by then, or choose a later closing date.",
                    busy,
                ).format(n=busy, date=format_date(last_night))
            )
    earliest = s.scalar(
        select(func.min(e.BedStay.start_date))
        .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .where(e.Room.structure_id == st.id, e.BedStay.cancelled.is_(False))
    )
    if earliest is not None and earliest < st.opened_on:
        raise BedOccupiedError(
            _("Someone slept in the structure on {date}: it cannot open after that.").format(
                date=format_date(earliest)
            )
        )
    first_move = s.scalar(
        select(func.min(e.StructureMove.moved_on)).where(e.StructureMove.structure_id == st.id)
    )
    if first_move is not None and st.opened_on >= first_move:
        raise ValidationError(
            _("The structure moved to another programme on {date}: it must open before.").format(
                date=format_date(first_move)
            )
        )
    last_move = s.scalar(
        select(func.max(e.StructureMove.moved_on)).where(e.StructureMove.structure_id == st.id)
    )
    if last_move is not None and st.closed_on is not None and st.closed_on < last_move:
        raise ValidationError(
            _("The structure moved to another programme on {date}: it must close after.").format(
                date=format_date(last_move)
            )
        )
    programme = st.programme
    _check_within_programme(programme, last_move or st.opened_on, st.closed_on)


def _people_or_holds_from(s: Session, structure_id: int, day: dt.date) -> int:
    """How many people sleep in the structure, or beds are held there, on the night of
    ``day`` or later."""
    people = s.scalar(
        select(func.count(func.distinct(e.BedStay.person_id)))
        .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
        .join(e.Room, e.Room.id == e.Bed.room_id)
        .where(
            e.Room.structure_id == structure_id,
            e.BedStay.cancelled.is_(False),
            or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > day),
        )
    )
    held = s.scalar(
        select(func.count())
        .select_from(e.ReservationBed)
        .join(e.Reservation, e.Reservation.id == e.ReservationBed.reservation_id)
        .where(
            e.Reservation.structure_id == structure_id,
            e.Reservation.status == e.ReservationStatus.HELD,
        )
    )
    return int(people or 0) + int(held or 0)
