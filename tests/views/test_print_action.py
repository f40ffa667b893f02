"""File › Print... from the main window: the chosen document opens in the preview."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog

from desktop.print_actions import make_print_handler
from models.backend import Backend
from tests.factories import scenario
from views.dialogs.print_choice_dialog import REGISTER, SHEET, SUMMARY, PrintChoiceDialog
from views.dialogs.print_preview_dialog import PrintPreviewDialog
from views.main_window import MainWindow


def test_print_offers_the_documents_of_the_selection(qtbot, db, backend):
    sc = scenario(backend)
    backend.placements.place(sc.mother.id, sc.families.id, dt.date(2024, 1, 5))
    w = MainWindow(
        Backend(db),
        today=dt.date(2024, 1, 10),
        print_handler=make_print_handler("Cooperativa di prova"),
    )
    qtbot.addWidget(w)
    shown: list[QDialog] = []
    choice = {"key": SHEET}

    def exec_dialog(dialog):
        shown.append(dialog)
        if isinstance(dialog, PrintChoiceDialog) and dialog.options[choice["key"]].isEnabled():
            dialog.options[choice["key"]].setChecked(True)
        return QDialog.DialogCode.Accepted

    w.exec_dialog = exec_dialog
    # the whole network: no occupancy sheet, no register (they need a structure or a programme)
    w.main_actions.print.trigger()
    chooser, preview = shown
    assert not chooser.options[SHEET].isEnabled() and not chooser.options[REGISTER].isEnabled()
    assert chooser.choice() == SUMMARY
    assert isinstance(preview, PrintPreviewDialog)
    w.runner.wait_all()
    preview.reject()

    shown.clear()
    w.show_structure(sc.families.id)
    w.main_actions.print.trigger()
    chooser, preview = shown
    assert chooser.options[SHEET].isEnabled() and chooser.choice() == SHEET
    assert isinstance(preview, PrintPreviewDialog)
    qtbot.waitUntil(lambda: bool(preview.pdf_bytes), timeout=20000)
    assert preview.pdf_bytes.startswith(b"%PDF")
    preview.reject()


def test_the_register_month_is_chosen_in_the_print_dialog(qtbot, db, backend):
    sc = scenario(backend)
    backend.placements.place(sc.mother.id, sc.families.id, dt.date(2023, 11, 5))
    w = MainWindow(
        Backend(db),
        today=dt.date(2024, 1, 10),
        print_handler=make_print_handler("Cooperativa di prova"),
    )
    qtbot.addWidget(w)
    shown: list[QDialog] = []

    def exec_dialog(dialog):
        shown.append(dialog)
        if isinstance(dialog, PrintChoiceDialog):
            assert not dialog.month.isEnabled()  # only the register has a month
            dialog.options[REGISTER].setChecked(True)
            assert dialog.month.isEnabled()
            assert dialog.register_month() == (2024, 1)  # the date's month first
            dialog.month.setCurrentIndex(1)
            assert dialog.register_month() == (2023, 12)
        return QDialog.DialogCode.Accepted

    w.exec_dialog = exec_dialog
    w.show_structure(sc.families.id)
    w.main_actions.print.trigger()
    chooser, preview = shown
    assert chooser.register_month() == (2023, 12)
    assert isinstance(preview, PrintPreviewDialog)
    assert preview._file_name.endswith("2023-12.pdf")
    w.runner.wait_all()
    preview.reject()
