"""Backups that restore: taken whole or not at all, optionally encrypted, checked before
they replace anything.

- ``take`` writes a backup (``schema.backup_database``: SQLite's online backup or
  ``pg_dump``) to a temporary file beside the target, checks it, and only then renames
  it over the target: a failed backup leaves the previous one as it was. With a
  passphrase the backup is encrypted (AES-256-GCM in 1 MiB chunks, the key derived
  from the passphrase with scrypt); the plain copy exists only while it is encrypted.
- ``restore`` checks the backup (the passphrase, the file's integrity, a schema this
  version knows), refuses a database someone is using, keeps the database it replaces
  as a copy, and replaces it: a SQLite file with its side files (``-wal``, ``-shm``)
  dealt with, a PostgreSQL database with ``pg_restore`` in one transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .database import Database, sqlite_path
from .errors import DatabaseProblem, DomainError
from .files import fsync_folder, private_file
from .i18n import _

MAGIC = b"ACCBAK1\n"
CHUNK = 1 << 20
SCRYPT_N_LOG2, SCRYPT_R, SCRYPT_P = 15, 8, 1
SQLITE_HEADER = b"SQLite format 3\x00"
DUMP_HEADER = b"PGDMP"


class WrongPassphrase(DomainError):
    pass


class PassphraseNeeded(DomainError):
    pass


# -- encryption ------------------------------------------------------------------------


def _key(passphrase: str, salt: bytes, n_log2: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=1 << n_log2, r=r, p=p).derive(passphrase.encode("utf-8"))


def is_encrypted(path: Path) -> bool:
    with Path(path).open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def encrypt_file(source: Path, target: Path, passphrase: str) -> None:
    """``target`` holds ``source`` encrypted with ``passphrase``.

    Layout: MAGIC, scrypt's n (log2), r, p (one byte each), salt (16), nonce prefix (8),
    then chunks of (length: 4 bytes, ciphertext). Each chunk's nonce is the prefix and
    its number; its associated data say whether it is the last, so a file cut short or
    with chunks swapped is refused like a wrong passphrase.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not passphrase:
        raise PassphraseNeeded(_("An encrypted backup needs a passphrase."))
    salt, prefix = secrets.token_bytes(16), secrets.token_bytes(8)
    header = MAGIC + bytes([SCRYPT_N_LOG2, SCRYPT_R, SCRYPT_P]) + salt + prefix
    aead = AESGCM(_key(passphrase, salt, SCRYPT_N_LOG2, SCRYPT_R, SCRYPT_P))
    size = Path(source).stat().st_size
    with Path(source).open("rb") as src, private_file(target) as out:
        out.write(header)
        index, done = 0, 0
        while True:
            block = src.read(CHUNK)
            done += len(block)
            last = done >= size
            nonce = prefix + index.to_bytes(4, "big")
            sealed = aead.encrypt(nonce, block, header + bytes([last]))
            out.write(len(sealed).to_bytes(4, "big") + sealed)
            index += 1
            if last:
                break
        out.flush()
        os.fsync(out.fileno())


