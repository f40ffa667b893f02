"""The free-bed finder's dialog and the waiting list on real widgets, on SQLite and
PostgreSQL: a structure found is placed into with a double click; a request added,
placed from (which closes it), withdrawn and marked expired, each still listed."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTableView

from models.backend import Backend
from models.i18n import _
from models.results import NewRequest
from tests.factories import scenario
from views.dialogs.close_request_dialog import CloseRequestDialog
from views.dialogs.context import DialogContext
from views.dialogs.free_beds_dialog import FreeBedsDialog
from views.dialogs.placement_dialog import PlacementDialog
from views.dialogs.register_household_dialog import RegisterHouseholdDialog
from views.dialogs.request_dialog import RequestDialog
from views.dialogs.waiting_list_dialog import WaitingListDialog
from views.main_window import MainWindow
from views.tasks import TaskRunner

D = dt.date
DAY = D(2026, 3, 10)


@pytest.fixture
def backend(db) -> Backend:  # type: ignore[no-untyped-def]
    return Backend(db, actor="test", today=lambda: DAY)


@pytest.fixture
def sc(backend):  # type: ignore[no-untyped-def]
    return scenario(backend)


def rows(view: QTableView) -> list[dict[str, str]]:
    model = view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return [
        {headers[c]: model.index(r, c).data() or "" for c in range(model.columnCount())}
        for r in range(model.rowCount())
    ]


def row_of(view: QTableView, column: str, value: str) -> int:
    return next(i for i, r in enumerate(rows(view)) if r[_(column)] == value)


def place_mother(sc):  # type: ignore[no-untyped-def]
    """Answers the placement dialog: the mother's household, OK."""

    def answer(dialog: QDialog) -> int:
        assert isinstance(dialog, PlacementDialog)
        dialog.picker.set_household(sc.mother.id)
        dialog.ok_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error_label.text()
        return dialog.result()

    return answer


