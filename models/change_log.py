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

One path, and only one, rewrites old rows: the anonymisation of people whose records are
past their retention (``models/retention.py``). ``forget`` replaces, in the log rows of the
records given, the values of the identifying columns (``FORGOTTEN``, nothing else) by the
record's present, anonymised, values, and blanks the free-text reasons of their audit
entries. On PostgreSQL it is done by two SECURITY DEFINER functions owned by the tables'
owner (``acc_retention_rewrite``, ``acc_retention_forget``), which nobody may execute but
the roles granted it (the administrators): they set a transaction-local flag
(``acc.retention``) that the frozen trigger lets through, and clear it before they return.
The flag alone opens nothing: a user role has no right to update the log at all. On a
local file the frozen triggers of the two tables are dropped and created again inside the
anonymisation's own transaction.
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

# The columns that identify a person, or may (free text), per recorded table: the only
# values the anonymisation rewrites in the log (``forget``).
FORGOTTEN: dict[str, tuple[str, ...]] = {
    "person": (
        "first_name",
        "last_name",
        "alias",
        "gender_identity",
        "citizenship",
        "birth_date",
        "search_text",
    ),
    "placement": ("note", "exit_destination"),
    "extension": ("reason",),
    "bed_stay": ("override_reason",),
    "reservation": ("note",),
    "placement_request": ("referral_code", "notes", "close_reason"),
}
# The audit entries whose free-text "reason" is blanked, by entity (an exit's reason is
# one of the fixed exit reasons, and stays).
FORGOTTEN_REASONS = ("placement", "bed_stay", "reservation", "placement_request")
# The functions of the one sanctioned rewrite, executable by the administrators alone.
RETENTION_FUNCTIONS = (
    "acc_retention_rewrite(text, bigint[])",
    "acc_retention_forget(text, bigint[])",
)
ADMINISTRATORS = "accoglienza_administrator"
# The placeholder of an anonymised person's last name (their code becomes the first name).
ANONYMOUS = "Anonimo"


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
        for signature in RETENTION_FUNCTIONS:
            conn.execute(text(f"DROP FUNCTION IF EXISTS {signature}"))
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
                -- Set only while acc_retention_rewrite or acc_retention_forget runs.
                IF TG_OP = 'UPDATE' AND current_setting('acc.retention', true) = 'on' THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """
        )
    )
    _install_retention_postgresql(conn)
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
            _freeze_sqlite(conn, table, operation)


def _freeze_sqlite(conn: Connection, table: str, operation: str) -> None:
    conn.execute(
        text(
            f'CREATE TRIGGER "acc_frozen_{table}_{operation.lower()}" BEFORE {operation} '
            f"ON \"{table}\" FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
        )
    )


def _install_retention_postgresql(conn: Connection) -> None:
    # The identifying columns of each table, fixed in the function: whoever may call it
    # can make old values of these columns equal to the present ones, and nothing else.
    columns = " ".join(
        f"WHEN '{table}' THEN ARRAY[{', '.join(repr(c) for c in keys)}]"
        for table, keys in FORGOTTEN.items()
    )
    entities = ", ".join(repr(t) for t in FORGOTTEN_REASONS)
    conn.execute(
        text(
            f"""
            CREATE OR REPLACE FUNCTION acc_retention_rewrite(p_table text, p_ids bigint[])
            RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
            DECLARE
                keys text[] := CASE p_table {columns} END;
                n bigint;
            BEGIN
                IF keys IS NULL THEN
                    RAISE EXCEPTION 'nothing to forget in %', p_table
                        USING ERRCODE = 'invalid_parameter_value';
                END IF;
                PERFORM set_config('acc.retention', 'on', true);
                -- A person's rows only once the person is anonymised.
                EXECUTE format(
                    'WITH v AS (
                        SELECT i.id, coalesce((SELECT jsonb_object_agg(k,
                                   coalesce(to_jsonb(t) -> k, ''null''::jsonb))
                               FROM unnest($2) AS k), ''{{}}''::jsonb) AS vals
                        FROM unnest($1) AS i(id) LEFT JOIN %I AS t ON t.id = i.id
                        WHERE $3 <> ''person'' OR (to_jsonb(t) ->> ''last_name'' = $4
                              AND to_jsonb(t) ->> ''first_name'' = to_jsonb(t) ->> ''code''))
                     UPDATE change_log AS c
                        SET before = CASE WHEN c.before IS NULL THEN NULL
                                          ELSE (c.before::jsonb || v.vals)::text END,
                            after = CASE WHEN c.after IS NULL THEN NULL
                                         ELSE (c.after::jsonb || v.vals)::text END
                       FROM v WHERE c.table_name = $3 AND c.row_id = v.id', p_table)
                    USING p_ids, keys, p_table, '{ANONYMOUS}';
                GET DIAGNOSTICS n = ROW_COUNT;
                PERFORM set_config('acc.retention', 'off', true);
                RETURN n;
            END
            $$
            """
        )
    )
    conn.execute(
        text(
            f"""
            CREATE OR REPLACE FUNCTION acc_retention_forget(p_entity text, p_ids bigint[])
            RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
            DECLARE n bigint;
            BEGIN
                IF NOT (p_entity = ANY (ARRAY[{entities}])) THEN
                    RAISE EXCEPTION 'no reasons to forget in %', p_entity
                        USING ERRCODE = 'invalid_parameter_value';
                END IF;
                PERFORM set_config('acc.retention', 'on', true);
                UPDATE audit_entry
                   SET details = (details::jsonb || '{{"reason": ""}}'::jsonb)::text
                 WHERE entity = p_entity AND entity_id = ANY (p_ids) AND action <> 'exit'
                   AND details LIKE '{{%' AND details::jsonb ? 'reason';
                GET DIAGNOSTICS n = ROW_COUNT;
                PERFORM set_config('acc.retention', 'off', true);
                RETURN n;
            END
            $$
            """
        )
    )
    for signature in RETENTION_FUNCTIONS:
        conn.execute(text(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC"))
        # The administrators' group role of the shared server (models/pg_security.py),
        # where it exists already.
        conn.execute(
            text(
                f"""
                DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ADMINISTRATORS}') THEN
                        GRANT EXECUTE ON FUNCTION {signature} TO {ADMINISTRATORS};
                    END IF;
                END $$
                """
            )
        )


def forget(conn: Connection, table: str, ids: list[int]) -> int:
    """In the log rows of these records of ``table``, the identifying columns' values
    (``FORGOTTEN``) become the records' present ones; in their audit entries, a free-text
    reason becomes empty. Only for the anonymisation, inside its transaction (see the
    module's docstring). The log rows rewritten."""
    if not ids:
        return 0
    if conn.dialect.name == "postgresql":
        done = conn.execute(
            text("SELECT acc_retention_rewrite(:t, CAST(:ids AS bigint[]))"),
            {"t": table, "ids": ids},
        ).scalar_one()
        if table in FORGOTTEN_REASONS:
            conn.execute(
                text("SELECT acc_retention_forget(:t, CAST(:ids AS bigint[]))"),
                {"t": table, "ids": ids},
            )
        return int(done)
    return _forget_sqlite(conn, table, ids)


def _forget_sqlite(conn: Connection, table: str, ids: list[int]) -> int:
    keys = FORGOTTEN[table]
    for frozen in FROZEN_TABLES:
        conn.execute(text(f'DROP TRIGGER IF EXISTS "acc_frozen_{frozen}_update"'))
    done = 0
    try:
        for side in ("before", "after"):
            pairs = ", ".join(
                f'\'$.{k}\', (SELECT t."{k}" FROM "{table}" AS t WHERE t.id = change_log.row_id)'
                for k in keys
            )
            for chunk in _chunks(ids):
                marks = ", ".join(str(int(i)) for i in chunk)
                done += conn.execute(
                    text(
                        f"UPDATE change_log SET {side} = json_set({side}, {pairs}) "
                        f"WHERE table_name = :t AND {side} IS NOT NULL AND row_id IN ({marks})"
                    ),
                    {"t": table},
                ).rowcount
        if table in FORGOTTEN_REASONS:
            for chunk in _chunks(ids):
                marks = ", ".join(str(int(i)) for i in chunk)
                conn.execute(
                    text(
                        "UPDATE audit_entry SET details = json_set(details, '$.reason', '') "
                        "WHERE entity = :t AND action <> 'exit' AND json_valid(details) "
                        f"AND json_extract(details, '$.reason') IS NOT NULL AND entity_id IN ({marks})"
                    ),
                    {"t": table},
                )
    finally:
        # Frozen again before anything else runs in the transaction (and if the
        # transaction fails, its rollback takes the drop back anyway).
        for frozen in FROZEN_TABLES:
            _freeze_sqlite(conn, frozen, "UPDATE")
    return done


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
