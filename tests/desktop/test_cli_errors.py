"""Mistakes and broken inputs on the command line: one clear line, a non-zero exit,
never "unexpected error"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.backend import Backend
from models.database import Database
from tests.desktop.test_cli import one_line_error, run
from tests.factories import D, scenario


@pytest.fixture
def demo_db(sqlite_template, tmp_path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    sv = Backend(db, actor="test")
    sc = scenario(sv)
    sv.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    db.dispose()
    return path


def clear_error(result) -> str:
    line = one_line_error(result)
    assert "unexpected" not in line.lower(), line
    return line


@pytest.mark.parametrize(
    "args",
    [
        ["print", "register", "--programme", "SAI-TEST", "--month", "9999-12"],
        ["print", "register", "--programme", "SAI-TEST", "--month", "0001-01"],
        ["occupancy", "--date", "9999-12-31"],
        ["occupancy", "--province", "ZZ"],
        ["occupancy", "--province", "9Z"],
        ["occupancy", "--programme", "NO-SUCH"],
        ["print", "summary", "--province", "ZZ"],
        ["print", "summary", "--programme", "NO-SUCH"],
    ],
)
def test_out_of_range_and_unknown_values_are_one_line(demo_db, tmp_path, args):
    if args[0] == "print":
        args = [*args, "-o", str(tmp_path / "out.pdf")]
    clear_error(run("--database", str(demo_db), *args))
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("command", [["db", "check"], ["demo"], ["occupancy"], ["db", "backup"]])
def test_a_folder_given_as_the_database_is_one_line(tmp_path, command):
    if command == ["db", "backup"]:
        command = [*command, str(tmp_path / "copy.sqlite3")]
    line = clear_error(run("--database", str(tmp_path), *command))
    assert "folder" in line


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://someone:secret@127.0.0.1:abc/base",
        "postgresql://someone@127.0.0.1:99999/base",
        "postgresql://someone@:5432:1/base",
    ],
)
def test_a_bad_port_in_a_server_address_is_one_line(url):
    line = clear_error(run("--database", url, "db", "check"))
    assert "secret" not in line


def test_a_page_zeroed_in_the_middle_of_the_file_is_one_line_or_read_around(demo_db, tmp_path):
    data = bytearray(demo_db.read_bytes())
    page = 4096
    pages = len(data) // page
    for n in sorted({pages // 3, pages // 2, 2 * pages // 3, pages - 1}):
        broken = tmp_path / f"zeroed-{n}.sqlite3"
        copy = bytearray(data)
        copy[n * page : (n + 1) * page] = bytes(page)
        broken.write_bytes(bytes(copy))
        check = run("--database", str(broken), "db", "check")
        clear_error(check)  # db check always finds it
        for args in (
            ["occupancy"],
            ["print", "register", "--programme", "SAI-TEST", "--month", "2023-01"],
        ):
            if args[0] == "print":
                args = [*args, "-o", str(tmp_path / "out.pdf")]
            result = run("--database", str(broken), *args)
            if result.returncode != 0:
                clear_error(result)


def run_env(env: dict[str, str], *args: str):
    import os
    import subprocess
    import sys

    from tests.desktop.test_cli import ROOT

    full = dict(os.environ, LANG="C", LC_ALL="C", PYTHONWARNINGS="ignore", **env)
    full.pop("ACCOGLIENZA_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--language", "en", *args],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_backup_and_restore_from_the_command_line(demo_db, tmp_path):
    import sqlite3

    copy = tmp_path / "copia.bak"
    secret = {"ACCOGLIENZA_BACKUP_PASSPHRASE": "una frase lunga"}
    made = run_env(secret, "--database", str(demo_db), "db", "backup", "--encrypt", str(copy))
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(demo_db) as con:
        con.create_function("acc_actor", 0, lambda: "maintenance")  # what the change log records
        con.execute("UPDATE person SET first_name = 'Cambiato'")
    con.close()
    wrong = run_env(
        {"ACCOGLIENZA_BACKUP_PASSPHRASE": "altra"},
        "db",
        "restore",
        str(copy),
        "--database",
        str(demo_db),
    )
    assert "passphrase" in clear_error(wrong)
    assert clear_error(run_env({}, "db", "restore", str(copy), "--database", str(demo_db)))
    assert clear_error(run_env(secret, "db", "restore", str(copy)))  # which database?
    done = run_env(secret, "db", "restore", str(copy), "--database", str(demo_db))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(demo_db) as con:
        assert (
            con.execute("SELECT count(*) FROM person WHERE first_name = 'Cambiato'").fetchone()[0]
            == 0
        )
    con.close()
    assert list(tmp_path.glob("demo.replaced-*.sqlite3"))


def test_a_site_that_requires_encryption_gets_encrypted_backups(demo_db, tmp_path):
    import json

    from models import backup

    profile = tmp_path / "site.json"
    profile.write_text(
        json.dumps(
            {
                "site_id": "prova",
                "site_name": "Sito di prova",
                "database": {"mode": "local"},
                "backups": {"encrypt": True},
            }
        )
    )
    site = {"ACCOGLIENZA_SITE_PROFILE": str(profile)}
    copy = tmp_path / "copia.bak"
    assert "passphrase" in clear_error(
        run_env(site, "--database", str(demo_db), "db", "backup", str(copy))
    )
    assert not copy.exists()
    made = run_env(
        {**site, "ACCOGLIENZA_BACKUP_PASSPHRASE": "una frase lunga"},
        "--database",
        str(demo_db),
        "db",
        "backup",
        str(copy),
    )
    assert made.returncode == 0, made.stderr
    assert backup.is_encrypted(copy)
