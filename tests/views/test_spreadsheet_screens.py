"""Spreadsheets from the window: *File › Import from a spreadsheet…* lists every problem
in a dialog and imports nothing, or imports and shows the network; every table on screen
exported (right-click › *Export…*, Ctrl+Shift+E) with the headers and rows it shows,
numbers as numbers and dates as dates (both engines)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu, QTableView, QTableWidget

from models.backend import Backend
from models.i18n import _
from tests.desktop.test_spreadsheets import GOOD, write_book
from tests.factories import scenario
from views import table_export
from views.dialogs import save_dialog
from views.dialogs.import_problems_dialog import ImportProblemsDialog
from views.main_window import MainWindow
from views.people_page import PeoplePage
from views.settings_store import MemorySettings
from views.table_models import RAW_ROLE

D = dt.date


def make_window(qtbot, backend: Backend, day: dt.date | None = None) -> MainWindow:
    w = MainWindow(backend, today=day or D(2024, 1, 10), settings=MemorySettings())
    qtbot.addWidget(w)
    w.show()
    return w


def shown(view: QTableView) -> tuple[list[str], list[list[Any]]]:
    """Headers and cells as the table shows them: display text, or the raw number/date."""
    m = view.model()
    columns = [c for c in range(m.columnCount()) if not view.isColumnHidden(c)]
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in columns]
    rows = []
    for r in range(m.rowCount()):
        row = []
        for c in columns:
            raw = m.index(r, c).data(RAW_ROLE)
            text = m.index(r, c).data() or None
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                row.append(raw)
            elif isinstance(raw, dt.date):
                row.append(dt.datetime(raw.year, raw.month, raw.day))
            else:
                row.append(text)
        rows.append(row)
    return headers, rows


def read_xlsx(path: Path) -> tuple[list[str], list[list[Any]]]:
    ws = openpyxl.load_workbook(path).active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    return values[0], values[1:]


def export_to(monkeypatch, target: Path) -> list[str]:
    asked: list[str] = []

    def ask(parent, proposed: str) -> str:
        asked.append(proposed)
        return str(target)

    monkeypatch.setattr(table_export, "ask_export_path", ask)
    return asked


def test_dashboard_tables_export_as_shown(qtbot, db, tmp_path, monkeypatch) -> None:
    backend = Backend(db, actor="test")
    sc = scenario(backend)
    backend.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5), planned_end=D(2024, 2, 1))
    w = make_window(qtbot, backend)
    for name in (
        "dashboardProvinceTable",
        "dashboardStructureTable",
        "dashboardExpiringTable",
    ):
        view = w.findChild(QTableView, name)
        assert view is not None and view.model().rowCount() > 0, name
        target = tmp_path / f"{name}.xlsx"
        asked = export_to(monkeypatch, target)
        table_export.export_action(view).trigger()
        assert Path(asked[0]).name.endswith(".xlsx") and view.accessibleName() in asked[0]
        assert read_xlsx(target) == shown(view), name
    # Numbers are numbers and dates are dates in the file, not texts.
    _headers, rows = read_xlsx(tmp_path / "dashboardExpiringTable.xlsx")
    assert any(isinstance(v, dt.datetime) for v in rows[0])
    _headers, rows = read_xlsx(tmp_path / "dashboardStructureTable.xlsx")
    assert any(isinstance(v, int) for v in rows[0])
    # The folder is remembered for the next export.
    assert w.settings.load()[table_export.EXPORT_FOLDER_KEY] == str(tmp_path)


def test_ctrl_shift_e_exports_the_focused_table_as_csv(qtbot, db, tmp_path, monkeypatch) -> None:
    backend = Backend(db, actor="test")
    sc = scenario(backend)
    backend.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5))
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)
    view = w.structure_page.beds_table
    assert view.model().rowCount() > 0
    target = tmp_path / "letti.csv"
    export_to(monkeypatch, target)
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    qtbot.keyClick(
        view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert target.exists()
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Italian Excel wants
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(), delimiter=";"))
    headers, cells = shown(view)
    assert rows[0] == headers
    assert len(rows) - 1 == len(cells) == view.model().rowCount()
    for line, cells_row in zip(rows[1:], cells, strict=True):
        for value, cell in zip(line, cells_row, strict=True):
            if isinstance(cell, dt.datetime):
                assert value == cell.strftime("%d/%m/%Y")
            elif isinstance(cell, int):
                assert value == str(cell)
            else:
                assert value == (cell or "")


def test_the_beds_menu_offers_export(qtbot, db, monkeypatch) -> None:
    backend = Backend(db, actor="test")
    sc = scenario(backend)
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)
    view = w.structure_page.beds_table
    popped: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda self, *_a: popped.append(self))
    view.customContextMenuRequested.emit(QPoint(1, 1))
    texts = [a.text() for a in popped[-1].actions()]
    assert _("Export…") in texts


def test_the_people_list_exports_whole_even_when_loaded_in_part(
    qtbot, db, tmp_path, monkeypatch
) -> None:
    backend = Backend(db, actor="test")
    scenario(backend)
    page = PeoplePage(backend, day=D(2024, 3, 1))
    qtbot.addWidget(page)
    page.show()
    page.model.page_size = 2
    page.search.setText("gulsen")  # three people of one household
    page.run_search()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    assert not page.model.all_loaded()
    target = tmp_path / "persone.xlsx"
    export_to(monkeypatch, target)
    table_export.export_action(page.table).trigger()
    everyone = len(backend.directory.search_people("gulsen"))
    headers, rows = read_xlsx(target)
    assert len(rows) == everyone > 2
    assert page.model.rowCount() == everyone and page.model.all_loaded()
    assert read_xlsx(target) == shown(page.table)


# -- import -----------------------------------------------------------------------------


def test_import_lists_every_problem_then_imports(
    qtbot, db, tmp_path, monkeypatch, recorded_messages
) -> None:
    backend = Backend(db, actor="test")
    w = make_window(qtbot, backend)
    assert w.import_spreadsheet_action.text() == _("&Import from a spreadsheet…")
    sheets = {k: [list(r) for r in v] for k, v in GOOD.items()}
    sheets["Strutture"][2][3] = "ZZ"
    sheets["Posti autorizzati"][2][2] = "due"
    bad = write_book(tmp_path / "errori.xlsx", sheets)
    good = write_book(tmp_path / "rete.xlsx", GOOD)
    chosen = [str(bad)]
    monkeypatch.setattr(save_dialog, "ask_open_paths", lambda *a, **k: chosen)
    dialogs: list[Any] = []
    w.exec_dialog = lambda d: dialogs.append(d) or 0
    w.import_spreadsheet_action.trigger()
    [dialog] = dialogs
    assert isinstance(dialog, ImportProblemsDialog)
    table = dialog.findChild(QTableWidget, "importProblemsTable")
    assert table.rowCount() == 2
    assert [table.item(0, c).text() for c in range(3)] == ["Strutture", "3", "Provincia (D)"]
    assert [table.item(1, c).text() for c in range(3)] == ["Posti autorizzati", "3", "Posti (C)"]
    assert dialog.width() <= 1366 and dialog.height() <= 768
    with backend.db.read():
        pass
    assert backend.occupancy.at(D(2024, 1, 10)) == []
    chosen[:] = [str(good)]
    w.import_spreadsheet_action.trigger()
    assert len(dialogs) == 1
    infos = recorded_messages.texts("info")
    assert infos and "2" in infos[-1]
    codes = {r.key for r in backend.occupancy.at(D(2024, 1, 10))}
    assert codes == {"S-1", "S-2"}
    # A second import into the network now full is refused with a clear message.
    w.import_spreadsheet_action.trigger()
    assert recorded_messages.texts("error")


def test_the_template_is_saved_from_the_file_menu(qtbot, db, tmp_path, monkeypatch) -> None:
    w = make_window(qtbot, Backend(db, actor="test"))
    target = tmp_path / "modello"
    monkeypatch.setattr(save_dialog, "ask_save_path", lambda *a, **k: (str(target), ""))
    w.main_actions.save_template.trigger()
    book = openpyxl.load_workbook(tmp_path / "modello.xlsx", read_only=True)
    assert "Persone e nuclei" in book.sheetnames and "Inserimenti" in book.sheetnames
    assert w.settings.load()["import_folder"] == str(tmp_path)


@pytest.mark.parametrize("language", ["it", "en"])
def test_problems_dialog_screenshot(qtbot, language, tmp_path) -> None:
    from models import i18n
    from models.spreadsheet import ImportProblems, Problem

    i18n.set_language(language)
    problems = [
        Problem("Strutture", 3, "Provincia", "D", _("Unknown province: {code}. Use its two-letter code (for example MI).").format(code="ZZ")),
        Problem("Inserimenti", 12, "Persona", "I", _("A minor of the household would be left in a structure without an adult of the household (on {date}).").format(date="1/6/2023")),
        Problem("Posti autorizzati", 0, "Posti", "", _("Column «{column}» is missing.").format(column="Posti")),
    ] * 6  # fmt: skip
    exc = ImportProblems(problems)
    dialog = ImportProblemsDialog(str(exc), exc.problems)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() <= 1366 and dialog.height() <= 768
    dialog.grab().save(str(tmp_path / f"problems-{language}.png"))
    dialog.copy_list()
    assert QApplication.clipboard().text().count("\n") == len(problems) - 1
