"""The manual: F1 opens it at the section of the page or dialog in use, in the interface's
language, with its images; Help › Manual and Help › About Qt."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from models import i18n
from models.backend import Backend
from tests.factories import scenario
from views import help as manual
from views.dialogs import WORKFLOWS, workflow_class
from views.main_window import MainWindow

D = dt.date
TODAY = D(2024, 1, 10)


@pytest.fixture
def world(db, backend):
    sc = scenario(backend)
    return Backend(db, actor="test"), sc


def top_heading(window: manual.HelpWindow) -> str:
    """The text of the first block shown at the top of the help window."""
    browser = window.browser
    return browser.cursorForPosition(QPoint(10, 10)).block().text()


@pytest.mark.parametrize("language,title", [("it", "Uscita"), ("en", "Exit")])
def test_f1_on_a_dialog_opens_the_manual_at_its_section(qtbot, world, language, title):
    backend, sc = world
    i18n.set_language(language)
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5))
    w = MainWindow(backend, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    opened: list[manual.HelpWindow] = []

    def press_f1(dialog: QDialog) -> int:
        dialog.setModal(True)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert QApplication.activeModalWidget() is dialog
        dialog.date.setFocus()
        QTest.keyClick(dialog.date, Qt.Key.Key_F1)
        help_window = manual._window
        assert help_window is not None and help_window.isVisible()
        opened.append(help_window)
        assert help_window.parentWidget() is dialog  # usable while the dialog is open
        qtbot.waitExposed(help_window)
        return QDialog.DialogCode.Rejected

    w.exec_dialog = press_f1
    w.open_dialog("exit", placement_id=pl.id)
    (help_window,) = opened
    assert help_window.language == language
    assert help_window.section == "exit"
    assert help_window.headings["exit"] == title
    assert top_heading(help_window) == title


def test_f1_on_the_window_and_the_help_menu(qtbot, world):
    backend, sc = world
    w = MainWindow(backend, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    names = [a.objectName() for a in w.main_actions.help.associatedObjects()]
    assert names  # in the Help menu
    assert w.main_actions.help.shortcut().toString() == "F1"
    assert w.main_actions.about_qt.objectName() == "actionAboutQt"
    w.main_actions.help.trigger()
    assert manual._window is not None and manual._window.section == "dashboard"
    w.show_structure(sc.families.id)
    w.main_actions.help.trigger()
    assert manual._window.section == "structure"
    manual._window.close()


@pytest.mark.parametrize("language", ["it", "en"])
def test_every_section_named_by_a_screen_is_in_the_manual_with_its_images(language):
    text = manual.manual_file(language).read_text(encoding="utf-8")
    shown, headings = manual.parse_manual(text)
    named = set(manual.ANCHORS_BY_NAME.values())
    for key in WORKFLOWS:
        named.add(workflow_class(key).HELP_ANCHOR)
    from views.dashboard import DashboardPage
    from views.date_bar import DateBar
    from views.dialogs.capacity_dialog import CapacityDialog
    from views.dialogs.outage_dialog import OutageDialog
    from views.dialogs.preferences_dialog import PreferencesDialog
    from views.dialogs.print_choice_dialog import PrintChoiceDialog
    from views.dialogs.print_preview_dialog import PrintPreviewDialog
    from views.dialogs.sign_in_dialog import SignInDialog
    from views.dialogs.users_dialog import UsersDialog
    from views.structure_page import StructurePage

    for cls in (
        SignInDialog,
        UsersDialog,
        DashboardPage,
        DateBar,
        StructurePage,
        CapacityDialog,
        OutageDialog,
        PreferencesDialog,
        PrintChoiceDialog,
        PrintPreviewDialog,
    ):
        named.add(cls.HELP_ANCHOR)
    assert named <= set(headings), named - set(headings)
    assert "{#" not in shown
    for link in re.findall(r"\]\(#([\w-]+)\)", text):
        assert link in headings
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(images) >= 10
    for image in images:
        path = manual.manual_dir() / image
        assert path.exists(), path
        assert path.stat().st_size < 150_000
