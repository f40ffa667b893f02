"""The planning board with the mouse: a bar dragged to another bed makes exactly the
transfer the transfer dialog makes; its end dragged, the extension; a refused drag
changes nothing and says why. On both engines."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDialog

from models.backend import Backend
from models.database import Database
from models.i18n import _
from models.results import NewPerson
from tests.factories import Scenario, scenario
from views.dialogs.context import DialogContext
from views.dialogs.extension_dialog import ExtensionDialog
from views.dialogs.transfer_dialog import TransferDialog
from views.main_window import PAGE_BOARD, MainWindow
from views.planning_board import BoardView
from views.selection import STRUCTURE, Selection
from views.settings_store import MemorySettings
from views.tasks import TaskRunner

D = dt.date
TODAY = D(2026, 2, 1)
ENTRY = D(2026, 1, 10)
DROP = D(2026, 2, 10)


@pytest.fixture
def make_backend(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], Backend]]:
    """Fresh databases of the engine under test, as many as a test asks for."""
    made: list[Database] = []

    def make() -> Backend:
        if engine_name == "sqlite":
            path = tmp_path / f"board{len(made)}.sqlite3"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            db = Database(f"sqlite:///{path}")
        else:
            db = Database(request.getfixturevalue("pg_server").create())
        made.append(db)
        return Backend(db, actor="test", today=lambda: TODAY)

    yield make
    for db in made:
        db.dispose()


def setting(backend: Backend) -> tuple[Scenario, Any, int, int]:
    """The scenario with a man placed in the men's house: his placement, his bed and the
    other (free) bed of the house."""
    sc = scenario(backend)
    man = backend.people.register_household([NewPerson("Kwame", "Mensah", "M", D(1995, 1, 1))])
    pl = backend.placements.place(man.id, sc.men.id, ENTRY, planned_end=D(2026, 6, 30))
    [row] = backend.presence.who_is_where(TODAY, household_id=man.id)
    other = next(b.id for b in backend.sheets.beds(sc.men.id) if b.id != row.bed_id)
    return sc, pl, row.bed_id, other


def board_window(qtbot, backend: Backend, sc: Scenario) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(backend, today=TODAY, settings=MemorySettings())
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    w.set_selection(
        Selection(STRUCTURE, "T-UOM", programme_code="SAI-TEST", structure_id=sc.men.id)
    )
    w.show_board()
    assert w.pages.currentIndex() == PAGE_BOARD
    w.board_page._fetch()
    return w


def drag(qtbot, view: BoardView, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    port = view.viewport()
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(port, start + QPoint(6, 0))
    qtbot.mouseMove(port, end)
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, pos=end)


def cell(view: BoardView, bed_id: int, day: dt.date) -> QPoint:
    """The middle of a bed's cell on a day."""
    x = view.day_x(day) + view.day_width() / 2
    y = view.line_y(view.line_of_bed[bed_id]) + 11
    return QPoint(int(x), int(y))


def stays(backend: Backend, household_id: int) -> list[tuple[Any, ...]]:
    return [
        (s.person_code, s.bed_label, s.room_name, s.structure_code, s.start_date, s.end_date)
        for s in backend.directory.stays_of_household(household_id)
    ]


def test_a_bar_dragged_to_another_bed_makes_the_transfer_the_dialog_makes(
    qtbot, make_backend
) -> None:  # type: ignore[no-untyped-def]
    # Through the dialog, as from the menu: the date, the structure, the bed, OK.
    by_hand = make_backend()
    sc, pl, _bed, other = setting(by_hand)
    dlg = TransferDialog(DialogContext(by_hand, TaskRunner(), DROP), placement_id=pl.id)
    qtbot.addWidget(dlg)
    dlg.chooser.select_structure(sc.men.id)
    assert dlg.chooser.structure_id() == sc.men.id
    combo = next(iter(dlg.members.combos.values()))
    combo.setCurrentIndex(combo.findData(other))
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()

    # On the board: the bar dragged to the other bed, dropped on the day.
    backend = make_backend()
    sc2, pl2, bed2, other2 = setting(backend)
    assert (pl2.id, other2) == (pl.id, other)
    w = board_window(qtbot, backend, sc2)
    view = w.board_page.view
    seen: list[QDialog] = []
    person = pl_person(backend, pl2.household_id)

    def confirm(dialog: QDialog) -> int:
        seen.append(dialog)
        assert isinstance(dialog, TransferDialog)
        # Prefilled: the drop day, the structure and the bed; saved only on OK.
        assert dialog.date.value() == DROP
        assert dialog.chooser.structure_id() == sc2.men.id
        assert dialog.members.chosen_beds() == {person: other2}
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    w.exec_dialog = confirm
    drag(qtbot, view, cell(view, bed2, D(2026, 2, 3)), cell(view, other2, DROP))
    assert len(seen) == 1, w.board_page.last_refusal
    assert stays(backend, pl2.household_id) == stays(by_hand, pl.household_id)
    assert stays(backend, pl2.household_id)[-1][4] == DROP
    # The board shows the move: the bar now ends on the drop day, a new one starts there.
    ends = sorted((b.bed_id, b.start, b.end) for b in view.board_window.bars)
    assert ends == [(bed2, ENTRY, DROP), (other2, DROP, None)]


