"""The files of the records: private (0600 files, 0700 folders), a missing database
never created unasked, another program's file left byte for byte as it was, no
database on a RAM disk, a daily backup kept for the chosen days, durable commits, a
crash log that stays small."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop import crash, daily_backup, settings
from desktop.database_open import open_database
from models import database, schema
from models.database import Database
from models.errors import DatabaseMissing, DatabaseProblem

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_a_fresh_start_a_backup_and_an_upgrade_leave_private_files(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "umask", os.umask)  # restored whatever happens
    old = os.umask(0o022)
    try:
        folder = tmp_path / "dati"
        path = folder / "accoglienza.sqlite3"
        db = open_database(str(path), create=True)
        with db.write() as s:  # a write: the -wal appears beside it
            s.execute(
                text(
                    "INSERT INTO audit_entry (actor, action, entity, details) VALUES ('t', 'x', 'y', '')"
                )
            )
        assert (mode(folder), mode(path)) == (0o700, 0o600)
        for side in folder.glob("accoglienza.sqlite3-*"):
            assert mode(side) == 0o600, side
        taken = daily_backup.take_daily(db, 14)
        assert taken is not None and mode(taken) == 0o600
        assert mode(taken.parent) == 0o700
        # an upgrade: its copy is private too
        schema.downgrade(db, "-1")
        copy = schema.upgrade(db)
        assert copy is not None and mode(copy) == 0o600
        db.dispose()
        settings.save({"language": "it"})
        assert mode(settings.settings_path()) == 0o600
        crash.report_unexpected(ValueError("a name that must not be logged"))
        from desktop.paths import data_dir

        log = data_dir() / "errors.log"
        assert mode(log) == 0o600
        assert "name" not in log.read_text()
    finally:
        os.umask(old)


def test_a_missing_database_is_not_created(tmp_path):
    path = tmp_path / "manca.sqlite3"
    with pytest.raises(DatabaseMissing) as info:
        open_database(str(path))
    assert info.value.path == str(path)
    with pytest.raises(DatabaseProblem):
        open_database(str(path), upgrade=False)
    assert not path.exists()


def test_a_foreign_sqlite_file_is_left_byte_for_byte(tmp_path):
    path = tmp_path / "altro-programma.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE rubrica (nome TEXT)")
    con.execute("INSERT INTO rubrica VALUES ('Prova')")
    con.commit()
    con.close()
    before = path.read_bytes()
    for upgrade in (True, False):
        with pytest.raises(DatabaseProblem, match="altro programma|another program"):
            open_database(str(path), upgrade=upgrade)
    db = Database(f"sqlite:///{path}")
    with pytest.raises(DatabaseProblem):
        schema.check(db)
    with pytest.raises(DatabaseProblem):
        schema.backup_database(db, tmp_path / "copia.sqlite3")
    db.dispose()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["altro-programma.db"]


MOUNTS = "/dev/sda1 / ext4 rw 0 0\n"


@pytest.mark.parametrize("kind", ["tmpfs", "ramfs"])
def test_a_database_on_a_ram_disk_is_refused_with_the_reason(tmp_path, monkeypatch, kind):
    monkeypatch.delenv(database.ALLOW_RAM_DISK, raising=False)
    ram = tmp_path / "ram"
    ram.mkdir()
    mounts = MOUNTS + f"none {ram.resolve()} {kind} rw 0 0\n"
    monkeypatch.setattr(database, "_proc_mounts", lambda: mounts)
    with pytest.raises(DatabaseProblem, match="RAM"):
        open_database(str(ram / "accoglienza.sqlite3"), create=True)
    assert not (ram / "accoglienza.sqlite3").exists()
    monkeypatch.setattr(database, "_proc_mounts", lambda: MOUNTS)
    open_database(str(ram / "accoglienza.sqlite3"), create=True).dispose()


def test_commits_are_durable(sqlite_template, tmp_path):
    path = tmp_path / "a.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    with db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    db.dispose()


def test_daily_backups_once_a_day_kept_for_the_chosen_days(sqlite_template, tmp_path):
    path = tmp_path / "accoglienza.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    today = dt.date(2026, 12, 3)
    first = daily_backup.take_daily(db, 3, today)
    assert first is not None and first.name == "accoglienza-2026-12-03.sqlite3"
    assert daily_backup.take_daily(db, 3, today) is None  # one a day
    for back in range(1, 8):
        old = first.with_name(f"accoglienza-{today - dt.timedelta(days=back)}.sqlite3")
        shutil.copy(first, old)
    for stamp in ("20261101-090000", "20261102-090000"):
        shutil.copy(first, tmp_path / f"accoglienza.before-upgrade-{stamp}.sqlite3")
    daily_backup.take_daily(db, 3, today)
    kept = sorted(p.name for p in first.parent.iterdir())
    assert kept == [
        "accoglienza-2026-11-30.sqlite3",
        "accoglienza-2026-12-01.sqlite3",
        "accoglienza-2026-12-02.sqlite3",
        "accoglienza-2026-12-03.sqlite3",
    ]
    # the newest copy made before an upgrade stays, whatever its age
    assert [p.name for p in tmp_path.glob("*.before-upgrade-*")] == [
        "accoglienza.before-upgrade-20261102-090000.sqlite3"
    ]
    db.dispose()
    assert daily_backup.keep_days({"backup_keep_days": 30}) == 30
    assert daily_backup.keep_days({"backup_keep_days": "x"}) == daily_backup.DEFAULT_KEEP_DAYS


def test_the_crash_log_is_rotated_and_faulthandler_is_on(tmp_path, monkeypatch):
    import faulthandler

    from desktop.paths import data_dir

    log = data_dir() / "errors.log"
    log.write_bytes(b"x" * (crash.MAX_LOG_BYTES + 1))
    crash.report_unexpected(RuntimeError("boom"))
    assert log.stat().st_size < 1000
    assert (data_dir() / "errors.log.1").exists()
    was = faulthandler.is_enabled()
    try:
        where = crash.enable_faulthandler()
        assert faulthandler.is_enabled() and where == data_dir() / "crash.log"
    finally:
        if not was:
            faulthandler.disable()


def test_error_details_name_no_one():
    try:
        raise ValueError("Ana Prova, via dei Tigli 3")
    except ValueError as exc:
        text = crash.details(exc)
    assert "ValueError" in text and "test_files.py" in text
    assert "Ana" not in text and "Tigli" not in text
