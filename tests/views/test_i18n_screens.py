"""The screens in Italian, in English, and with every string 40% longer.

The pseudo-translation (models.i18n.install_pseudo) stretches and accents every
message; a screen that still shows all its labels, buttons, group titles and tabs
whole at 1366x768 will not cut Italian or English either.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QGroupBox, QWidget

from desktop.qt_i18n import install_translators
from models import i18n
from models.backend import Backend
from models.database import Database
from tests.factories import scenario
from tests.views.clipping import clipped
from views.tasks import TaskRunner

DAY = dt.date(2024, 6, 3)
SCREEN = (1366, 768)


class MemoryStore:
    def __init__(self) -> None:
        self.values: dict = {}

    def load(self) -> dict:
        return dict(self.values)

    def save(self, values: dict) -> None:
        self.values.update(values)


@pytest.fixture
def backend(sqlite_template: Path, tmp_path: Path) -> Iterator[Backend]:
    """A small network on SQLite (the screens do not depend on the engine)."""
    path = tmp_path / "screens.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    b = Backend(db, actor="test")
    sc = scenario(b)
    b.placements.place(sc.mother.id, sc.families.id, DAY - dt.timedelta(days=40))
    b.household_id = sc.mother.id  # type: ignore[attr-defined]
    yield b
    db.dispose()


@pytest.fixture(params=["it", "en", "pseudo"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    if request.param == "pseudo":
        i18n.install_pseudo()
        install_translators(qapp, "en")
    else:
        i18n.set_language(request.param)
        install_translators(qapp, request.param)
    yield request.param
    i18n.set_language("it")
    install_translators(qapp, "it")


def _show(widget: QWidget, size: tuple[int, int] | None = None) -> None:
    if size is None:
        # What a dialog gets on a 1366x768 screen: its size hint, at most the screen
        # (adjustSize() would cap it to the small virtual screen of the offscreen platform).
        hint = widget.sizeHint().expandedTo(widget.minimumSizeHint())
        size = (min(hint.width(), SCREEN[0]), min(hint.height(), SCREEN[1]))
    widget.resize(*size)
    widget.show()
    for _ in range(3):
        QApplication.processEvents()


def _texts(root: QWidget) -> set[str]:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    out = {w.text() for w in root.findChildren(QLabel)} | {
        w.text() for w in root.findChildren(QAbstractButton)
    }
    out |= {w.title() for w in root.findChildren(QGroupBox)}
    return {t.replace("&", "") for t in out if t}


# -- the preferences dialog: labels in each language -----------------------------------


EXPECTED_PREFERENCES = {
    "it": {
        "Lingua",
        "Documenti stampati",
        "Salva",
        "Annulla",
        "Lingua dell'interfaccia:",
        "Nome della sede:",
    },
    "en": {"Language", "Printed documents", "Save", "Cancel", "Interface language:", "Site name:"},
}


def test_preferences_dialog_speaks_the_language(language: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = PreferencesDialogFor()
    qtbot.addWidget(dialog)
    _show(dialog)
    if language in EXPECTED_PREFERENCES:
        assert EXPECTED_PREFERENCES[language] <= _texts(dialog)
        assert dialog.windowTitle() == {"it": "Preferenze", "en": "Preferences"}[language]
    assert clipped(dialog) == []


def PreferencesDialogFor() -> QDialog:  # noqa: N802 - reads like the class it builds
    from views.dialogs.preferences_dialog import PreferencesDialog

    return PreferencesDialog(store=MemoryStore())


def test_preferences_are_kept(qtbot) -> None:  # type: ignore[no-untyped-def]
    from views.dialogs.preferences_dialog import PreferencesDialog

    store = MemoryStore()
    dialog = PreferencesDialog(store=store)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert (
        "next time" in dialog.language_note.text()
        or "prossimo avvio" in dialog.language_note.text()
    )
    dialog.site_name.setText("  SAI Sondrio  ")
    assert dialog.keep_days.value() == 14
    dialog.keep_days.setValue(30)
    assert dialog.lock_minutes.value() == 10
    dialog.lock_minutes.setValue(5)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert store.values == {
        "language": "en",
        "site_name": "SAI Sondrio",
        "backup_keep_days": 30,
        "idle_lock_minutes": 5,
    }

    again = PreferencesDialog(store=store)
    qtbot.addWidget(again)
    assert again.language.currentData() == "en"
    assert again.site_name.text() == "SAI Sondrio"
    assert again.keep_days.value() == 30
    assert again.lock_minutes.value() == 5
    again.language.setCurrentIndex(0)  # as the system
    again.accept()
    assert store.values["language"] is None


# -- the pages and the workflow dialogs: nothing clipped ---------------------------------


def _pages(backend: Backend) -> dict[str, Callable[[], QWidget]]:
    from views.dashboard import DashboardPage
    from views.navigation import Selection
    from views.structure_page import StructurePage

    runner = TaskRunner(synchronous=True)

    def dashboard() -> QWidget:
        page = DashboardPage(backend, runner)
        page.set_context(DAY, Selection())
        return page

    def structure() -> QWidget:
        page = StructurePage(backend, runner)
        st = backend.directory.structures()[0]
        page.set_context(DAY, st.id)
        return page

    def board() -> QWidget:
        from views.planning_board import PlanningBoardPage

        page = PlanningBoardPage(backend, runner, today=lambda: DAY)
        page.set_day(DAY)
        page.refresh()
        return page

    return {"dashboard": dashboard, "structure": structure, "board": board}


@pytest.mark.parametrize("page", ["dashboard", "structure", "board"])
def test_pages_show_every_label_whole(page: str, language: str, backend: Backend, qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = _pages(backend)[page]()
    qtbot.addWidget(widget)
    _show(widget, SCREEN)
    assert clipped(widget) == []


def _dialogs(backend: Backend) -> dict[str, Callable[[], QDialog]]:
    from views.dialogs.context import DialogContext
    from views.dialogs.correction_dialog import CorrectionDialog
    from views.dialogs.exit_dialog import ExitDialog
    from views.dialogs.extension_dialog import ExtensionDialog
    from views.dialogs.open_database_dialog import OpenDatabaseDialog
    from views.dialogs.placement_dialog import PlacementDialog
    from views.dialogs.print_choice_dialog import PrintChoiceDialog
    from views.dialogs.register_household_dialog import RegisterHouseholdDialog
    from views.dialogs.reservation_dialog import ReservationDialog
    from views.dialogs.transfer_dialog import TransferDialog

    placed = backend.household_id  # type: ignore[attr-defined]
    context = DialogContext(backend, TaskRunner(synchronous=True), DAY)
    return {
        "placement": lambda: PlacementDialog(context),
        "register": lambda: RegisterHouseholdDialog(context),
        "reservation": lambda: ReservationDialog(context),
        "transfer": lambda: TransferDialog(context, household_id=placed),
        "exit": lambda: ExitDialog(context, household_id=placed),
        "extension": lambda: ExtensionDialog(context, household_id=placed),
        "correction": lambda: CorrectionDialog(context, household_id=placed),
        "print": lambda: PrintChoiceDialog(
            "T-FAM · Casa Glicine", DAY, structure=True, programme=False
        ),
        "open_database": lambda: OpenDatabaseDialog(backend.description),
    }


DIALOG_NAMES = [
    "placement",
    "register",
    "reservation",
    "transfer",
    "exit",
    "extension",
    "correction",
    "print",
    "open_database",
]


@pytest.mark.parametrize("name", DIALOG_NAMES)
def test_dialogs_show_every_label_whole(name: str, language: str, backend: Backend, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialogs(backend)[name]()
    qtbot.addWidget(dialog)
    _show(dialog)
    assert dialog.width() <= SCREEN[0], "the dialog is wider than the screen"
    assert clipped(dialog) == []


def test_the_check_finds_cut_texts(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The clipping check itself: a window too narrow for its label and button."""
    from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QVBoxLayout

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    label = QLabel(i18n.pseudo("Occupancy of reception structures in the whole network"))
    button = QPushButton(i18n.pseudo("Change capacity from a date…"))
    box = QCheckBox(i18n.pseudo("Pseudonymised (codes instead of names, no address)"))
    for w in (label, button, box):
        layout.addWidget(w)
    window.setFixedWidth(120)
    _show(window)
    found = clipped(window)
    assert len(found) == 3, found
    window.setFixedWidth(900)
    _show(window)
    assert clipped(window) == []


