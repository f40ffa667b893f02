"""What each role sees: the one rule of who is shown identified, applied to every read.

Protected people are the people placed, now or ever, in an anti-trafficking programme
or in a confidential structure (``models.access``). A principal who may not identify
them (``Principal.may_identify``) sees their code and alias only; a confidential
structure of a programme the principal is not assigned to is shown by its code, without
address. A reader sees nobody by name and no address at all.

The rule is applied where the data are read, not where they are shown, so that every
screen, print, export and command gets the same answer: a principal who may not see
everything reads through an engine of its own (``Database.restrict_reads``) whose
statements are written with the hidden columns replaced, as they are sent:

- for a reader, ``person.first_name``, ``last_name``, ``gender_identity``,
  ``citizenship``, ``search_text`` and ``structure.address`` become ``''``: the
  statements never name those columns, which a reader's login may not select on the
  shared server (its column privileges, ``models.pg_security``);
- a protected person the principal may not identify has those columns ``''`` (a
  ``CASE`` on the protection, computed by the database on each read: a placement made
  a minute ago counts);
- a confidential structure the principal may not identify has its code for a name and
  no address.

Writes go through the ordinary engine, unchanged: a correction never saves a hidden
value back. Named prints and exports are refused to whoever may not print named
(``check_named``); a person a principal may not identify is pseudonymised in them all
the same, since the names were never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.ext.compiler import compiles

from .access import Principal
from .errors import ValidationError
from .i18n import N_, _

# The person's columns that identify them (a reader's login may not select them).
PERSON_IDENTIFYING = ("first_name", "last_name", "gender_identity", "citizenship", "search_text")
# What the dialect of a restricted read engine carries (``Masks``).
MASKS_ATTRIBUTE = "accoglienza_masks"

NAMED_REFUSED = N_(
    "Your role allows pseudonymised prints and exports only: nothing was printed or exported."
)


def protected_person_sql(q: str) -> str:
    """SQL true when the person row ``q`` is protected: placed, now or ever (cancelled
    stays too), in a confidential structure or an anti-trafficking programme."""
    return (
        "(EXISTS (SELECT 1 FROM bed_stay vb JOIN bed vbd ON vbd.id = vb.bed_id"
        " JOIN room vr ON vr.id = vbd.room_id JOIN structure vs ON vs.id = vr.structure_id"
        f" WHERE vb.person_id = {q}.id AND vs.confidential)"
        " OR EXISTS (SELECT 1 FROM household_member vm JOIN placement vp"
        " ON vp.household_id = vm.household_id JOIN programme vg ON vg.id = vp.programme_id"
        f" WHERE vm.person_id = {q}.id AND vg.kind = 'anti_trafficking')"
        " OR EXISTS (SELECT 1 FROM bed_stay vb2 JOIN placement vp2 ON vp2.id = vb2.placement_id"
        " JOIN programme vg2 ON vg2.id = vp2.programme_id"
        f" WHERE vb2.person_id = {q}.id AND vg2.kind = 'anti_trafficking'))"
    )


def record_read(actor: str, person_id: int) -> Any:
    """The audit entry of reading a person's details, written only when the person is
    protected: action "read", entity "person", the id, who read; never a name. An
    INSERT ... SELECT (on PostgreSQL sent as a CTE of the read itself)."""
    from sqlalchemy import insert, literal, select, text

    from . import entities as e

    p = e.Person.__table__
    chosen = select(literal(actor), literal("read"), literal("person"), p.c.id, literal("")).where(
        p.c.id == person_id, text(protected_person_sql("person"))
    )
    return insert(e.AuditEntry).from_select(
        ["actor", "action", "entity", "entity_id", "details"], chosen
    )


@dataclass(frozen=True)
class Masks:
    """What a principal's reads hide. ``covered`` None: every programme is the
    principal's (nothing protected is hidden but what a reader never sees)."""

    reader: bool
    covered: frozenset[int] | None
    # On the shared server row-level security shows a coordinator or an operator only
    # the people of their programmes, whom they may identify: no person is masked there
    # but for a reader (models.pg_security).
    rows_limited: bool = False

    @classmethod
    def of(cls, principal: Principal, *, rows_limited: bool = False) -> Masks | None:
        """None when the principal sees everything (an administrator, the owner)."""
        if principal.sees_names and principal.programmes is None:
            return None
        return cls(not principal.sees_names, principal.programmes, rows_limited)

    def _covered_list(self) -> str:
        ids = sorted(self.covered or ()) or [-1]
        return ", ".join(str(int(i)) for i in ids)

    def person_hidden(self, q: str) -> str | None:
        """SQL true when the person row ``q`` is shown by code and alias only."""
        if self.reader:
            return None  # never identified: the columns are not read at all
        if self.covered is None or self.rows_limited:
            return None
        protected = protected_person_sql(q)
        ids = self._covered_list()
        assigned = (
            "(EXISTS (SELECT 1 FROM household_member vm3 JOIN placement vp3"
            f" ON vp3.household_id = vm3.household_id WHERE vm3.person_id = {q}.id"
            f" AND vp3.programme_id IN ({ids}))"
            " OR EXISTS (SELECT 1 FROM bed_stay vb4 JOIN placement vp4 ON vp4.id = vb4.placement_id"
            f" WHERE vb4.person_id = {q}.id AND vp4.programme_id IN ({ids})))"
        )
        return f"({protected} AND NOT {assigned})"

    def structure_hidden(self, q: str) -> str:
        """SQL true when the structure row ``q`` is shown by its code only."""
        if self.reader or self.covered is None:
            return f"{q}.confidential"
        return f"({q}.confidential AND {q}.programme_id NOT IN ({self._covered_list()}))"


