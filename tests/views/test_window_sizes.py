"""Every window and dialog fits an office laptop: 1366×768 at 100 % scaling, and the
1093×614 it leaves at 125 %, title bar and taskbar included, in Italian and English.

The smallest each can be (its layout's minimum) fits the 125 % screen; the size it
opens at never goes past the screen it opens on.
"""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.qt_i18n import install_translators
from models import i18n
from models.backend import Backend
from models.database import Database
from tests.factories import scenario
from views.dialogs import WORKFLOWS
from views.dialogs.capacity_dialog import CapacityDialog
from views.dialogs.context import DialogContext
from views.dialogs.edit_person_dialog import EditPersonDialog
from views.dialogs.open_database_dialog import OpenDatabaseDialog
from views.dialogs.outage_dialog import OutageDialog
from views.dialogs.preferences_dialog import PreferencesDialog
from views.dialogs.print_choice_dialog import PrintChoiceDialog
from views.dialogs.print_preview_dialog import PrintPreviewDialog
from views.main_window import MainWindow
from views.settings_store import MemorySettings
from views.tasks import TaskRunner

D = dt.date
# 1093×614 less a title bar and frame (about 40 px) and the width of the frames.
LARGEST_MINIMUM = (1080, 570)


@pytest.fixture(params=["it", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    i18n.set_language(request.param)
    install_translators(qapp, request.param)
    yield request.param
    i18n.set_language("it")
    install_translators(qapp, "it")


@pytest.fixture
def backend(sqlite_template: Path, tmp_path: Path) -> Iterator[Backend]:
    """On SQLite: a window's size does not depend on the engine."""
    path = tmp_path / "sizes.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield Backend(db, actor="test")
    db.dispose()


def _windows(backend: Backend) -> Iterator[QWidget]:
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
    yield MainWindow(backend, today=D(2026, 4, 1), settings=MemorySettings())


def test_every_window_and_dialog_fits_a_laptop_screen(qtbot, backend, language) -> None:  # type: ignore[no-untyped-def]
    for window in _windows(backend):
        qtbot.addWidget(window)
        name = type(window).__name__
        smallest = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert smallest.width() <= LARGEST_MINIMUM[0], (name, language, smallest)
        assert smallest.height() <= LARGEST_MINIMUM[1], (name, language, smallest)
        window.show()
        # Never bigger than the screen, unless the screen is smaller than its minimum
        # (the test's virtual screen is 800 pixels wide).
        screen = window.screen().availableGeometry()
        smallest = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert window.width() <= max(screen.width(), smallest.width()), (name, window.size())
        assert window.height() <= max(screen.height(), smallest.height()), (name, window.size())
        assert smallest.width() <= LARGEST_MINIMUM[0], (name, language, smallest)
        assert smallest.height() <= LARGEST_MINIMUM[1], (name, language, smallest)
        if isinstance(window, QDialog):
            window.reject()
        window.close()
