"""The dashboard's *Strutture* tab: every structure of the selection with its free places,
sortable as numbers, opening a structure on a double-click; a double-click on a province
or programme row selects it. Runs on SQLite and PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView, QTabWidget

from models.backend import Backend
from models.i18n import _
from tests.factories import scenario
from views.dashboard import StructureModel
from views.main_window import PAGE_STRUCTURE, MainWindow

D = dt.date


@pytest.fixture
def world(db, backend):
    sc = scenario(backend)
    return Backend(db, actor="test"), sc


def make_window(qtbot, backend):
    w = MainWindow(backend, today=D(2024, 1, 10))
    qtbot.addWidget(w)
    w.show()
    return w


def structure_table(w) -> QTableView:
    view = w.findChild(QTableView, "dashboardStructureTable")
    assert view is not None
    return view


def column(view: QTableView, col: int) -> list[str]:
    m = view.model()
    return [m.index(r, col).data() for r in range(m.rowCount())]


def row_of(view: QTableView, code: str) -> dict[int, str]:
    m = view.model()
    for r in range(m.rowCount()):
        if m.index(r, StructureModel.CODE).data() == code:
            return {c: m.index(r, c).data() for c in range(m.columnCount())}
    raise AssertionError(code)


def test_structures_tab_lists_every_structure_with_its_free_places(qtbot, world):
    backend, sc = world
    backend.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5), planned_end=D(2024, 7, 5))
    w = make_window(qtbot, backend)
    tabs = w.findChild(QTabWidget, "dashboardGroupTabs")
    assert [tabs.tabText(i) for i in range(tabs.count())][-1] == _("Structures") + " (4)"
    view = structure_table(w)
    assert sorted(column(view, StructureModel.CODE)) == ["T-ART", "T-FAM", "T-PIC", "T-UOM"]
    fam = row_of(view, "T-FAM")
    assert fam[StructureModel.NAME] == "Casa Glicine"
    assert fam[StructureModel.PROVINCE] == "SO"
    assert fam[StructureModel.PROGRAMME] == "SAI-TEST"
    assert (
        fam[StructureModel.CAPACITY],
        fam[StructureModel.OCCUPIED],
        fam[StructureModel.RESERVED],
        fam[StructureModel.OUT],
        fam[StructureModel.FREE],
    ) == ("4", "3", "0", "0", "1")
    assert _("families") in fam[StructureModel.TARGETS]
    assert fam[StructureModel.END] == "05/07/2024"
    assert row_of(view, "T-UOM")[StructureModel.END] in ("", None)
    # the free figure is the dashboard's own, added up over the structures
    total = sum(int(f) for f in column(view, StructureModel.FREE))
    assert str(total) == w.dashboard.tiles["free"].value_label.text()


def test_structures_sort_numbers_as_numbers(qtbot, world):
    backend, sc = world
    programme = sc.men.programme_id
    big = backend.structures.create_structure(
        programme, "T-BIG", "Casa Grande", "SO", D(2014, 2, 1), targets=["men"], places=12
    )
    backend.structures.add_room(big.id, "Camera 1", 12)
    w = make_window(qtbot, backend)
    view = structure_table(w)
    view.sortByColumn(StructureModel.CAPACITY, Qt.SortOrder.DescendingOrder)
    assert column(view, StructureModel.CAPACITY) == ["12", "4", "4", "2", "2"]


def test_double_click_on_a_structure_opens_it(qtbot, world):
    backend, sc = world
    w = make_window(qtbot, backend)
    view = structure_table(w)
    m = view.model()
    row = column(view, StructureModel.CODE).index("T-UOM")
    view.doubleClicked.emit(m.index(row, StructureModel.FREE))
    assert w.pages.currentIndex() == PAGE_STRUCTURE
    assert w.selection.chosen_structure() == sc.men.id
    assert w.navigation.current_selection().structure_id == sc.men.id


def test_double_click_on_a_province_selects_it(qtbot, world):
    backend, _sc = world
    w = make_window(qtbot, backend)
    w.show_programme("SAI-TEST")
    view = w.findChild(QTableView, "dashboardProvinceTable")
    assert column(view, 0) == ["SO"]
    view.doubleClicked.emit(view.model().index(0, 0))
    current = w.navigation.current_selection()
    assert (current.kind, current.programme_code, current.province) == (
        "province",
        "SAI-TEST",
        "SO",
    )
    assert sorted(column(structure_table(w), StructureModel.CODE)) == ["T-FAM", "T-PIC", "T-UOM"]


def test_double_click_on_a_province_of_the_network(qtbot, world):
    backend, _sc = world
    w = make_window(qtbot, backend)
    view = w.findChild(QTableView, "dashboardProvinceTable")
    row = column(view, 0).index("MI")
    view.doubleClicked.emit(view.model().index(row, 0))
    assert (w.selection.kind, w.selection.province) == ("province", "MI")
    assert column(structure_table(w), StructureModel.CODE) == ["T-ART"]
