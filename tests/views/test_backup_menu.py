"""File > Back up the database… and File > Restore a backup…: through the task runner,
encrypted with a passphrase asked twice, restored after a confirmation, the window then
showing the restored database (both engines)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QFileDialog

from models import schema
from models.backend import Backend
from models.database import Database
from models.results import NewPerson
from tests.factories import scenario
from views.main_window import MainWindow

D = dt.date


def test_back_up_then_restore_from_the_file_menu(
    qtbot, db, backend, tmp_path, monkeypatch, recorded_messages
):
    scenario(backend)
    opened: list[str] = []

    def open_backend(target: str, password: str | None = None) -> Backend:
        new = Database(target)
        schema.upgrade(new)
        opened.append(target)
        return Backend(new)

    w = MainWindow(Backend(db, actor="test"), today=D(2024, 1, 10), open_backend=open_backend)
    qtbot.addWidget(w)
    copy = tmp_path / "copia.bak"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(copy), ""))
    # mismatched passphrases: nothing is written
    recorded_messages.text_answers = ["uno due tre", "uno due"]
    w.main_actions.backup.trigger()
    assert not copy.exists()
    recorded_messages.text_answers = ["uno due tre", "uno due tre"]
    w.main_actions.backup.trigger()
    assert backend.backups.is_encrypted(copy)
    people_before = len(backend.directory.search_people(""))
    backend.people.register_household([NewPerson("Dopo", "Prova", "F", D(1990, 1, 1))])
    recorded_messages.text_answers = ["sbagliata"]
    w.main_actions.restore.trigger()
    assert recorded_messages.texts("error"), recorded_messages.shown
    recorded_messages.text_answers = ["uno due tre"]
    w.main_actions.restore.trigger()
    assert opened == [db.url]
    assert len(w.backend.directory.search_people("")) == people_before
    w.backend.db.dispose()
