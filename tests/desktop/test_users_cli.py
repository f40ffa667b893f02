"""``accoglienza users ...`` and signing in on the command line, run as a user runs it
(a subprocess on a local file). The password comes from the environment, as a script
gives it; it never appears in the arguments, the settings or the logs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop.test_cli import ROOT, one_line_error

ADMIN_PASSWORD = "pw-of-the-admin-42"
NEW_PASSWORD = "pw-of-the-new-user-17"


def run(*args: str, **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LANG="C", LC_ALL="C", PYTHONWARNINGS="ignore")
    for name in ("ACCOGLIENZA_DATABASE_URL", "ACCOGLIENZA_USER", "ACCOGLIENZA_PASSWORD"):
        env.pop(name, None)
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--language", "en", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def local(sqlite_template, tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "users.sqlite3"
    shutil.copy(sqlite_template, path)
    return str(path)


def test_first_user_must_be_an_administrator_then_commands_ask_who(local: str) -> None:
    line = one_line_error(
        run(
            "users",
            "add",
            "mario",
            "--role",
            "operator",
            "--database",
            local,
            ACCOGLIENZA_NEW_PASSWORD=NEW_PASSWORD,
        )
    )
    assert "first user must be an administrator" in line
    done = run(
        "users",
        "add",
        "anna",
        "--role",
        "administrator",
        "--name",
        "Anna Bianchi",
        "--database",
        local,
        ACCOGLIENZA_NEW_PASSWORD=ADMIN_PASSWORD,
    )
    assert done.returncode == 0, done.stderr
    # From now on the file has users: a command without --user says what to do.
    line = one_line_error(run("occupancy", "--database", local))
    assert "--user" in line
    line = one_line_error(
        run("occupancy", "--database", local, "--user", "anna", ACCOGLIENZA_PASSWORD="wrong-one")
    )
    assert line.endswith("Wrong user name or password.")
    ok = run(
        "occupancy", "--database", local, "--user", "anna", ACCOGLIENZA_PASSWORD=ADMIN_PASSWORD
    )
    assert ok.returncode == 0, ok.stderr


def test_add_list_disable_as_administrator(local: str, tmp_path: Path) -> None:
    admin = {"ACCOGLIENZA_USER": "anna", "ACCOGLIENZA_PASSWORD": ADMIN_PASSWORD}
    assert (
        run(
            "users",
            "add",
            "anna",
            "--role",
            "administrator",
            "--database",
            local,
            ACCOGLIENZA_NEW_PASSWORD=ADMIN_PASSWORD,
        ).returncode
        == 0
    )
    added = run(
        "users",
        "add",
        "Mario.Rossi",
        "--role",
        "reader",
        "--name",
        "Mario Rossi",
        "--database",
        local,
        ACCOGLIENZA_NEW_PASSWORD=NEW_PASSWORD,
        **admin,
    )
    assert added.returncode == 0, added.stderr
    assert "mario.rossi" in added.stdout
    listed = run("users", "list", "--database", local, **admin)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["Login", "Name", "Role", "Programmes", "State"]
    mario = next(line for line in lines if line.startswith("mario.rossi"))
    assert "Reader" in mario and mario.rstrip().endswith("active")

    assert run("users", "disable", "mario.rossi", "--database", local, **admin).returncode == 0
    listed = run("users", "list", "--database", local, **admin)
    assert next(ln for ln in listed.stdout.splitlines() if ln.startswith("mario")).endswith(
        "disabled"
    )
    # The disabled reader cannot sign in; a reader cannot manage users anyway.
    refused = run(
        "users",
        "list",
        "--database",
        local,
        ACCOGLIENZA_USER="mario.rossi",
        ACCOGLIENZA_PASSWORD=NEW_PASSWORD,
    )
    assert "disabled" in one_line_error(refused)
    assert run("users", "enable", "mario.rossi", "--database", local, **admin).returncode == 0
    refused = run(
        "users",
        "disable",
        "anna",
        "--database",
        local,
        ACCOGLIENZA_USER="mario.rossi",
        ACCOGLIENZA_PASSWORD=NEW_PASSWORD,
    )
    assert "role does not allow" in one_line_error(refused)

    # The passwords are nowhere but in the environment given: not in the settings, the
    # logs, or the database in clear.
    for folder in (Path(os.environ["HOME"]), tmp_path):
        for file in folder.rglob("*"):
            if file.is_file():
                content = file.read_bytes()
                assert ADMIN_PASSWORD.encode() not in content, file
                assert NEW_PASSWORD.encode() not in content, file


def test_new_password_is_never_an_argument(local: str) -> None:
    # Without a terminal and without ACCOGLIENZA_NEW_PASSWORD the command says how.
    line = one_line_error(
        run("users", "add", "anna", "--role", "administrator", "--database", local)
    )
    assert "ACCOGLIENZA_NEW_PASSWORD" in line
    line = one_line_error(
        run(
            "users",
            "add",
            "anna",
            "--role",
            "administrator",
            "--password",
            "x",
            "--database",
            local,
        )
    )
    assert "--password" in line


def test_new_password_and_change_of_role(local: str) -> None:
    admin = {"ACCOGLIENZA_USER": "anna", "ACCOGLIENZA_PASSWORD": ADMIN_PASSWORD}
    assert (
        run(
            "users",
            "add",
            "anna",
            "--role",
            "administrator",
            "--database",
            local,
            ACCOGLIENZA_NEW_PASSWORD=ADMIN_PASSWORD,
        ).returncode
        == 0
    )
    assert (
        run(
            "users",
            "add",
            "lia",
            "--role",
            "reader",
            "--database",
            local,
            ACCOGLIENZA_NEW_PASSWORD=NEW_PASSWORD,
            **admin,
        ).returncode
        == 0
    )
    unknown = run(
        "users",
        "password",
        "nobody",
        "--database",
        local,
        ACCOGLIENZA_NEW_PASSWORD="whatever-long",
        **admin,
    )
    assert "nobody" in one_line_error(unknown)
    done = run(
        "users",
        "password",
        "lia",
        "--database",
        local,
        ACCOGLIENZA_NEW_PASSWORD="a-new-one-for-lia",
        **admin,
    )
    assert done.returncode == 0, done.stderr
    changed = run("users", "change", "anna", "--role", "reader", "--database", local, **admin)
    assert "last active administrator" in one_line_error(changed)
    changed = run("users", "change", "lia", "--role", "administrator", "--database", local, **admin)
    assert changed.returncode == 0, changed.stderr
    listed = run(
        "users",
        "list",
        "--database",
        local,
        ACCOGLIENZA_USER="lia",
        ACCOGLIENZA_PASSWORD="a-new-one-for-lia",
    )
    assert listed.returncode == 0, listed.stderr
    assert "Administrator" in next(ln for ln in listed.stdout.splitlines() if ln.startswith("lia"))
