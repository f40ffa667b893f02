"""Use cases of people and households: registering, correcting details, members and
relationships (``backend.people``)."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import convert, limits
from . import entities as e
from . import results as r
from .access import NOT_ALLOWED
from .errors import (
    ValidationError,
)
from .i18n import _
from .results import NewPerson
from .unit_of_work import Right, UseCases, check_version, get, lock_row, touch
from .visibility import identifiable

_UNACCENTED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


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


def _search_text(p: e.Person) -> str:
    return search_text(p.first_name, p.last_name, p.alias, p.code, p.citizenship)


def _provisional_code() -> str:
    """A unique placeholder until the row has an id to take its code from."""
    return "~" + uuid.uuid4().hex


def fold(text: str) -> str:
    """``text`` in lower case without accents: "Ğülşen" and "gülşen" are "gulsen"."""
    return "".join(
        c
        for c in unicodedata.normalize("NFKD", text.lower().translate(_UNACCENTED))
        if not unicodedata.combining(c)
    )


def search_text(*parts: str) -> str:
    """The lower-case words a person is found by, also without accents.

    A coordinator types "gulsen" on an Italian keyboard and finds "Ğülşen": the folded
    spelling is stored after the original one when they differ.
    """
    text = " ".join(parts).lower()
    folded = fold(text)
    both = text if folded == text else f"{text} {folded}"
    return both if len(both) <= 500 else text[:500]


class People(UseCases):
    """People (persone accolte) and households (nuclei)."""

    def _new_person(self, s: Session, data: NewPerson, code: str | None = None) -> e.Person:
        first, last = data.first_name.strip(), data.last_name.strip()
        if not first and not last and not data.alias.strip():
            raise ValidationError(_("A person needs a name or an alias."))
        limits.check_birth_date(data.birth_date, self.work.today())
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
            _code_from_id(s, p, "P")
        p.search_text = _search_text(p)
        s.flush()
        return p

    def register_household(self, people: Sequence[NewPerson]) -> r.HouseholdInfo:
        """Register new people together as one household (a single person is a household of one)."""
        if not people:
            raise ValidationError(_("A household needs at least one person."))
        refs = [p for p in people if p.relationship == "reference"]
        if len(refs) != 1:
            raise ValidationError(_("A household needs exactly one reference person."))
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE)
            # The members are known here: the result is made from them, not read back.
            h = e.Household(code=_provisional_code(), members=[])
            s.add(h)
            s.flush()
            _code_from_id(s, h, "H")
            for data in people:
                p = self._new_person(s, data)
                h.members.append(
                    e.HouseholdMember(person=p, relationship_=e.Relationship(data.relationship))
                )
                s.info.pop("members", None)
            s.flush()
            self.work.audit(s, "create", "household", h.id, members=len(people))
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
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Person, person_id)
            p = get(s, e.Person, person_id)
            check_version(p, version)
            if not identifiable(s, self.work.principal, person_id):
                # Shown by code and alias only: details the user cannot see are not
                # theirs to change (models.visibility).
                raise ValidationError(_(NOT_ALLOWED))
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
            limits.check_birth_date(p.birth_date, self.work.today())
            if not (p.first_name or p.last_name or p.alias):
                raise ValidationError(_("A person needs a name or an alias."))
            p.search_text = _search_text(p)
            s.flush()
            self.work.audit(s, "update", "person", p.id, fields=sorted(fields))
            member = s.scalar(
                select(e.HouseholdMember)
                .options(*convert.MEMBER)
                .where(e.HouseholdMember.person_id == p.id)
            )
            return convert.person(p, member)

    def add_household_member(
        self, household_id: int, version: int | None, person: NewPerson
    ) -> r.HouseholdInfo:
        if person.relationship == "reference":
            raise ValidationError(_("A household needs exactly one reference person."))
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Household, household_id)
            h = get(s, e.Household, household_id, options=convert.HOUSEHOLD)
            check_version(h, version)
            p = self._new_person(s, person)
            h.members.append(
                e.HouseholdMember(person=p, relationship_=e.Relationship(person.relationship))
            )
            s.info.pop("members", None)
            touch(h)
            s.flush()
            self.work.audit(s, "add_member", "household", h.id, person=p.id)
            return convert.household(h)

    def set_relationship(
        self, household_id: int, person_id: int, relationship: str, version: int | None = None
    ) -> r.HouseholdInfo:
        """Change a member's relationship; naming a new reference person makes the
        previous one "other". ``version`` is the household's, as the caller saw it."""
        with self.work.transaction() as s:
            self.work.require(s, Right.PLACE, e.Household, household_id)
            # Locked before its members are read, so two PCs changing the household's
            # relationships at once are taken one after the other.
            lock_row(s, e.Household, household_id)
            h = get(s, e.Household, household_id, options=convert.HOUSEHOLD)
            check_version(h, version)
            members = {m.person_id: m for m in h.members}
            if person_id not in members:
                raise ValidationError(_("This person is not a member of the household."))
            rel = e.Relationship(relationship)
            before = members[person_id].relationship_.value
            if rel == e.Relationship.REFERENCE:
                for m in h.members:
                    if m.relationship_ == e.Relationship.REFERENCE:
                        m.relationship_ = e.Relationship.OTHER
            members[person_id].relationship_ = rel
            if sum(m.relationship_ == e.Relationship.REFERENCE for m in h.members) != 1:
                raise ValidationError(_("A household needs exactly one reference person."))
            touch(h)
            s.flush()
            self.work.audit(
                s,
                "update",
                "household",
                h.id,
                person=person_id,
                relationship=rel.value,
                before=before,
            )
            return convert.household(h)