EMPTY = "CAST('' AS VARCHAR)"


def _masked(element: Column[Any], masks: Masks, rendered: str, compiler: Any) -> str | None:
    table = element.table
    base = getattr(table, "element", table)
    if not isinstance(base, Table):
        return None
    name = element.name
    q = rendered.rsplit(".", 1)[0] if "." in rendered else compiler.preparer.quote(base.name)
    if base.name == "person" and name in PERSON_IDENTIFYING:
        if masks.reader:
            return EMPTY
        hidden = masks.person_hidden(q)
        return None if hidden is None else f"CASE WHEN {hidden} THEN '' ELSE {rendered} END"
    if base.name == "structure" and name == "address":
        if masks.reader:
            return EMPTY
        return f"CASE WHEN {masks.structure_hidden(q)} THEN '' ELSE {rendered} END"
    if base.name == "structure" and name == "name":
        if masks.reader and masks.rows_limited:
            # The shared server gives a reader the name only as its own column of what
            # may be shown (models.pg_security.SHOWN_NAME).
            return f"{q}.shown_name"
        return f"CASE WHEN {masks.structure_hidden(q)} THEN {q}.code ELSE {rendered} END"
    return None


@compiles(Column)
def _visible_column(element: Column[Any], compiler: Any, **kw: Any) -> str:
    rendered: str = compiler.visit_column(element, **kw)
    masks = getattr(compiler.dialect, MASKS_ATTRIBUTE, None)
    if masks is None:
        return rendered
    masked = _masked(element, masks, rendered, compiler)
    if masked is None:
        return rendered
    if kw.get("within_columns_clause") and not kw.get("within_label_clause"):
        # A bare column of a SELECT keeps its name (a subquery's column is read by it).
        masked = f"{masked} AS {compiler.preparer.quote(element.name)}"
    return masked


def identifiable(session: Any, principal: Principal, person_id: int) -> bool:
    """Whether ``principal`` may see the person identified (read in ``session``, a
    write's own transaction: its statements are not masked)."""
    from sqlalchemy import text

    masks = Masks.of(principal, rows_limited=session.get_bind().dialect.name != "sqlite")
    if masks is None:
        return True
    hidden = "TRUE" if masks.reader else masks.person_hidden("q")
    if hidden is None:
        return True
    found = session.execute(
        text(f"SELECT 1 FROM person q WHERE q.id = :id AND {hidden}"), {"id": person_id}
    ).first()
    return found is None


def see_as(db: Any, principal: Principal) -> None:
    """Make the reads of ``db`` hide what ``principal`` may not see (the backend does
    it for the desktop; the commands that read a database without one call it)."""
    masks = Masks.of(principal, rows_limited=not db.is_sqlite)
    if masks is not None or db.reads_restricted:
        db.restrict_reads(masks)


def check_named(principal: Principal, pseudonymised: bool | None) -> None:
    """Refuse a named print or export (``pseudonymised`` False) to a principal who may
    not print named."""
    if pseudonymised is False and not principal.may_print_named:
        raise ValidationError(_(NAMED_REFUSED))


def pseudonymised_for(principal: Principal, pseudonymised: bool | None) -> bool | None:
    """The choice a print gets: always pseudonymised for who may not print named."""
    return pseudonymised if principal.may_print_named else True
