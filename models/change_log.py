"""The change log: every insert, update and delete of the recorded tables, written by the
database itself. Times are UTC (a transaction's start on PostgreSQL).

Triggers on each recorded table add a row to ``change_log`` with the time, the database
user (on a local file, the user the program runs for), the table, the record's id, the
operation and the record's values before and after, as JSON. Because the database writes
it, a bulk statement or a change made with another tool is recorded like a change made on
a screen. Rows of ``change_log`` and of ``audit_entry`` cannot be changed or deleted: a
trigger refuses it on both engines.

On a local file the triggers call ``acc_actor()``, a function the program gives every
connection it opens (see ``models/database.py``). A tool that does not provide it cannot
change the recorded tables at all: what it tries is refused, never left unrecorded.

Loading a whole database at once (the demo network, a copy of another database) writes
no log rows: those rows were not changed here, and a copy brings the source's own log
along. ``suspended`` takes the triggers away for the length of one transaction; it needs
the rights of the tables' owner.

``install`` is called by the migration that created the log and must be called again by
any later migration that adds, renames or removes a column of a recorded table (the
local file's triggers name each column).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, inspect, text

# The tables whose every change is recorded: the network, the people and their stays.
RECORDED_TABLES = (
    "programme",
    "structure",
    "capacity_period",
    "structure_move",
    "room",
    "bed",
    "bed_outage",
    "person",
    "household",
    "household_member",
    "placement",
    "extension",
    "bed_stay",
    "reservation",
    "reservation_bed",
    "placement_request",
)
# Tables whose rows, once written, stay as they are.
FROZEN_TABLES = ("change_log", "audit_entry")

REFUSED = "the audit trail cannot be changed or deleted"


# The user signed in to this program on a local file (``sign_in``); until someone signs in,
# the operating system's user the program runs for.
_signed_in: str | None = None


def sign_in(login: str | None) -> None:
    """Record ``login`` as who makes this program's changes on a local file (None: the
    operating system's user again)."""
    global _signed_in
    _signed_in = login or None


def actor() -> str:
    """Who the program runs for, as a local file's log records it: the user signed in,
    else the operating system's user."""
    if _signed_in:
        return _signed_in
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name (a service account without one)
        return ""


def install(conn: Connection) -> None:
    """Create (or create again) the triggers of the log on this connection's database."""
    if conn.dialect.name == "postgresql":
        _install_postgresql(conn)
    else:
        _install_sqlite(conn)


def remove(conn: Connection) -> None:
    """Drop every trigger of the log (the table stays)."""
    if conn.dialect.name == "postgresql":
        for table in RECORDED_TABLES:
            conn.execute(text(f'DROP TRIGGER IF EXISTS acc_log_change ON "{table}"'))
        for table in FROZEN_TABLES:
            conn.execute(text(f'DROP TRIGGER IF EXISTS acc_frozen ON "{table}"'))
            conn.execute(text(f'DROP TRIGGER IF EXISTS acc_frozen_truncate ON "{table}"'))
        conn.execute(text("DROP FUNCTION IF EXISTS acc_log_change()"))
        conn.execute(text("DROP FUNCTION IF EXISTS acc_refuse_change()"))
    else:
        for (name,) in conn.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'acc_%'")
        ).all():
            conn.execute(text(f'DROP TRIGGER IF EXISTS "{name}"'))


@contextmanager
def suspended(conn: Connection) -> Iterator[None]:
    """No log rows for what ``conn`` writes inside the block (a whole database loaded at
    once); the triggers come back before the transaction commits. PostgreSQL disables
    them for this transaction only (other sessions wait on the table's lock meanwhile);
    SQLite drops and creates them again inside the same transaction."""
    if conn.dialect.name == "postgresql":
        for table in RECORDED_TABLES:
            conn.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER acc_log_change'))
        yield
        for table in RECORDED_TABLES:
            conn.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER acc_log_change'))
    else:
        remove(conn)
        yield
        install(conn)


def _install_postgresql(conn: Connection) -> None:
    # SECURITY DEFINER: the log is written with the owner's rights, so a user who may
    # change a stay needs no right on the log itself; session_user is still the login.
    # search_path is fixed to the schema the tables are in, as a definer function must.
    conn.execute(
        text(
            """
            CREATE OR REPLACE FUNCTION acc_log_change() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO change_log (at, db_user, table_name, row_id, operation, after)
                    VALUES (timezone('utc', now()), session_user, TG_TABLE_NAME, NEW.id, 'I', to_jsonb(NEW)::text);
                ELSIF TG_OP = 'UPDATE' THEN
                    INSERT INTO change_log (at, db_user, table_name, row_id, operation, before, after)
                    VALUES (timezone('utc', now()), session_user, TG_TABLE_NAME, NEW.id, 'U',
                            to_jsonb(OLD)::text, to_jsonb(NEW)::text);
                ELSE
                    INSERT INTO change_log (at, db_user, table_name, row_id, operation, before)
                    VALUES (timezone('utc', now()), session_user, TG_TABLE_NAME, OLD.id, 'D', to_jsonb(OLD)::text);
                END IF;
                RETURN NULL;
            END
            $$
            """
        )
    )
    conn.execute(
        text(
            f"""
            CREATE OR REPLACE FUNCTION acc_refuse_change() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """
        )
    )
    for table in RECORDED_TABLES:
        conn.execute(text(f'DROP TRIGGER IF EXISTS acc_log_change ON "{table}"'))
        conn.execute(
            text(
                f'CREATE TRIGGER acc_log_change AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION acc_log_change()"
            )
        )
    for table in FROZEN_TABLES:
        conn.execute(text(f'DROP TRIGGER IF EXISTS acc_frozen ON "{table}"'))
        conn.execute(text(f'DROP TRIGGER IF EXISTS acc_frozen_truncate ON "{table}"'))
        conn.execute(
            text(
                f'CREATE TRIGGER acc_frozen BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION acc_refuse_change()"
            )
        )
        conn.execute(
            text(
                f'CREATE TRIGGER acc_frozen_truncate BEFORE TRUNCATE ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION acc_refuse_change()"
            )
        )


def _json_object(conn: Connection, table: str, row: str) -> str:
    columns = [c["name"] for c in inspect(conn).get_columns(table)]
    return "json_object(" + ", ".join(f"'{c}', {row}.\"{c}\"" for c in columns) + ")"


def _install_sqlite(conn: Connection) -> None:
    remove(conn)
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    insert = "INSERT INTO change_log (at, db_user, table_name, row_id, operation, before, after)"
    for table in RECORDED_TABLES:
        new, old = _json_object(conn, table, "NEW"), _json_object(conn, table, "OLD")
        bodies = {
            "INSERT": f"{insert} VALUES ({now}, acc_actor(), '{table}', NEW.id, 'I', NULL, {new})",
            "UPDATE": f"{insert} VALUES ({now}, acc_actor(), '{table}', NEW.id, 'U', {old}, {new})",
            "DELETE": f"{insert} VALUES ({now}, acc_actor(), '{table}', OLD.id, 'D', {old}, NULL)",
        }
        for operation, body in bodies.items():
            conn.execute(
                text(
                    f'CREATE TRIGGER "acc_log_{table}_{operation.lower()}" AFTER {operation} '
                    f'ON "{table}" FOR EACH ROW BEGIN {body}; END'
                )
            )
    for table in FROZEN_TABLES:
        for operation in ("UPDATE", "DELETE"):
            conn.execute(
                text(
                    f'CREATE TRIGGER "acc_frozen_{table}_{operation.lower()}" BEFORE {operation} '
                    f"ON \"{table}\" FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
                )
            )
