"""A whole database moved to another, empty one, on either engine (``accoglienza db
copy``, File › Copy the database to…): from a local file to the shared server, or back.

Everything is copied as it is — ids, history, cancelled records, the audit trail — table
by table in the order of their dependencies, into a target migrated first to the same
version. PostgreSQL's id sequences are moved past the copied ids. The target is
refused unless every table is empty; the copy is one transaction on the target, checked
(rows and a checksum per table, against the source) before it is committed, so a copy
that does not match leaves the target as it was.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, func, select, text
from sqlalchemy.exc import DBAPIError

from . import change_log, schema
from .database import Database, connection_problem, describe
from .entities import Base
from .errors import DatabaseProblem
from .i18n import _, ngettext

BATCH = 2_000

# (table, rows copied so far, rows of the table)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class TableCopy:
    """One table copied: its rows and the checksum both databases agree on."""

    table: str
    rows: int
    checksum: str


def tables() -> list[Table]:
    """The application's tables, each after the tables it refers to."""
    return list(Base.metadata.sorted_tables)


def _plain(value: Any) -> Any:
    """A value as both engines give it back, for the checksum."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, bool):
        return int(value)
    return value


def _rows(conn: Connection, table: Table) -> Iterator[Any]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    yield from result


def table_checksum(conn: Connection, table: Table) -> TableCopy:
    """Rows and a checksum of ``table`` read in primary key order."""
    digest = hashlib.sha256()
    count = 0
    for row in _rows(conn, table):
        digest.update(repr(tuple(_plain(v) for v in row)).encode("utf-8"))
        count += 1
    return TableCopy(table.name, count, digest.hexdigest())


def _non_empty(conn: Connection) -> list[str]:
    return [
        t.name for t in tables() if conn.execute(select(func.count()).select_from(t)).scalar_one()
    ]


def copy_database(
    source: Database, target: Database, progress: Progress | None = None
) -> list[TableCopy]:
    """Copy ``source`` whole into the empty ``target``; the tables copied and checked."""
    if source.url == target.url:
        raise DatabaseProblem(_("The copy must go to another database."))
    schema.ensure_current(source)
    schema.upgrade(target)  # an empty target gets the schema; a newer one is refused
    try:
        with source.read() as src_session, target.engine.begin() as dst:
            # One snapshot of the source for every table (SQLite's read transaction is one).
            src = src_session.connection(
                execution_options={} if source.is_sqlite else {"isolation_level": "REPEATABLE READ"}
            )
            if not source.is_sqlite:
                _no_limits(src)
            full = _non_empty(dst)
            if full:
                raise DatabaseProblem(
                    _(
                        "The database {target} is not empty (table {table} holds data): the "
                        "copy goes only into an empty database. Nothing was copied."
                    ).format(target=describe(target.url), table=full[0])
                )
            if not target.is_sqlite:
                _no_limits(dst)
            # The source's change log comes along: copying writes no log rows of its own.
            with change_log.suspended(dst):
                copied = [_copy_table(src, dst, t, progress) for t in tables()]
            if not target.is_sqlite:
                _move_sequences(dst)
            for done in copied:
                check = table_checksum(dst, Base.metadata.tables[done.table])
                if check != done:
                    raise DatabaseProblem(
                        _(
                            "The copy of table {table} does not match the original: nothing "
                            "was copied."
                        ).format(table=done.table)
                    )
            return copied
    except DBAPIError as exc:
        raise connection_problem(target.url, exc) from exc


def _no_limits(conn: Connection) -> None:
    """A large network takes longer than the sessions' usual limits: a statement may
    run, and each side waits idle on the other, for as long as the copy needs."""
    conn.execute(text("SET LOCAL statement_timeout = 0"))
    conn.execute(text("SET LOCAL idle_in_transaction_session_timeout = 0"))


def _copy_table(
    src: Connection, dst: Connection, table: Table, progress: Progress | None
) -> TableCopy:
    total = src.execute(select(func.count()).select_from(table)).scalar_one()
    digest = hashlib.sha256()
    done = 0
    batch: list[dict[str, Any]] = []
    names = [c.name for c in table.columns]
    if progress is not None:
        progress(table.name, 0, total)
    for row in _rows(src, table):
        digest.update(repr(tuple(_plain(v) for v in row)).encode("utf-8"))
        batch.append(dict(zip(names, row, strict=True)))
        if len(batch) >= BATCH:
            dst.execute(table.insert(), batch)
            done += len(batch)
            batch = []
            if progress is not None:
                progress(table.name, done, total)
    if batch:
        dst.execute(table.insert(), batch)
        done += len(batch)
    if progress is not None:
        progress(table.name, done, total)
    return TableCopy(table.name, done, digest.hexdigest())


def _move_sequences(dst: Connection) -> None:
    """PostgreSQL: each id sequence continues after the largest id copied."""
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        sequence = dst.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}
        ).scalar()
        if sequence is None:
            continue
        dst.execute(
            text(
                f"SELECT setval(:s, COALESCE((SELECT max({pk[0].name}) FROM {table.name}), 0) + 1, false)"
            ),
            {"s": sequence},
        )


def summary(copied: list[TableCopy], source: Database, target: Database) -> str:
    """What a copy did, in one sentence."""
    rows = sum(t.rows for t in copied)
    return ngettext(
        "Copied {rows} row in {tables} tables from {source} to {target}; every table checked.",
        "Copied {rows} rows in {tables} tables from {source} to {target}; every table checked.",
        rows,
    ).format(
        rows=rows,
        tables=len(copied),
        source=describe(source.url),
        target=describe(target.url),
    )
