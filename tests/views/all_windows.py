"""Every top-level window and dialog of the application, built on a small network: for
the tests that look at all of them (sizes, accessible names)."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator

from PySide6.QtWidgets import QWidget

from models.backend import Backend
from models.results import NewRequest
from tests.factories import scenario
from views.dialogs import STRUCTURE_WORKFLOWS, WORKFLOWS
from views.dialogs.capacity_dialog import CapacityDialog
from views.dialogs.close_request_dialog import CloseRequestDialog
from views.dialogs.connect_server_dialog import ConnectServerDialog
from views.dialogs.context import DialogContext
from views.dialogs.copy_database_dialog import CopyDatabaseDialog
from views.dialogs.edit_person_dialog import EditPersonDialog
from views.dialogs.free_beds_dialog import FreeBedsDialog
from views.dialogs.import_problems_dialog import ImportProblemsDialog
from views.dialogs.open_database_dialog import OpenDatabaseDialog
from views.dialogs.outage_dialog import OutageDialog
from views.dialogs.password_dialog import PasswordDialog
from views.dialogs.preferences_dialog import PreferencesDialog
from views.dialogs.print_choice_dialog import PrintChoiceDialog
from views.dialogs.print_preview_dialog import PrintPreviewDialog
from views.dialogs.request_dialog import RequestDialog
from views.dialogs.request_placement_dialog import RequestPlacementDialog
from views.dialogs.sign_in_dialog import SignInDialog
from views.dialogs.users_dialog import UserFormDialog, UsersDialog
from views.dialogs.waiting_list_dialog import WaitingListDialog
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
        if key == "history":
            yield cls(
                ctx, placement_id=pl.id, household_id=sc.mother.id, structure_id=sc.families.id
            )
        elif key in ("transfer", "exit", "extension", "correction"):
            yield cls(ctx, placement_id=pl.id)
        elif key in ("placement", "reservation"):
            yield cls(ctx, household_id=sc.mother.id)
        elif key in STRUCTURE_WORKFLOWS:
            yield cls(ctx, structure_id=sc.families.id)
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
    yield SignInDialog(backend.users.authenticate, ctx.runner)
    yield SignInDialog(backend.users.verify, ctx.runner, locked_login="coordinatrice", minutes=10)
    yield UsersDialog(backend, ctx.runner)
    yield UserFormDialog(backend.directory.programmes(), None)
    from models.spreadsheet import ImportProblems, Problem

    problems = ImportProblems(
        [Problem("Strutture", 3, "Provincia", "D", "Provincia sconosciuta: ZZ.")] * 40
    )
    yield ImportProblemsDialog(str(problems), problems.problems)
    request = backend.waiting_list.add(
        NewRequest(D(2026, 2, 8), adults=1, minors=2, referral_code="SCS-2026-0042")
    )
    yield FreeBedsDialog(ctx)
    yield WaitingListDialog(ctx, requests_pdf=lambda _rows, _pseudo: b"")
    yield RequestDialog(ctx)
    yield RequestDialog(ctx, request=request)
    yield CloseRequestDialog(ctx, request=request)
    yield CloseRequestDialog(ctx, request=request, expired=True)
    yield RequestPlacementDialog(ctx, request=request)
    yield MainWindow(backend, today=D(2026, 4, 1), settings=MemorySettings())
    board = MainWindow(backend, today=D(2026, 4, 1), settings=MemorySettings())
    board.show_board()  # the planning board page, with its view and buttons
    yield board
