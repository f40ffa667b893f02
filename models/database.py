"""Connection to the database: a local SQLite file or a shared PostgreSQL server.

SQLite is opened in WAL mode with ``synchronous=FULL`` (a commit is on the disk when it
returns) and foreign keys on; write transactions begin with
``BEGIN IMMEDIATE`` so that concurrent writers queue on the lock instead of failing
with "database is locked" half way. Read-only sessions begin a deferred transaction.

PostgreSQL sessions carry lock, statement and idle-in-transaction timeouts
(``SessionTimeouts``), so one frozen PC never stalls the others. A password is never
part of the address kept (``Database.url``): it is handed to each connection as it is
made, and to ``pg_dump`` in its environment; a refused login has its own error
(``LoginRefused``, ``PasswordNeeded``), distinct from a server that cannot be reached.
"""

from __future__ import annotations

import gc
import os
import re
import select
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from . import change_log
from .errors import DatabaseProblem, LoginRefused, PasswordNeeded
from .i18n import N_, _

READONLY = "accoglienza_readonly"
# A read made of several statements sent together (Database.read_together): the
# statements, and what makes the result from their rows, one list of rows each.
Reading = tuple[Sequence[Any], Callable[[list[list[Any]]], Any]]
# A write session on PostgreSQL: its BEGIN goes with its first statement, its COMMIT with
# its last ones (``Database.commit_with``), one round trip each instead of their own.
WRITE = "accoglienza_write"
PENDING_BEGIN = "accoglienza_pending_begin"
# Statements sent ahead (``Database.prefetch``): their cursors, by SQL and parameters,
# waiting for the session to execute the same statement.
PREFETCHED = "accoglienza_prefetched"
DAMAGED = N_(
    "The database file is damaged and nothing was saved. Restore the latest backup "
    "(File > Restore a backup…)."
)
BUSY_TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class SessionTimeouts:
    """Limits of every PostgreSQL session of the application, in milliseconds, so that one
    frozen or slow PC never stalls the others.

    ``lock`` is the longest a statement waits for a row another PC holds (a structure
    being saved into); ``statement`` the longest any statement runs; ``idle_in_transaction``
    the longest a transaction may stay open doing nothing (a PC frozen half way through a
    save), after which the server ends that session and its locks are released.
    """

    lock: int = 5_000
    statement: int = 120_000
    idle_in_transaction: int = 60_000

    def options(self) -> str:
        """The libpq ``options`` that set them for each new connection."""
        return (
            f"-c lock_timeout={self.lock} -c statement_timeout={self.statement} "
            f"-c idle_in_transaction_session_timeout={self.idle_in_transaction}"
        )


TIMEOUTS = SessionTimeouts()
NETWORK_FILESYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb2",
    "smb3",
    "smbfs",
    "ncpfs",
    "afs",
    "fuse.sshfs",
    "9p",
    "davfs",
    "fuse.davfs2",
    "glusterfs",
    "ceph",
    "lustre",
}


def default_database_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Accoglienza", appauthor=False)) / "accoglienza.sqlite3"


def resolve_url(url: str | None) -> str:
    """The URL to use: the given one, ``ACCOGLIENZA_DATABASE_URL``, or the local file."""
    url = url or os.environ.get("ACCOGLIENZA_DATABASE_URL")
    if url:
        if "://" not in url:  # a plain path means a SQLite file
            return f"sqlite:///{Path(url).expanduser().resolve()}"
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    path = default_database_path()
    from .files import private_folder

    private_folder(path.parent)
    return f"sqlite:///{path}"


def without_password(url: str) -> tuple[str, str | None]:
    """``url`` with any password taken out of it, and that password: a password is never
    kept in an address that is shown, saved or passed on a command line."""
    try:
        u = make_url(url)
    except (ArgumentError, ValueError):  # not an address, or a bad port: said when opened
        return url, None
    if u.password is None:
        return url, None
    # URL.set() leaves a field alone when given None: the field is replaced instead.
    return u._replace(password=None).render_as_string(hide_password=False), str(u.password)


