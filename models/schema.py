"""The schema's life: upgrade at start (after a backup), refuse newer or damaged databases.

Alembic owns the schema. Its scripts live in ``models/migrations``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from . import pg_security
from .database import Database, connection_message, connection_problem, sqlite_path
from .errors import DatabaseProblem
from .files import fsync_folder, private_file
from .i18n import N_, _, ngettext

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

# Alembic is imported where it is used: it is slow to load, and at most starts the
# database is at the head already (see ``upgrade``).

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, heads
    return heads[0]


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    try:
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise connection_problem(db.url, exc) from exc


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database (before SQLAlchemy touches it)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise DatabaseProblem(
            _("The file {path} is damaged or is not an Accoglienza database.").format(path=path)
        )
    # Another program's database is refused here, read only: opening it through the
    # engine would already switch it to WAL mode.
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return  # damaged: said by the checks that read it
    if names and "alembic_version" not in names:
        raise DatabaseProblem(
            _(
                "The file {path} is a database of another program, not of Accoglienza: "
                "it was left as it is."
            ).format(path=path)
        )


def upgrade(db: Database, *, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to the head revision. Returns the backup taken, if any.

    A database written by a newer version of the application is refused, and so is a
    database that has tables but no schema version (not ours); an older SQLite file is
    copied (online backup) before it is changed. On PostgreSQL the first client of a new
    version migrates under an advisory lock while the others wait for it, then find the
    work done (``migrate_shared``).
    """
    path = sqlite_path(db.url)
    if path is not None:
        check_sqlite_file(path)
    quick_head = _head_from_files()
    if quick_head is not None and _stored_revision(db) == quick_head:
        return None  # the usual case at start, answered without loading Alembic
    if not db.is_sqlite:
        migrate_shared(db)
        return None
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return None
    _refuse_newer(current)
    backup = None
    if path is not None and current is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = backup_dir or path.parent
        backup = folder / f"{path.stem}.before-upgrade-{stamp}{path.suffix}"
        backup_database(db, backup)
    with db.engine.begin() as conn:  # BEGIN IMMEDIATE: one writer of the file at a time
        _migrate(conn)
    return backup


INSUFFICIENT_PRIVILEGE = "42501"
UPGRADE_NOT_ALLOWED = N_(
    "This version of Accoglienza must first upgrade the shared database, and only whoever "
    "set the database up may do it. Nothing was changed: ask whoever looks after the "
    "server to start this version first, then start Accoglienza again."
)
# The advisory lock every client of a shared server takes to migrate it (any number the
# application uses for nothing else).
MIGRATION_LOCK = 7_317_001


def migrate_shared(db: Database) -> bool:
    """Migrate a PostgreSQL database under the migration lock; True if this client did
    it, False if it was at the head already (possibly migrated meanwhile by another
    client, which this one waited for)."""
    try:
        with db.engine.begin() as conn:
            # Waiting for another client's migration, and the migration itself, may take
            # longer than the sessions' usual limits (models.database.SessionTimeouts).
            conn.execute(text("SET LOCAL lock_timeout = 0"))
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            return _migrate(conn)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            # Only the login that set the database up may change its tables
            # (models/pg_security.py): an ordinary user's PC starting a new version first.
            raise DatabaseProblem(_(UPGRADE_NOT_ALLOWED)) from exc
        raise connection_problem(db.url, exc) from exc


@dataclass(frozen=True)
class InitReport:
    """What ``init`` did: ``prepared`` is False when the database was ready already."""

    prepared: bool
    revision: str


