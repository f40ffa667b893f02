"""Use cases. Each public method is one transaction and returns plain results.

Refusals raise a ``DomainError`` subclass whose message is for the coordinator; when
one is raised, nothing has been changed. The database enforces the overlap rules
itself; the checks here exist to explain a refusal before the database has to.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Date, Integer, and_, cast, func, literal, null, or_, select, union_all
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from . import convert
from . import entities as e
from . import results as r
from .database import Database
from .errors import (
    BedOccupiedError,
    BedOutOfServiceError,
    BedReservedError,
    ConcurrentEditError,
    DatabaseProblem,
    DomainError,
    MinorAloneError,
    NotFoundError,
    PersonAlreadyPlacedError,
    StructureFullError,
    TargetGroupError,
    ValidationError,
)
from .i18n import _
from .results import NewPerson

T = TypeVar("T")
FAR_FUTURE = dt.date(9999, 12, 31)


def _overlaps(
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


def fmt_date(day: dt.date | None) -> str:
    from babel.dates import format_date

    from .i18n import babel_locale

    if day is None:
        return "—"
    return format_date(day, format="medium", locale=babel_locale())


_UNACCENTED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def search_text(*parts: str) -> str:
    """The lower-case words a person is found by, also without accents.

    A coordinator types "gulsen" on an Italian keyboard and finds "Ğülşen": the folded
    spelling is stored after the original one when they differ.
    """
    import unicodedata

    text = " ".join(parts).lower()
    folded = "".join(
        c
        for c in unicodedata.normalize("NFKD", text.translate(_UNACCENTED))
        if not unicodedata.combining(c)
    )
    both = text if folded == text else f"{text} {folded}"
    return both if len(both) <= 500 else text[:500]


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


class Services:
    """The use cases of the application over one database."""

    def __init__(
        self, db: Database, *, actor: str | None = None, today: Callable[[], dt.date] | None = None
    ) -> None:
        self.db = db
        try:
            self.actor = actor or getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name on some systems
            self.actor = ""
        self._today = today or dt.date.today

    # -- plumbing ---------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """One write transaction; database errors become domain errors."""
        try:
            with self.db.write() as session:
                yield session
        except DomainError:
            raise
        except StaleDataError as exc:
            raise ConcurrentEditError(
                _("Someone else changed this record in the meantime. Reload it and try again.")
            ) from exc
        except IntegrityError as exc:
            raise translate_integrity_error(exc) from exc
        except OperationalError as exc:
            text = str(exc.orig).lower()
            if "locked" in text or "busy" in text:
                raise DatabaseProblem(_("The database is busy. Try again in a moment.")) from exc
            if "deadlock" in text or "could not serialize" in text:
                raise ConcurrentEditError(
                    _("Someone else changed these records at the same time. Try again.")
                ) from exc
            raise DatabaseProblem(_("The database could not complete the operation.")) from exc

    def _audit(
        self, s: Session, action: str, entity: str, entity_id: int | None, **details: Any
    ) -> None:
        # Ids, dates and reasons only: never names, addresses or documents.
        s.add(
            e.AuditEntry(
                actor=self.actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                details=json.dumps(details, default=str, sort_keys=True),
            )
        )

    @staticmethod
    def _get(s: Session, cls: type[T], id_: int, *, lock: bool = False) -> T:
        obj = s.get(cls, id_, with_for_update=lock or None)  # type: ignore[arg-type]
        if obj is None:
            raise NotFoundError(_("The record no longer exists (it may have been removed)."))
        return obj

    @staticmethod
    def _touch(obj: Any) -> None:
        """Count a change made through child rows as a change of ``obj``: the next flush
        updates its row, so the mapper bumps its version and stale copies are refused."""
        mapper = sa_inspect(obj).mapper
        key = next(a.key for a in mapper.column_attrs if a.key not in ("id", "version"))
        flag_modified(obj, key)

    @staticmethod
    def _check_version(obj: Any, version: int | None) -> None:
        if version is not None and obj.version != version:
            raise ConcurrentEditError(
                _("Someone else changed this record in the meantime. Reload it and try again.")
            )

    def today(self) -> dt.date:
        return self._today()

    # -- programmes and structures ---------------------------------------------------

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
        with self._tx() as s:
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
            self._audit(s, "create", "programme", p.id)
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
        with self._tx() as s:
            p = self._get(s, e.Programme, programme_id)
            self._check_version(p, version)
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
            self._audit(s, "update", "programme", p.id, fields=sorted(fields))
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
        with self._tx() as s:
            self._get(s, e.Programme, programme_id)
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
            self._audit(s, "create", "structure", st.id)
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
        with self._tx() as s:
            st = self._get(s, e.Structure, structure_id)
            self._check_version(st, version)
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
            self._audit(s, "update", "structure", st.id, fields=sorted(fields))
            return convert.structure(st)

    def set_capacity(
        self, structure_id: int, valid_from: dt.date, places: int, note: str = ""
    ) -> r.CapacityInfo:
        """Change the authorised places from a date (the earlier history stays)."""
        if places < 0:
            raise ValidationError(_("The number of places cannot be negative."))
        with self._tx() as s:
            st = self._get(s, e.Structure, structure_id, lock=True)
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
                self._audit(
                    s, "correct", "capacity_period", existing.id, before=before, after=places
                )
            else:
                period = e.CapacityPeriod(
                    structure_id=structure_id, valid_from=valid_from, places=places, note=note
                )
                s.add(period)
                s.flush()
                self._audit(
                    s, "create", "capacity_period", period.id, places=places, valid_from=valid_from
                )
            return convert.capacity(period)

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
        with self._tx() as s:
            self._get(s, e.Structure, structure_id)
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
            self._audit(s, "create", "room", room.id, beds=len(made))
            return [convert.bed(b) for b in made]

    def add_bed(self, room_id: int, label: str) -> r.BedInfo:
        label = label.strip()
        if not label:
            raise ValidationError(_("Give each bed of the room a different label."))
        with self._tx() as s:
            room = self._get(s, e.Room, room_id)
            if s.scalar(select(e.Bed.id).where(e.Bed.room_id == room_id, e.Bed.label == label)):
                raise ValidationError(_("Give each bed of the room a different label."))
            b = e.Bed(room_id=room.id, label=label)
            s.add(b)
            s.flush()
            self._audit(s, "create", "bed", b.id)
            return convert.bed(b)

    def put_bed_out_of_service(
        self, bed_id: int, start: dt.date, end: dt.date | None, reason: str
    ) -> r.OutageInfo:
        if end is not None and end <= start:
            raise ValidationError(_("The end date must come after the start date."))
        with self._tx() as s:
            b = self._get(s, e.Bed, bed_id)
            self._lock_structure(s, b.room.structure_id)
            stays = s.scalars(
                select(e.BedStay).where(e.BedStay.bed_id == bed_id, e.BedStay.cancelled.is_(False))
            ).all()
            for st in stays:
                if _overlaps(st.start_date, st.end_date, start, end):
                    raise BedOccupiedError(
                        _(
                            "Bed {bed} is occupied during that period: move its occupant first."
                        ).format(bed=self._bed_name(b))
                    )
            outage = e.BedOutage(
                bed_id=bed_id, start_date=start, end_date=end, reason=reason.strip()
            )
            s.add(outage)
            s.flush()
            self._audit(s, "create", "bed_outage", outage.id, start=start, end=end)
            return r.OutageInfo(outage.id, bed_id, start, end, outage.reason)

    def end_bed_outage(self, outage_id: int, end: dt.date) -> r.OutageInfo:
        with self._tx() as s:
            o = self._get(s, e.BedOutage, outage_id)
            if end <= o.start_date:
                raise ValidationError(_("The end date must come after the start date."))
            o.end_date = end
            self._audit(s, "update", "bed_outage", o.id, end=end)
            return r.OutageInfo(o.id, o.bed_id, o.start_date, o.end_date, o.reason)

    # -- people and households --------------------------------------------------------

    @staticmethod
    def _code_from_id(s: Session, obj: e.Person | e.Household, prefix: str) -> None:
        """Give a new row its code (P000123, H000123) from its id, after a flush.

        Ids come from the database, so coordinators registering people at the same time
        on the shared server never get the same code (a count of rows would collide).
        """
        cls = type(obj)
        n = obj.id
        while s.scalar(select(cls.id).where(cls.code == f"{prefix}{n:06d}", cls.id != obj.id)):
            n += 1  # only with codes given by hand in older data
        obj.code = f"{prefix}{n:06d}"

    @staticmethod
    def _search_text(p: e.Person) -> str:
        return search_text(p.first_name, p.last_name, p.alias, p.code, p.citizenship)

    def _new_person(self, s: Session, data: NewPerson, code: str | None = None) -> e.Person:
        first, last = data.first_name.strip(), data.last_name.strip()
        if not first and not last and not data.alias.strip():
            raise ValidationError(_("A person needs a name or an alias."))
        if data.birth_date is not None and data.birth_date > self.today():
            raise ValidationError(_("The birth date is in the future."))
        try:
            sex = e.Sex(data.sex)
            legal = e.LegalStatus(data.legal_status)
        except ValueError as exc:
            raise ValidationError(_("Unknown value: {value}").format(value=exc)) from exc
        p = e.Person(
            code=code or _provisional_code(),
            first_name=first,
            last_name=last,
            alias=data.alias.strip(),
            sex=sex,
            gender_identity=data.gender_identity.strip(),
            birth_date=data.birth_date,
            citizenship=data.citizenship.strip(),
            legal_status=legal,
        )
        s.add(p)
        s.flush()
        if code is None:
            self._code_from_id(s, p, "P")
        p.search_text = self._search_text(p)
        s.flush()
        return p

    def register_household(self, people: Sequence[NewPerson]) -> r.HouseholdInfo:
        """Register new people together as one household (a single person is a household of one)."""
        if not people:
            raise ValidationError(_("A household needs at least one person."))
        refs = [p for p in people if p.relationship == "reference"]
        if len(refs) != 1:
            raise ValidationError(_("A household needs exactly one reference person."))
        with self._tx() as s:
            h = e.Household(code=_provisional_code())
            s.add(h)
            s.flush()
            self._code_from_id(s, h, "H")
            for data in people:
                p = self._new_person(s, data)
                s.add(
                    e.HouseholdMember(
                        household_id=h.id,
                        person_id=p.id,
                        relationship_=e.Relationship(data.relationship),
                    )
                )
                s.info.pop("members", None)
            s.flush()
            self._audit(s, "create", "household", h.id, members=len(people))
            s.refresh(h)
            return convert.household(h)

    def update_person(self, person_id: int, version: int | None, **fields: Any) -> r.PersonInfo:
        allowed = {
            "first_name",
            "last_name",
            "alias",
            "sex",
            "gender_identity",
            "birth_date",
            "citizenship",
            "legal_status",
        }
        with self._tx() as s:
            p = self._get(s, e.Person, person_id)
            self._check_version(p, version)
            for key, value in fields.items():
                if key not in allowed:
                    raise ValidationError(f"unknown field {key}")
                if key == "sex":
                    value = e.Sex(value)
                elif key == "legal_status":
                    value = e.LegalStatus(value)
                elif isinstance(value, str):
                    value = value.strip()
                setattr(p, key, value)
            if p.birth_date is not None and p.birth_date > self.today():
                raise ValidationError(_("The birth date is in the future."))
            if not (p.first_name or p.last_name or p.alias):
                raise ValidationError(_("A person needs a name or an alias."))
            p.search_text = self._search_text(p)
            s.flush()
            self._audit(s, "update", "person", p.id, fields=sorted(fields))
            member = s.scalar(select(e.HouseholdMember).where(e.HouseholdMember.person_id == p.id))
            return convert.person(p, member)

    def add_household_member(
        self, household_id: int, version: int | None, person: NewPerson
    ) -> r.HouseholdInfo:
        if person.relationship == "reference":
            raise ValidationError(_("A household needs exactly one reference person."))
        with self._tx() as s:
            h = self._get(s, e.Household, household_id)
            self._check_version(h, version)
            p = self._new_person(s, person)
            s.add(
                e.HouseholdMember(
                    household_id=h.id,
                    person_id=p.id,
                    relationship_=e.Relationship(person.relationship),
                )
            )
            s.info.pop("members", None)
            self._touch(h)
            s.flush()
            self._audit(s, "add_member", "household", h.id, person=p.id)
            s.refresh(h)
            return convert.household(h)

    def set_relationship(
        self, household_id: int, person_id: int, relationship: str
    ) -> r.HouseholdInfo:
        with self._tx() as s:
            h = self._get(s, e.Household, household_id)
            members = {m.person_id: m for m in h.members}
            if person_id not in members:
                raise ValidationError(_("This person is not a member of the household."))
            rel = e.Relationship(relationship)
            if rel == e.Relationship.REFERENCE:
                for m in h.members:
                    if m.relationship_ == e.Relationship.REFERENCE:
                        m.relationship_ = e.Relationship.OTHER
            members[person_id].relationship_ = rel
            if not any(m.relationship_ == e.Relationship.REFERENCE for m in h.members):
                raise ValidationError(_("A household needs exactly one reference person."))
            s.flush()
            self._audit(s, "update", "household", h.id, person=person_id, relationship=rel.value)
            return convert.household(h)

    # -- placement rules ----------------------------------------------------------------

    def _lock_structure(self, s: Session, structure_id: int) -> e.Structure:
        # Serialises placements into one structure across PCs (PostgreSQL), so the
        # capacity check cannot be passed by two at once. SQLite is already serial.
        st = s.get(e.Structure, structure_id, with_for_update=True, populate_existing=True)
        if st is None:
            raise NotFoundError(_("The record no longer exists (it may have been removed)."))
        return st

    @staticmethod
    def _bed_name(b: e.Bed) -> str:
        return f"{b.room.name} / {b.label}"

    def _capacity_problem(
        self,
        s: Session,
        structure_id: int,
        structure_name: str,
        start: dt.date,
        until: dt.date | None,
        people: Sequence[int],
    ) -> str | None:
        """Why ``people`` cannot all sleep in the structure from ``start`` up to ``until``
        (open-ended when None); None when its places are enough. Their own stays begun
        before ``start`` are the ones a move ends: they are not counted."""
        short = self._capacity_shortfall(s, structure_id, start, until, people)
        if short is None:
            return None
        night, occupied, places = short
        message = capacity_message(structure_name, night, occupied, places, len(people))
        if night > start:
            message += " " + _(
                "The stay would still be going on then: give a planned end "
                "up to that date, or choose another structure."
            )
        return message

    def _capacity_shortfall(
        self,
        s: Session,
        structure_id: int,
        start: dt.date,
        until: dt.date | None,
        people: Sequence[int] = (),
    ) -> tuple[dt.date, int, int] | None:
        """The first night from ``start`` up to ``until`` (open-ended when None) on which
        ``people`` (none: the people already there alone) would take the structure past its
        places, as (night, others there, places); None when its places are enough every night.

        Each night counts the stays covering it against the capacity in force. Only the
        nights where either can change are looked at: ``start``, each later capacity
        period, each later stay's start. The stays of ``people`` begun before ``start`` are
        not counted among the others: they are the ones a move ends (a change of bed within
        the structure), or the very stays being prolonged (an extension). A person has one
        such stay at most, since nobody sleeps in two beds a night.
        """
        if until is not None and until <= start:  # a planned end already past: that night only
            until = start + dt.timedelta(days=1)
        stays_query = (
            select(e.BedStay.start_date, e.BedStay.end_date, cast(null(), Integer))
            .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
            .join(e.Room, e.Room.id == e.Bed.room_id)
            .where(
                e.Room.structure_id == structure_id,
                e.BedStay.cancelled.is_(False),
                or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > start),
            )
        )
        if until is not None:
            stays_query = stays_query.where(e.BedStay.start_date < until)
        if people:
            stays_query = stays_query.where(
                ~and_(e.BedStay.person_id.in_(people), e.BedStay.start_date < start)
            )
        # One round trip: the capacity periods come with the stays, told apart by their places.
        periods_query = select(
            e.CapacityPeriod.valid_from, cast(null(), Date), e.CapacityPeriod.places
        ).where(e.CapacityPeriod.structure_id == structure_id)
        stays: list[tuple[dt.date, dt.date | None]] = []
        periods: list[tuple[dt.date, int]] = []
        for first, end, places in s.execute(union_all(stays_query, periods_query)):
            if places is None:
                stays.append((first, end))
            else:
                periods.append((first, places))
        if not periods:
            return None
        periods.sort()

        def within(day: dt.date) -> bool:
            return start < day and (until is None or day < until)

        nights = {start} | {valid_from for valid_from, _places in periods if within(valid_from)}
        nights |= {first for first, _end in stays if within(first)}
        for night in sorted(nights):
            places = None
            for valid_from, in_force in periods:
                if valid_from > night:
                    break
                places = in_force
            if places is None:
                continue  # no capacity recorded yet on that night
            # A bed holds one person a night (the database sees to it): stays are beds.
            occupied = sum(
                1 for first, end in stays if first <= night and (end is None or end > night)
            )
            if occupied + len(people) > places:
                return night, occupied, places
        return None

    def _members(self, s: Session, household_id: int) -> list[e.HouseholdMember]:
        # A placement asks for the members three times (which to place, the minor rule,
        # who is already there): read once per transaction. Adding a member clears it.
        cache: dict[int, list[e.HouseholdMember]] = s.info.setdefault("members", {})
        if household_id not in cache:
            cache[household_id] = list(
                s.scalars(
                    select(e.HouseholdMember)
                    .where(e.HouseholdMember.household_id == household_id)
                    .options(selectinload(e.HouseholdMember.person))
                    .order_by(e.HouseholdMember.id)
                )
            )
        return list(cache[household_id])

    def _companions(
        self, s: Session, household_id: int, structure_id: int, day: dt.date, exclude: Iterable[int]
    ) -> list[e.HouseholdMember]:
        """Members of the household (other than ``exclude``) in a bed of the structure on ``day``."""
        members = self._members(s, household_id)
        excluded = set(exclude)
        there = set(
            s.scalars(
                select(e.BedStay.person_id)
                .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
                .join(e.Room, e.Room.id == e.Bed.room_id)
                .where(
                    e.Room.structure_id == structure_id,
                    e.BedStay.person_id.in_(
                        [m.person_id for m in members if m.person_id not in excluded]
                    ),
                    live_stay_clause(day),
                )
            )
        )
        return [m for m in members if m.person_id in there]

    def _bed_problem(
        self,
        s: Session,
        b: e.Bed,
        start: dt.date,
        end: dt.date | None,
        household_id: int,
        ignore_stays: set[int] = frozenset(),  # type: ignore[assignment]
    ) -> DomainError | None:
        """Why bed ``b`` cannot be used for ``[start, end)``, or None."""
        return self._bed_problems(s, [b], start, end, household_id, ignore_stays)[b.id]

    def _bed_problems(
        self,
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
        if not beds:
            return {}
        ids = [b.id for b in beds]
        found: dict[int, DomainError | None] = dict.fromkeys(ids)
        by_id = {b.id: b for b in beds}
        until = end or FAR_FUTURE
        # Stays, outages and held reservations of these beds in one round trip, each row
        # tagged with its kind; the first reason found for a bed stands: occupied, then out
        # of service, then reserved, the earliest first.
        occupied, out, reserved = 0, 1, 2
        stays = select(
            literal(occupied).label("kind"),
            e.BedStay.bed_id.label("bed_id"),
            e.BedStay.start_date.label("day"),
            e.BedStay.id.label("row_id"),
        ).where(
            e.BedStay.bed_id.in_(ids),
            e.BedStay.cancelled.is_(False),
            e.BedStay.start_date < until,
            or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > start),
        )
        if ignore_stays:
            stays = stays.where(e.BedStay.id.not_in(ignore_stays))
        outages = select(
            literal(out), e.BedOutage.bed_id, e.BedOutage.start_date, e.BedOutage.id
        ).where(
            e.BedOutage.bed_id.in_(ids),
            e.BedOutage.start_date < until,
            or_(e.BedOutage.end_date.is_(None), e.BedOutage.end_date > start),
        )
        holds = (
            select(
                literal(reserved),
                e.ReservationBed.bed_id,
                e.Reservation.expected_on,
                e.Reservation.id,
            )
            .join(e.Reservation, e.ReservationBed.reservation_id == e.Reservation.id)
            .where(
                e.ReservationBed.bed_id.in_(ids),
                e.Reservation.status == e.ReservationStatus.HELD,
                e.Reservation.household_id != household_id,
            )
        )
        for kind, bed_id, day, _id in s.execute(
            union_all(stays, outages, holds).order_by("kind", "day", "row_id")
        ):
            if found[bed_id] is not None:
                continue
            name = self._bed_name(by_id[bed_id])
            if kind == occupied:
                found[bed_id] = BedOccupiedError(
                    _("Bed {bed} is already occupied on {date}.").format(
                        bed=name, date=fmt_date(max(day, start))
                    )
                )
            elif kind == out:
                found[bed_id] = BedOutOfServiceError(
                    _("Bed {bed} is out of service from {start}.").format(
                        bed=name, start=fmt_date(day)
                    )
                )
            else:
                found[bed_id] = BedReservedError(
                    _("Bed {bed} is reserved for another household expected on {date}.").format(
                        bed=name, date=fmt_date(day)
                    )
                )
        return found

    def _target_problem(
        self, st: e.Structure, people: Sequence[tuple[e.Person, e.Relationship]], day: dt.date
    ) -> str | None:
        targets = st.targets
        if not targets:
            return None
        groups = household_groups(people, day)
        if groups & targets:
            return None
        from .labels import target_group_label

        return _(
            "Structure {structure} is for: {targets}. The people to place do not belong to these groups."
        ).format(
            structure=st.name,
            targets=", ".join(sorted(target_group_label(t.value) for t in targets)),
        )

    def _minor_problem(
        self,
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
        if programme.sai_category == e.SaiCategory.MSNA:
            return None
        members = self._members(s, household_id)
        where: dict[int, int | None] = {}
        for m in members:
            if m.person_id in after:
                where[m.person_id] = after[m.person_id]
            else:
                where[m.person_id] = s.scalar(
                    select(e.Room.structure_id)
                    .join(e.Bed, e.Bed.room_id == e.Room.id)
                    .join(e.BedStay, e.BedStay.bed_id == e.Bed.id)
                    .where(e.BedStay.person_id == m.person_id, live_stay_clause(day))
                )
        adults_at = {
            where[m.person_id]
            for m in members
            if not m.person.is_minor_on(day) and where[m.person_id]
        }
        for m in members:
            if (
                m.person.is_minor_on(day)
                and where[m.person_id]
                and where[m.person_id] not in adults_at
            ):
                return _(
                    "A minor of the household would be left in a structure without an adult of the "
                    "household. Move or place an adult together with the minors."
                )
        return None

    def _propose(
        self,
        s: Session,
        st: e.Structure,
        people: Sequence[e.Person],
        start: dt.date,
        end: dt.date | None,
        household_id: int,
    ) -> dict[int, int] | None:
        """Free beds for ``people``, preferring one room for the whole household."""
        rooms = s.scalars(
            select(e.Room)
            .where(e.Room.structure_id == st.id)
            .options(selectinload(e.Room.beds))
            .order_by(e.Room.name)
        ).all()
        problems = self._bed_problems(
            s, [b for room in rooms for b in room.beds], start, end, household_id
        )
        free_by_room: list[tuple[e.Room, list[e.Bed]]] = []
        for room in rooms:
            free = [b for b in room.beds if problems[b.id] is None]
            free_by_room.append((room, free))
        need = len(people)
        # One room that takes everyone, the smallest such room first.
        fitting = sorted((len(f), room.name, f) for room, f in free_by_room if len(f) >= need)
        if fitting:
            beds = fitting[0][2][:need]
        else:
            beds = [b for _room, f in sorted(free_by_room, key=lambda rf: -len(rf[1])) for b in f][
                :need
            ]
        if len(beds) < need:
            return None
        return {p.id: b.id for p, b in zip(people, beds, strict=True)}

    def _check_structure_open(self, st: e.Structure, programme: e.Programme, day: dt.date) -> None:
        if day < st.opened_on or (st.closed_on is not None and day >= st.closed_on):
            raise ValidationError(
                _("Structure {structure} is not open on {date}.").format(
                    structure=st.name, date=fmt_date(day)
                )
            )
        if day < programme.start_date or (
            programme.end_date is not None and day >= programme.end_date
        ):
            raise ValidationError(
                _("Programme {programme} is not running on {date}.").format(
                    programme=programme.code, date=fmt_date(day)
                )
            )

    def _assign(
        self,
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
        self._check_structure_open(st, programme, start)
        persons = [m.person for m in people]
        problem = self._target_problem(
            st, [(m.person, m.relationship_) for m in [*people, *companions]], start
        )
        if problem and not override_reason.strip():
            raise TargetGroupError(problem + " " + _("To place them anyway, give a reason."))
        # The stays of all these people that the new open stays would overlap, at once.
        overlapping: dict[int, dt.date] = {}
        for stay_id, person_id, stay_start in s.execute(
            select(e.BedStay.id, e.BedStay.person_id, e.BedStay.start_date)
            .where(
                e.BedStay.person_id.in_([p.id for p in persons]),
                e.BedStay.cancelled.is_(False),
                or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > start),
            )
            .order_by(e.BedStay.start_date, e.BedStay.id)
        ):
            if stay_id not in ignore_stays:
                overlapping.setdefault(person_id, stay_start)
        for p in persons:
            if p.id in overlapping:
                raise PersonAlreadyPlacedError(
                    _("{person} already has a bed from {date}.").format(
                        person=p.code, date=fmt_date(max(overlapping[p.id], start))
                    )
                )
        if beds is None:
            proposal = self._propose(s, st, persons, start, None, household_id)
            if proposal is None:
                raise StructureFullError(
                    _(
                        "Structure {structure} has not enough free beds on {date} for {count} people."
                    ).format(structure=st.name, date=fmt_date(start), count=len(persons))
                )
            beds = proposal
        else:
            if set(beds) != {p.id for p in persons}:
                raise ValidationError(_("Choose one bed for each person to place."))
            if len(set(beds.values())) != len(beds):
                raise BedOccupiedError(_("Two people cannot share one bed."))
            chosen_beds = []
            for _pid, bed_id in beds.items():
                b = s.get(e.Bed, bed_id, options=[joinedload(e.Bed.room)])
                if b is None:
                    raise NotFoundError(
                        _("The record no longer exists (it may have been removed).")
                    )
                if b.room.structure_id != st.id:
                    raise ValidationError(
                        _("The chosen bed is not in structure {structure}.").format(
                            structure=st.name
                        )
                    )
                chosen_beds.append(b)
            problems = self._bed_problems(s, chosen_beds, start, None, household_id, ignore_stays)
            for b in chosen_beds:
                if problems[b.id] is not None:
                    raise problems[b.id]  # type: ignore[misc]
        # Their own stays begun before ``start`` are the ones being ended (``ignore_stays``):
        # any other would have been refused just above.
        problem = self._capacity_problem(s, st.id, st.name, start, until, [p.id for p in persons])
        if problem:
            raise StructureFullError(problem)
        return dict(beds)

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
            st = self._get(s, e.Structure, structure_id)
            programme = st.programme
            members = self._select_members(s, household_id, person_ids)
            reasons: list[str] = []
            target_problem = False
            try:
                self._check_structure_open(st, programme, day)
            except DomainError as exc:
                reasons.append(str(exc))
            together = [
                *members,
                *self._companions(s, household_id, st.id, day, [m.person_id for m in members]),
            ]
            problem = self._target_problem(st, [(m.person, m.relationship_) for m in together], day)
            if problem:
                reasons.append(problem)
                target_problem = True
            persons = [m.person for m in members]
            proposal = self._propose(s, st, persons, day, None, household_id) or {}
            if not proposal:
                reasons.append(
                    _(
                        "Structure {structure} has not enough free beds on {date} for {count} people."
                    ).format(structure=st.name, date=fmt_date(day), count=len(persons))
                )
            # Someone moving to another bed of the structure leaves their own place (transfer).
            problem = self._capacity_problem(s, st.id, st.name, day, until, [p.id for p in persons])
            if problem:
                reasons.append(problem)
            return r.FitReport(structure_id, not reasons, tuple(reasons), target_problem, proposal)

    def _select_members(
        self, s: Session, household_id: int, person_ids: Sequence[int] | None
    ) -> list[e.HouseholdMember]:
        self._get(s, e.Household, household_id)
        members = self._members(s, household_id)
        if not members:
            raise ValidationError(_("The household has no members."))
        if person_ids is None:
            return members
        chosen = [m for m in members if m.person_id in set(person_ids)]
        if len(chosen) != len(set(person_ids)) or not chosen:
            raise ValidationError(_("This person is not a member of the household."))
        return chosen

    # -- placements -----------------------------------------------------------------------

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
        with self._tx() as s:
            st = self._lock_structure(s, structure_id)
            programme = st.programme
            # Held here for the whole transaction (the session keeps rows only while they
            # are referenced): the result reads it again at the end.
            household = self._get(s, e.Household, household_id)
            members = self._select_members(s, household.id, person_ids)
            held = s.scalar(
                select(e.Reservation).where(
                    e.Reservation.household_id == household_id,
                    e.Reservation.status == e.ReservationStatus.HELD,
                )
            )
            if held is not None:
                # Placing beside a held reservation would keep its beds held for nobody.
                raise ValidationError(
                    _(
                        "This household has beds reserved (expected on {date}): confirm the "
                        "reservation, or cancel it first."
                    ).format(date=fmt_date(held.expected_on))
                )
            # First the rule no reason can override: no minor left without an adult.
            problem = self._minor_problem(
                s,
                household_id,
                programme,
                entry_date,
                dict.fromkeys([m.person_id for m in members], st.id),
            )
            if problem:
                raise MinorAloneError(problem)
            chosen = self._assign(
                s,
                st=st,
                programme=programme,
                household_id=household_id,
                people=members,
                start=entry_date,
                until=planned_end,
                beds=beds,
                override_reason=override_reason,
                companions=self._companions(
                    s, household_id, st.id, entry_date, [m.person_id for m in members]
                ),
            )
            pl = e.Placement(
                household_id=household_id,
                programme_id=programme.id,
                entry_date=entry_date,
                planned_end=planned_end,
                note=note,
                status=e.PlacementStatus.ACTIVE,
                extensions=[],  # a new placement has none: no need to read them back
            )
            s.add(pl)
            s.flush()
            for pid, bed_id in chosen.items():
                s.add(
                    e.BedStay(
                        placement_id=pl.id,
                        person_id=pid,
                        bed_id=bed_id,
                        start_date=entry_date,
                        end_date=None,
                        override_reason=override_reason.strip(),
                    )
                )
            s.flush()
            self._audit(
                s,
                "place",
                "placement",
                pl.id,
                structure=st.id,
                people=len(chosen),
                override=bool(override_reason.strip()),
            )
            return convert.placement(pl)

    def _live_stays(self, s: Session, placement_id: int, day: dt.date) -> list[e.BedStay]:
        """Stays of a placement that are open or end after ``day`` (its current beds)."""
        return list(
            s.scalars(
                select(e.BedStay)
                .where(
                    e.BedStay.placement_id == placement_id,
                    e.BedStay.cancelled.is_(False),
                    or_(e.BedStay.end_date.is_(None), e.BedStay.end_date > day),
                )
                .order_by(e.BedStay.id)
            )
        )

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
        with self._tx() as s:
            pl = self._get(s, e.Placement, placement_id)
            self._check_version(pl, version)
            if pl.status != e.PlacementStatus.ACTIVE:
                raise ValidationError(_("This placement has ended: it cannot be changed."))
            dest = self._lock_structure(s, destination_structure_id)
            stays = self._live_stays(s, placement_id, day)
            stays = [x for x in stays if x.start_date <= day]
            current = {x.person_id: x for x in stays}
            if not current:
                raise ValidationError(
                    _("Nobody of this placement has a bed on {date}.").format(date=fmt_date(day))
                )
            moving_ids = list(person_ids) if person_ids is not None else list(current)
            for pid in moving_ids:
                if pid not in current:
                    raise ValidationError(
                        _("This person has no bed in this placement on {date}.").format(
                            date=fmt_date(day)
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
                m for m in self._members(s, pl.household_id) if m.person_id in set(moving_ids)
            ]
            new_programme = dest.programme
            ignore = {current[pid].id for pid in moving_ids}
            # Same bed again is no transfer.
            if beds is not None and all(current[pid].bed_id == beds.get(pid) for pid in moving_ids):
                raise ValidationError(_("The destination is the bed the person is in already."))
            # First the rule no reason can override: no minor left without an adult.
            problem = self._minor_problem(
                s, pl.household_id, pl.programme, day, dict.fromkeys(moving_ids, dest.id)
            )
            if problem:
                raise MinorAloneError(problem)
            # Within the programme the people stay until the placement's planned end; in
            # another one a new placement starts, with no planned end yet.
            until = pl.planned_end if new_programme.id == pl.programme_id else None
            chosen = self._assign(
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
                companions=self._companions(s, pl.household_id, dest.id, day, moving_ids),
            )
            for pid in moving_ids:
                current[pid].end_date = day
            s.flush()
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
            for pid, bed_id in chosen.items():
                s.add(
                    e.BedStay(
                        placement_id=target.id,
                        person_id=pid,
                        bed_id=bed_id,
                        start_date=day,
                        end_date=None,
                        override_reason=override_reason.strip(),
                    )
                )
            self._touch(pl)
            s.flush()
            self._audit(
                s,
                "transfer",
                "placement",
                pl.id,
                to_structure=dest.id,
                people=len(chosen),
                to_placement=target.id,
                override=bool(override_reason.strip()),
            )
            return convert.placement(target)

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
        with self._tx() as s:
            pl = self._get(s, e.Placement, placement_id)
            self._check_version(pl, version)
            if pl.status != e.PlacementStatus.ACTIVE:
                raise ValidationError(_("This placement has ended: it cannot be changed."))
            if day < pl.entry_date:
                raise ValidationError(_("The exit date comes before the entry date."))
            stays = self._live_stays(s, placement_id, day)
            leaving = [x for x in stays if person_ids is None or x.person_id in set(person_ids)]
            if person_ids is not None and {x.person_id for x in leaving} != set(person_ids):
                raise ValidationError(
                    _("This person has no bed in this placement on {date}.").format(
                        date=fmt_date(day)
                    )
                )
            for x in leaving:
                if x.start_date >= day:
                    raise ValidationError(
                        _(
                            "The exit date must come after the start of the stay ({date}); cancel the stay instead."
                        ).format(date=fmt_date(x.start_date))
                    )
                if x.end_date is not None:
                    # Someone who already left (on a later date) keeps that record:
                    # shortening it here would overwrite history without a trace.
                    raise ValidationError(
                        _("A member already left on {date}: correct that stay first.").format(
                            date=fmt_date(x.end_date)
                        )
                    )
            if person_ids is not None:
                problem = self._minor_problem(
                    s, pl.household_id, pl.programme, day, dict.fromkeys(person_ids)
                )
                if problem:
                    raise MinorAloneError(problem)
            for x in leaving:
                x.end_date = day
            s.flush()
            remaining = [x for x in stays if x not in leaving]
            if not remaining:
                pl.exit_date = day
                pl.exit_reason = exit_reason
                pl.exit_destination = destination.strip()
                pl.status = e.PlacementStatus.EXITED
            self._touch(pl)
            s.flush()
            self._audit(
                s,
                "exit",
                "placement",
                pl.id,
                day=day,
                reason=exit_reason.value,
                people=len(leaving),
                whole=not remaining,
            )
            return convert.placement(pl)

    def capacity_warning(self, structure_id: int, from_date: dt.date) -> str | None:
        """After a change of places from ``from_date``: the first night from then on which
        the stays recorded hold more people than the places (someone must move, or an exit
        is still to be recorded); None when the places are enough. A warning only: the
        places are decided by others, and the change is recorded anyway."""
        with self.db.read() as s:
            st = self._get(s, e.Structure, structure_id)
            short = self._capacity_shortfall(s, structure_id, from_date, None)
            if short is None:
                return None
            night, occupied, places = short
            return _(
                "On {date} structure {structure} will hold {occupied} people for {places} places, according "
                "to the stays recorded: plan transfers, or record the exits of those who leave before."
            ).format(date=fmt_date(night), structure=st.name, occupied=occupied, places=places)

    def extension_capacity_warning(self, placement_id: int, new_planned_end: dt.date) -> str | None:
        """Would the people of the placement take their structure past its places on a
        night that the new planned end adds? The extension is granted by others and is
        recorded anyway: this only warns (the extension dialog shows it)."""
        with self.db.read() as s:
            pl = self._get(s, e.Placement, placement_id)
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
                short = self._capacity_shortfall(s, structure_id, start, new_planned_end, people)
                if short is not None:
                    night, occupied, places = short
                    return (
                        capacity_message(name, night, occupied, places, len(people))
                        + " "
                        + _(
                            "The extension can be recorded anyway: plan a transfer, or the end of another stay."
                        )
                    )
            return None

    def extend(
        self,
        placement_id: int,
        new_planned_end: dt.date,
        reason: str,
        *,
        authorised_by: str = "",
        granted_on: dt.date | None = None,
        version: int | None = None,
    ) -> r.PlacementInfo:
        """Proroga: move the planned end of an active placement later, with a reason."""
        if not reason.strip():
            raise ValidationError(_("An extension needs a reason."))
        with self._tx() as s:
            pl = self._get(s, e.Placement, placement_id)
            self._check_version(pl, version)
            if pl.status != e.PlacementStatus.ACTIVE:
                raise ValidationError(_("This placement has ended: it cannot be changed."))
            if new_planned_end <= pl.entry_date:
                raise ValidationError(_("The planned end must come after the entry date."))
            if pl.planned_end is not None and new_planned_end <= pl.planned_end:
                raise ValidationError(
                    _("An extension must move the planned end later than {date}.").format(
                        date=fmt_date(pl.planned_end)
                    )
                )
            s.add(
                e.Extension(
                    placement_id=pl.id,
                    previous_planned_end=pl.planned_end,
                    new_planned_end=new_planned_end,
                    reason=reason.strip(),
                    authorised_by=authorised_by.strip(),
                    granted_on=granted_on or self.today(),
                )
            )
            pl.planned_end = new_planned_end
            s.flush()
            s.refresh(pl)
            self._audit(s, "extend", "placement", pl.id, new_planned_end=new_planned_end)
            return convert.placement(pl)

    # -- reservations ---------------------------------------------------------------------

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
        held_from = held_from or min(self.today(), expected_on)
        if expected_on < held_from:
            raise ValidationError(_("The expected date comes before the reservation."))
        with self._tx() as s:
            st = self._lock_structure(s, structure_id)
            members = self._select_members(s, household_id, person_ids)
            if s.scalar(
                select(e.Reservation.id).where(
                    e.Reservation.household_id == household_id,
                    e.Reservation.status == e.ReservationStatus.HELD,
                )
            ):
                raise ValidationError(_("This household already has a reservation held."))
            chosen = self._assign(
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
            )
            s.add(res)
            s.flush()
            for pid, bed_id in chosen.items():
                s.add(e.ReservationBed(reservation_id=res.id, bed_id=bed_id, person_id=pid))
            s.flush()
            s.refresh(res)
            self._audit(s, "reserve", "reservation", res.id, structure=st.id, beds=len(chosen))
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
        with self._tx() as s:
            res = self._get(s, e.Reservation, reservation_id)
            if res.status != e.ReservationStatus.HELD:
                raise ValidationError(_("This reservation is no longer held."))
            day = entry_date or res.expected_on
            if day < res.held_from:
                raise ValidationError(_("The entry date comes before the reservation."))
            if planned_end is not None and planned_end <= day:
                raise ValidationError(_("The planned end must come after the entry date."))
            st = self._lock_structure(s, res.structure_id)
            beds = {b.person_id: b.bed_id for b in res.beds if b.person_id is not None}
            members = self._select_members(s, res.household_id, list(beds))
            res.status = e.ReservationStatus.CONFIRMED
            res.closed_on = day
            s.flush()
            chosen = self._assign(
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
            )
            s.add(pl)
            s.flush()
            # The reason given when the beds were held (kept in the note) is recorded on the
            # stays when the target group still needs it, as a direct placement would.
            recorded = override_reason.strip()
            if not recorded and self._target_problem(
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
            self._audit(
                s, "confirm", "reservation", res.id, placement=pl.id, override=bool(recorded)
            )
            return convert.placement(pl)

    def cancel_reservation(
        self, reservation_id: int, *, day: dt.date | None = None, reason: str = ""
    ) -> r.ReservationInfo:
        with self._tx() as s:
            res = self._get(s, e.Reservation, reservation_id)
            if res.status != e.ReservationStatus.HELD:
                raise ValidationError(_("This reservation is no longer held."))
            res.status = e.ReservationStatus.CANCELLED
            res.closed_on = max(day or self.today(), res.held_from)
            s.flush()
            self._audit(s, "cancel", "reservation", res.id, reason=reason.strip())
            st = self._get(s, e.Structure, res.structure_id)
            return convert.reservation(res, st.code, res_household_code(s, res.household_id))

    # -- corrections ------------------------------------------------------------------------

    def correct_stay(
        self,
        stay_id: int,
        reason: str,
        *,
        start_date: dt.date | None = None,
        end_date: dt.date | None | type[...] = ...,  # type: ignore[valid-type]
        bed_id: int | None = None,
    ) -> r.StayInfo:
        """Correct a wrong stay (dates or bed). The old values stay in the audit trail."""
        if not reason.strip():
            raise ValidationError(_("A correction needs a reason."))
        with self._tx() as s:
            stay = self._get(s, e.BedStay, stay_id)
            if stay.cancelled:
                raise ValidationError(_("This stay was cancelled: it cannot be corrected."))
            before = {"start": stay.start_date, "end": stay.end_date, "bed": stay.bed_id}
            new_start = start_date or stay.start_date
            new_end = stay.end_date if end_date is ... else end_date
            if new_end is not None and new_end <= new_start:  # type: ignore[operator]
                raise ValidationError(_("The end date must come after the start date."))
            new_bed = bed_id or stay.bed_id
            b = self._get(s, e.Bed, new_bed)
            err = self._bed_problem(
                s, b, new_start, new_end, stay.placement.household_id, {stay.id}
            )  # type: ignore[arg-type]
            if isinstance(err, BedOccupiedError):
                raise err
            for other in s.scalars(
                select(e.BedStay).where(
                    e.BedStay.person_id == stay.person_id,
                    e.BedStay.cancelled.is_(False),
                    e.BedStay.id != stay.id,
                )
            ):
                if _overlaps(other.start_date, other.end_date, new_start, new_end):  # type: ignore[arg-type]
                    raise PersonAlreadyPlacedError(
                        _("{person} already has a bed from {date}.").format(
                            person=stay.person.code, date=fmt_date(max(other.start_date, new_start))
                        )
                    )
            stay.start_date, stay.end_date, stay.bed_id = new_start, new_end, new_bed  # type: ignore[assignment]
            s.flush()
            pl = stay.placement
            if new_start < pl.entry_date:
                pl.entry_date = new_start
            self._audit(
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

    def cancel_stay(self, stay_id: int, reason: str) -> r.StayInfo:
        """Cancel a stay entered by mistake: it stays in the records, marked cancelled."""
        if not reason.strip():
            raise ValidationError(_("A cancellation needs a reason."))
        with self._tx() as s:
            stay = self._get(s, e.BedStay, stay_id)
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
            self._audit(s, "cancel", "bed_stay", stay.id, reason=reason.strip())
            s.flush()
            return convert.stay(stay)

    def cancel_placement(self, placement_id: int, reason: str) -> r.PlacementInfo:
        """Cancel a placement entered by mistake, with all its stays."""
        if not reason.strip():
            raise ValidationError(_("A cancellation needs a reason."))
        with self._tx() as s:
            pl = self._get(s, e.Placement, placement_id)
            if pl.status == e.PlacementStatus.CANCELLED:
                raise ValidationError(_("This placement is already cancelled."))
            for stay in s.scalars(select(e.BedStay).where(e.BedStay.placement_id == pl.id)):
                stay.cancelled = True
            pl.status = e.PlacementStatus.CANCELLED
            s.flush()
            self._audit(s, "cancel", "placement", pl.id, reason=reason.strip())
            return convert.placement(pl)


def capacity_message(
    structure: str, day: dt.date, occupied: int, capacity: int, needed: int
) -> str:
    """Why the authorised places are not enough: full, or too few places left for everyone."""
    if occupied >= capacity:
        return _(
            "Structure {structure} is full on {date}: {occupied} of {capacity} places are taken."
        ).format(structure=structure, date=fmt_date(day), occupied=occupied, capacity=capacity)
    if occupied == 0:
        return _(
            "Structure {structure} has only {capacity} places on {date}: not enough for {count} people."
        ).format(structure=structure, capacity=capacity, date=fmt_date(day), count=needed)
    return _(
        "Structure {structure} has {free} of {capacity} places left on {date}: not enough for {count} people."
    ).format(
        structure=structure,
        free=capacity - occupied,
        capacity=capacity,
        date=fmt_date(day),
        count=needed,
    )


def _provisional_code() -> str:
    """A unique placeholder until the row has an id to take its code from."""
    return "~" + uuid.uuid4().hex


def res_household_code(s: Session, household_id: int) -> str:
    return s.scalar(select(e.Household.code).where(e.Household.id == household_id)) or ""


def translate_integrity_error(exc: IntegrityError) -> DomainError:
    """Map a database refusal to the domain's message."""
    orig = exc.orig
    text = str(orig)
    name = getattr(getattr(orig, "diag", None), "constraint_name", None) or text
    if "ex_bed_stay_bed_overlap" in name:
        return BedOccupiedError(_("The bed is already occupied on those dates."))
    if "ex_bed_stay_person_overlap" in name:
        return PersonAlreadyPlacedError(_("The person already has a bed on those dates."))
    if "unique" in text.lower() or "uq_" in name:
        return ValidationError(_("A record with the same code already exists."))
    if "foreign key" in text.lower() or "fk_" in name:
        return ValidationError(_("The record refers to something that does not exist."))
    return ValidationError(_("The data was refused by the database as inconsistent."))
