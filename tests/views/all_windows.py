"""Every top-level window and dialog of the application, built on a small network: for
the tests that look at all of them (sizes, accessible names)."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator

from PySide6.QtWidgets import QWidget

from models.backend import Backend
from tests.factories import scenario
from views.dialogs import WORKFLOWS
from views.dialogs.capacity_dialog import CapacityDialog
from views.dialogs.connect_server_dialog import ConnectServerDialog
from views.dialogs.context import DialogContext
from views.dialogs.copy_database_dialog import CopyDatabaseDialog
from views.dialogs.edit_person_dialog import EditPersonDialog
from views.dialogs.open_database_dialog import OpenDatabaseDialog
from views.dialogs.outage_dialog import OutageDialog
from views.dialogs.password_dialog import PasswordDialog
from views.dialogs.preferences_dialog import PreferencesDialog
from views.dialogs.print_choice_dialog import PrintChoiceDialog
from views.dialogs.print_preview_dialog import PrintPreviewDialog
from views.main_window import MainWindow
from views.settings_store import MemorySettings
from views.tasks import TaskRunner

D = dt.date


def all_windows(backend: Backend) -> Iterator[QWidget]:
    sc = scenario(backend)
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2026, 3, 1))
    ctx = DialogContext(backend, TaskRunner(), D(2026, 4, 1))
    for key, (module, name) in WORKFLOWS.items():
        cls = getattr(importlib.import_module(f"views.dialogs.{module}"), name)
        if key in ("transfer", "exit", "extension", "correction"):
            yield cls(ctx, placement_id=pl.id)
        elif key in ("placement", "reservation"):
            yield cls(ctx, household_id=sc.mother.id)
        else:
            yield cls(ctx)
    person = sc.mother.reference
    assert person is not None
    yield EditPersonDialog(ctx, person_id=person.id, household_id=sc.mother.id)
    yield CapacityDialog(D(2026, 4, 1), 4)
    yield OutageDialog("Camera 1 / A", D(2026, 4, 1))
    yield PrintChoiceDialog("Casa Glicine", D(2026, 4, 1), structure=True, programme=True)
    yield PrintPreviewDialog(lambda **_kw: b"", title="Foglio di occupazione")
    yield OpenDatabaseDialog("/home/coordinatrice/accoglienza.sqlite3")
    yield PreferencesDialog(store=MemorySettings())
    yield ConnectServerDialog("postgresql://coordinatrice@server.coop.local:5432/accoglienza")
    yield PasswordDialog("Il server condiviso chiede la password.", "coordinatrice @ server/db")
    yield CopyDatabaseDialog("/home/coordinatrice/accoglienza.sqlite3")
    yield MainWindow(backend, today=D(2026, 4, 1), settings=MemorySettings())
    board = MainWindow(backend, today=D(2026, 4, 1), settings=MemorySettings())
    board.show_board()  # the planning board page, with its view and buttons
    yield board