def pl_person(backend: Backend, household_id: int) -> int:
    return backend.directory.household(household_id).members[0].person.id


def test_a_refused_drag_changes_nothing_and_says_why(qtbot, make_backend) -> None:  # type: ignore[no-untyped-def]
    backend = make_backend()
    sc, pl, bed, other = setting(backend)
    # Someone else in the other bed from 5 February.
    neighbour = backend.people.register_household([NewPerson("Yaw", "Boateng", "M", D(1990, 2, 2))])
    backend.placements.place(
        neighbour.id, sc.men.id, D(2026, 2, 5), beds={pl_person(backend, neighbour.id): other}
    )
    before = stays(backend, pl.household_id)
    w = board_window(qtbot, backend, sc)
    view, page = w.board_page.view, w.board_page
    opened: list[QDialog] = []
    w.exec_dialog = lambda dialog: opened.append(dialog) or 0

    # Onto a bed taken from the 5th, on the 10th.
    drag(qtbot, view, cell(view, bed, D(2026, 2, 3)), cell(view, other, DROP))
    assert opened == []
    assert "Boateng" not in page.last_refusal and page.message.isVisible()
    assert page.last_refusal and stays(backend, pl.household_id) == before

    # Onto a day before the stay begins.
    page.say("")
    view.show_from(D(2026, 1, 5), TODAY)
    page._fetch()
    drag(qtbot, view, cell(view, bed, D(2026, 1, 12)), cell(view, other, D(2026, 1, 8)))
    assert opened == [] and "10/01/2026" in page.last_refusal or "10 gennaio" in page.last_refusal

    # Its end onto a day before the current planned end: no extension.
    view.show_from(D(2026, 6, 20), TODAY)
    page._fetch()
    grip = QPoint(int(view.day_x(D(2026, 6, 30))), cell(view, bed, D(2026, 6, 25)).y())
    page.say("")
    drag(qtbot, view, grip, cell(view, bed, D(2026, 6, 22)))
    assert opened == [] and page.last_refusal
    assert stays(backend, pl.household_id) == before
    assert backend.directory.placement(pl.id).planned_end == D(2026, 6, 30)


def test_the_end_of_a_bar_dragged_later_opens_the_extension(qtbot, make_backend) -> None:  # type: ignore[no-untyped-def]
    backend = make_backend()
    sc, pl, bed, _other = setting(backend)
    w = board_window(qtbot, backend, sc)
    view, page = w.board_page.view, w.board_page
    view.show_from(D(2026, 6, 20), TODAY)
    page._fetch()
    seen: list[QDialog] = []

    def extend(dialog: QDialog) -> int:
        seen.append(dialog)
        assert isinstance(dialog, ExtensionDialog)
        assert dialog.new_end.value() == D(2026, 7, 15)
        dialog.reason.setText("percorso di autonomia")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    w.exec_dialog = extend
    grip = QPoint(int(view.day_x(D(2026, 6, 30))), cell(view, bed, D(2026, 6, 25)).y())
    drag(qtbot, view, grip, cell(view, bed, D(2026, 7, 15)))
    assert len(seen) == 1, page.last_refusal
    assert backend.directory.placement(pl.id).planned_end == D(2026, 7, 15)