def sqlite_path(url: str | URL) -> Path | None:
    u = make_url(url) if isinstance(url, str) else url
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _proc_mounts() -> str | None:
    try:
        return Path("/proc/mounts").read_text()
    except OSError:
        return None


def _unescape_mount(field: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash as octal escapes (\040...).
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def is_network_path(path: Path, mounts: str | None = None) -> bool:
    """True when ``path`` lies on a network share (SMB, NFS...), where SQLite is unsafe.

    ``mounts`` is the text of ``/proc/mounts`` (read when not given); the deepest mount
    point holding the path decides.
    """
    text_path = str(path)
    if text_path.startswith("\\\\") or text_path.startswith("//"):
        return True
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text_path))[0] + "\\"
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == 4)  # type: ignore[attr-defined]  # DRIVE_REMOTE
    if mounts is None:
        mounts = _proc_mounts()
        if mounts is None:
            return False
    resolved = str(path.resolve())
    best, best_type = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = _unescape_mount(parts[1])
        if (resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")) and len(
            mount_point
        ) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type in NETWORK_FILESYSTEMS


RAM_FILESYSTEMS = {"tmpfs", "ramfs"}
ALLOW_RAM_DISK = "ACCOGLIENZA_ALLOW_RAM_DISK"


def filesystem_type(path: Path, mounts: str | None = None) -> str | None:
    """The type of the file system holding ``path`` (from ``/proc/mounts``; the deepest
    mount point decides), or None when it cannot be told (Windows, no /proc)."""
    if mounts is None:
        mounts = _proc_mounts()
        if mounts is None:
            return None
    resolved = str(path.resolve())
    best, best_type = "", None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = _unescape_mount(parts[1])
        if (resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")) and len(
            mount_point
        ) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def is_ram_disk(path: Path, mounts: str | None = None) -> bool:
    """True when ``path`` lies on a RAM disk (tmpfs, ramfs), emptied at every restart.

    ``ACCOGLIENZA_ALLOW_RAM_DISK=1`` turns the check off: for the test suite and the
    benchmark, whose temporary folders may be RAM disks. Never for real records."""
    if os.environ.get(ALLOW_RAM_DISK) == "1":
        return False
    return filesystem_type(path, mounts) in RAM_FILESYSTEMS


def check_local_file(path: Path) -> None:
    """Refuse a place where a local database would not be safe: a network share or a
    RAM disk, each with its reason."""
    folder = path.parent
    if is_network_path(folder):
        raise DatabaseProblem(
            _(
                "The database file {path} is on a network share, where a local "
                "database can be damaged. Use the shared mode (a PostgreSQL server) "
                "for several PCs instead."
            ).format(path=path)
        )
    if is_ram_disk(folder):
        raise DatabaseProblem(
            _(
                "The database file {path} is on a RAM disk, which is emptied when the "
                "computer restarts: everything recorded would be lost. Choose a folder "
                "on this PC's disk (File › Open database…)."
            ).format(path=path)
        )


