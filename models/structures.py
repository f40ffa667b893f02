"""Use cases of the network: programmes, structures, their places, rooms, beds and
beds out of service (``backend.structures``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select

from . import convert, rules
from . import entities as e
from . import results as r
from .errors import (
    BedOccupiedError,
    ValidationError,
)
from .formatting import format_date
from .i18n import _
from .unit_of_work import UseCases, check_version, get, lock_structure


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
    ) -> r.ProgrammeInfo:
        code, name = code.strip(), name.strip()
        if not code or not name:
            raise ValidationError(_("A programme needs a code and a name."))
        if end_date is not None and end_date <= start_date:
            raise ValidationError(_("The end date must come after the start date."))
        with self.work.transaction() as s:
            if s.scalar(select(e.Programme.id).where(e.Programme.code == code)):
                raise ValidationError(
                    _("A programme with code {code} already exists.").format(code=code)
                )
            p = e.Programme(
                code=code,
                name=name,
                kind=e.ProgrammeKind(kind),
                sai_category=e.SaiCategory(sai_category) if sai_category else None,
                holder=holder,
                managing_partner=managing_partner,
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
        allowed = {
            "name",
            "holder",
            "managing_partner",
            "start_date",
            "end_date",
            "sai_category",
            "kind",
        }
        with self.work.transaction() as s:
            p = get(s, e.Programme, programme_id)
            check_version(p, version)
            for key, value in fields.items():
                if key not in allowed:
                    raise ValidationError(f"unknown field {key}")
                if key == "kind":
                    value = e.ProgrammeKind(value)
                if key == "sai_category":
                    value = e.SaiCategory(value) if value else None
                setattr(p, key, value)
            if p.end_date is not None and p.end_date <= p.start_date:
                raise ValidationError(_("The end date must come after the start date."))
            s.flush()
            self.work.audit(s, "update", "programme", p.id, fields=sorted(fields))
            return convert.programme(p)

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
        confidential: bool = False,
        places: int | None = None,
        closed_on: dt.date | None = None,
    ) -> r.StructureInfo:
        code, name, province = code.strip(), name.strip(), province.strip().upper()
        if not code or not name:
            raise ValidationError(_("A structure needs a code and a name."))
        if len(province) != 2 or not province.isalpha():
            raise ValidationError(_("The province must be its two-letter code (for example MI)."))
        if closed_on is not None and closed_on <= opened_on:
            raise ValidationError(_("The closing date must come after the opening date."))
        with self.work.transaction() as s:
            get(s, e.Programme, programme_id)
            if s.scalar(select(e.Structure.id).where(e.Structure.code == code)):
                raise ValidationError(
                    _("A structure with code {code} already exists.").format(code=code)
                )
            st = e.Structure(
                programme_id=programme_id,
                code=code,
                name=name,
                province=province,
                opened_on=opened_on,
                closed_on=closed_on,
                address=address,
                comune=comune,
                confidential=confidential,
            )
            st.targets = {e.TargetGroup(t) for t in targets}
            s.add(st)
            s.flush()
            if places is not None:
                if places < 0:
                    raise ValidationError(_("The number of places cannot be negative."))
                s.add(
                    e.CapacityPeriod(
                        structure_id=st.id, valid_from=opened_on, places=places, note=""
                    )
                )
            self.work.audit(s, "create", "structure", st.id)
            s.flush()
            s.refresh(st)
            return convert.structure(st)

    def update_structure(
        self, structure_id: int, version: int | None, **fields: Any
    ) -> r.StructureInfo:
        allowed = {
            "name",
            "address",
            "comune",
            "province",
            "targets",
            "confidential",
            "opened_on",
            "closed_on",
        }
        with self.work.transaction() as s:
            st = get(s, e.Structure, structure_id)
            check_version(st, version)
            for key, value in fields.items():
                if key not in allowed:
                    raise ValidationError(f"unknown field {key}")
                if key == "targets":
                    st.targets = {e.TargetGroup(t) for t in value}
                elif key == "province":
                    value = str(value).strip().upper()
                    if len(value) != 2:
                        raise ValidationError(
                            _("The province must be its two-letter code (for example MI).")
                        )
                    st.province = value
                else:
                    setattr(st, key, value)
            if st.closed_on is not None and st.closed_on <= st.opened_on:
                raise ValidationError(_("The closing date must come after the opening date."))
            s.flush()
            self.work.audit(s, "update", "structure", st.id, fields=sorted(fields))
            return convert.structure(st)

    def set_capacity(
        self, structure_id: int, valid_from: dt.date, places: int, note: str = ""
    ) -> r.CapacityInfo:
        """Change the authorised places from a date (the earlier history stays)."""
        if places < 0:
            raise ValidationError(_("The number of places cannot be negative."))
        with self.work.transaction() as s:
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
            return _(
                "On {date} structure {structure} will hold {occupied} people for {places} places, according "
                "to the stays recorded: plan transfers, or record the exits of those who leave before."
            ).format(date=format_date(night), structure=st.name, occupied=occupied, places=places)

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
                b = e.Bed(room_id=room.id, label=label)
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
            room = get(s, e.Room, room_id)
            if s.scalar(select(e.Bed.id).where(e.Bed.room_id == room_id, e.Bed.label == label)):
                raise ValidationError(_("Give each bed of the room a different label."))
            b = e.Bed(room_id=room.id, label=label)
            s.add(b)
            s.flush()
            self.work.audit(s, "create", "bed", b.id)
            return convert.bed(b)

    def put_bed_out_of_service(
        self, bed_id: int, start: dt.date, end: dt.date | None, reason: str
    ) -> r.OutageInfo:
        if end is not None and end <= start:
            raise ValidationError(_("The end date must come after the start date."))
        with self.work.transaction() as s:
            b = get(s, e.Bed, bed_id)
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
            o = get(s, e.BedOutage, outage_id)
            if end <= o.start_date:
                raise ValidationError(_("The end date must come after the start date."))
            o.end_date = end
            self.work.audit(s, "update", "bed_outage", o.id, end=end)
            return r.OutageInfo(o.id, o.bed_id, o.start_date, o.end_date, o.reason)
