"""The command line as a user runs it: one clear line and a non-zero exit on any error.

Each test runs ``python -m desktop`` in a subprocess on a temporary SQLite file. English
is forced (``--language en``) but the assertions rest on exit codes, the number of lines
and the absence of a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models.backend import Backend
from models.database import Database
from tests.factories import D, scenario

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LANG="C", LC_ALL="C", PYTHONWARNINGS="ignore")
    env.pop("ACCOGLIENZA_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--language", "en", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def sound_db(sqlite_template, tmp_path) -> Path:
    """A migrated SQLite file with the small scenario and one family placed."""
    path = tmp_path / "sound.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    sv = Backend(db, actor="test")
    sc = scenario(sv)
    sv.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    db.dispose()
    return path


def test_occupancy_json_parses(sound_db):
    result = run("--database", str(sound_db), "occupancy", "--date", "2023-02-01", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["date"] == "2023-02-01"
    fam = {s["code"]: s for s in data["structures"]}["T-FAM"]
    assert (fam["capacity"], fam["occupied"], fam["free"], fam["rate"]) == (4, 3, 1, 0.75)
    assert data["total"]["occupied"] == 3 and data["total"]["structures"] == 4


def test_occupancy_table_is_printed(sound_db):
    result = run(
        "--database", str(sound_db), "occupancy", "--date", "2023-02-01", "--province", "SO"
    )
    assert result.returncode == 0, result.stderr
    assert "T-FAM" in result.stdout and "T-ART" not in result.stdout


def test_check_sound_database(sound_db):
    result = run("--database", str(sound_db), "db", "check")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("where", ["header page", "later pages", "whole file"])
def test_check_corrupted_file_is_one_line(sound_db, tmp_path, where):
    broken = tmp_path / "broken.sqlite3"
    data = bytearray(sound_db.read_bytes())
    garbage = bytes((i * 37 + 11) % 256 for i in range(4096))
    if where == "header page":
        data[100:1100] = garbage[:1000]
    elif where == "later pages":
        page = 4096
        for start in range(page, len(data), 3 * page):
            data[start : start + page] = garbage
    else:
        data = bytearray(garbage * 4)
    broken.write_bytes(bytes(data))
    original = bytes(data)
    one_line_error(run("--database", str(broken), "db", "check"))
    assert broken.read_bytes() == original  # checking does not try to repair or rewrite
    one_line_error(run("--database", str(broken), "occupancy"))


def test_check_missing_file_is_one_line(tmp_path):
    one_line_error(run("--database", str(tmp_path / "nowhere.sqlite3"), "db", "check"))


def test_backup_is_a_valid_sqlite_file(sound_db, tmp_path):
    target = tmp_path / "copies" / "backup.sqlite3"
    result = run("--database", str(sound_db), "db", "backup", str(target))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(target) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM bed_stay").fetchone()[0] == 3


def test_upgrade_of_a_new_file_then_up_to_date(tmp_path):
    path = tmp_path / "new.sqlite3"
    one_line_error(run("--database", str(path), "db", "upgrade"))
    assert not path.exists()  # a missing file is created only when asked
    first = run("--database", str(path), "db", "upgrade", "--create")
    assert first.returncode == 0, first.stderr
    again = run("--database", str(path), "db", "upgrade")
    assert again.returncode == 0 and again.stdout.strip()
    assert run("--database", str(path), "db", "check").returncode == 0


def test_invalid_date_is_a_usage_error(sound_db):
    result = run("--database", str(sound_db), "occupancy", "--date", "2023-13-45")
    assert "2023-13-45" in one_line_error(result)
    assert result.returncode == 2


def test_unknown_command_is_a_usage_error(sound_db):
    result = run("--database", str(sound_db), "explode")
    one_line_error(result)
    assert result.returncode == 2


def test_newer_database_is_refused_in_one_line(sound_db):
    con = sqlite3.connect(sound_db)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.close()  # the last connection to close folds the WAL into the file
    before = sound_db.read_bytes()
    for args in (("occupancy",), ("db", "upgrade"), ("db", "check")):
        line = one_line_error(run("--database", str(sound_db), *args))
        assert line
    assert "newer version" in one_line_error(run("--database", str(sound_db), "db", "upgrade"))
    assert sound_db.read_bytes() == before


def test_unreachable_server_is_one_line():
    result = run("--database", "postgresql://nobody@127.0.0.1:1/none", "occupancy")
    one_line_error(result)


def test_missing_database_is_reported_not_created(tmp_path):
    missing = tmp_path / "typo.sqlite3"
    for args in (("occupancy",), ("db", "backup", str(tmp_path / "copy.sqlite3")), ("db", "check")):
        line = one_line_error(run("--database", str(missing), *args))
        assert str(missing) in line
        assert not missing.exists()
    assert not (tmp_path / "copy.sqlite3").exists()


def test_check_reports_dangling_rows_and_overlaps(sound_db):
    """Rows written behind the application's back (foreign keys off, rules dropped) are found."""
    con = sqlite3.connect(sound_db)
    con.create_function("acc_actor", 0, lambda: "maintenance")  # what the change log records
    con.execute("PRAGMA foreign_keys = OFF")
    with con:
        con.execute("INSERT INTO room (structure_id, name) VALUES (999, 'Fantasma')")
    with con:
        con.execute("DROP TRIGGER ex_bed_stay_bed_overlap_insert")
        con.execute(
            "INSERT INTO bed_stay (placement_id, person_id, bed_id, start_date, end_date, cancelled, override_reason) "
            "SELECT placement_id, person_id + 100, bed_id, '2023-02-01', NULL, 0, '' FROM bed_stay LIMIT 1"
        )
    con.close()
    result = run("--database", str(sound_db), "db", "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problems = result.stderr.strip().splitlines()
    assert len(problems) == 2, problems


def test_output_cut_short_by_the_reader_is_not_an_error_message(tmp_path, monkeypatch, capsys):
    """``accoglienza occupancy | head``: the reader went away; no "unexpected error" line."""
    import os
    import sys

    from desktop import cli

    path = tmp_path / "demo.sqlite3"
    assert cli.main(["--database", str(path), "demo", "--scale", "coop"]) == 0
    capsys.readouterr()
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: every write fails with a broken pipe
    broken = os.fdopen(write_end, "w")
    monkeypatch.setattr(sys, "stdout", broken)
    code = cli.main(["--database", str(path), "occupancy", "--date", "2022-06-01"])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "unexpected" not in err.lower()
        and "imprevisto" not in err.lower()
        and "Traceback" not in err
    )


