"""Reads of the records themselves: programmes, structures, people and households,
placements and stays, histories (``backend.directory``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import (
    func,
    select,
)

from . import convert
from . import entities as e
from . import results as r
from .database import Database
from .occupancy_counts import _open_on
from .people import fold


class Directory:
    """Lists and look-ups of programmes, structures, people, households and placements."""

    def __init__(self, db: Database, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.db = db
        self.today = today  # a placement whose exit is scheduled after it is still running

    def programmes(self) -> list[r.ProgrammeInfo]:
        with self.db.read() as s:
            return [
                convert.programme(p)
                for p in s.scalars(select(e.Programme).order_by(e.Programme.code))
            ]

    def structures(
        self, *, programme_id: int | None = None, province: str | None = None
    ) -> list[r.StructureInfo]:
        # Plain columns, not entities: the navigation tree lists every structure of the
        # network at start.
        stmt = (
            select(
                e.Structure.id,
                e.Structure.code,
                e.Structure.name,
                e.Structure.programme_id,
                e.Programme.code,
                e.Programme.name,
                e.Programme.kind,
                e.Programme.holder,
                e.Structure.address,
                e.Structure.comune,
                e.Structure.province,
                e.Structure.target_groups,
                e.Structure.confidential,
                e.Structure.opened_on,
                e.Structure.closed_on,
                e.Structure.version,
            )
            .join(e.Programme, e.Programme.id == e.Structure.programme_id)
            .order_by(e.Structure.province, e.Structure.code)
        )
        if programme_id is not None:
            stmt = stmt.where(e.Structure.programme_id == programme_id)
        if province:
            stmt = stmt.where(e.Structure.province == province.upper())
        targets_of: dict[str, frozenset[str]] = {}
        out = []
        with self.db.read() as s:
            for (
                sid,
                code,
                name,
                pid,
                pcode,
                pname,
                kind,
                holder,
                address,
                comune,
                prov,
                groups,
                confidential,
                opened_on,
                closed_on,
                version,
            ) in s.execute(stmt):
                targets = targets_of.get(groups)
                if targets is None:
                    targets = targets_of[groups] = frozenset(t for t in groups.split(",") if t)
                out.append(
                    r.StructureInfo(
                        id=sid,
                        code=code,
                        name=name,
                        programme_id=pid,
                        programme_code=pcode,
                        programme_name=pname,
                        programme_kind=kind.value,
                        holder=holder,
                        address=address,
                        comune=comune,
                        province=prov,
                        targets=targets,
                        confidential=confidential,
                        opened_on=opened_on,
                        closed_on=closed_on,
                        version=version,
                    )
                )
        return out

    def provinces(self) -> list[str]:
        with self.db.read() as s:
            return list(
                s.scalars(select(e.Structure.province).distinct().order_by(e.Structure.province))
            )

    def structure_by_code(self, code: str) -> r.StructureInfo | None:
        from sqlalchemy.orm import joinedload

        with self.db.read() as s:
            st = s.scalar(
                select(e.Structure)
                .options(joinedload(e.Structure.programme))
                .where(e.Structure.code == code)
            )
            return convert.structure(st) if st else None

    def programmes_with_open_structures(self, day: dt.date) -> set[int]:
        """Ids of the programmes that have at least one structure open on ``day``."""
        with self.db.read() as s:
            return set(s.scalars(select(e.Structure.programme_id).where(_open_on(day)).distinct()))

    def search_people(self, text: str, *, limit: int = 200, offset: int = 0) -> list[r.PersonInfo]:
        """People whose name, alias, code or citizenship contains every word of ``text``.

        ``offset`` skips the first matches, for lists that load a page at a time.
        """
        # Folded like the stored words: accents are optional in every part of the query
        # ("Gülşen", "gülsen" and "gulsen" all find Ğülşen).
        words = [fold(w) for w in text.split() if w]
        with self.db.read() as s:
            stmt = (
                select(e.Person, e.HouseholdMember)
                .outerjoin(e.HouseholdMember, e.HouseholdMember.person_id == e.Person.id)
                .order_by(e.Person.last_name, e.Person.first_name, e.Person.id)
                .limit(limit)
                .offset(offset)
            )
            for w in words:
                stmt = stmt.where(e.Person.search_text.contains(w, autoescape=True))
            return [convert.person(p, m) for p, m in s.execute(stmt)]

    def household(self, household_id: int) -> r.HouseholdInfo:
        from . import convert
        from .errors import NotFoundError
        from .i18n import _

        with self.db.read() as s:
            h = s.get(e.Household, household_id)
            if h is None:
                raise NotFoundError(_("The record no longer exists (it may have been removed)."))
            return convert.household(h)

    def person_history(self, person_id: int) -> list[r.StayInfo]:
        """Every stay of a person, oldest first, cancelled ones included and marked."""
        with self.db.read() as s:
            stays = s.scalars(
                select(e.BedStay)
                .where(e.BedStay.person_id == person_id)
                .order_by(e.BedStay.start_date, e.BedStay.id)
            ).all()
            return [convert.stay(x) for x in stays]

    def placements_of_household(self, household_id: int) -> list[r.PlacementInfo]:
        with self.db.read() as s:
            return [
                convert.placement(p, self.today())
                for p in s.scalars(
                    select(e.Placement)
                    .where(e.Placement.household_id == household_id)
                    .order_by(e.Placement.entry_date)
                )
            ]

    def stays_of_household(self, household_id: int) -> list[r.StayInfo]:
        """Every bed stay of the household's placements, oldest first, cancelled ones included."""
        with self.db.read() as s:
            stays = s.scalars(
                select(e.BedStay)
                .join(e.Placement, e.Placement.id == e.BedStay.placement_id)
                .where(e.Placement.household_id == household_id)
                .order_by(e.BedStay.start_date, e.BedStay.id)
            ).all()
            return [convert.stay(x) for x in stays]

    def placement(self, placement_id: int) -> r.PlacementInfo:
        """One placement (inserimento) with its extensions."""
        from . import convert
        from .errors import NotFoundError
        from .i18n import _

        with self.db.read() as s:
            p = s.get(e.Placement, placement_id)
            if p is None:
                raise NotFoundError(_("The record no longer exists (it may have been removed)."))
            return convert.placement(p, self.today())

    def change_marker(self) -> int:
        """A number that grows with every change, by any PC: the last audit entry.

        The desktop polls it to refresh its screens when another office PC changed data.
        """
        with self.db.read() as s:
            return int(s.scalar(select(func.max(e.AuditEntry.id))) or 0)
