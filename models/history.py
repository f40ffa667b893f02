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

from sqlalchemy import ColumnElement, Integer, and_, cast, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from . import entities as e
from .database import Database
from .results import FieldChange, HistoryEntry


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
# Columns that say nothing to a reader of the history.
UNSHOWN = {"id", "version", "search_text"}


class History:
    """Reads of the change log."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def of(self, kind: RecordKind | str, record_id: int) -> list[HistoryEntry]:
        kind = RecordKind(kind)
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
        return [self._entry(*row) for row in rows]

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


def _plain(value: Any) -> str:
    """A logged value as text: dates as ISO, truth values as yes/no marks, none as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)
