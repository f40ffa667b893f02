"""The shared server's own protection: who may read and change which rows, enforced by
PostgreSQL itself, whatever program a login connects with (the desktop, psql, a script).

Roles (cluster-wide, none of them can log in):

- ``accoglienza_owner`` owns every table, sequence, type and function of the schema. The
  login that prepares the database (``accoglienza db init``) is made a member of it, and
  later migrations run under ``SET LOCAL ROLE accoglienza_owner`` (``as_owner``), so what
  they create is owned by it too. Nobody works as the owner: row-level security is
  FORCED on the tables, so not even the owner is let through but by its own policy, and
  no user role is a member of it. It has CREATEROLE, for the login management functions
  below, which only administrators may call.
- ``accoglienza_administrator``, ``accoglienza_coordinator``, ``accoglienza_operator``,
  ``accoglienza_reader``: the four roles of ``models.access.Role``. Each user is a login
  role of their own (``create_login``), member of exactly one of them, and has an
  ``app_user`` row (same login) whose ``app_user_programme`` rows are their programmes.

Rights on the tables (GRANT):

- every role reads ``alembic_version``, ``app_user`` and ``app_user_programme``; only
  administrators change the users (no role deletes a user: it is disabled; an
  administrator removes a programme from a user);
- administrators, coordinators and operators read, insert and update the data tables;
  nobody deletes from them (the application never deletes: beds are retired, requests
  closed, stays cancelled). The network (structures, rooms, beds, capacity, outages,
  moves) is changed by administrators and coordinators only, programmes by
  administrators only. Operators hold UPDATE on ``structure.version`` alone: a placement
  locks its structure (SELECT ... FOR UPDATE), which PostgreSQL lets only a role that may
  update some column do;
- ``audit_entry``: read and insert; ``change_log``: read only (the triggers write it as
  the owner, so nobody can forge a row). No role may update, delete or truncate either
  (also refused by the triggers of ``models.change_log``);
- readers only read (but for recording, in their own name, that they read a protected
  person's details), and of ``person`` only ``READER_PERSON_COLUMNS`` (no name, no
  search words, no citizenship nor gender identity), of ``structure`` every column but
  the name and the address (``shown_name`` instead: the code of a confidential one), of ``audit_entry`` neither the actor nor the details; ``change_log`` not
  at all (it holds the values, names included). The application masks the rest itself.

Row-level security, enabled and forced on every table with personal or structure data
(``SCOPED_TABLES``). Administrators (and the owner, for the triggers' functions and the
migrations) see every row. The other roles see and write only the rows of their
programmes, ``acc_my_programmes()``: a SECURITY DEFINER function reading ``app_user``
for ``session_user`` (the real login, whatever SET ROLE says); NULL, so nothing, for a
login without an enabled ``app_user`` row. A row belongs to programmes as follows:

=====================  ===================================================================
programme              its own id
structure              its ``programme_id``, and every programme a move took it from or to
                       (``structure_move``), for the stays it held under them
structure_move         its ``from_programme_id`` and ``to_programme_id``
capacity_period, room  their structure's
bed                    its room's; ``bed_outage`` its bed's
placement              its ``programme_id``; ``extension`` and ``bed_stay`` their placement's
reservation            its ``programme_id``; ``reservation_bed`` its reservation's
placement_request      its ``programme_id``; one without a programme is seen by every
                       coordinator and operator (the referral is not assigned yet)
household              the programmes of its placements, reservations and requests;
                       one with none of them yet (just registered) is seen by every
                       coordinator and operator, who must be able to place it
household_member       its household's
person                 their household's; one in no household yet, as a household
change_log             the record's (``table_name``, ``row_id``): seen if the record is
audit_entry            the same by ``entity`` and ``entity_id``; an entry about no record
                       of those tables (a network import) only by administrators
=====================  ===================================================================

Writes are checked the same way (WITH CHECK): a row put into, or moved to, another
programme is refused; a stay, a reservation's bed must also be on a bed the user sees.

How the policies stay fast at a region's scale: the programmes come from one InitPlan
per statement (``(SELECT acc_my_programmes())``), never a call per row; the network and
the placements are filtered by index (``programme_id``) and by the policies of the
tables they hang from, as hashed subplans; people and households, which have no
programme of their own, are read through small views of the owner (``VIEWS``: the
households of the user's placements, reservations and requests, by index, and their
members), which see the links unfiltered. The households and people linked to nothing
yet are kept in ``acc_unlinked`` by triggers (``acc_track_links``), a few rows, rather
than found among every household at each statement. A household or person being
inserted is checked before it is in the table: it passes by its id, above every id
stored (ids come from a sequence, so a row committed before the statement began has a
smaller one). Foreign keys and unique constraints are checked by PostgreSQL regardless
of the policies. Measured on the ``region`` demonstration network (55,000 people,
93,000 stays), a coordinator of one programme: occupancy by structure 14-30 ms (the
superuser 20-27 ms, it sees 30 times more), the list of structures 2-4 ms, counting the
people seen 34 ms (5 ms unfiltered), a search of people 145 ms (15-25 ms).

Login management (``create_login``, ``set_login_role``, ``set_login_enabled``,
``set_login_password``) goes through SECURITY DEFINER functions that only
administrators (and the owner's members) may execute: they need no CREATEROLE of their
own, and can touch only the logins of the four roles. Passwords travel as SCRAM
verifiers computed on the PC, never in clear (statement logs would keep them).

A later migration that adds a table, a column a reader may see (``structure``), or a
link between people, households and programmes must call ``install`` again (it is
idempotent; run by the login that prepared the database, a member of the owner) and,
for a new kind of record, extend ``SCOPES``. A restored backup is handed back the same
way (``models.backup``). Backups with ``pg_dump`` need that login too: a user role sees
only its rows, and ``pg_dump`` refuses to dump what row security filters.

On a local SQLite file none of this exists: the program applies ``models.access``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from .access import Principal, Role
from .errors import DomainError
from .i18n import N_, _

OWNER_ROLE = "accoglienza_owner"
GROUP_ROLES = {
    Role.ADMINISTRATOR: "accoglienza_administrator",
    Role.COORDINATOR: "accoglienza_coordinator",
    Role.OPERATOR: "accoglienza_operator",
    Role.READER: "accoglienza_reader",
}
ALL_ROLES = (OWNER_ROLE, *GROUP_ROLES.values())
ADMIN, COORD, OPER, READER = (GROUP_ROLES[r] for r in Role)
MEMBERS = f"{COORD}, {OPER}, {READER}"  # the roles limited to their programmes
WRITERS = f"{COORD}, {OPER}"  # of those, the ones that write

# The network: administrators and coordinators change it, operators only read it.
NETWORK_TABLES = (
    "structure",
    "capacity_period",
    "structure_move",
    "room",
    "bed",
    "bed_outage",
)
# Placements and people: every role but the reader changes them.
PLACEMENT_TABLES = (
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
USER_TABLES = ("app_user", "app_user_programme")

READER_PERSON_COLUMNS = ("id", "code", "alias", "sex", "birth_date", "legal_status", "version")
READER_AUDIT_COLUMNS = ("id", "at", "action", "entity", "entity_id")

MINE = "(SELECT acc_my_programmes())"

# Which rows a coordinator, operator or reader sees (USING): see the table above.
SCOPES: dict[str, str] = {
    "programme": f"id = ANY ({MINE}::int[])",
    "structure": f"programme_id = ANY ({MINE}::int[]) OR id IN (SELECT structure_id FROM structure_move)",
    "structure_move": f"from_programme_id = ANY ({MINE}::int[]) OR to_programme_id = ANY ({MINE}::int[])",
    "capacity_period": "structure_id IN (SELECT id FROM structure)",
    "room": "structure_id IN (SELECT id FROM structure)",
    "bed": "room_id IN (SELECT id FROM room)",
    "bed_outage": "bed_id IN (SELECT id FROM bed)",
    "placement": f"programme_id = ANY ({MINE}::int[])",
    "extension": "placement_id IN (SELECT id FROM placement)",
    "bed_stay": "placement_id IN (SELECT id FROM placement)",
    "reservation": f"programme_id = ANY ({MINE}::int[])",
    "reservation_bed": "reservation_id IN (SELECT id FROM reservation)",
    "placement_request": f"programme_id = ANY ({MINE}::int[])",
    # People and households through views of the owner (``VIEWS``), which read the
    # links at once, unfiltered, for the same mapping: a few thousand ids by index rather
    # than a chain of policies over every household of the region.
    "household": "id IN (SELECT household_id FROM acc_my_households)",
    "household_member": "household_id IN (SELECT household_id FROM acc_my_households)",
    "person": "id IN (SELECT person_id FROM acc_my_people)",
}
# What a written row must also satisfy (WITH CHECK, besides its scope).
CHECKS: dict[str, str] = {
    "bed_stay": "bed_id IN (SELECT id FROM bed)",
    "reservation": "structure_id IN (SELECT id FROM structure)",
    "reservation_bed": "bed_id IN (SELECT id FROM bed)",
}
# Rows every coordinator and operator sees besides their programmes' (with a known user).
# A row being inserted is checked before it is in the table, so a household or a person
# just registered is let through by its id, above every id stored (ids come from a
# sequence: a row committed before this statement began has a smaller one). Nothing is
# gained by it: a household or person linked to nothing is seen anyway.
UNASSIGNED: dict[str, str] = {
    "placement_request": "programme_id IS NULL",
    "household": (
        "id > (SELECT household FROM acc_top_ids) "
        "OR id IN (SELECT household_id FROM acc_unassigned_households)"
    ),
    "household_member": "household_id IN (SELECT household_id FROM acc_unassigned_households)",
    "person": (
        "id > (SELECT person FROM acc_top_ids) "
        "OR id IN (SELECT person_id FROM acc_unassigned_people)"
    ),
}
_MY_PROGRAMME = f"programme_id = ANY ({MINE}::int[])"
# Views of the owner the policies read (their rows are ids only).
VIEWS: dict[str, str] = {
    "acc_my_households": (
        f"SELECT household_id FROM placement WHERE {_MY_PROGRAMME} "
        f"UNION ALL SELECT household_id FROM reservation WHERE {_MY_PROGRAMME} "
        "UNION ALL SELECT household_id FROM placement_request "
        f"WHERE household_id IS NOT NULL AND {_MY_PROGRAMME}"
    ),
    "acc_my_people": (
        "SELECT person_id FROM household_member "
        "WHERE household_id IN (SELECT household_id FROM acc_my_households)"
    ),
    "acc_top_ids": (
        "SELECT (SELECT max(id) FROM household) AS household, "
        "(SELECT max(id) FROM person) AS person"
    ),
    # Households linked to no programme: on a request without one, or registered and
    # not placed, reserved nor referred yet (``acc_unlinked``, kept by triggers).
    "acc_unassigned_households": (
        "SELECT household_id FROM placement_request "
        "WHERE programme_id IS NULL AND household_id IS NOT NULL "
        "UNION ALL SELECT row_id FROM acc_unlinked WHERE table_name = 'household'"
    ),
    "acc_unassigned_people": (
        "SELECT person_id FROM household_member "
        "WHERE household_id IN (SELECT household_id FROM acc_unassigned_households) "
        "UNION ALL SELECT row_id FROM acc_unlinked WHERE table_name = 'person'"
    ),
}


def _record_scope(table_column: str, id_column: str) -> str:
    """A row of the log or of the audit trail is seen where its record is."""
    cases = " ".join(f"WHEN '{t}' THEN {id_column} IN (SELECT id FROM {t})" for t in SCOPES)
    return f"CASE {table_column} {cases} ELSE false END"


SCOPES_WITH_LOG = {
    **SCOPES,
    "change_log": _record_scope("table_name", "row_id"),
    "audit_entry": _record_scope("entity", "entity_id"),
}
SCOPED_TABLES = tuple(SCOPES_WITH_LOG)

LOGIN_PATTERN = re.compile(r"[a-z][a-z0-9_.-]{0,62}")


class LoginError(DomainError):
    """A login could not be created or changed on the server."""


# -- setting up (migration 0010) ---------------------------------------------------------


def install(conn: Connection) -> None:
    """Create the roles, hand the schema to the owner, grant, and enable the policies.
    Idempotent; run by the migration as the login preparing the database."""
    conn.execute(text("RESET ROLE"))
    _create_roles(conn)
    _shown_name(conn)
    _hand_to_owner(conn)
    _functions(conn)
    _grant(conn)
    _policies(conn)


# What a reader reads for a structure's name: its code when it is confidential (a
# protected apartment's name can point to the place), kept by the server itself.
SHOWN_NAME = "shown_name"


def _shown_name(conn: Connection) -> None:
    conn.execute(
        text(
            f"ALTER TABLE structure ADD COLUMN IF NOT EXISTS {SHOWN_NAME} varchar(200) "
            "GENERATED ALWAYS AS (CASE WHEN confidential THEN code ELSE name END) STORED"
        )
    )


def uninstall(conn: Connection) -> None:
    """Undo ``install`` but for the roles (shared by every database of the server) and the
    owner of the objects."""
    for table in SCOPED_TABLES:
        for (name,) in conn.execute(
            text(
                "SELECT policyname FROM pg_policies WHERE tablename = :t AND schemaname = current_schema()"
            ),
            {"t": table},
        ).all():
            conn.execute(text(f'DROP POLICY "{name}" ON "{table}"'))
        conn.execute(text(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY'))
        conn.execute(text(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY'))
    tables = ", ".join(f'"{t}"' for t in _all_tables(conn))
    groups = ", ".join(GROUP_ROLES.values())
    conn.execute(text(f"REVOKE ALL ON {tables} FROM {groups}"))
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_schema(conn)} FROM {groups}"))
    for name in reversed(VIEWS):
        conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
    for table in ("household", "person", *LINKING_TABLES):
        conn.execute(text(f'DROP TRIGGER IF EXISTS acc_track_links ON "{table}"'))
    conn.execute(text("DROP FUNCTION IF EXISTS acc_track_links()"))
    conn.execute(text(f"DROP TABLE IF EXISTS {UNLINKED_TABLE}"))
    conn.execute(text(f"ALTER TABLE structure DROP COLUMN IF EXISTS {SHOWN_NAME}"))
    for fn in (
        "acc_create_login(text, text, text)",
        "acc_set_login_role(text, text)",
        "acc_set_login_enabled(text, boolean)",
        "acc_set_login_password(text, text)",
        "acc_my_programmes()",
        "acc_my_role()",
        "acc_check_login(text, boolean)",
        "acc_check_group(text)",
    ):
        conn.execute(text(f"DROP FUNCTION IF EXISTS {fn}"))


def _schema(conn: Connection) -> str:
    return str(conn.execute(text("SELECT quote_ident(current_schema())")).scalar_one())


def _all_tables(conn: Connection) -> list[str]:
    return list(
        conn.execute(
            text(
                "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
                "AND c.relkind IN ('r', 'p') ORDER BY c.relname"
            )
        ).scalars()
    )


def _create_roles(conn: Connection) -> None:
    # Two databases prepared at once on one server may both create a role: the loser of
    # the race finds it there.
    for role in ALL_ROLES:
        extra = " CREATEROLE" if role == OWNER_ROLE else ""
        conn.execute(
            text(
                f"""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                        CREATE ROLE {role} NOLOGIN{extra};
                    END IF;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END
                $$
                """
            )
        )
    conn.execute(
        text(
            f"""
            DO $$
            BEGIN
                IF NOT (SELECT rolcreaterole FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
                    ALTER ROLE {OWNER_ROLE} CREATEROLE;
                END IF;
                IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
                   AND NOT pg_has_role(session_user, '{OWNER_ROLE}', 'MEMBER') THEN
                    EXECUTE format('GRANT {OWNER_ROLE} TO %I', session_user);
                END IF;
            END
            $$
            """
        )
    )


def _hand_to_owner(conn: Connection) -> None:
    schema = _schema(conn)
    conn.execute(text(f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {OWNER_ROLE}"))
    # Every object of the schema but the extensions' (btree_gist's functions and types).
    not_extension = (
        "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')"
    )
    rows = conn.execute(
        text(
            "SELECT c.relname, c.relkind FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace "
            "AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
            "AND pg_get_userbyid(c.relowner) <> :owner AND "
            + not_extension.format(oid="c.oid")
            # Sequences owned by a column follow their table.
            + " AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d "
            "WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))"
        ),
        {"owner": OWNER_ROLE},
    ).all()
    for name, kind in rows:
        what = {"S": "SEQUENCE", "v": "VIEW", "m": "MATERIALIZED VIEW"}.get(kind, "TABLE")
        conn.execute(text(f'ALTER {what} {schema}."{name}" OWNER TO {OWNER_ROLE}'))
    for (signature,) in conn.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "WHERE p.pronamespace = current_schema()::regnamespace "
            "AND pg_get_userbyid(p.proowner) <> :owner AND " + not_extension.format(oid="p.oid")
        ),
        {"owner": OWNER_ROLE},
    ).all():
        conn.execute(text(f"ALTER FUNCTION {signature} OWNER TO {OWNER_ROLE}"))
    for (name,) in conn.execute(
        text(
            "SELECT t.oid::regtype::text FROM pg_type t "
            "WHERE t.typnamespace = current_schema()::regnamespace AND t.typtype IN ('e', 'd') "
            "AND pg_get_userbyid(t.typowner) <> :owner AND " + not_extension.format(oid="t.oid")
        ),
        {"owner": OWNER_ROLE},
    ).all():
        conn.execute(text(f"ALTER TYPE {name} OWNER TO {OWNER_ROLE}"))


def _functions(conn: Connection) -> None:
    groups = ", ".join(f"'{g}'" for g in GROUP_ROLES.values())
    protected = ", ".join(f"'{r}'" for r in ALL_ROLES)
    statements = [
        # The programmes of the login: NULL (nothing) for a login without an enabled user.
        """
        CREATE OR REPLACE FUNCTION acc_my_programmes() RETURNS int[]
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
            SELECT CASE WHEN u.id IS NULL OR u.disabled THEN NULL ELSE
                   COALESCE((SELECT array_agg(up.programme_id ORDER BY up.programme_id)
                             FROM app_user_programme up WHERE up.user_id = u.id), '{}') END
            FROM (SELECT 1) one LEFT JOIN app_user u ON u.login = session_user
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION acc_my_role() RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
            SELECT role FROM app_user WHERE login = session_user AND NOT disabled
        $$
        """,
        # Login management, for administrators: only logins of the four roles.
        f"""
        CREATE OR REPLACE FUNCTION acc_check_login(login text, must_exist boolean) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            r pg_roles%ROWTYPE;
        BEGIN
            IF login !~ '^[a-z][a-z0-9_.-]{{0,62}}$' OR login IN ({protected}) THEN
                RAISE EXCEPTION 'invalid login name' USING ERRCODE = 'invalid_name';
            END IF;
            SELECT * INTO r FROM pg_roles WHERE rolname = login;
            IF NOT must_exist THEN
                IF r.oid IS NOT NULL THEN
                    RAISE EXCEPTION 'login exists' USING ERRCODE = 'duplicate_object';
                END IF;
                RETURN;
            END IF;
            IF r.oid IS NULL THEN
                RAISE EXCEPTION 'no such login' USING ERRCODE = 'undefined_object';
            END IF;
            IF r.rolsuper OR r.rolcreaterole OR NOT EXISTS (
                SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                WHERE m.member = r.oid AND g.rolname IN ({groups})
            ) OR EXISTS (
                SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                WHERE m.member = r.oid AND g.rolname = '{OWNER_ROLE}'
            ) THEN
                RAISE EXCEPTION 'not a login of the application' USING ERRCODE = 'insufficient_privilege';
            END IF;
        END
        $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION acc_check_group(grp text) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            IF grp NOT IN ({groups}) THEN
                RAISE EXCEPTION 'unknown role' USING ERRCODE = 'invalid_parameter_value';
            END IF;
        END
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION acc_create_login(login text, verifier text, grp text)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        BEGIN
            PERFORM acc_check_group(grp);
            PERFORM acc_check_login(login, false);
            EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', login, verifier, grp);
        END
        $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION acc_set_login_role(login text, grp text)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            other text;
        BEGIN
            PERFORM acc_check_group(grp);
            PERFORM acc_check_login(login, true);
            FOREACH other IN ARRAY ARRAY[{groups}] LOOP
                IF other <> grp AND pg_has_role(login, other, 'MEMBER') THEN
                    EXECUTE format('REVOKE %I FROM %I', other, login);
                END IF;
            END LOOP;
            IF NOT pg_has_role(login, grp, 'MEMBER') THEN
                EXECUTE format('GRANT %I TO %I', grp, login);
            END IF;
        END
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION acc_set_login_enabled(login text, enabled boolean)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        BEGIN
            PERFORM acc_check_login(login, true);
            EXECUTE format('ALTER ROLE %I ' || CASE WHEN enabled THEN 'LOGIN' ELSE 'NOLOGIN' END, login);
        END
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION acc_set_login_password(login text, verifier text)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        BEGIN
            PERFORM acc_check_login(login, true);
            EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
        END
        $$
        """,
    ]
    for statement in statements:
        conn.execute(text(statement))
    _unlinked(conn)
    for name, query in VIEWS.items():  # in order: a view reads the ones before it
        conn.execute(text(f"CREATE OR REPLACE VIEW {name} AS {query}"))
        conn.execute(text(f"ALTER VIEW {name} OWNER TO {OWNER_ROLE}"))
    for fn in (
        "acc_my_programmes()",
        "acc_my_role()",
        "acc_check_login(text, boolean)",
        "acc_check_group(text)",
        "acc_create_login(text, text, text)",
        "acc_set_login_role(text, text)",
        "acc_set_login_enabled(text, boolean)",
        "acc_set_login_password(text, text)",
    ):
        conn.execute(text(f"ALTER FUNCTION {fn} OWNER TO {OWNER_ROLE}"))
    # Functions are executable by everybody by default: the managing ones only by
    # administrators.
    for fn in (
        "acc_check_login(text, boolean)",
        "acc_create_login(text, text, text)",
        "acc_set_login_role(text, text)",
        "acc_set_login_enabled(text, boolean)",
        "acc_set_login_password(text, text)",
    ):
        conn.execute(text(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC"))
        conn.execute(text(f"GRANT EXECUTE ON FUNCTION {fn} TO {ADMIN}"))


# The tables whose inserts make a household or a person "linked to nothing yet", and the
# ones whose rows link them (a member its person; the others their household).
UNLINKED_TABLE = "acc_unlinked"
LINKING_TABLES = ("household_member", "placement", "reservation", "placement_request")


def _unlinked(conn: Connection) -> None:
    """``acc_unlinked``: the households and people linked to nothing yet, kept by triggers
    (a few rows, where finding them among every household would read them all). Links
    are never deleted by the application, so a row leaves it for good."""
    conn.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {UNLINKED_TABLE} (table_name varchar(20) NOT NULL, "
            "row_id integer NOT NULL, PRIMARY KEY (table_name, row_id))"
        )
    )
    conn.execute(text(f"ALTER TABLE {UNLINKED_TABLE} OWNER TO {OWNER_ROLE}"))
    conn.execute(text(f"DELETE FROM {UNLINKED_TABLE}"))
    conn.execute(
        text(
            f"INSERT INTO {UNLINKED_TABLE} SELECT 'household', h.id FROM household h "
            "WHERE NOT EXISTS (SELECT 1 FROM placement p WHERE p.household_id = h.id) "
            "AND NOT EXISTS (SELECT 1 FROM reservation r WHERE r.household_id = h.id) "
            "AND NOT EXISTS (SELECT 1 FROM placement_request q WHERE q.household_id = h.id)"
        )
    )
    conn.execute(
        text(
            f"INSERT INTO {UNLINKED_TABLE} SELECT 'person', p.id FROM person p "
            "WHERE NOT EXISTS (SELECT 1 FROM household_member m WHERE m.person_id = p.id)"
        )
    )
    conn.execute(
        text(
            f"""
            CREATE OR REPLACE FUNCTION acc_track_links() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
            BEGIN
                IF TG_TABLE_NAME IN ('household', 'person') THEN
                    INSERT INTO {UNLINKED_TABLE} VALUES (TG_TABLE_NAME, NEW.id)
                    ON CONFLICT DO NOTHING;
                ELSIF TG_TABLE_NAME = 'household_member' THEN
                    DELETE FROM {UNLINKED_TABLE}
                    WHERE table_name = 'person' AND row_id = NEW.person_id;
                ELSIF NEW.household_id IS NOT NULL THEN
                    DELETE FROM {UNLINKED_TABLE}
                    WHERE table_name = 'household' AND row_id = NEW.household_id;
                END IF;
                RETURN NULL;
            END
            $$
            """
        )
    )
    conn.execute(text(f"ALTER FUNCTION acc_track_links() OWNER TO {OWNER_ROLE}"))
    for table in ("household", "person", *LINKING_TABLES):
        column = {"household": None, "person": None, "household_member": "person_id"}.get(
            table, "household_id"
        )
        events = "INSERT" if column is None else f"INSERT OR UPDATE OF {column}"
        conn.execute(text(f'DROP TRIGGER IF EXISTS acc_track_links ON "{table}"'))
        conn.execute(
            text(
                f'CREATE TRIGGER acc_track_links AFTER {events} ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION acc_track_links()"
            )
        )


def _grant(conn: Connection) -> None:
    schema = _schema(conn)
    everyone = ", ".join(GROUP_ROLES.values())
    writers = f"{ADMIN}, {COORD}, {OPER}"
    tables = _all_tables(conn)
    conn.execute(text(f"REVOKE ALL ON {', '.join(tables)} FROM PUBLIC, {everyone}"))
    conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {writers}"))
    conn.execute(text(f"GRANT SELECT ON alembic_version, {', '.join(USER_TABLES)} TO {everyone}"))
    conn.execute(text(f"GRANT INSERT, UPDATE ON {', '.join(USER_TABLES)} TO {ADMIN}"))
    conn.execute(text(f"GRANT DELETE ON app_user_programme TO {ADMIN}"))
    conn.execute(text(f"GRANT SELECT ON programme, {', '.join(NETWORK_TABLES)} TO {writers}"))
    conn.execute(text(f"GRANT INSERT, UPDATE ON programme TO {ADMIN}"))
    conn.execute(text(f"GRANT INSERT, UPDATE ON {', '.join(NETWORK_TABLES)} TO {ADMIN}, {COORD}"))
    conn.execute(text(f"GRANT UPDATE (version) ON structure TO {OPER}"))
    conn.execute(
        text(f"GRANT SELECT, INSERT, UPDATE ON {', '.join(PLACEMENT_TABLES)} TO {writers}")
    )
    conn.execute(text(f"GRANT SELECT ON acc_my_households, acc_my_people TO {everyone}"))
    conn.execute(
        text(
            "GRANT SELECT ON acc_top_ids, acc_unassigned_households, acc_unassigned_people, "
            f"{UNLINKED_TABLE} TO {writers}"
        )
    )
    conn.execute(text(f"GRANT SELECT, INSERT ON audit_entry TO {writers}"))
    conn.execute(text(f"GRANT SELECT ON change_log TO {writers}"))
    # Readers: figures, never a name or a protected address.
    readable = [t for t in (*SCOPES, "structure") if t not in ("person", "structure")]
    conn.execute(text(f"GRANT SELECT ON {', '.join(readable)} TO {READER}"))
    conn.execute(text(f"GRANT SELECT ({', '.join(READER_PERSON_COLUMNS)}) ON person TO {READER}"))
    structure_columns = [
        c
        for c in conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = 'structure' "
                "ORDER BY ordinal_position"
            )
        ).scalars()
        if c not in ("address", "name")
    ]
    conn.execute(text(f"GRANT SELECT ({', '.join(structure_columns)}) ON structure TO {READER}"))
    conn.execute(
        text(f"GRANT SELECT ({', '.join(READER_AUDIT_COLUMNS)}) ON audit_entry TO {READER}")
    )
    # A reader writes one kind of entry: that they read a protected person's details, in
    # their own name (``models.directory``); the policy below refuses any other.
    conn.execute(text(f"GRANT INSERT ON audit_entry TO {READER}"))
    conn.execute(text(f"GRANT USAGE ON SEQUENCE audit_entry_id_seq TO {READER}"))


def _policies(conn: Connection) -> None:
    for table, scope in SCOPES_WITH_LOG.items():
        for (name,) in conn.execute(
            text(
                "SELECT policyname FROM pg_policies "
                "WHERE tablename = :t AND schemaname = current_schema()"
            ),
            {"t": table},
        ).all():
            conn.execute(text(f'DROP POLICY "{name}" ON "{table}"'))
        conn.execute(text(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'))
        conn.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
        conn.execute(
            text(
                f'CREATE POLICY acc_everything ON "{table}" TO {OWNER_ROLE}, {ADMIN} '
                "USING (true) WITH CHECK (true)"
            )
        )
        check = f"({scope}) AND ({CHECKS[table]})" if table in CHECKS else scope
        conn.execute(
            text(
                f'CREATE POLICY acc_programmes ON "{table}" TO {MEMBERS} '
                f"USING ({scope}) WITH CHECK ({check})"
            )
        )
        if table == "audit_entry":
            conn.execute(
                text(
                    f'CREATE POLICY acc_reader_records_reading ON "{table}" AS RESTRICTIVE '
                    f"FOR INSERT TO {READER} "
                    "WITH CHECK (action = 'read' AND actor = session_user)"
                )
            )
        if table in UNASSIGNED:
            rule = f"{MINE} IS NOT NULL AND ({UNASSIGNED[table]})"
            conn.execute(
                text(
                    f'CREATE POLICY acc_unassigned ON "{table}" TO {WRITERS} '
                    f"USING ({rule}) WITH CHECK ({rule})"
                )
            )


# -- later migrations --------------------------------------------------------------------


def owner_ready(conn: Connection) -> bool:
    """Whether this PostgreSQL database's tables belong to the owner role and the login
    may act as it (so a migration should: ``as_owner``)."""
    return bool(
        conn.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_roles o ON o.oid = c.relowner "
                "WHERE c.relname = 'alembic_version' "
                "AND c.relnamespace = current_schema()::regnamespace "
                "AND o.rolname = :owner AND pg_has_role(session_user, o.oid, 'MEMBER'))"
            ),
            {"owner": OWNER_ROLE},
        ).scalar_one()
    )


def as_owner(conn: Connection) -> None:
    """For the rest of the transaction, act as the owner role when this database has one
    (on PostgreSQL, where the login may): what a migration creates is the owner's."""
    if conn.dialect.name == "postgresql" and owner_ready(conn):
        conn.execute(text(f"SET LOCAL ROLE {OWNER_ROLE}"))


# -- the rights a preparing login needs ---------------------------------------------------


def missing_rights(conn: Connection) -> list[str]:
    """What the login lacks to set up the roles and the owner (one line each, to be
    shown to whoever looks after the server); empty when nothing is missing."""
    row = conn.execute(
        text(
            "SELECT r.rolsuper, r.rolcreaterole, "
            "has_schema_privilege(session_user, current_schema(), 'CREATE WITH GRANT OPTION'), "
            "(SELECT count(*) FROM pg_roles WHERE rolname = ANY (:roles)), "
            "COALESCE((SELECT pg_has_role(session_user, oid, 'MEMBER') FROM pg_roles "
            "WHERE rolname = :owner), false) "
            "FROM pg_roles r WHERE r.rolname = session_user"
        ),
        {"roles": list(ALL_ROLES), "owner": OWNER_ROLE},
    ).one()
    superuser, createrole, grant_schema, existing, member = row
    if superuser:
        return []
    lacking: list[str] = []
    if not createrole and (existing < len(ALL_ROLES) or not member):
        lacking.append(
            _("CREATEROLE (to create the roles of the application's users and their logins)")
        )
    if not grant_schema:
        lacking.append(
            _(
                "the ownership of the database, or CREATE WITH GRANT OPTION on the schema "
                "(to hand the tables to the role that owns them)"
            )
        )
    return lacking


# -- the signed-in user -------------------------------------------------------------------


def principal_of(conn: Connection) -> Principal | None:
    """The login's user: role and programmes from ``app_user``. None for a login that is
    not an enabled user of this database; the person setting the database up (a
    superuser, or a member of the owner role) without a user row is an administrator."""
    login, superuser, owner_member, role, programmes = conn.execute(
        text(
            "SELECT session_user, r.rolsuper, "
            "COALESCE((SELECT pg_has_role(session_user, o.oid, 'MEMBER') FROM pg_roles o "
            "WHERE o.rolname = :owner), false), acc_my_role(), acc_my_programmes() "
            "FROM pg_roles r WHERE r.rolname = session_user"
        ),
        {"owner": OWNER_ROLE},
    ).one()
    if role is not None:
        return Principal.assigned(login, Role(role), programmes or ())
    known = conn.execute(
        text("SELECT EXISTS (SELECT 1 FROM app_user WHERE login = session_user)")
    ).scalar_one()
    if not known and (superuser or owner_member):
        return Principal(login, Role.ADMINISTRATOR, None)
    return None


# -- managing logins ----------------------------------------------------------------------


_INVALID_LOGIN_TEXT = N_(
    "“{login}” cannot be a login: use lower-case letters, digits, dots, dashes and "
    "underscores, starting with a letter, at most 63 characters."
)


def _check_name(login: str) -> None:
    if not LOGIN_PATTERN.fullmatch(login) or login in ALL_ROLES:
        raise LoginError(_(_INVALID_LOGIN_TEXT).format(login=login))


def _verifier(conn: Connection, login: str, password: str) -> str:
    """The password as the server stores it (SCRAM-SHA-256), computed here."""
    if not password:
        raise LoginError(_("The password cannot be empty."))
    raw = conn.connection.driver_connection
    pgconn = raw.pgconn  # type: ignore[union-attr]
    return bytes(
        pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")
    ).decode()


@contextmanager
def _managing(login: str) -> Iterator[None]:
    try:
        yield
    except DBAPIError as exc:
        code = getattr(exc.orig, "sqlstate", None)
        if code == "42710":  # duplicate_object
            raise LoginError(
                _("A login named “{login}” already exists on the server.").format(login=login)
            ) from exc
        if code == "42704":  # undefined_object
            raise LoginError(
                _("There is no login named “{login}” on the server.").format(login=login)
            ) from exc
        if code == "42602":  # invalid_name (a name only the server refuses)
            raise LoginError(_(_INVALID_LOGIN_TEXT).format(login=login)) from exc
        if code in ("42501", "42883"):  # insufficient_privilege, undefined_function
            raise LoginError(
                _(
                    "The login “{login}” cannot be managed from here: only an administrator "
                    "manages the logins of the application's users, and not the server's "
                    "own ones."
                ).format(login=login)
            ) from exc
        raise


def create_login(conn: Connection, login: str, password: str, role: Role) -> None:
    """Create the login role of a new user, member of their role's group."""
    _check_name(login)
    verifier = _verifier(conn, login, password)
    with _managing(login), conn.begin_nested():
        conn.execute(
            text("SELECT acc_create_login(:login, :verifier, :grp)"),
            {"login": login, "verifier": verifier, "grp": GROUP_ROLES[Role(role)]},
        )


def set_login_role(conn: Connection, login: str, role: Role) -> None:
    _check_name(login)
    with _managing(login), conn.begin_nested():
        conn.execute(
            text("SELECT acc_set_login_role(:login, :grp)"),
            {"login": login, "grp": GROUP_ROLES[Role(role)]},
        )


def set_login_enabled(conn: Connection, login: str, enabled: bool) -> None:
    _check_name(login)
    with _managing(login), conn.begin_nested():
        conn.execute(
            text("SELECT acc_set_login_enabled(:login, :enabled)"),
            {"login": login, "enabled": bool(enabled)},
        )


def set_login_password(conn: Connection, login: str, password: str) -> None:
    _check_name(login)
    verifier = _verifier(conn, login, password)
    with _managing(login), conn.begin_nested():
        conn.execute(
            text("SELECT acc_set_login_password(:login, :verifier)"),
            {"login": login, "verifier": verifier},
        )