def test_zoom_by_keys_and_wheel_and_the_legend(qtbot, make_backend) -> None:  # type: ignore[no-untyped-def]
    backend = make_backend()
    sc, _pl, bed, _other = setting(backend)
    w = board_window(qtbot, backend, sc)
    view = w.board_page.view
    assert view.visible_days() == 30
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.visible_days() == 45
    for _i in range(5):
        qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.visible_days() == 90
    for _i in range(8):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.visible_days() == 14
    # Ctrl+wheel: back towards more days.
    wheel = QWheelEvent(
        QPointF(300, 200),
        QPointF(300, 200),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.visible_days() == 21
    # The bar's tooltip names the household and the planned end.
    tip = view.tooltip_at(cell(view, bed, view.first_day() + dt.timedelta(days=2)))
    assert "Mensah Kwame" in tip and "30/06/2026" in tip


def test_the_board_as_a_flat_table_for_export(qtbot, make_backend) -> None:  # type: ignore[no-untyped-def]
    backend = make_backend()
    sc, _pl, _bed, other = setting(backend)
    backend.structures.put_bed_out_of_service(other, D(2026, 2, 20), None, "muffa")
    w = board_window(qtbot, backend, sc)
    model = w.board_page.table_model()
    rows = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:4] == ["Progetto", "Struttura", "Stanza", "Posto letto"]
    stay = next(r for r in rows if "Mensah Kwame" in r)
    assert stay[1] == "T-UOM" and stay[7] == "10/01/2026" and stay[9] == "30/06/2026"
    out = next(r for r in rows if "muffa" in r)
    assert out[4] == "fuori servizio" and out[8] == "senza termine"


def test_the_board_exports_what_it_shows_with_its_button_and_ctrl_shift_e(
    qtbot, make_backend, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from views import table_export

    backend = make_backend()
    sc, _pl, _bed, other = setting(backend)
    backend.structures.put_bed_out_of_service(other, D(2026, 2, 20), None, "muffa")
    w = board_window(qtbot, backend, sc)
    monkeypatch.setattr(table_export, "ask_export_path", lambda _parent, _proposed: str(target))
    target = tmp_path / "tabellone.xlsx"
    w.board_page.export_button.click()
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert list(rows[0][:4]) == ["Progetto", "Struttura", "Stanza", "Posto letto"]
    assert any("Mensah Kwame" in r for r in rows[1:])
    assert any("muffa" in r for r in rows[1:])
    target = tmp_path / "tabellone.csv"
    w.activateWindow()
    w.board_page.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.board_page.view)
    qtbot.keyClick(
        w.board_page.view,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == len(rows)


def test_a_click_in_the_navigation_keeps_the_board_on_the_new_selection(
    qtbot, make_backend
) -> None:  # type: ignore[no-untyped-def]
    backend = make_backend()
    sc, _pl, _bed, _other = setting(backend)
    w = board_window(qtbot, backend, sc)
    tree = w.navigation.tree
    item = tree.topLevelItem(0).child(0)  # a programme under "the whole network"
    tree.scrollToItem(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )
    assert w.selection.kind != STRUCTURE
    assert w.pages.currentIndex() == PAGE_BOARD


def test_a_closed_structure_shows_its_nights_closed_not_zero_free(qtbot, make_backend) -> None:  # type: ignore[no-untyped-def]
    """A structure closed within the window: from the night after its last day its line
    says it is closed (no "0 free" that reads like a full house), its beds are shaded."""
    backend = make_backend()
    sc = scenario(backend)
    last_day = TODAY + dt.timedelta(days=5)
    st = next(s for s in backend.directory.structures() if s.id == sc.men.id)
    backend.structures.close_structure(st.id, st.version, last_day)
    w = MainWindow(backend, today=TODAY, settings=MemorySettings())
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    w.set_selection(Selection(STRUCTURE, "T-UOM", programme_code="SAI-TEST", structure_id=st.id))
    w.show_board()
    w.board_page._fetch()
    view = w.board_page.view
    bed = next(b.id for b in backend.sheets.beds(st.id))
    y = view.line_y(view.line_of_bed[bed] - 1) + 11  # the structure's own line, above its beds

    def tip(day: dt.date) -> str:
        return view.tooltip_at(QPoint(int(view.day_x(day) + view.day_width() / 2), y))

    closed = _("Closed on this night: nobody can be placed there.")
    assert closed not in tip(last_day)
    assert closed in tip(last_day + dt.timedelta(days=1))
    assert view._closed_runs[st.id][0][0] == last_day + dt.timedelta(days=1)