def test_the_finder_shows_who_fits_and_a_double_click_places_there(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    dlg = FreeBedsDialog(DialogContext(backend, TaskRunner(), DAY))
    qtbot.addWidget(dlg)
    dlg.adults.setValue(1)
    dlg.minors.setValue(2)
    dlg.search()
    found = {r[_("Code")]: r for r in rows(dlg.table)}
    assert found["T-FAM"][_("Fits")] == _("yes")
    assert found["T-FAM"][_("Beds")] == "3"
    assert found["T-UOM"][_("Fits")] == _("no")  # men only: the reason is shown
    assert "T-UOM" in found and found["T-UOM"][_("Beds proposed, or why not")]
    assert found["T-PIC"][_("Fits")] == _("no")  # two beds for three people
    dlg.exec_dialog = place_mother(sc)
    index = dlg.table.model().index(row_of(dlg.table, "Code", "T-FAM"), 0)
    dlg.table.doubleClicked.emit(index)
    who = backend.presence.who_is_where(DAY, household_id=sc.mother.id)
    assert {w.structure_name for w in who} == {"Casa Glicine"} and len(who) == 3
    assert sc.families.id in dlg.changes.structures
    # read again: Casa Glicine has one bed left, not three
    found = {r[_("Code")]: r for r in rows(dlg.table)}
    assert found["T-FAM"][_("Fits")] == _("no")


def test_a_request_added_then_placed_from_the_waiting_list_is_closed(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    dlg = WaitingListDialog(DialogContext(backend, TaskRunner(), DAY))
    qtbot.addWidget(dlg)
    assert rows(dlg.table) == []

    def fill(dialog: QDialog) -> int:
        assert isinstance(dialog, RequestDialog)
        dialog.code.setText("SCS-2026-0042")
        dialog.referred.set_value(D(2026, 2, 8))
        dialog.body_name.setText("Servizio Centrale SAI")
        dialog.adults.setValue(1)
        dialog.minors.setValue(2)
        dialog.needs["ground_floor"].setChecked(True)
        dialog.ok_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error_label.text()
        return dialog.result()

    dlg.exec_dialog = fill
    dlg.new_button.click()
    listed = rows(dlg.table)
    assert len(listed) == 1 and listed[0][_("Referral")] == "SCS-2026-0042"
    assert listed[0][_("Days waited")] == "30"
    # the finder's answer for it, below
    answers = {r[_("Code")]: r[_("Fits")] for r in rows(dlg.answers_view)}
    assert answers["T-FAM"] == _("yes") and answers["T-UOM"] == _("no")
    dlg.answers_view.selectRow(row_of(dlg.answers_view, "Code", "T-FAM"))

    def place(dialog: QDialog) -> int:
        assert dialog.chooser.structure_id() == sc.families.id  # the structure chosen below
        return place_mother(sc)(dialog)

    dlg.exec_dialog = place
    dlg.place_button.click()
    assert rows(dlg.table) == []  # no longer waiting
    dlg.show_closed.setChecked(True)
    (closed,) = rows(dlg.table)
    assert closed[_("Status")] == _("placed") and closed[_("Days waited")] == "30"
    assert sc.mother.code in closed[_("Outcome or reason")]
    assert not dlg.place_button.isEnabled() and not dlg.withdraw_button.isEnabled()
    assert dlg.changed and sc.families.id in dlg.changes.structures
    assert len(backend.presence.who_is_where(DAY, household_id=sc.mother.id)) == 3


def test_requests_withdrawn_and_expired_stay_listed_with_their_reason(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    first = backend.waiting_list.add(NewRequest(D(2026, 1, 10), referral_code="A-1"))
    backend.waiting_list.add(NewRequest(D(2026, 2, 10), referral_code="B-2", priority=1))
    dlg = WaitingListDialog(DialogContext(backend, TaskRunner(), DAY))
    qtbot.addWidget(dlg)
    # the urgent one first, then by days waited
    assert [r[_("Referral")] for r in rows(dlg.table)] == ["B-2", "A-1"]

    def close(reason: str):  # type: ignore[no-untyped-def]
        def answer(dialog: QDialog) -> int:
            assert isinstance(dialog, CloseRequestDialog)
            dialog.reason.setText(reason)
            dialog.ok_button.click()
            return dialog.result()

        return answer

    dlg.table.selectRow(row_of(dlg.table, "Referral", "A-1"))
    dlg.exec_dialog = close("")  # a withdrawal needs its reason: refused, nothing changes
    dlg.withdraw_button.click()
    assert backend.waiting_list.request(first.id).waiting
    dlg.exec_dialog = close("Found a place with relatives")
    dlg.withdraw_button.click()
    dlg.table.selectRow(row_of(dlg.table, "Referral", "B-2"))
    dlg.exec_dialog = close("Referral terms ended")
    dlg.expire_button.click()
    assert rows(dlg.table) == []
    dlg.show_closed.setChecked(True)
    found = {r[_("Referral")]: r for r in rows(dlg.table)}
    assert found["A-1"][_("Status")] == _("withdrawn")
    assert found["A-1"][_("Outcome or reason")] == "Found a place with relatives"
    assert found["B-2"][_("Status")] == _("expired")
    assert found["B-2"][_("Outcome or reason")] == "Referral terms ended"


def test_the_menus_open_the_finder_and_the_waiting_list(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    backend.waiting_list.add(NewRequest(D(2026, 2, 8), adults=1, target_group="women"))
    win = MainWindow(backend, today=DAY)
    qtbot.addWidget(win)
    opened: list[str] = []

    def record(dialog: QDialog) -> int:
        opened.append(type(dialog).__name__)
        return 0

    win.exec_dialog = record
    win.main_actions.free_beds.trigger()
    win.main_actions.waiting_list.trigger()
    assert opened == ["FreeBedsDialog", "WaitingListDialog"]
    assert win.main_actions.free_beds.shortcut().toString() == "Ctrl+L"
    # the dashboard's waiting list: one woman waiting for 30 days
    win.show_dashboard()
    (line,) = rows(win.dashboard.waiting_table)
    assert line[_("Waiting")] == "1" and line[_("Median wait so far (days)")] == "30"


def test_a_household_not_registered_yet_is_registered_then_placed(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    request = backend.waiting_list.add(NewRequest(D(2026, 3, 1), adults=1, target_group="women"))
    dlg = WaitingListDialog(DialogContext(backend, TaskRunner(), DAY))
    qtbot.addWidget(dlg)
    placed: list[int] = []

    def answer(dialog: QDialog) -> int:
        if isinstance(dialog, RegisterHouseholdDialog):
            row = dialog.rows[0]
            qtbot.keyClicks(row.first_name, "Fatoumata")
            qtbot.keyClicks(row.last_name, "Diallo")
            row.sex.setCurrentIndex(row.sex.findData("F"))
            qtbot.keyClicks(row.birth_date, "04/03/1991")
        else:  # the placement: the household just registered is already chosen
            assert dialog.picker.household is not None
            placed.append(dialog.picker.household.id)
            dialog.chooser.select_structure(sc.families.id)
        dialog.ok_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error_label.text()
        return dialog.result()

    dlg.exec_dialog = answer
    dlg.register_button.click()
    after = backend.waiting_list.request(request.id)
    assert after.status == "placed" and after.household_id == placed[0]
    assert after.days_waited == 9
    who = backend.presence.who_is_where(DAY, household_id=placed[0])
    assert [w.structure_name for w in who] == ["Casa Glicine"]
