"""After each save the status bar says what was saved (codes and dates, never a name), and a
household just registered can be placed at once ("Inserisci ora"). SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from models.backend import Backend
from models.i18n import _, ngettext
from tests.factories import scenario
from views.dialogs.context import DialogContext
from views.dialogs.placement_dialog import PlacementDialog
from views.dialogs.register_household_dialog import RegisterHouseholdDialog
from views.main_window import MainWindow
from views.tasks import TaskRunner

D = dt.date
TODAY = D(2024, 1, 10)


@pytest.fixture
def world(db, backend):
    sc = scenario(backend)
    return Backend(db, actor="test"), sc


def make_window(qtbot, backend):
    w = MainWindow(backend, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    return w


def test_exit_saved_is_confirmed_in_the_status_bar(qtbot, world):
    backend, sc = world
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5))

    def fill_and_save(dialog):
        dialog.date.set_value(D(2024, 2, 15))
        dialog.reason.setCurrentIndex(dialog.reason.findData("other"))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    w = make_window(qtbot, backend)
    w.exec_dialog = fill_and_save
    assert w.open_dialog("exit", placement_id=pl.id)
    expected = _("Exit recorded: household {household}, {date}").format(
        household=sc.mother.code, date="15/02/2024"
    )
    assert w.status.currentMessage() == expected
    assert "Ğülşen" not in expected and "Amina" not in expected


def test_capacity_saved_is_confirmed_in_the_status_bar(qtbot, world, monkeypatch):
    backend, sc = world
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)
    from views.dialogs.capacity_dialog import CapacityDialog

    monkeypatch.setattr(CapacityDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(CapacityDialog, "values", lambda self: (TODAY, 3, ""))
    w.structure_page.change_capacity()
    assert w.status.currentMessage() == ngettext(
        "Places saved: {structure}, {n} place from {date}",
        "Places saved: {structure}, {n} places from {date}",
        3,
    ).format(structure="T-FAM", n=3, date="10/01/2024")


def register_one(qtbot, dlg) -> None:
    row = dlg.rows[0]
    qtbot.keyClicks(row.first_name, "Mariam")
    qtbot.keyClicks(row.last_name, "Keita")
    row.sex.setCurrentIndex(row.sex.findData("F"))
    qtbot.keyClicks(row.birth_date, "04/03/1991")


def test_register_offers_to_place_the_household_now(qtbot, world, recorded_messages):
    backend, sc = world
    recorded_messages.offer_answer = True
    dlg = RegisterHouseholdDialog(DialogContext(backend, TaskRunner(), TODAY))
    qtbot.addWidget(dlg)
    opened: list[QDialog] = []

    def place(dialog):
        opened.append(dialog)
        assert isinstance(dialog, PlacementDialog)
        assert dialog.picker.household is not None
        assert dialog.picker.household.id == dlg.result_value.id
        return QDialog.DialogCode.Rejected

    dlg.exec_follow_up = place
    register_one(qtbot, dlg)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    h = dlg.result_value
    assert recorded_messages.texts("offer") == [
        _("Household {household} is registered. Place it in a structure now?").format(
            household=h.code
        )
    ]
    assert len(opened) == 1
    assert dlg.changes.message == _("Household {household} registered").format(household=h.code)


def test_register_without_placing_now(qtbot, world, recorded_messages):
    backend, _sc = world
    dlg = RegisterHouseholdDialog(DialogContext(backend, TaskRunner(), TODAY))
    qtbot.addWidget(dlg)
    dlg.exec_follow_up = lambda dialog: pytest.fail("no placement was asked for")
    register_one(qtbot, dlg)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert len(recorded_messages.texts("offer")) == 1


def test_view_menu_ticks_the_page_shown(qtbot, world):
    backend, _sc = world
    w = make_window(qtbot, backend)
    actions = w.main_actions
    ticked = lambda: [a.isChecked() for a in actions.pages]  # noqa: E731
    assert ticked() == [True, False, False, False]  # from the start
    actions.dashboard.trigger()  # the page already shown keeps its tick
    assert ticked() == [True, False, False, False]
    actions.people.trigger()
    assert ticked() == [False, False, True, False]
    actions.dashboard.trigger()
    assert ticked() == [True, False, False, False]


def test_proposed_beds_are_visible_at_1366x768(qtbot, world):
    backend, sc = world
    dlg = PlacementDialog(
        DialogContext(backend, TaskRunner(), TODAY),
        household_id=sc.mother.id,
        structure_id=sc.families.id,
    )
    qtbot.addWidget(dlg)
    dlg.resize(min(dlg.sizeHint().width(), 1366), min(dlg.sizeHint().height(), 768))
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.chooser.select_structure(sc.families.id)
    members = dlg.members
    assert dlg.width() <= 1366 and dlg.height() <= 768
    assert members.horizontalScrollBar().maximum() == 0
    bed = members.COL_BED
    right = members.columnViewportPosition(bed) + members.columnWidth(bed)
    assert right <= members.viewport().width()
    assert all(c.currentData() is not None for c in members.combos.values())
    assert dlg.chooser.explanation.text().startswith(
        _(
            "{structure} has room for them: the proposed beds are in the Bed column, "
            "beside each person."
        ).format(structure="Casa Glicine")
    )