def test_database_option_is_accepted_after_the_sub_command(tmp_path, capsys):
    """Users type it where it reads naturally: ``accoglienza demo --database X``."""
    from desktop import cli

    path = tmp_path / "after.sqlite3"
    assert cli.main(["demo", "--scale", "coop", "--database", str(path)]) == 0
    assert path.exists()
    capsys.readouterr()
    assert (
        cli.main(
            [
                "occupancy",
                "--date",
                "2022-06-01",
                "--province",
                "VA",
                "--json",
                "--database",
                str(path),
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["capacity"] == 13  # Besozzo after the reduction
    pdf = tmp_path / "sheet.pdf"
    code = data["structures"][0]["code"]
    assert (
        cli.main(
            [
                "print",
                "occupancy",
                "--structure",
                code,
                "--date",
                "2022-06-01",
                "-o",
                str(pdf),
                "--database",
                str(path),
            ]
        )
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert cli.main(["db", "check", "--database", str(path)]) == 0


@pytest.mark.parametrize(
    "argv, database, language",
    [
        ([], None, None),
        (["--database", "demo"], "demo", None),  # a file may be called like a sub-command
        (["--language", "en", "--database=x.sqlite3"], "x.sqlite3", "en"),
    ],
)
def test_the_desktop_starts_with_its_own_options(monkeypatch, argv, database, language):
    # The usual start is read without building every sub-command's parser.
    from desktop import app, cli

    started = []
    monkeypatch.setattr(app, "run_desktop", lambda args: started.append(args) or 0)
    monkeypatch.setattr(cli, "build_parser", lambda: pytest.fail("the whole parser was built"))
    assert cli.main(argv) == 0
    [args] = started
    assert (args.command, args.database, args.language) == (None, database, language)


@pytest.mark.parametrize("argv", [["--language", "xx"], ["--database"], ["--colour", "red"]])
def test_a_mistaken_desktop_start_is_one_line(argv):
    result = run(*argv)
    assert argv[-1] in one_line_error(result)
    assert result.returncode == 2


def test_help_lists_the_sub_commands():
    result = run("--help")
    assert result.returncode == 0
    assert "occupancy" in result.stdout and "demo" in result.stdout


def test_commands_work_without_standard_output_or_error(sound_db: Path, tmp_path: Path) -> None:
    """The windowed Windows program has ``sys.stdout`` and ``sys.stderr`` set to None:
    a scheduled backup made with it succeeds and says so by its exit code; an error
    still ends in a non-zero exit, without a crash."""
    code = (
        "import sys\n"
        "sys.stdout = None\n"
        "sys.stderr = None\n"
        "from desktop.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    env = dict(os.environ, LANG="C", LC_ALL="C", PYTHONWARNINGS="ignore")

    def windowed(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code, "--language", "en", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    backup = tmp_path / "backup.sqlite3"
    for args in (
        ["db", "backup", "--database", str(sound_db), str(backup)],
        ["occupancy", "--database", str(sound_db), "--date", "2023-02-01"],
        ["occupancy", "--database", str(sound_db), "--json"],
        ["db", "check", "--database", str(sound_db)],
        ["demo", "--database", str(tmp_path / "demo.sqlite3")],
    ):
        result = windowed(*args)
        assert result.returncode == 0 and result.stdout == result.stderr == "", (args, result)
    assert backup.stat().st_size > 0
    failed = windowed("occupancy", "--database", str(tmp_path / "missing" / "x.sqlite3"))
    assert failed.returncode == 1 and "Traceback" not in failed.stdout + failed.stderr
    assert windowed("no-such-command").returncode == 2


def test_main_in_process_with_no_streams(sound_db: Path, monkeypatch) -> None:
    from desktop import cli

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert cli.main(["--language", "en", "db", "check", "--database", str(sound_db)]) == 0
