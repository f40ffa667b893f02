"""Connecting to the shared server with a password (on a private PostgreSQL server that
checks passwords, ``tests/pg_password.py``): a wrong password or an unknown user has its
own message, distinct from a server that cannot be reached; the password is asked once,
kept in the credential store, and found in no settings file, log, address shown or
process argument (``pg_dump`` gets it in its environment)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app as desktop_app
from desktop import credentials, settings
from desktop.database_open import connect, open_database
from models import schema
from models.errors import DatabaseProblem, LoginRefused, PasswordNeeded
from tests.pg_password import PasswordServer, password_server

PASSWORD = "Segreta-Lilla-42"  # noqa: S105 - a throw-away test server


@pytest.fixture(scope="module")
def server() -> Iterator[PasswordServer]:
    with password_server() as s:
        s.admin(f"CREATE ROLE coordinatrice LOGIN CREATEROLE PASSWORD '{PASSWORD}'")
        s.admin("CREATE DATABASE accoglienza OWNER coordinatrice")
        yield s


def _address(server: PasswordServer) -> str:
    return server.url("coordinatrice", "accoglienza")


def test_a_wrong_password_has_its_own_message(server: PasswordServer) -> None:
    with pytest.raises(LoginRefused) as wrong:
        open_database(_address(server), password="sbagliata")
    assert "rifiutato il nome utente o la password" in str(wrong.value)
    assert "coordinatrice" in str(wrong.value)
    assert "non risponde" not in str(wrong.value)
    with pytest.raises(LoginRefused) as unknown:
        open_database(server.url("nessuno", "accoglienza"), password="x")
    assert "nessuno" in str(unknown.value)
    with pytest.raises(PasswordNeeded, match="chiede la password di coordinatrice"):
        open_database(_address(server))
    # A server that is not there says so, and is not taken for a refused password.
    with pytest.raises(DatabaseProblem) as away:
        open_database(f"postgresql://coordinatrice@127.0.0.1:{_free_port()}/accoglienza")
    assert not isinstance(away.value, LoginRefused)
    assert "non risponde" in str(away.value)


def test_an_unknown_user_on_a_server_that_trusts_the_address(pg_server) -> None:  # type: ignore[no-untyped-def]
    url = pg_server.create().replace("postgres@", "nessuno_sconosciuto@")
    with pytest.raises(LoginRefused, match="nessuno_sconosciuto"):
        open_database(url)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_password_is_kept_only_in_the_credential_store(
    server: PasswordServer, memory_keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = _address(server)
    # File › Connect to the shared server…: the password typed once.
    backend = desktop_app.open_other(address, PASSWORD)
    assert PASSWORD not in backend.address and PASSWORD not in backend.description
    assert PASSWORD not in backend.db.url
    assert PASSWORD not in repr(backend.db.engine.url)
    backend.db.dispose()
    assert list(memory_keyring.items.values()) == [PASSWORD]
    saved = settings.settings_path().read_text(encoding="utf-8")
    assert "coordinatrice@127.0.0.1" in saved and PASSWORD not in saved
    # The next start finds it in the credential store: nothing is asked.
    db = connect(address)
    assert schema.current_revision(db) == schema.head_revision()
    # pg_dump gets it in its environment, never on its command line.
    calls: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def recording_run(argv, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((list(argv), dict(kwargs.get("env") or {})))
        return real_run(argv, **kwargs)

    monkeypatch.setattr(subprocess, "run", recording_run)
    target = schema.backup_database(db, tmp_path / "copia.dump")
    assert target.stat().st_size > 0
    # pg_dump, then pg_restore reading the backup back: no password on either command line.
    assert calls and all(not any(PASSWORD in a for a in argv) for argv, _env in calls)
    assert calls[0][1].get("PGPASSWORD") == PASSWORD
    db.dispose()
    # A password written in an address is taken out of it before it is saved or shown.
    backend = desktop_app.open_other(server.url("coordinatrice", "accoglienza", PASSWORD))
    backend.db.dispose()
    assert PASSWORD not in settings.settings_path().read_text(encoding="utf-8")
    # No log holds it.
    from desktop.paths import data_dir

    for log in data_dir().glob("*.log"):
        assert PASSWORD not in log.read_text(encoding="utf-8", errors="replace")


def test_the_credential_store_is_filed_by_login(server: PasswordServer, memory_keyring) -> None:
    credentials.remember(_address(server), PASSWORD)
    assert list(memory_keyring.items) == [
        ("Accoglienza", f"coordinatrice@127.0.0.1:{server.port}/accoglienza")
    ]
    credentials.forget(_address(server))
    assert memory_keyring.items == {}
    assert credentials.login_of("sqlite:////tmp/x.sqlite3") is None


def test_a_site_profile_server_asks_for_the_password_once(
    server: PasswordServer, memory_keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    import json

    from PySide6.QtWidgets import QDialog

    from desktop.database_open import chosen_database
    from views.main_window import MainWindow

    profile = tmp_path / "site.json"
    profile.write_text(
        json.dumps(
            {
                "site_id": "prova",
                "site_name": "Sede di prova",
                "database": {"mode": "shared", "url": _address(server)},
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("ACCOGLIENZA_SITE_PROFILE", str(profile))
    target = chosen_database(None, {})
    assert target == _address(server)
    asked: list[str] = []

    def type_password(dialog: QDialog) -> int:
        asked.append(dialog.findChild(object, "messageLabel").text())
        typed = "sbagliata" if len(asked) == 1 else PASSWORD
        dialog.password.setText(typed)  # type: ignore[attr-defined]
        return QDialog.DialogCode.Accepted

    window = MainWindow(None, open_backend=desktop_app.open_other)
    qtbot.addWidget(window)
    window.exec_dialog = type_password
    backend = desktop_app._open_asking_password(window, target)
    backend.db.dispose()
    # Asked because none was given, then again after a wrong one.
    assert len(asked) == 2
    assert "chiede la password" in asked[0] and "rifiutato" in asked[1]
    assert list(memory_keyring.items.values()) == [PASSWORD]

    def must_not_ask(_dialog: QDialog) -> int:
        raise AssertionError("asked again")

    window.exec_dialog = must_not_ask
    backend = desktop_app._open_asking_password(window, target)
    backend.db.dispose()


def test_the_connect_dialog_makes_an_address_without_password(qtbot) -> None:  # type: ignore[no-untyped-def]
    from views.dialogs.connect_server_dialog import ConnectServerDialog

    dialog = ConnectServerDialog()
    qtbot.addWidget(dialog)
    assert dialog.tls_mode() == "verify-full"
    dialog.accept()
    assert "server" in dialog.error.text()
    dialog.host.setText("server.coop.local")
    dialog.user.setText("mario.rossi")
    dialog.ca_file.setText("/etc/acc/ca.crt")
    dialog.password.setText(PASSWORD)
    assert dialog.address() == (
        "postgresql://mario.rossi@server.coop.local:5432/accoglienza?"
        "sslmode=verify-full&sslrootcert=%2Fetc%2Facc%2Fca.crt"
    )
    assert dialog.typed_password() == PASSWORD
    again = ConnectServerDialog(dialog.address(), "rifiutato")
    qtbot.addWidget(again)
    assert again.host.text() == "server.coop.local"
    assert again.ca_file.text() == "/etc/acc/ca.crt"
    assert again.password.text() == ""
    assert again.error.text() == "rifiutato"


def test_file_connect_opens_the_server_and_keeps_the_password(
    server: PasswordServer, memory_keyring, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from views.main_window import MainWindow

    window = MainWindow(None, open_backend=desktop_app.open_other)
    qtbot.addWidget(window)

    def fill(dialog: QDialog) -> int:
        dialog.host.setText("127.0.0.1")  # type: ignore[attr-defined]
        dialog.port.setValue(server.port)  # type: ignore[attr-defined]
        dialog.user.setText("coordinatrice")  # type: ignore[attr-defined]
        dialog.tls.setCurrentIndex(3)  # type: ignore[attr-defined]  # prefer: no TLS here
        dialog.password.setText(PASSWORD)  # type: ignore[attr-defined]
        return QDialog.DialogCode.Accepted

    window.exec_dialog = fill
    window.main_actions.connect_server.trigger()
    qtbot.waitUntil(lambda: window.backend is not None, timeout=20_000)
    assert window.backend is not None and window.backend.is_shared
    assert PASSWORD not in window.backend.address
    assert list(memory_keyring.items.values()) == [PASSWORD]
    window.runner.wait_all(5_000)
    window.backend.db.dispose()


def test_the_command_line_asks_for_the_password_at_a_terminal(
    server: PasswordServer, memory_keyring, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    import getpass
    import sys

    from desktop import cli

    answers = iter(["sbagliata", PASSWORD])
    prompts: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or next(answers))
    assert cli.main(["--language", "en", "db", "init", "--database", _address(server)]) == 0
    assert prompts == [f"Password of coordinatrice@127.0.0.1:{server.port}/accoglienza: "] * 2
    out = capsys.readouterr()
    assert "asks for the password" in out.err and "refused the user name" in out.err
    assert list(memory_keyring.items.values()) == [PASSWORD]
    # Without a terminal, one line and no question.
    memory_keyring.items.clear()
    credentials._this_run.clear()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    assert cli.main(["--language", "en", "db", "check", "--database", _address(server)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