# -- the main window ---------------------------------------------------------------------

MENUS = {
    "it": ["&File", "A&zioni", "R&ete", "&Visualizza", "&Aiuto"],
    "en": ["&File", "&Actions", "Net&work", "&View", "&Help"],
}


def _main_window(backend: Backend, qtbot):  # type: ignore[no-untyped-def]
    from views.main_window import MainWindow, MemorySettings

    window = MainWindow(backend, settings=MemorySettings(), today=DAY)
    qtbot.addWidget(window)
    _show(window, SCREEN)
    return window


def test_main_window_speaks_the_language(language: str, backend: Backend, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _main_window(backend, qtbot)
    menus = [a.text() for a in window.menuBar().actions()]
    if language in MENUS:
        assert menus == MENUS[language]
        today = {"it": "Oggi", "en": "Today"}[language]
        assert window.date_bar.today_button.text() == today
        assert (
            window.main_actions.placement.text()
            == {"it": "Nuovo &inserimento…", "en": "New &placement…"}[language]
        )
    else:
        assert menus == [i18n.pseudo(m) for m in MENUS["en"]]
    assert window.width() <= SCREEN[0] and window.height() <= SCREEN[1], (
        "the window does not fit the screen"
    )


@pytest.mark.parametrize("page", ["dashboard", "structure", "people"])
def test_main_window_pages_show_every_label_whole(  # type: ignore[no-untyped-def]
    page: str, language: str, backend: Backend, qtbot
) -> None:
    window = _main_window(backend, qtbot)
    if page == "structure":
        window.show_structure(backend.directory.structures()[0].id)
    elif page == "people":
        window.show_people()
        # a search and a household chosen: the list, the members, placements and stays
        people = window.people_page
        people.search.setText("g")
        people.run_search()
        people.table.selectRow(0)
        assert people.household is not None
    else:
        window.show_dashboard()
    for _ in range(3):
        QApplication.processEvents()
    assert clipped(window) == []


# Every window and dialog of the application, on a real 1366x768 screen and at 125 %:
# tests/views/test_screens_scaled.py.
