"""Backups that restore (both engines): taken whole or not at all, restored identical,
encrypted with a passphrase, refused while the database is in use."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from models import backup, schema
from models.backend import Backend
from models.database import Database
from models.errors import DatabaseProblem
from models.results import NewPerson
from tests.factories import D, scenario
from tests.models.helpers import TABLES

PASSPHRASE = "cavallo batteria graffetta"


def contents(url: str) -> dict[str, list[tuple]]:
    db = Database(url)
    try:
        with db.engine.connect() as c:
            return {
                t: [tuple(r) for r in c.execute(text(f"SELECT * FROM {t} ORDER BY id")).all()]
                for t in (*TABLES, "structure", "bed", "programme")
            }
    finally:
        db.dispose()


def fill(backend: Backend) -> None:
    sc = scenario(backend)
    backend.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))


def change(url: str) -> None:
    db = Database(url)
    Backend(db, actor="test").people.register_household(
        [NewPerson("Dopo", "Il Backup", "F", D(1990, 1, 1))]
    )
    db.dispose()


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE])
def test_backup_then_restore_gives_identical_data(backend, db_url, tmp_path, passphrase):
    fill(backend)
    before = contents(db_url)
    target = tmp_path / "copia.bak"
    backup.take(backend.db, target, passphrase)
    assert backup.is_encrypted(target) == bool(passphrase)
    backend.db.dispose()
    change(db_url)
    assert contents(db_url) != before
    done = backup.restore(target, db_url, passphrase, keep_dir=tmp_path)
    assert contents(db_url) == before
    assert done.replaced_copy is not None and done.replaced_copy.exists()
    # the replaced database is itself a backup that restores
    backup.restore(done.replaced_copy, db_url, keep_dir=tmp_path)
    assert contents(db_url) != before


def test_an_encrypted_backup_refuses_a_wrong_or_missing_passphrase(backend, db_url, tmp_path):
    fill(backend)
    target = tmp_path / "copia.bak"
    backup.take(backend.db, target, PASSPHRASE)
    assert b"Glicine" not in target.read_bytes()
    backend.db.dispose()
    change(db_url)
    changed = contents(db_url)
    with pytest.raises(backup.WrongPassphrase):
        backup.restore(target, db_url, "cavallo batteria", keep_dir=tmp_path)
    with pytest.raises(backup.PassphraseNeeded):
        backup.restore(target, db_url, None, keep_dir=tmp_path)
    cut = tmp_path / "tagliata.bak"
    cut.write_bytes(target.read_bytes()[:-10])
    with pytest.raises(backup.WrongPassphrase):
        backup.restore(cut, db_url, PASSPHRASE, keep_dir=tmp_path)
    assert contents(db_url) == changed
    assert not [p.name for p in tmp_path.iterdir() if "part" in p.name]


def test_a_failed_backup_leaves_the_previous_one_intact(backend, db_url, tmp_path, monkeypatch):
    fill(backend)
    target = tmp_path / "copia.bak"
    backup.take(backend.db, target)
    good = target.read_bytes()

    def broken_verify(path: Path) -> None:
        raise DatabaseProblem("verification failed")

    monkeypatch.setattr(backup, "verify", broken_verify)
    with pytest.raises(DatabaseProblem):
        backup.take(backend.db, target)
    monkeypatch.undo()
    if not backend.db.is_sqlite:  # pg_dump itself failing: a database that is not there
        gone = Database(str(backend.db.engine.url.set(database="acc_no_such_db")))
        monkeypatch.setattr(schema, "_require_file", lambda db: None)
        with pytest.raises(DatabaseProblem):
            schema.backup_database(gone, target)
    assert target.read_bytes() == good
    assert not [p.name for p in tmp_path.iterdir() if "copia" in p.name and p.name != "copia.bak"]


def test_restore_is_refused_while_the_database_is_in_use(backend, db_url, tmp_path):
    fill(backend)
    target = tmp_path / "copia.bak"
    backup.take(backend.db, target)
    change(db_url)
    changed = contents(db_url)
    with backend.db.engine.connect() as busy:
        busy.execute(text("SELECT 1"))
        with pytest.raises(DatabaseProblem, match="uso|use"):
            backup.restore(target, db_url, keep_dir=tmp_path)
    backend.db.dispose()
    assert contents(db_url) == changed


def test_a_backup_of_the_other_engine_or_of_something_else_is_refused(backend, db_url, tmp_path):
    fill(backend)
    other = tmp_path / "note.txt"
    other.write_text("non è un backup")
    backend.db.dispose()
    before = contents(db_url)
    with pytest.raises(DatabaseProblem):
        backup.restore(other, db_url, keep_dir=tmp_path)
    with pytest.raises(DatabaseProblem):
        backup.restore(tmp_path / "nowhere.bak", db_url, keep_dir=tmp_path)
    assert contents(db_url) == before


def test_restore_over_a_file_with_a_stale_wal(sqlite_template, tmp_path):
    live = tmp_path / "accoglienza.sqlite3"
    shutil.copy(sqlite_template, live)
    url = f"sqlite:///{live}"
    db = Database(url)
    fill(Backend(db, actor="test"))
    target = tmp_path / "copia.sqlite3"
    backup.take(db, target)
    db.dispose()
    expected = contents(url)
    # A -wal left by another database beside the file (a copy made by hand, say).
    other = tmp_path / "other.sqlite3"
    shutil.copy(sqlite_template, other)
    con = sqlite3.connect(other)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("CREATE TABLE x (a)")
    con.execute("INSERT INTO x VALUES (1)")
    con.commit()
    shutil.copy(f"{other}-wal", f"{live}-wal")
    con.close()
    done = backup.restore(target, url)
    assert not Path(f"{live}-wal").exists() or Path(f"{live}-wal").stat().st_size == 0
    assert contents(url) == expected
    assert done.replaced_copy is not None
    check_db = Database(url)
    assert schema.check(check_db).ok
    check_db.dispose()


def test_backup_files_are_private(backend, tmp_path):
    fill(backend)
    for passphrase in (None, PASSPHRASE):
        target = tmp_path / f"copia-{bool(passphrase)}.bak"
        backup.take(backend.db, target, passphrase)
        assert target.stat().st_mode & 0o077 == 0
