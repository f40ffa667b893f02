"""Dates typed whole into every date field are taken as typed, or refused: never changed.

A coordinator selects the text and types "31/12/2026", or double-clicks the year and
types over it, or writes "150127": each is read as the day written. A text that is not a
date is framed in red, keeps the last good day out of the dialog's reach, and OK is
refused with the reason, nothing saved.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from models.backend import Backend
from tests.factories import scenario
from views.dialogs.capacity_dialog import CapacityDialog
from views.dialogs.context import DialogContext
from views.dialogs.dates import DateEdit, parse_date
from views.dialogs.exit_dialog import ExitDialog
from views.dialogs.extension_dialog import ExtensionDialog
from views.dialogs.outage_dialog import OutageDialog
from views.dialogs.placement_dialog import PlacementDialog
from views.dialogs.reservation_dialog import ReservationDialog
from views.dialogs.transfer_dialog import TransferDialog
from views.tasks import TaskRunner

D = dt.date
ENTRY = D(2026, 3, 2)


def type_over(qtbot, edit: DateEdit, text: str, how: str = "select-all") -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` into the field as a user would, then leave it with Tab."""
    line = edit.line
    line.setFocus()
    if how == "select-all":
        QTest.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    elif how == "end":
        line.end(False)
        line.setCursorPosition(len(line.text()))
        for _ in range(len(line.text())):
            QTest.keyClick(line, Qt.Key.Key_Backspace)
    elif how == "middle":
        # The cursor in the middle of the old date, the old text erased around it.
        line.setCursorPosition(3)
        line.selectAll()
        QTest.keyClick(line, Qt.Key.Key_Delete)
    QTest.keyClicks(line, text)
    line.editingFinished.emit()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31/12/2026", D(2026, 12, 31)),
        ("15/01/2027", D(2027, 1, 15)),
        ("15012027", D(2027, 1, 15)),
        ("150127", D(2027, 1, 15)),
        ("15.1.27", D(2027, 1, 15)),
        ("1-2-2027", D(2027, 2, 1)),
        ("2027-01-15", D(2027, 1, 15)),
    ],
)
@pytest.mark.parametrize("how", ["select-all", "end", "middle"])
def test_a_date_typed_whole_is_taken_as_typed(qtbot, typed, expected, how) -> None:  # type: ignore[no-untyped-def]
    edit = DateEdit(D(2026, 12, 2))
    qtbot.addWidget(edit)
    edit.show()
    with qtbot.waitSignal(edit.dateChanged, timeout=1000):
        type_over(qtbot, edit, typed, how)
    assert edit.value() == expected
    assert edit.problem() is None
    assert edit.line.text() == expected.strftime("%d/%m/%Y")


@pytest.mark.parametrize("typed", ["31/02/2027", "15/13/2027", "5/12/00001/2027", "domani", "1512"])
def test_a_text_that_is_not_a_date_is_marked_and_never_taken_for_another_day(qtbot, typed) -> None:  # type: ignore[no-untyped-def]
    edit = DateEdit(D(2026, 12, 2))
    qtbot.addWidget(edit)
    edit.show()
    type_over(qtbot, edit, typed)
    assert edit.problem() is not None
    assert edit.line.text() == typed  # left as written, to be corrected
    assert edit.line.toolTip() == edit.problem()
    # Corrected, the mark goes at once.
    type_over(qtbot, edit, "03/12/2026")
    assert edit.problem() is None and edit.line.toolTip() == ""
    assert edit.value() == D(2026, 12, 3)


def test_two_digit_years_of_a_birth_date_are_in_the_past() -> None:
    assert parse_date("01/02/90") == D(1990, 2, 1)
    assert parse_date("01/02/90", past=False) == D(2090, 2, 1)


def test_keys_move_the_day_and_the_month(qtbot) -> None:  # type: ignore[no-untyped-def]
    edit = DateEdit(D(2026, 1, 31))
    qtbot.addWidget(edit)
    edit.show()
    edit.line.setFocus()
    QTest.keyClick(edit.line, Qt.Key.Key_Up)
    assert edit.value() == D(2026, 2, 1)
    QTest.keyClick(edit.line, Qt.Key.Key_PageUp)
    assert edit.value() == D(2026, 3, 1)
    QTest.keyClick(edit.line, Qt.Key.Key_Down)
    assert edit.value() == D(2026, 2, 28)


# -- every date field of every dialog -------------------------------------------------


@pytest.fixture
def backend(db) -> Backend:  # type: ignore[no-untyped-def]
    return Backend(db, actor="test")


def _context(backend: Backend, day: dt.date) -> DialogContext:
    return DialogContext(backend, TaskRunner(), day)


def _dialogs(backend: Backend):  # type: ignore[no-untyped-def]
    """Every dialog with its date fields (a placement exists for those that need one)."""
    sc = scenario(backend)
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY)
    ctx = _context(backend, ENTRY + dt.timedelta(days=10))
    placement = PlacementDialog(_context(backend, ENTRY), household_id=sc.mother.id)
    reservation = ReservationDialog(_context(backend, ENTRY), household_id=sc.mother.id)
    transfer = TransferDialog(ctx, placement_id=pl.id)
    exit_ = ExitDialog(ctx, placement_id=pl.id)
    extension = ExtensionDialog(ctx, placement_id=pl.id)
    capacity = CapacityDialog(ENTRY, 4)
    outage = OutageDialog("A", ENTRY)
    outage.has_end.setChecked(True)
    return [
        (placement, [placement.entry_date, placement.planned_end.edit]),
        (reservation, [reservation.expected]),
        (transfer, [transfer.date]),
        (exit_, [exit_.date]),
        (extension, [extension.new_end, extension.granted_on]),
        (capacity, [capacity.date_edit]),
        (outage, [outage.start, outage.end]),
    ]


def test_every_date_field_of_every_dialog_takes_a_date_typed_whole(qtbot, backend) -> None:  # type: ignore[no-untyped-def]
    for dialog, fields in _dialogs(backend):
        qtbot.addWidget(dialog)
        dialog.show()
        for field in fields:
            type_over(qtbot, field, "15/01/2027", how="middle")
            assert field.value() == D(2027, 1, 15), (type(dialog).__name__, field.objectName())
            type_over(qtbot, field, "31/12/2026")
            assert field.value() == D(2026, 12, 31), (type(dialog).__name__, field.objectName())
        dialog.close()


def test_an_exit_typed_whole_is_saved_as_typed_and_a_wrong_one_saves_nothing(
    qtbot, backend
) -> None:  # type: ignore[no-untyped-def]
    sc = scenario(backend)
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY)
    dialog = ExitDialog(_context(backend, ENTRY + dt.timedelta(days=10)), placement_id=pl.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reason.setCurrentIndex(dialog.reason.findData("socio_economic"))
    type_over(qtbot, dialog.date, "31/04/2026")  # April has 30 days
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisible()
    assert "31/04/2026" in dialog.error_label.text()
    assert backend.directory.placement(pl.id).exit_date is None
    type_over(qtbot, dialog.date, "15/04/2026", how="middle")
    assert not dialog.error_label.isVisible()  # the refusal goes with its cause
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error_label.text()
    assert backend.directory.placement(pl.id).exit_date == D(2026, 4, 15)