def init(db: Database) -> InitReport:
    """Prepare an empty database (``accoglienza db init``): the rights it needs are
    checked first and the missing ones named in one message, then the migrations run
    (under the migration lock on PostgreSQL)."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return InitReport(prepared=False, revision=head)
    if db.is_sqlite:
        upgrade(db)
        return InitReport(prepared=True, revision=head)
    lacking = missing_rights(db)
    if lacking:
        user, database = lacking[0], lacking[1]
        raise DatabaseProblem(
            _(
                "The user {user} lacks rights on the database {database}: {rights}. Nothing "
                "was changed: ask whoever looks after the server to grant them, then prepare "
                "the database again."
            ).format(user=user, database=database, rights="; ".join(lacking[2:]))
        )
    migrate_shared(db)
    return InitReport(prepared=True, revision=head)


def missing_rights(db: Database) -> list[str]:
    """On PostgreSQL, the rights the migrations need that the user lacks: empty when
    none is missing, else the user, the database and one line per right."""
    try:
        with db.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT current_user, current_database(), "
                    "has_schema_privilege('public', 'CREATE'), "
                    "has_database_privilege(current_database(), 'CREATE'), "
                    "EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'), "
                    "EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gist')"
                )
            ).one()
            # The roles and the owner of the tables (models/pg_security.py).
            security = pg_security.missing_rights(conn)
    except DBAPIError as exc:
        raise connection_problem(db.url, exc) from exc
    user, database, on_schema, on_database, installed, available = row
    lacking: list[str] = []
    if not on_schema:
        lacking.append(_("CREATE on the schema public (to make the tables)"))
    if not installed and not available:
        lacking.append(
            _("the btree_gist extension, which is not installed on the server (PostgreSQL contrib)")
        )
    elif not installed and not on_database:
        lacking.append(_("CREATE on the database (to add the btree_gist extension)"))
    lacking.extend(security)
    return [user, database, *lacking] if lacking else []


def _refuse_newer(current: str | None) -> None:
    if current is not None and current not in _known_revisions():
        raise DatabaseProblem(
            _(
                "This database was written by a newer version of Accoglienza. "
                "Install the latest version to open it."
            )
        )


def _migrate(conn: Connection) -> bool:
    """Inside the transaction (and lock) of ``conn``: the migrations still to run, if
    any; True if some ran."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    current = MigrationContext.configure(conn).get_current_revision()
    if current == head_revision():
        return False
    _refuse_newer(current)
    if current is None:
        # Never write our tables into a database that holds someone else's (a SQLite file
        # of another program, a PostgreSQL database used for something else).
        names = set(inspect(conn).get_table_names()) - {"alembic_version"}
        if names:
            raise DatabaseProblem(
                _("The database has tables but no schema version: it cannot be upgraded.")
            )
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")
    return True


