"""File › Copy the database to…: the database in use copied into an empty database on
the shared server behind the window, its progress shown, what was copied said at the
end; a target that holds data is refused with a message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from desktop import app as desktop_app
from models import schema
from models.backend import Backend
from models.database import Database
from tests.factories import scenario
from tests.models.test_database_copy import _checksums
from views import messages
from views.main_window import MainWindow


@pytest.fixture
def shown() -> Iterator[messages.RecordingMessages]:
    fake = messages.RecordingMessages()
    previous = messages.install(fake)
    yield fake
    messages.install(previous)


def test_copy_to_the_shared_server_from_the_menu(
    pg_server, tmp_path: Path, qtbot, shown: messages.RecordingMessages
) -> None:  # type: ignore[no-untyped-def]
    local = Database(f"sqlite:///{tmp_path / 'ufficio.sqlite3'}")
    schema.upgrade(local)
    backend = Backend(local, actor="test")
    scenario(backend)
    target = pg_server.create(migrated=False)
    window = MainWindow(backend, copy_database=desktop_app.copy_database_to)
    qtbot.addWidget(window)
    window.runner.wait_all()
    progress: list[str] = []
    window.runner.busy_changed.connect(lambda _busy, text: progress.append(text))

    def fill(dialog: QDialog) -> int:
        dialog.url.setText(target.replace("postgresql+psycopg://", "postgresql://"))  # type: ignore[attr-defined]
        return QDialog.DialogCode.Accepted

    window.exec_dialog = fill
    assert window.main_actions.copy_database.isEnabled()
    window.main_actions.copy_database.trigger()
    qtbot.waitUntil(lambda: bool(shown.shown), timeout=60_000)
    [message] = shown.shown
    assert message.kind == "info" and "ogni tabella verificata" in message.text, message
    copy = Database(target)
    assert _checksums(copy) == _checksums(local)
    # Again into the same database: it now holds data, and is refused.
    window.main_actions.copy_database.trigger()
    qtbot.waitUntil(lambda: len(shown.shown) == 2, timeout=60_000)
    assert shown.shown[1].kind == "error" and "non è vuoto" in shown.shown[1].text
    copy.dispose()
    local.dispose()
