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