def _head_from_files() -> str | None:
    """The head revision read from the migration scripts' own lines, or None if unsure."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision = re.search(r"^revision\s*=\s*[\"']([^\"']+)[\"']", source, re.MULTILINE)
        parent = re.search(r"^down_revision\s*=\s*[\"']([^\"']+)[\"']", source, re.MULTILINE)
        if revision is None:
            return None
        revisions.add(revision.group(1))
        if parent is not None:
            parents.add(parent.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(db: Database) -> str | None:
    """The revision written in the database, or None if it cannot be read simply."""
    try:
        # A read session: on the shared server one round trip, without BEGIN and ROLLBACK.
        with db.read() as s:
            found = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
            return None if found is None else str(found)
    except DBAPIError:
        return None


def downgrade(db: Database, revision: str) -> None:
    from alembic import command

    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def _require_file(db: Database) -> None:
    """Refuse a SQLite file that does not exist (opening it would create an empty one)."""
    path = sqlite_path(db.url)
    if path is not None and not path.exists():
        raise DatabaseProblem(_("The database file {path} does not exist.").format(path=path))


def ensure_current(db: Database) -> None:
    """Refuse to work on a database that is not at our head revision (or is missing)."""
    _require_file(db)
    path = sqlite_path(db.url)
    if path is not None:
        check_sqlite_file(path)
    current = current_revision(db)
    if current == head_revision():
        return
    if current is not None and current not in _known_revisions():
        raise DatabaseProblem(
            _(
                "This database was written by a newer version of Accoglienza. "
                "Install the latest version to open it."
            )
        )
    raise DatabaseProblem(
        _(
            "This database was written by an earlier version of Accoglienza and must be "
            "upgraded first: nothing was changed. Open it once in Accoglienza with File › Open "
            "database… (Ctrl+O), which upgrades it after taking a backup copy."
        )
    )


def backup_database(db: Database, target: Path) -> Path:
    """An online backup: SQLite's backup API, or ``pg_dump`` for PostgreSQL."""
    target = Path(target)
    _require_file(db)
    target.parent.mkdir(parents=True, exist_ok=True)
    path = sqlite_path(db.url)
    if path is not None:
        check_sqlite_file(path)
        tmp = target.with_name(target.name + ".part")
        try:
            private_file(tmp).close()
            src = sqlite3.connect(str(path), timeout=60)
            dst = sqlite3.connect(str(tmp))
            with dst:
                src.backup(dst)
            # One self-contained file, without a write-ahead log beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
            dst.close()
            src.close()
            _verified(tmp)
        except sqlite3.DatabaseError as exc:
            tmp.unlink(missing_ok=True)
            raise DatabaseProblem(connection_message(db.url, exc)) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        tmp.replace(target)
        fsync_folder(target.parent)
        return target
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DatabaseProblem(_("pg_dump is not installed: cannot back up the shared database."))
    # The address without the password; the password goes in pg_dump's environment,
    # where other users of the PC cannot read it (a command line they can).
    u = db.engine.url.set(drivername="postgresql")
    dsn = u.render_as_string(hide_password=False)
    # Into a temporary file, renamed over the target only when whole and checked: a
    # failed pg_dump must not empty the previous backup (``--file`` writes straight on).
    tmp = target.with_name(target.name + ".part")
    try:
        private_file(tmp).close()
        result = subprocess.run(
            # Row-level security on (models/pg_security.py): the login that set the
            # database up reads every row through its own policy; without this option
            # pg_dump refuses tables with policies to anyone but a superuser.
            [pg_dump, "--format=custom", "--enable-row-security", f"--file={tmp}", dsn],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **db.libpq_environment()},
        )
        if result.returncode != 0:
            raise DatabaseProblem(_("The backup of the shared database failed."))
        _verified(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(target)
    fsync_folder(target.parent)
    return target


def _verified(path: Path) -> None:
    """A backup just written, flushed to the disk and checked whole."""
    from .backup import verify

    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    verify(path)


@dataclass(frozen=True)
class CheckReport:
    ok: bool
    revision: str | None
    problems: list[str]


def check(db: Database) -> CheckReport:
    """Integrity of the file (SQLite), foreign keys, schema version, and the stay rules."""
    problems: list[str] = []
    path = sqlite_path(db.url)
    if path is not None:
        if not path.exists():
            raise DatabaseProblem(_("The database file {path} does not exist.").format(path=path))
        check_sqlite_file(path)
    try:
        revision = current_revision(db)
        with db.engine.connect() as conn:
            if db.is_sqlite:
                rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
                if [r[0] for r in rows] != ["ok"]:
                    problems.append(
                        ngettext(
                            "The file is damaged ({count} problem).",
                            "The file is damaged ({count} problems).",
                            len(rows),
                        ).format(count=len(rows))
                    )
                fks = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if fks:
                    problems.append(
                        ngettext(
                            "{count} row points to a record that does not exist.",
                            "{count} rows point to records that do not exist.",
                            len(fks),
                        ).format(count=len(fks))
                    )
            if revision != head_revision():
                problems.append(_("The schema is not up to date."))
            else:
                overlaps = conn.execute(
                    text(
                        "SELECT count(*) FROM bed_stay a JOIN bed_stay b ON a.id < b.id "
                        "AND (a.bed_id = b.bed_id OR a.person_id = b.person_id) "
                        "AND NOT a.cancelled AND NOT b.cancelled "
                        "AND a.start_date < COALESCE(b.end_date, DATE '9999-12-31') "
                        "AND b.start_date < COALESCE(a.end_date, DATE '9999-12-31')"
                        if not db.is_sqlite
                        else "SELECT count(*) FROM bed_stay a JOIN bed_stay b ON a.id < b.id "
                        "AND (a.bed_id = b.bed_id OR a.person_id = b.person_id) "
                        "AND NOT a.cancelled AND NOT b.cancelled "
                        "AND a.start_date < COALESCE(b.end_date, '9999-12-31') "
                        "AND b.start_date < COALESCE(a.end_date, '9999-12-31')"
                    )
                ).scalar_one()
                if overlaps:
                    problems.append(
                        ngettext(
                            "{count} overlapping bed stay.",
                            "{count} overlapping bed stays.",
                            overlaps,
                        ).format(count=overlaps)
                    )
    except DBAPIError as exc:
        raise connection_problem(db.url, exc) from exc
    return CheckReport(ok=not problems, revision=revision, problems=problems)