def decrypt_file(source: Path, target: Path, passphrase: str) -> None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not passphrase:
        raise PassphraseNeeded(_("This backup is encrypted: give the passphrase it was made with."))
    wrong = WrongPassphrase(
        _("The passphrase is wrong, or the backup is damaged. Nothing was restored.")
    )
    with Path(source).open("rb") as src, private_file(target) as out:
        header = src.read(len(MAGIC) + 3 + 16 + 8)
        if len(header) < len(MAGIC) + 27 or not header.startswith(MAGIC):
            raise wrong
        n_log2, r, p = header[len(MAGIC)], header[len(MAGIC) + 1], header[len(MAGIC) + 2]
        salt = header[len(MAGIC) + 3 : len(MAGIC) + 19]
        prefix = header[len(MAGIC) + 19 :]
        if not (10 <= n_log2 <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
            raise wrong
        aead = AESGCM(_key(passphrase, salt, n_log2, r, p))
        index = 0
        while True:
            length_bytes = src.read(4)
            if len(length_bytes) < 4:
                raise wrong  # cut short before its last chunk
            sealed = src.read(int.from_bytes(length_bytes, "big"))
            nonce = prefix + index.to_bytes(4, "big")
            try:
                block = aead.decrypt(nonce, sealed, header + b"\x00")
                last = False
            except InvalidTag:
                try:
                    block = aead.decrypt(nonce, sealed, header + b"\x01")
                    last = True
                except InvalidTag:
                    raise wrong from None
            out.write(block)
            index += 1
            if last:
                break
        if src.read(1):
            raise wrong
        out.flush()
        os.fsync(out.fileno())


# -- checks ----------------------------------------------------------------------------


def check_sqlite_backup(path: Path) -> str | None:
    """The schema revision of a SQLite backup that is whole; a refusal otherwise."""
    damaged = DatabaseProblem(
        _("The backup {path} is damaged or is not an Accoglienza backup.").format(path=path)
    )
    with Path(path).open("rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise damaged
    try:
        # immutable: read as it is, no lock and no side file beside the backup
        con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?immutable=1", uri=True)
        try:
            if con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise damaged
            row = None
            if con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone():
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise damaged from exc
    return str(row[0]) if row else None


def check_dump(path: Path) -> None:
    """A ``pg_dump`` backup that ``pg_restore`` can read whole, with our tables."""
    damaged = DatabaseProblem(
        _("The backup {path} is damaged or is not an Accoglienza backup.").format(path=path)
    )
    with Path(path).open("rb") as fh:
        if fh.read(5) != DUMP_HEADER:
            raise damaged
    listing = subprocess.run(
        [_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0 or "alembic_version" not in listing.stdout:
        raise damaged


def _check_revision(revision: str | None) -> None:
    from . import schema

    if revision is None:
        raise DatabaseProblem(_("The backup holds no Accoglienza database."))
    if revision not in schema._known_revisions():
        raise DatabaseProblem(
            _(
                "The backup was made by a newer version of Accoglienza. Install the "
                "latest version to restore it."
            )
        )


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DatabaseProblem(
            _("{tool} is not installed: cannot work on the shared database's backups.").format(
                tool=name
            )
        )
    return path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def verify(path: Path) -> None:
    """Check a plain backup file just written (SQLite or ``pg_dump``)."""
    with Path(path).open("rb") as fh:
        head = fh.read(16)
    if head.startswith(DUMP_HEADER):
        check_dump(path)
    else:
        check_sqlite_backup(path)


# -- backup ----------------------------------------------------------------------------


def take(db: Database, target: Path, passphrase: str | None = None) -> Path:
    """A backup of ``db`` at ``target``, replacing what was there only once it is whole
    and checked (and encrypted, with a passphrase)."""
    from . import schema

    target = Path(target)
    if target.is_dir():
        raise DatabaseProblem(
            _("{path} is a folder: give the name of the backup file.").format(path=target)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    plain = target.with_name(target.name + ".plain-part")
    sealed = target.with_name(target.name + ".part")
    try:
        schema.backup_database(db, plain)  # checked, renamed into place when whole
        if passphrase:
            encrypt_file(plain, sealed, passphrase)
            sealed.replace(target)
        else:
            plain.replace(target)
        fsync_folder(target.parent)
    finally:
        plain.unlink(missing_ok=True)
        sealed.unlink(missing_ok=True)
    return target


# -- restore ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    target: str
    replaced_copy: Path | None


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def unused(path: Path) -> Path:
    """``path``, or the same name with -2, -3... when it is taken: a copy never
    overwrites another."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def restore(
    backup: Path, url: str, passphrase: str | None = None, *, keep_dir: Path | None = None
) -> Restored:
    """Replace the database at ``url`` with ``backup``; the database replaced is kept
    as a copy (beside a SQLite file, in ``keep_dir`` or beside the backup for a server)."""
    backup = Path(backup)
    if not backup.is_file():
        raise DatabaseProblem(_("The backup {path} does not exist.").format(path=backup))
    target_path = sqlite_path(url)
    if target_path is not None and target_path.parent.is_dir():
        work_dir = target_path.parent
    else:
        work_dir = backup.parent
    plain = backup
    decrypted: Path | None = None
    try:
        if is_encrypted(backup):
            decrypted = work_dir / f".{backup.name}.{secrets.token_hex(4)}.restore-part"
            decrypt_file(backup, decrypted, passphrase or "")
            plain = decrypted
        with plain.open("rb") as fh:
            head = fh.read(16)
        if target_path is not None:
            if head != SQLITE_HEADER:
                raise DatabaseProblem(
                    _(
                        "The backup is not of a local database: restore it into a shared "
                        "database (a postgresql:// address)."
                    )
                )
            _check_revision(check_sqlite_backup(plain))
            return _restore_sqlite(plain, target_path, decrypted is not None)
        if not head.startswith(DUMP_HEADER):
            raise DatabaseProblem(
                _("The backup is not of a shared database: restore it into a local database file.")
            )
        check_dump(plain)
        return _restore_server(plain, url, keep_dir or backup.parent)
    finally:
        if decrypted is not None:
            decrypted.unlink(missing_ok=True)


def _in_use() -> DatabaseProblem:
    return DatabaseProblem(
        _(
            "The database is in use (Accoglienza is open on it, here or on another PC). "
            "Close it everywhere and try again. Nothing was restored."
        )
    )


def _restore_sqlite(plain: Path, target: Path, owned: bool) -> Restored:
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.{secrets.token_hex(4)}.incoming")
    # The new file is made beside the target first, whole, so that the switch is one rename.
    if owned:
        plain.replace(incoming)
    else:
        with private_file(incoming) as out, plain.open("rb") as src:
            shutil.copyfileobj(src, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
    kept: Path | None = None
    lock: sqlite3.Connection | None = None
    try:
        if target.exists():
            # Exclusive locking mode: refused at once while any other connection has the
            # file open (an idle desktop too), and held until this one closes.
            lock = sqlite3.connect(str(target), timeout=0, isolation_level=None)
            try:
                lock.execute("PRAGMA locking_mode = EXCLUSIVE")
                lock.execute("BEGIN EXCLUSIVE")
                lock.execute("SELECT count(*) FROM sqlite_master").fetchone()
                lock.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                raise _in_use() from exc
            except sqlite3.DatabaseError:
                lock.close()
                lock = None  # a damaged file: kept as it is, byte for byte, below
            kept = unused(target.with_name(f"{target.stem}.replaced-{_stamp()}{target.suffix}"))
            if lock is not None:
                with private_file(kept) as fh:
                    fh.close()
                dst = sqlite3.connect(str(kept))
                try:
                    lock.backup(dst)
                finally:
                    dst.close()
                # Its write-ahead log folded in and removed: no side file outlives it.
                lock.execute("PRAGMA journal_mode = DELETE")
            else:
                shutil.copy2(target, kept)
            _fsync(kept)
        if os.name == "nt" and lock is not None:
            # Windows cannot rename over an open file: the lock goes just before.
            lock.close()
            lock = None
        incoming.replace(target)
        for side in ("-wal", "-shm", "-journal"):
            Path(f"{target}{side}").unlink(missing_ok=True)
        fsync_folder(target.parent)
    finally:
        if lock is not None:
            lock.close()
        incoming.unlink(missing_ok=True)
    return Restored(str(target), kept)


def _restore_server(plain: Path, url: str, keep_dir: Path) -> Restored:
    from sqlalchemy import text

    db = Database(url)
    try:
        with db.engine.connect() as conn:
            others = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
            has_schema = conn.execute(
                text("SELECT to_regclass('public.alembic_version') IS NOT NULL")
            ).scalar_one()
    finally:
        db.dispose()
    if others:
        raise _in_use()
    kept: Path | None = None
    if has_schema:
        kept = take(db, unused(keep_dir / f"{db.engine.url.database}.replaced-{_stamp()}.dump"))
    dsn = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            f"--dbname={dsn}",
            str(plain),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **db.libpq_environment()},
    )
    if result.returncode != 0:
        raise DatabaseProblem(_("The restore of the shared database failed: nothing was changed."))
    _secure_again(db)
    return Restored(db.engine.url.render_as_string(hide_password=True), kept)


def _secure_again(db: Database) -> None:
    """``pg_restore --no-owner`` leaves whoever restored owning every table: a database
    with the server's row security (migration 0010) is handed back to its owner role,
    its grants and policies set again (models/pg_security.py)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from . import pg_security

    try:
        with db.engine.begin() as conn:
            secured = conn.execute(
                text("SELECT to_regprocedure('acc_my_programmes()') IS NOT NULL")
            ).scalar_one()
            if secured:
                pg_security.install(conn)
    except DBAPIError as exc:
        raise DatabaseProblem(
            _(
                "The backup was restored, but its tables could not be handed back to the "
                "role that owns them: restore it again as the user who set up the server."
            )
        ) from exc
    finally:
        db.dispose()


class Backups:
    """Backups of the database in use, for the desktop's File menu (``backend.backups``).

    ``require_encryption`` is set by the application from the site profile.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.require_encryption = False

    def suggested_name(self) -> str:
        day = dt.date.today().strftime("%Y-%m-%d")
        if self.db.is_sqlite:
            return f"accoglienza-{day}.sqlite3"
        return f"accoglienza-{day}.dump"

    def is_encrypted(self, path: str | Path) -> bool:
        try:
            return is_encrypted(Path(path))
        except OSError:
            return False

    def take(self, target: str | Path, passphrase: str | None = None) -> Path:
        if self.require_encryption and not passphrase:
            raise PassphraseNeeded(_("This site keeps its backups encrypted: give a passphrase."))
        return take(self.db, Path(target), passphrase or None)

    def restore_here(self, backup: str | Path, passphrase: str | None = None) -> Restored:
        """Replace the database in use with ``backup``. Its connections are closed
        first; the caller opens it again afterwards."""
        self.db.dispose()
        return restore(Path(backup), self.db.url, passphrase)
