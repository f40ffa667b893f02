"""Reads of the records themselves: programmes, structures, people and households,
placements and stays, histories (``backend.directory``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    String,
    func,
    literal,
    not_,
    or_,
    select,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from . import convert, limits
from . import entities as e
from . import results as r
from .database import Database, Reading
from .occupancy_counts import _open_on
from .people import fold
from .visibility import Masks
from .visibility import record_read as read_record


class Directory:
    """Lists and look-ups of programmes, structures, people, households and placements."""

    def __init__(
        self,
        db: Database,
        today: Callable[[], dt.date] = dt.date.today,
        masks: Masks | None = None,
        actor: str = "",
    ) -> None:
        self.db = db
        self.today = today  # a placement whose exit is scheduled after it is still running
        # What the principal may not see (models.visibility): a person it may not
        # identify is found by code and alias, never by name.
        self.masks = masks
        self.actor = actor  # who reads: recorded when a protected person's details are read

    def programmes(self) -> list[r.ProgrammeInfo]:
        found: list[r.ProgrammeInfo] = self.db.read_together(self.programmes_reading())[0]
        return found

    def programmes_reading(self) -> Callable[[Session], Reading]:
        """``programmes`` as a reading, to be sent with others (``Database.read_together``)."""
        p = e.Programme
        stmt = select(  # plain columns with the entity's names: convert.programme reads them
            p.id,
            p.code,
            p.name,
            p.kind,
            p.sai_category,
            p.holder,
            p.managing_partner,
            p.start_date,
            p.end_date,
            p.version,
            p.provinces,
        ).order_by(p.code)
        return lambda _s: ([stmt], lambda rows: [convert.programme(row) for row in rows[0]])

    def structures(
        self, *, programme_id: int | None = None, province: str | None = None
    ) -> list[r.StructureInfo]:
        found: list[r.StructureInfo] = self.db.read_together(
            self.structures_reading(programme_id=programme_id, province=province)
        )[0]
        return found

    def structures_reading(
        self, *, programme_id: int | None = None, province: str | None = None
    ) -> Callable[[Session], Reading]:
        """``structures`` as a reading, to be sent with others (``Database.read_together``)."""
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

        def finish(rows: list[list[Any]]) -> list[r.StructureInfo]:
            targets_of: dict[str, frozenset[str]] = {}
            out = []
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
            ) in rows[0]:
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

        return lambda _s: ([stmt], finish)

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
        found: set[int] = self.db.read_together(self.programmes_with_open_structures_reading(day))[
            0
        ]
        return found

    def programmes_with_open_structures_reading(self, day: dt.date) -> Callable[[Session], Reading]:
        """``programmes_with_open_structures`` as a reading (``Database.read_together``)."""
        stmt = select(e.Structure.programme_id).where(_open_on(day)).distinct()
        return lambda _s: ([stmt], lambda rows: {row[0] for row in rows[0]})

    def search_people(
        self,
        text: str,
        *,
        limit: int = 200,
        after: tuple[int, str, str, int] | None = None,
        day: dt.date | None = None,
    ) -> list[r.PersonInfo]:
        """People whose name, alias, code or citizenship contains every word of ``text``,
        with their household and the structure they sleep in on ``day`` (today by
        default), in the order of ``PersonInfo.search_key``: one statement.

        Reference persons (and people on their own) come first, in name order, then the
        other members of households: a child is never listed before the reference
        person of its household. Each part is read along the name index (migration
        0005) up to ``limit`` rows, and the two are merged.

        ``after`` is the ``search_key`` of the last row of the previous page: the next
        page starts there (keyset paging), so a deep page costs what the first one does.
        """
        # Folded like the stored words: accents are optional in every part of the query
        # ("Gülşen", "gülsen" and "gulsen" all find Ğülşen).
        words = [fold(w) for w in limits.search_words(text)]
        day = day if day is not None else self.today()
        p, m = e.Person, e.HouseholdMember
        heads = or_(m.id.is_(None), m.relationship_ == e.Relationship.REFERENCE)

        def part(rank: int) -> Any:  # a Select of the columns below
            stmt = (
                select(  # PersonInfo's fields, in their order, then the rank
                    p.id,
                    p.code,
                    p.first_name,
                    p.last_name,
                    p.alias,
                    # the stored values as they are: the results hold them as text
                    type_coerce(p.sex, String).label("sex"),
                    p.gender_identity,
                    p.birth_date,
                    p.citizenship,
                    type_coerce(p.legal_status, String).label("legal_status"),
                    p.version,
                    m.household_id,
                    e.Household.code.label("household_code"),
                    type_coerce(m.relationship_, String).label("relationship"),
                    literal(rank).label("rank"),
                )
                .outerjoin(m, m.person_id == p.id)
                .outerjoin(e.Household, e.Household.id == m.household_id)
                .where(heads if rank == 0 else not_(heads))
                .order_by(p.last_name, p.first_name, p.id)
                .limit(limit)
            )
            for w in words:
                found_by = p.search_text.contains(w, autoescape=True)
                if self.masks is not None:
                    found_by = or_(
                        found_by,
                        func.lower(p.code).contains(w, autoescape=True),
                        func.lower(p.alias).contains(w, autoescape=True),
                    )
                stmt = stmt.where(found_by)
            if after is not None and after[0] == rank:
                stmt = stmt.where(tuple_(p.last_name, p.first_name, p.id) > tuple_(*after[1:]))
            return stmt

        # After a page ending among the other members, the reference persons are done.
        ranks = [0, 1] if after is None or after[0] == 0 else [1]
        found = union_all(*(select(part(k).subquery()) for k in ranks)).subquery()
        bs = e.BedStay
        where = (
            select(e.Structure.code)
            .select_from(bs)
            .join(e.Bed, e.Bed.id == bs.bed_id)
            .join(e.Room, e.Room.id == e.Bed.room_id)
            .join(e.Structure, e.Structure.id == e.Room.structure_id)
            .where(
                bs.person_id == found.c.id,
                bs.cancelled.is_(False),
                bs.start_date <= day,
                or_(bs.end_date.is_(None), bs.end_date > day),
            )
            .limit(1)
            .scalar_subquery()
        )
        c = found.c
        stmt = (
            select(
                c.id,
                c.code,
                c.first_name,
                c.last_name,
                c.alias,
                c.sex,
                c.gender_identity,
                c.birth_date,
                c.citizenship,
                c.legal_status,
                c.version,
                c.household_id,
                c.household_code,
                c.relationship,
                where,
            )
            .order_by(c.rank, c.last_name, c.first_name, c.id)
            .limit(limit)
        )
        with self.db.read() as s:
            # Plain columns: straight through the connection, no ORM rows to make.
            rows = s.connection().execute(stmt).all()
        # The columns are PersonInfo's fields, in their order.
        return [r.PersonInfo(*row) for row in rows]

    def household(self, household_id: int) -> r.HouseholdInfo:
        from . import convert
        from .errors import NotFoundError
        from .i18n import _

        with self.db.read() as s:
            h = s.get(e.Household, household_id, options=convert.HOUSEHOLD)
            if h is None:
                raise NotFoundError(
                    _(
                        "These data no longer exist (perhaps removed on another PC): nothing was saved. Press F5 (View › Refresh) to read the data again."
                    )
                )
            return convert.household(h)

    def person_history(self, person_id: int, *, record_read: bool = False) -> list[r.StayInfo]:
        """Every stay of a person, oldest first, cancelled ones included and marked.

        ``record_read``: the person's details are being shown (the people page); for a
        protected person the reading is recorded in the audit trail, by whoever reads
        it, with the read (one statement more)."""
        stmt = (
            select(e.BedStay)
            .options(*convert.STAY)
            .where(e.BedStay.person_id == person_id)
            .order_by(e.BedStay.start_date, e.BedStay.id)
        )
        with self.db.read() as s:
            if record_read and self.db.is_sqlite:
                s.execute(read_record(self.actor, person_id))
                s.commit()  # a read ends with a rollback; the record is kept
            elif record_read:
                # Written by the read's own statement (a read is committed as it runs).
                stmt = stmt.add_cte(read_record(self.actor, person_id).cte("recorded_read"))
            stays = s.scalars(stmt).all()
            return [convert.stay(x) for x in stays]

    def placements_of_household(self, household_id: int) -> list[r.PlacementInfo]:
        with self.db.read() as s:
            return [
                convert.placement(p, self.today())
                for p in s.scalars(
                    select(e.Placement)
                    .options(*convert.PLACEMENT)
                    .where(e.Placement.household_id == household_id)
                    .order_by(e.Placement.entry_date, e.Placement.id)
                ).unique()
            ]

    def stays_of_household(self, household_id: int) -> list[r.StayInfo]:
        """Every bed stay of the household's placements, oldest first, cancelled ones included."""
        with self.db.read() as s:
            stays = s.scalars(
                select(e.BedStay)
                .options(*convert.STAY)
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
            p = s.get(e.Placement, placement_id, options=convert.PLACEMENT)
            if p is None:
                raise NotFoundError(
                    _(
                        "These data no longer exist (perhaps removed on another PC): nothing was saved. Press F5 (View › Refresh) to read the data again."
                    )
                )
            return convert.placement(p, self.today())

    def placement_id_expression(self, placement_id: int | None, household_id: int | None) -> Any:
        """The placement given, or as SQL the household's latest running one (an exit
        recorded for a later date is only scheduled): what ``placement_reading`` reads,
        for the statements sent with it that need the placement."""
        if placement_id is not None:
            return placement_id
        p = e.Placement
        running = or_(
            p.status == e.PlacementStatus.ACTIVE,
            (p.status == e.PlacementStatus.EXITED) & (p.exit_date > self.today()),
        )
        return (
            select(p.id)
            .where(p.household_id == household_id, running)
            .order_by(p.entry_date.desc(), p.id.desc())
            .limit(1)
            .correlate(None)  # its own FROM, inside a statement on the placements too
            .scalar_subquery()
        )

    def placement_reading(
        self, placement_id: int | None, household_id: int | None = None
    ) -> Callable[[Session], Reading]:
        """The placement given, or the household's latest running one, with its
        extensions (None when there is none), as a reading (``Database.read_together``):
        two statements, the second on the placement's id as SQL, not waiting for the
        first."""
        p, g, h, x = e.Placement, e.Programme, e.Household, e.Extension
        pid = self.placement_id_expression(placement_id, household_id)
        placement = (
            select(
                p.id,
                p.household_id,
                h.code,
                p.programme_id,
                g.code,
                g.kind,
                g.sai_category,
                p.entry_date,
                p.planned_end,
                p.exit_date,
                p.exit_reason,
                p.exit_destination,
                p.status,
                p.version,
            )
            .join(h, h.id == p.household_id)
            .join(g, g.id == p.programme_id)
            .where(p.id == pid)
        )
        extensions = (
            select(
                x.id,
                x.previous_planned_end,
                x.new_planned_end,
                x.reason,
                x.authorised_by,
                x.granted_on,
            )
            .where(x.placement_id == pid)
            .order_by(x.id)
        )
        today = self.today()

        def finish(rows: list[list[Any]]) -> r.PlacementInfo | None:
            if not rows[0]:
                return None
            return convert.placement_of_row(rows[0][0], rows[1], today)

        return lambda _s: ([placement, extensions], finish)

    def household_reading(
        self, household_id: int | None, placement_id: int | None = None
    ) -> Callable[[Session], Reading]:
        """The household with its members (None when there is none), as a reading: the
        household given, or the one of the placement given (``placement_id_expression``),
        in one statement."""
        h, m, p = e.Household, e.HouseholdMember, e.Person
        hid: Any = household_id
        if household_id is None:
            hid = (
                select(e.Placement.household_id)
                .where(e.Placement.id == placement_id)
                .correlate(None)
                .scalar_subquery()
            )
        stmt = (
            select(
                h.id,
                h.code,
                h.version,
                m.relationship_,
                p.id,
                p.code,
                p.first_name,
                p.last_name,
                p.alias,
                p.sex,
                p.gender_identity,
                p.birth_date,
                p.citizenship,
                p.legal_status,
                p.version,
            )
            .outerjoin(m, m.household_id == h.id)
            .outerjoin(p, p.id == m.person_id)
            .where(h.id == hid)
            .order_by(m.id)
        )

        def finish(rows: list[list[Any]]) -> r.HouseholdInfo | None:
            if not rows[0]:
                return None
            hid_, code, version = rows[0][0][:3]
            members = tuple(
                r.MemberInfo(
                    r.PersonInfo(
                        id=pid,
                        code=pcode,
                        first_name=first,
                        last_name=last,
                        alias=alias,
                        sex=sex.value,
                        gender_identity=gender,
                        birth_date=birth,
                        citizenship=citizenship,
                        legal_status=legal.value,
                        version=pversion,
                        household_id=hid_,
                        household_code=code,
                        relationship=rel.value,
                    ),
                    rel.value,
                )
                for (
                    _h,
                    _c,
                    _v,
                    rel,
                    pid,
                    pcode,
                    first,
                    last,
                    alias,
                    sex,
                    gender,
                    birth,
                    citizenship,
                    legal,
                    pversion,
                ) in rows[0]
                if pid is not None
            )
            return r.HouseholdInfo(id=hid_, code=code, members=members, version=version)

        return lambda _s: ([stmt], finish)

    def programme_of_structure_reading(self, structure_id: int) -> Callable[[Session], Reading]:
        """The code of the structure's programme (None when it is gone), as a reading."""
        stmt = (
            select(e.Programme.code)
            .join(e.Structure, e.Structure.programme_id == e.Programme.id)
            .where(e.Structure.id == structure_id)
        )
        return lambda _s: ([stmt], lambda rows: rows[0][0][0] if rows[0] else None)

    def audit_ids_after(self, after: int) -> list[int]:
        """Ids of the audit entries above ``after``: the desktop polls them to find other
        PCs' changes (on SQLite, and while the shared server's notifications are away)."""
        with self.db.read() as s:
            return list(
                s.scalars(
                    select(e.AuditEntry.id)
                    .where(e.AuditEntry.id > after, e.AuditEntry.action != "read")
                    .order_by(e.AuditEntry.id)
                )
            )

    def change_marker(self) -> int:
        """A number that grows with every change, by any PC: the last audit entry.

        Read when the database is opened, before any page: the polling of the audit
        trail (``models.live.AuditWatch``) starts from it.
        """
        with self.db.read() as s:
            return int(s.scalar(select(func.max(e.AuditEntry.id))) or 0)