def describe(url: str) -> str:
    """How the database is shown to a user: the local file, or server and database name."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return _("Local file: {path}").format(path=u.database)
    return _("Shared server: {host}/{database}").format(
        host=u.host or "localhost", database=u.database
    )


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    # Who the change log's triggers record (models/change_log.py).
    dbapi_connection.create_function("acc_actor", 0, change_log.actor)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "memory" and mode != "wal":
        cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: in WAL mode NORMAL lets a commit acknowledged just before a power cut be
    # lost (the log is synced only at checkpoints); FULL syncs it at every commit.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    if conn.get_execution_options().get(READONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _drop_if_closed_by_server(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
    """Replace a pooled connection the server has closed meanwhile (a restart, a session
    ended by the server), without a round trip.

    No ping before every transaction: over a remote office's link each one costs a
    round trip. An idle connection has nothing to read unless the server said goodbye
    or closed it, so a socket with something to read is given up, and the pool opens
    a new connection instead. A connection lost without a word (a cable pulled) fails
    its next statement, and the pool then replaces every connection it holds.
    """
    try:
        ready, _w, _x = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError) as exc:  # already closed
        raise DisconnectionError(str(exc)) from exc
    if ready:
        raise DisconnectionError("closed by the server")


def _autocommit_on(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.autocommit = True


def _autocommit_off(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.autocommit = False


def _pg_begin(conn) -> None:  # type: ignore[no-untyped-def]
    """A write transaction begins: its BEGIN waits for its first statement."""
    if conn.get_execution_options().get(WRITE):
        conn.connection.info[PENDING_BEGIN] = True


def _pg_end(conn) -> None:  # type: ignore[no-untyped-def]
    """Committed or rolled back: nothing is pending (a transaction that sent nothing),
    and nothing sent ahead is kept."""
    if not conn.invalidated and not conn.closed:
        conn.connection.info.pop(PENDING_BEGIN, None)
        conn.connection.info.pop(PREFETCHED, None)


def _forget_prefetched(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
    """A connection back in the pool keeps nothing sent ahead (a read session's)."""
    if record is not None:
        record.info.pop(PREFETCHED, None)


def _statement_key(sql: str, values: Any) -> str:
    return sql + "\x00" + repr(sorted((values or {}).items()))


def _serve_prefetched(context: Any, statement: str, parameters: Any) -> bool:
    """The statement was sent ahead (``Database.prefetch``): its rows are read from the
    cursor that sent it, and nothing goes to the server now."""
    if context is None:
        return False
    try:
        info = context.root_connection.connection.info
    except NotImplementedError:
        return False
    kept = info.get(PREFETCHED)
    if not kept:
        return False
    waiting = kept.get(_statement_key(statement, parameters))
    if not waiting:
        return False
    context.cursor.close()
    context.cursor = waiting.pop(0)
    return True


def _for_driver(stmt: Any, params: Any, conn: Any) -> tuple[str, dict[str, Any]]:
    """A Core statement as the driver takes it: its SQL (lists of an IN written out)
    and its parameters, converted as SQLAlchemy converts them (an enum to its value).
    Compiled once per shape of statement, in the engine's own cache of compiled
    statements, as SQLAlchemy does for the statements it sends itself: the SQL and the
    parameters are the same as it would send."""
    compiled, extracted, collected, _hit = stmt._compile_w_cache(
        conn.dialect,
        compiled_cache=conn._execution_options.get("compiled_cache", conn.engine._compiled_cache),
        column_keys=[],
    )
    values = compiled.construct_params(
        params, escape_names=False, extracted_parameters=extracted, _collected_params=collected
    )
    sql, processors = compiled.string, compiled._bind_processors
    if compiled.literal_execute_params or compiled.post_compile_params:
        expanded = compiled._process_parameters_for_postcompile(values)
        sql, processors = expanded.statement, {**processors, **expanded.processors}
    escaped = compiled.escaped_bind_names or {}
    return sql, {
        escaped.get(key, key): (process(value) if (process := processors.get(key)) else value)
        for key, value in values.items()
    }


def _tell_listeners(conn: Any, cursor: Any, sql: str, values: Any) -> None:
    """A statement sent by the driver's pipeline is still one the listeners of the
    engine hear about (the statement counts of the tests and the benchmark)."""
    conn.dispatch.before_cursor_execute(conn, cursor, sql, values, None, False)


def _send_together(
    conn: Any, compiled: Sequence[tuple[str, Any]], *, tell: bool, commit: bool
) -> list[Any]:
    """Send the statements (as ``_for_driver`` makes them) in one round trip through the
    driver's pipeline: the transaction's BEGIN first when it is pending, a COMMIT last
    when ``commit``; ``tell`` the statement listeners of each (a prefetch tells them
    when its rows are taken). The cursors holding their rows, in order; a refusal is
    raised as the statement's own would be."""
    import psycopg

    raw: Any = conn.connection.dbapi_connection
    cursors = [raw.cursor() for _ in compiled]
    sql = ""
    try:
        with raw.pipeline():
            if _pending_begin_of(conn):
                raw.execute(b"BEGIN")
            for cursor, (sql, values) in zip(cursors, compiled, strict=True):
                if tell:
                    _tell_listeners(conn, cursor, sql, values)
                cursor.execute(sql, values)
            if commit:
                raw.execute(b"COMMIT")
    except psycopg.Error as exc:
        raise DBAPIError.instance(sql, None, exc, psycopg.Error) from exc
    return cursors


def _pending_begin_of(conn: Any) -> bool:
    return bool(conn.connection.info.pop(PENDING_BEGIN, False))


def _pending_begin(context: Any) -> bool:
    if context is None:
        return False
    try:
        info = context.root_connection.connection.info
    except NotImplementedError:  # the dialect's own first statements, on connecting
        return False
    return bool(info.pop(PENDING_BEGIN, False))


def _pg_do_execute(cursor, statement, parameters, context) -> bool | None:  # type: ignore[no-untyped-def]
    """The first statement of a write transaction goes with its BEGIN, in one round
    trip (the driver's pipeline); the session runs in the driver's autocommit mode, so
    the driver sends no BEGIN of its own. A statement sent ahead is read from its cursor.
    Other statements go as usual (None)."""
    if _serve_prefetched(context, statement, parameters):
        return True
    if not _pending_begin(context):
        return None
    raw = cursor.connection
    with raw.pipeline():
        raw.execute(b"BEGIN")
        cursor.execute(statement, parameters)
    return True


def _pg_do_execute_no_params(cursor, statement, context) -> bool | None:  # type: ignore[no-untyped-def]
    if _serve_prefetched(context, statement, None):
        return True
    if not _pending_begin(context):
        return None
    raw = cursor.connection
    with raw.pipeline():
        raw.execute(b"BEGIN")
        cursor.execute(statement)
    return True


def _pg_do_executemany(cursor, statement, parameters, context) -> bool | None:  # type: ignore[no-untyped-def]
    if not _pending_begin(context):
        return None
    raw = cursor.connection
    with raw.pipeline():
        raw.execute(b"BEGIN")
        cursor.executemany(statement, parameters)
    return True


def make_engine(
    url: str,
    *,
    echo: bool = False,
    check_share: bool = True,
    timeouts: SessionTimeouts = TIMEOUTS,
    password: str | None = None,
) -> Engine:
    """An engine for ``url`` with the settings each backend needs.

    ``password`` (PostgreSQL) is handed to each new connection as it is made, so it is
    never part of the engine's address."""
    try:
        u = make_url(url)
        u.port  # noqa: B018 - a port that is not a number shows here
    except (ArgumentError, ValueError) as exc:
        raise DatabaseProblem(
            _("Not a valid database address: {url}").format(url=_hide_password(url))
        ) from exc
    backend = u.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(u)
        if path is not None and path.is_dir():
            raise DatabaseProblem(
                _("{path} is a folder, not a database file: give the path of the file.").format(
                    path=path
                )
            )
        if path is not None and check_share:
            check_local_file(path)
        engine = create_engine(
            u,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if u.drivername == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        # No JIT: the grouped occupancy statements pass its cost threshold, and compiling
        # them takes longer than running them.
        # No hstore: the application has none, and looking for it costs a round trip.
        engine = create_engine(
            u,
            echo=echo,
            pool_size=5,
            max_overflow=5,
            use_native_hstore=False,
            connect_args={"options": "-c jit=off " + timeouts.options()},
        )
        # The dialect's first questions to a new server (its version, schema and
        # settings) go without the BEGIN and ROLLBACK the driver would put around them;
        # each connection is then in the driver's usual mode again.
        event.listen(engine, "connect", _autocommit_on, insert=True)
        event.listen(engine, "connect", _autocommit_off)
        event.listen(engine, "checkout", _drop_if_closed_by_server)
        event.listen(engine, "begin", _pg_begin)
        event.listen(engine, "commit", _pg_end)
        event.listen(engine, "rollback", _pg_end)
        event.listen(engine, "checkin", _forget_prefetched)
        event.listen(engine.dialect, "do_execute", _pg_do_execute)
        event.listen(engine.dialect, "do_execute_no_params", _pg_do_execute_no_params)
        event.listen(engine.dialect, "do_executemany", _pg_do_executemany)
        if password is not None:

            def give_password(_dialect, _record, _cargs, cparams):  # type: ignore[no-untyped-def]
                cparams["password"] = password

            event.listen(engine, "do_connect", give_password)
        return engine
    raise DatabaseProblem(
        _("Unsupported database: {backend}. Use a local file or PostgreSQL.").format(
            backend=backend
        )
    )


class Database:
    """The engine and the two kinds of session the services use."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        check_share: bool = True,
        timeouts: SessionTimeouts = TIMEOUTS,
        password: str | None = None,
    ) -> None:
        url, in_url = without_password(url)
        self.url = url  # never with a password: it is shown and saved
        self._password = password if password is not None else in_url
        self._timeouts = timeouts
        self._read_engine: Engine | None = None  # restrict_reads
        self.engine = make_engine(
            url, echo=echo, check_share=check_share, timeouts=timeouts, password=self._password
        )
        write_engine = self.engine
        if not self.is_sqlite:
            # The driver sends no BEGIN of its own: the first statement brings it along
            # (_pg_do_execute) and the COMMIT goes with the last statements
            # (commit_with): two round trips fewer for every write of a remote office.
            write_engine = self.engine.execution_options(
                isolation_level="AUTOCOMMIT", **{WRITE: True}
            )
        self._write = sessionmaker(write_engine, expire_on_commit=False)
        self._read = sessionmaker(
            self.engine.execution_options(**self._read_options()), expire_on_commit=False
        )

    def _read_options(self) -> dict[str, object]:
        read_options: dict[str, object] = {READONLY: True}
        if not self.is_sqlite:
            # A read on the shared server sends its statements alone, without BEGIN and
            # ROLLBACK around them: two round trips fewer for every screen of a remote
            # office. Each statement sees the data as committed when it starts.
            read_options["isolation_level"] = "AUTOCOMMIT"
        return read_options

    @property
    def reads_restricted(self) -> bool:
        return self._read_engine is not None

    def restrict_reads(self, masks: object | None) -> None:
        """Reads through an engine whose statements hide what ``masks`` says
        (``models.visibility``); None: reads see everything again. Writes are unchanged."""
        if self._read_engine is not None:
            self._read_engine.dispose()
            self._read_engine = None
        engine = self.engine
        if masks is not None:
            engine = self._read_engine = make_engine(
                self.url, check_share=False, timeouts=self._timeouts, password=self._password
            )
            engine.dialect.accoglienza_masks = masks  # type: ignore[attr-defined]
        self._read = sessionmaker(
            engine.execution_options(**self._read_options()), expire_on_commit=False
        )

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed whole at the end, rolled back whole on any error."""
        with self._write.begin() as session:
            session.info["database"] = self  # for the statements sent together
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        # close() ends the transaction and detaches the rows without expiring them.
        with self._read() as session:
            session.info["database"] = self  # for the statements sent together
            yield session

    def commit_with(
        self, session: Session, statements: Sequence[tuple[Any, Any]]
    ) -> list[list[Any]]:
        """Send ``statements`` (Core statements and their parameters) and then COMMIT,
        and the rows each returned. On PostgreSQL all of it goes in one round trip (with
        the transaction's BEGIN when nothing was sent before); a refusal is raised as
        the statement's own would be, and the transaction is then rolled back. On
        SQLite each statement is executed, and the session commits as usual."""
        if self.is_sqlite:
            found = []
            for stmt, params in statements:
                result = session.connection().execute(stmt, params)
                found.append(list(result) if result.returns_rows else [])
            return found

        conn = session.connection()
        compiled = [_for_driver(stmt, params, conn) for stmt, params in statements]
        cursors = _send_together(conn, compiled, tell=True, commit=True)
        return [list(c.fetchall()) if c.description else [] for c in cursors]

    def prefetch(self, session: Session, statements: Sequence[Any]) -> None:
        """Send ``statements`` (selects, ORM or Core, or a select and its parameters) now,
        in one round trip with the transaction's BEGIN when it is pending; when the
        session then executes one of them (the same statement, the same parameters), its
        rows come from what was sent ahead, without a round trip of its own. The code
        that reads them stays as it is, in its order; a statement never executed costs
        nothing more. On PostgreSQL only; on SQLite nothing is sent ahead."""
        if self.is_sqlite or not statements:
            return

        pairs = [st if isinstance(st, tuple) else (st, None) for st in statements]
        conn = session.connection()
        compiled = [_for_driver(stmt, params, conn) for stmt, params in pairs]
        cursors = _send_together(conn, compiled, tell=False, commit=False)
        kept = conn.connection.info.setdefault(PREFETCHED, {})
        for cursor, (sql, values) in zip(cursors, compiled, strict=True):
            kept.setdefault(_statement_key(sql, values), []).append(cursor)

    def fetch_together(self, session: Session, statements: Sequence[Any]) -> list[list[Any]]:
        """The rows of each of ``statements`` (selects, or a select and its parameters),
        as the session would return them. On PostgreSQL all of them go in one round
        trip (the driver's pipeline), with the transaction's BEGIN when it is pending;
        on SQLite they are executed one by one."""
        pairs = [st if isinstance(st, tuple) else (st, None) for st in statements]
        conn = session.connection()
        if self.is_sqlite or len(pairs) == 1:
            return [list(conn.execute(stmt, params).all()) for stmt, params in pairs]
        from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData

        dialect = conn.dialect
        prepared = []
        for stmt, params in pairs:
            sql, values = _for_driver(stmt, params, conn)
            columns = list(stmt.selected_columns)
            processors = [col.type._cached_result_processor(dialect, None) for col in columns]
            prepared.append((sql, values, list(stmt.selected_columns.keys()), processors))
        cursors = _send_together(
            conn, [(sql, values) for sql, values, _k, _p in prepared], tell=True, commit=False
        )
        found: list[list[Any]] = []
        for cursor, (_sql, _values, keys, processors) in zip(cursors, prepared, strict=True):
            rows = cursor.fetchall()
            if any(p is not None for p in processors):
                rows = [
                    tuple(v if p is None else p(v) for p, v in zip(processors, row, strict=True))
                    for row in rows
                ]
            found.append(list(IteratorResult(SimpleResultMetaData(keys), iter(rows)).all()))
        return found

    def read_together(self, *readings: Callable[[Session], Reading]) -> list[Any]:
        """Several reads in one read session, their statements in one round trip
        (``fetch_together``). Each reading, given the session, returns its statements
        and what makes its result from their rows."""
        with self.read() as s:
            built = [reading(s) for reading in readings]
            rows = self.fetch_together(
                s, [st for statements, _finish in built for st in statements]
            )
            results, at = [], 0
            for statements, finish in built:
                results.append(finish(rows[at : at + len(statements)]))
                at += len(statements)
            return results

    def dedicated_connection(self) -> Any:
        """A PostgreSQL connection of its own, outside the pool, in autocommit (the live
        refresh listens on it for as long as the window is open)."""
        import psycopg

        _args, params = self.engine.dialect.create_connect_args(self.engine.url)
        params.pop("context", None)
        if self._password:
            params["password"] = self._password
        return psycopg.connect(**params, autocommit=True)

    def libpq_environment(self) -> dict[str, str]:
        """What a PostgreSQL client program (``pg_dump``) needs in its environment to log
        in as this database does: the password there, never on its command line."""
        return {"PGPASSWORD": self._password} if self._password else {}

    def dispose(self) -> None:
        if self._read_engine is not None:
            self._read_engine.dispose()
        self.engine.dispose()

    def ping(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except (OperationalError, DBAPIError) as exc:
            raise connection_problem(self.url, exc) from exc


# libpq's and the server's words (English, or Italian on a server set up in Italian);
# connection errors carry no SQLSTATE.
LOGIN_REFUSED = ("password authentication failed", "autenticazione con password fallita")
UNKNOWN_ROLE = ('role "', 'ruolo "')  # followed by "does not exist" / "non esiste"
PASSWORD_NEEDED = ("no password supplied", "nessuna password fornita")
TLS_FAILED = ("certificate", "certificato", "ssl", "root cert")


def connection_problem(url: str, exc: BaseException) -> DatabaseProblem:
    """The error to raise when ``url`` cannot be opened: a refused login and a missing
    password have their own kind (the desktop asks for the password again), distinct
    from a server that cannot be reached."""
    raw = str(getattr(exc, "orig", exc)).lower()
    u = make_url(url)
    if u.get_backend_name() == "postgresql":
        where = f"{u.host or 'localhost'}:{u.port or 5432}"
        if any(m in raw for m in PASSWORD_NEEDED):
            return PasswordNeeded(
                _("The shared server ({where}) asks for the password of {user}.").format(
                    where=where, user=u.username or "-"
                ),
                url,
            )
        unknown_role = any(m in raw for m in UNKNOWN_ROLE) and (
            "does not exist" in raw or "non esiste" in raw
        )
        if unknown_role or any(m in raw for m in LOGIN_REFUSED):
            return LoginRefused(
                _(
                    "The shared server ({where}) refused the user name or the password "
                    "({user}). Nothing was opened: check them and connect again "
                    "(File › Connect to the shared server…)."
                ).format(where=where, user=u.username or "-"),
                url,
            )
    return DatabaseProblem(connection_message(url, exc))


def _hide_password(url: str) -> str:
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def failure_message(exc: BaseException) -> str | None:
    """One line for a failure of the database that has a known cause (a damaged file,
    a file that cannot be opened or written, a lost connection), or None."""
    if isinstance(exc, DBAPIError):
        raw = str(getattr(exc, "orig", exc)).lower()
        if "malformed" in raw or "not a database" in raw or "disk i/o" in raw:
            return _(DAMAGED)
        if "readonly" in raw or "read-only" in raw:
            return _("The database file cannot be written: check its permissions.")
        if isinstance(exc, OperationalError):
            return _("The database could not complete the operation.")
    if isinstance(exc, sqlite3.DatabaseError):
        return _(DAMAGED)
    if isinstance(exc, IsADirectoryError):
        return _("{path} is a folder, not a file.").format(path=exc.filename)
    return None


def connection_message(url: str, exc: BaseException) -> str:
    raw = str(getattr(exc, "orig", exc)).lower()
    if "file is not a database" in raw or "malformed" in raw or "not a database" in raw:
        return _("The database file is damaged or is not an Accoglienza database.")
    if "unable to open" in raw:
        return _("The database file cannot be opened: check the folder and its permissions.")
    if make_url(url).get_backend_name() == "postgresql":
        u = make_url(url)
        if "database" in raw and "does not exist" in raw:
            return _("The shared server has no database named {name}.").format(name=u.database)
        if any(m in raw for m in TLS_FAILED) and "connection refused" not in raw:
            return _(
                "The secure connection to the shared server ({where}) could not be "
                "verified: check the server's name and the certificate (CA) file in File › "
                "Connect to the shared server…"
            ).format(where=f"{u.host or 'localhost'}:{u.port or 5432}")
        return _("Cannot reach the shared database server ({where}).").format(
            where=f"{make_url(url).host or 'localhost'}:{make_url(url).port or 5432}"
        )
    return _("Cannot open the database.")


@contextmanager
def collection_deferred() -> Iterator[None]:
    """No cyclic garbage collection while a large result is built.

    Thousands of rows and tuples made at once set off the collector again and again,
    and each full pass walks every object of the application. Rows and tuples hold no
    cycles; the collector runs again as usual afterwards. (Process-wide: another thread
    only has its collection put off for as long.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
