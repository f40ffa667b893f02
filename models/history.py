"""A record's history, read from the change log the database writes (``backend.history``).

What changed, when and by whom, for a person (their details and their household
membership), a placement (with its stays and extensions), a stay, or a structure (with
its places over time and its rooms). One statement a record, oldest change first.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, cast, func, or_, select, text
from sqlalchemy.dialects.postgresql import JSONB

from . import entities as e
from .database import Database
from .results import FieldChange, HistoryEntry
from .visibility import Masks


class RecordKind(enum.StrEnum):
    PERSON = "person"
    PLACEMENT = "placement"
    STAY = "bed_stay"
    STRUCTURE = "structure"


# For each kind of record, the tables of its parts and the column naming the record.
PARTS: dict[RecordKind, dict[str, str]] = {
    RecordKind.PERSON: {"household_member": "person_id"},
    RecordKind.PLACEMENT: {"bed_stay": "placement_id", "extension": "placement_id"},
    RecordKind.STAY: {},
    RecordKind.STRUCTURE: {
        "capacity_period": "structure_id",
        "structure_move": "structure_id",
        "room": "structure_id",
    },
}
# Bookkeeping, not what a user changed; ``shown_name`` is the shared server's copy of a
# structure's name for readers (models.pg_security).
UNSHOWN = {"id", "version", "search_text", "shown_name"}


class History:
    """Reads of the change log."""

    def __init__(self, db: Database, masks: Masks | None = None) -> None:
        self._db = db
        # What the principal may not see (models.visibility): the values of a person or
        # a structure it may not identify are not shown, only that they changed.
        self._masks = masks

    def of(self, kind: RecordKind | str, record_id: int) -> list[HistoryEntry]:
        kind = RecordKind(kind)
        if self._masks is not None and self._masks.reader:
            # A reader reads no change log: it holds the values, names included (on the
            # shared server a reader's login may not select it at all).
            return []
        log = e.ChangeLog
        values = func.coalesce(log.after, log.before)
        which: list[ColumnElement[bool]] = [
            and_(log.table_name == kind.value, log.row_id == record_id)
        ]
        for table, column in PARTS[kind].items():
            which.append(and_(log.table_name == table, self._field(values, column) == record_id))
        stmt = (
            select(
                log.at,
                log.db_user,
                log.table_name,
                log.row_id,
                log.operation,
                log.before,
                log.after,
            )
            .where(or_(*which))
            .order_by(log.id)
        )
        with self._db.read() as s:
            rows = s.execute(stmt).all()
            hidden = self._hidden(s, kind, record_id)
        entries = [self._entry(*row) for row in rows]
        if self._masks is not None and self._masks.reader:
            hidden.setdefault("structure", {"address"})  # a reader sees no address
        if not hidden:
            return entries
        return [
            HistoryEntry(
                x.at,
                x.user,
                x.table,
                x.row_id,
                x.operation,
                [
                    FieldChange(c.name, "", "")
                    if _covers(hidden.get(x.table, False), c.name)
                    else c
                    for c in x.changes
                ],
            )
            for x in entries
        ]

    def _hidden(self, s: Any, kind: RecordKind, record_id: int) -> dict[str, set[str] | None]:
        """The tables whose values of this record the principal may not see: every
        field (None) or the fields named."""
        m = self._masks
        if m is None or kind not in (RecordKind.PERSON, RecordKind.STRUCTURE):
            return {}
        if kind is RecordKind.PERSON:
            if m.reader:
                return {"person": None}
            where = m.person_hidden("q")
            table = "person"
        else:
            where = m.structure_hidden("q")
            table = "structure"
        if where is None:
            return {}
        found = s.execute(
            text(f"SELECT 1 FROM {table} q WHERE q.id = :id AND {where}"), {"id": record_id}
        ).first()
        return {table: None} if found is not None else {}

    def _field(self, values: Any, column: str) -> ColumnElement[Any]:
        if self._db.is_sqlite:
            return cast(func.json_extract(values, f"$.{column}"), Integer)
        return cast(cast(values, JSONB)[column].astext, Integer)

    @staticmethod
    def _entry(
        at: dt.datetime | str,
        user: str,
        table: str,
        row_id: int,
        operation: str,
        before: str | None,
        after: str | None,
    ) -> HistoryEntry:
        old: dict[str, Any] = json.loads(before) if before else {}
        new: dict[str, Any] = json.loads(after) if after else {}
        changes = [
            FieldChange(name, _plain(old.get(name)), _plain(new.get(name)))
            for name in dict.fromkeys([*old, *new])  # the record's own column order
            if name not in UNSHOWN and old.get(name) != new.get(name)
        ]
        when = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(at)
        return HistoryEntry(when, user, table, row_id, operation, changes)


def _covers(fields: set[str] | None | bool, name: str) -> bool:
    return fields is None or (isinstance(fields, set) and name in fields)


def _plain(value: Any) -> str:
    """A logged value as text: dates as ISO, truth values as yes/no marks, none as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)
