"""The coordinator's desktop on real widgets: navigation, dashboard, structure page,
status bar. Runs on SQLite and PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLabel, QTableView, QTreeWidget

from models.backend import Backend
from models.i18n import _
from models.results import Changes
from tests.factories import scenario
from views.dashboard import ExpiringModel
from views.dialogs.capacity_dialog import CapacityDialog
from views.dialogs.dates import DateEdit
from views.dialogs.outage_dialog import OutageDialog
from views.main_window import PAGE_DASHBOARD, PAGE_STRUCTURE, MainWindow, MemorySettings
from views.structure_page import BedModel

D = dt.date


@pytest.fixture
def world(db, backend):
    sc = scenario(backend)
    return Backend(db, actor="test"), sc


def make_window(qtbot, backend, day=None, settings=None):
    w = MainWindow(backend, today=day or D(2024, 1, 10), settings=settings)
    qtbot.addWidget(w)
    w.show()
    return w


def table(w, name) -> QTableView:
    view = w.findChild(QTableView, name)
    assert view is not None, name
    return view


def cells(view: QTableView, column: int) -> list[str]:
    m = view.model()
    return [m.index(r, column).data() for r in range(m.rowCount())]


def row_of(view: QTableView, first_cell: str) -> list[str]:
    m = view.model()
    for r in range(m.rowCount()):
        if m.index(r, 0).data() == first_cell:
            return [m.index(r, c).data() for c in range(m.columnCount())]
    raise AssertionError(f"no row {first_cell!r} in {cells(view, 0)}")


def set_date(w, day):
    w.findChild(DateEdit, "dateEdit").setDate(QDate(day.year, day.month, day.day))


def test_navigation_shows_programmes_provinces_and_structures(qtbot, world):
    backend, sc = world
    w = make_window(qtbot, backend)
    tree = w.findChild(QTreeWidget, "navigationTree")
    root = tree.topLevelItem(0)
    assert root.text(0) == _("All network")
    programmes = [root.child(i).text(0) for i in range(root.childCount())]
    assert programmes == ["Derive di prova", "SAI minori (prova)", "SAI Valtellina (prova)"]
    valtellina = root.child(2)
    assert [valtellina.child(i).text(0) for i in range(valtellina.childCount())] == ["SO (3)"]
    province = valtellina.child(0)
    province.setExpanded(True)
    assert sorted(province.child(i).text(0) for i in range(province.childCount())) == [
        "T-FAM · Casa Glicine",
        "T-PIC · Casa Betulla",
        "T-UOM · Casa Abete",
    ]
    # choosing a structure opens its page
    tree.setCurrentItem(province.child(0))
    assert w.pages.currentIndex() == PAGE_STRUCTURE
    tree.setCurrentItem(root)
    assert w.pages.currentIndex() == PAGE_DASHBOARD


def test_dashboard_figures_follow_the_date(qtbot, world):
    backend, sc = world
    backend.placements.place(
        sc.mother.id, sc.families.id, D(2024, 1, 5), planned_end=D(2024, 1, 25)
    )
    w = make_window(qtbot, backend, day=D(2024, 1, 4))
    provinces = table(w, "dashboardProvinceTable")
    # Columns: province, structures, capacity, occupied, reserved, out of service, free, rate
    assert row_of(provinces, "SO")[1:7] == ["3", "8", "0", "0", "0", "8"]
    assert row_of(provinces, "MI")[1:7] == ["1", "4", "0", "0", "0", "4"]
    assert w.findChild(QLabel, "tileOccupiedValue").text() == "0"
    assert (
        cells(table(w, "dashboardExpiringTable"), ExpiringModel.HOUSEHOLD) == []
    )  # not yet arrived

    set_date(w, D(2024, 1, 10))
    assert w.day == D(2024, 1, 10)
    assert row_of(provinces, "SO")[1:7] == ["3", "8", "3", "0", "0", "5"]
    assert row_of(provinces, "SO")[7].startswith("37,5")
    assert w.findChild(QLabel, "tileOccupiedValue").text() == "3"
    assert w.findChild(QLabel, "tileFreeValue").text() == "9"
    assert cells(table(w, "dashboardExpiringTable"), ExpiringModel.HOUSEHOLD) == [
        "H000001"
    ]  # ends within 30 days
    programmes = table(w, "dashboardProgrammeTable")
    assert row_of(programmes, "SAI Valtellina (prova)")[3] == "3"
    targets = {
        r[0]: r[4]
        for r in (
            row_of(table(w, "dashboardTargetTable"), t)
            for t in cells(table(w, "dashboardTargetTable"), 0)
        )
    }
    assert targets == {
        _("men"): "2",
        _("women"): "5",
        _("families"): "7",
        _("single-parent families"): "7",
    }

    set_date(w, D(2024, 3, 1))  # planned end passed long ago: no longer "expiring"
    assert cells(table(w, "dashboardExpiringTable"), ExpiringModel.HOUSEHOLD) == []


def test_dashboard_follows_the_navigation(qtbot, world):
    backend, sc = world
    w = make_window(qtbot, backend)
    w.navigation.select(
        w.navigation._find(lambda s: s.programme_code == "ART18-T").data(
            0, Qt.ItemDataRole.UserRole + 10
        )
    )
    assert cells(table(w, "dashboardProvinceTable"), 0) == ["MI"]
    assert w.findChild(QLabel, "tileCapacityValue").text() == "4"
    assert "Derive di prova" in w.date_bar.context_label.text()


def test_structure_page_shows_who_is_in_each_bed_on_any_date(qtbot, world):
    backend, sc = world
    backend.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5))
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)
    assert w.pages.currentIndex() == PAGE_STRUCTURE
    beds = table(w, "structureBedsTable")
    people = [p for p in cells(beds, BedModel.PERSON) if p]
    assert sorted(people) == ["Ğülşen Amina", "Ğülşen Omar", "Ğülşen Łucja"]
    assert set(cells(beds, BedModel.HOUSEHOLD)) == {"H000001", ""}
    assert cells(beds, BedModel.STATUS).count(_("free")) == 1
    assert "Via dei Tigli 3" in w.findChild(QLabel, "structureAddress").text()
    # the same table, the day before the entry: history
    set_date(w, D(2024, 1, 4))
    assert [p for p in cells(beds, BedModel.PERSON) if p] == []
    assert w.findChild(QLabel, "structureHistoryNote").isVisibleTo(w)


def test_confidential_address_is_hidden(qtbot, world):
    backend, sc = world
    w = make_window(qtbot, backend)
    w.show_structure(sc.other.id)
    address = w.findChild(QLabel, "structureAddress").text()
    assert _("Confidential address") in address
    assert "Nascosta" not in address


def test_status_bar_shows_the_database_and_the_date(qtbot, world, engine_name):
    backend, sc = world
    w = make_window(qtbot, backend)
    text = w.findChild(QLabel, "databaseLabel").text()
    assert text == backend.description
    if engine_name == "sqlite":
        assert text.startswith(_("Local file: {path}").split("{")[0]) and text.endswith(
            "test.sqlite3"
        )
    else:
        assert (
            text.startswith(_("Shared server: {host}/{database}").split("{")[0])
            and "127.0.0.1/acc_" in text
        )
    assert "2024" in w.findChild(QLabel, "statusDateLabel").text()


def capacity_answer(day: dt.date, places: int):
    """Stands for the coordinator filling in the capacity dialog and pressing Save."""

    def answer(dlg):
        dlg.date_edit.setDate(QDate(day.year, day.month, day.day))
        dlg.places.setValue(places)
        return QDialog.DialogCode.Accepted

    return answer


def test_change_capacity_from_a_date(qtbot, world, monkeypatch):
    backend, sc = world
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)

    monkeypatch.setattr(CapacityDialog, "exec", capacity_answer(D(2024, 1, 8), 3))
    w.structure_page.capacity_button.click()
    assert cells(table(w, "structureCapacityTable"), 1) == ["4", "3"]
    assert w.findChild(QLabel, "structureTileCapacityValue").text() == "3"


def test_fewer_places_than_people_is_recorded_with_a_warning(
    qtbot, world, monkeypatch, recorded_messages
):
    """The family of three lives in Casa Glicine; its places go down to two from
    1 February: recorded, and the coordinator is told who is one too many, and when."""
    backend, sc = world
    backend.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5), planned_end=D(2024, 7, 5))
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)

    monkeypatch.setattr(CapacityDialog, "exec", capacity_answer(D(2024, 2, 1), 2))
    w.structure_page.capacity_button.click()
    assert cells(table(w, "structureCapacityTable"), 1) == ["4", "2"]
    [warning] = recorded_messages.texts("warning")
    assert "Casa Glicine" in warning and "1° febbraio 2024" in warning and "3" in warning

    monkeypatch.setattr(CapacityDialog, "exec", capacity_answer(D(2024, 3, 1), 3))
    w.structure_page.capacity_button.click()
    assert (
        len(recorded_messages.texts("warning")) == 1
    )  # three places for three: nothing more to say


def test_put_a_free_bed_out_of_service(qtbot, world, monkeypatch, recorded_messages):
    backend, sc = world
    w = make_window(qtbot, backend)
    w.show_structure(sc.men.id)
    page = w.structure_page
    assert not page.bed_buttons["outage"].isEnabled()
    page.beds_table.selectRow(0)
    assert page.bed_buttons["outage"].isEnabled()
    assert not page.bed_buttons["transfer"].isEnabled()  # a free bed has nobody to transfer

    def accept(dlg):
        dlg.reason.setText("muffa")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(OutageDialog, "exec", accept)
    page.bed_buttons["outage"].click()
    assert cells(table(w, "structureBedsTable"), BedModel.STATUS).count(_("out of service")) == 1
    assert cells(table(w, "structureOutageTable"), 4) == ["muffa"]
    assert recorded_messages.shown == []


def test_workflow_dialog_contract_and_refresh(qtbot, world, monkeypatch):
    backend, sc = world
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)
    calls = []

    class FakePlacementDialog(QDialog):
        def __init__(
            self,
            context,
            parent=None,
            *,
            household_id=None,
            placement_id=None,
            structure_id=None,
        ):
            super().__init__(parent)
            assert context.backend is w.backend and context.runner is w.runner
            assert context.selection == w.selection
            calls.append((context.day, household_id, placement_id, structure_id))
            self.changes = Changes(frozenset({sc.families.id}), frozenset({sc.mother.id}))

        def exec(self):
            # As a real dialog does: the write runs in the task runner.
            w.runner.run(
                lambda: backend.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5)),
                on_success=lambda _r: None,
            )
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(w, "dialog_class", lambda key: FakePlacementDialog)
    # The dialog says what it changed: the structure page reads again because its
    # structure is named, without every page being told to read again.
    with qtbot.assertNotEmitted(w.data_changed):
        w.main_actions.placement.trigger()
    assert calls == [(D(2024, 1, 10), None, None, sc.families.id)]
    assert w.last_dialog.changes == Changes(frozenset({sc.families.id}), frozenset({sc.mother.id}))
    assert len([p for p in cells(table(w, "structureBedsTable"), BedModel.PERSON) if p]) == 3
    # an occupied bed row: its placement is handed to the transfer dialog
    w.structure_page.beds_table.selectRow(0)
    assert w.structure_page.bed_buttons["transfer"].isEnabled()
    placement_id = w.structure_page.selected_placement_id()
    assert placement_id is not None


def test_window_layout_and_chart_range_are_remembered(qtbot, world):
    backend, _sc = world
    settings = MemorySettings()
    w = make_window(qtbot, backend, settings=settings)
    w.dashboard.months_combo.setCurrentIndex(w.dashboard.months_combo.findData(24))
    w.resize(1100, 700)
    w.close()
    saved = settings.load()
    assert saved["chart_months"] == 24 and saved["window_geometry"]
    w2 = make_window(qtbot, backend, settings=settings)
    assert w2.dashboard.months() == 24
    assert len(w2.dashboard.chart.points()) == 24


def test_keyboard_shortcuts_open_the_workflows(qtbot, world, monkeypatch):
    backend, _sc = world
    w = make_window(qtbot, backend)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    opened = []
    # the actions call self.open_dialog when triggered: record instead of opening
    monkeypatch.setattr(w, "open_dialog", lambda key, **ids: opened.append(key))
    for key in (Qt.Key.Key_N, Qt.Key.Key_I, Qt.Key.Key_T, Qt.Key.Key_E):
        qtbot.keyClick(w.pages, key, Qt.KeyboardModifier.ControlModifier)
    assert opened == ["register", "placement", "transfer", "exit"]
    qtbot.keyClick(w.pages, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert w.day == D(2024, 1, 9)
    assert w.findChild(DateEdit, "dateEdit").date() == QDate(2024, 1, 9)


def test_dashboard_of_a_structure_and_back_to_the_network(qtbot, world):
    backend, sc = world
    backend.placements.place(sc.mother.id, sc.other.id, D(2024, 1, 5))
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)
    w.show_dashboard()  # the selected structure's own figures
    assert w.findChild(QLabel, "tileCapacityValue").text() == "4"
    assert w.findChild(QLabel, "tileOccupiedValue").text() == "0"
    assert cells(table(w, "dashboardProvinceTable"), 0) == ["SO"]
    w.show_network()
    assert w.findChild(QLabel, "tileCapacityValue").text() == "12"
    assert row_of(table(w, "dashboardProvinceTable"), "MI")[3] == "3"
    assert w.navigation.current_selection().kind == "network"


def test_open_another_database(qtbot, world, tmp_path, monkeypatch):
    from models import schema
    from models.database import Database
    from views.dialogs.open_database_dialog import OpenDatabaseDialog

    backend, _sc = world
    other_path = tmp_path / "altro.sqlite3"
    opened = []

    def open_backend(target, _password=None):
        db = Database(f"sqlite:///{target}")
        schema.upgrade(db)
        opened.append(target)
        return Backend(db)

    w = MainWindow(backend, today=D(2024, 1, 10), open_backend=open_backend)
    qtbot.addWidget(w)
    monkeypatch.setattr(OpenDatabaseDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(OpenDatabaseDialog, "target", lambda self: str(other_path))
    w.main_actions.open_database.trigger()
    assert opened == [str(other_path)]
    assert w.findChild(QLabel, "databaseLabel").text().endswith("altro.sqlite3")
    tree = w.findChild(QTreeWidget, "navigationTree")
    assert tree.topLevelItem(0).childCount() == 0  # the new database has no programmes
    assert w.pages.currentWidget() is w.first_run  # its first page, not an empty dashboard
    w.backend.db.dispose()


def test_refresh_keeps_the_chosen_bed_and_ctrl_f_goes_to_people(qtbot, world):
    backend, sc = world
    backend.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5))
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)
    page = w.structure_page
    page.beds_table.selectRow(2)
    chosen = page.selected_line().bed_id
    w.main_actions.refresh.trigger()
    assert page.selected_line() is not None and page.selected_line().bed_id == chosen
    w.main_actions.search.trigger()
    assert w.current_page() is w.people_page


def test_expiring_row_opens_its_structure(qtbot, world):
    backend, sc = world
    backend.placements.place(
        sc.mother.id, sc.families.id, D(2024, 1, 5), planned_end=D(2024, 1, 20)
    )
    w = make_window(qtbot, backend)
    view = table(w, "dashboardExpiringTable")
    view.doubleClicked.emit(view.model().index(0, 0))
    assert w.current_page() is w.structure_page
    assert w.findChild(QLabel, "structureTitle").text() == "T-FAM · Casa Glicine"


def test_monthly_chart_tells_the_month_under_the_mouse(qtbot, world):
    backend, sc = world
    backend.placements.place(sc.mother.id, sc.families.id, D(2023, 12, 1))
    w = make_window(qtbot, backend)
    chart = w.dashboard.chart
    chart.resize(600, 240)
    points = chart.points()
    assert len(points) == 12 and points[-1][0] == D(2024, 1, 1)
    assert points[-1][1] == 30 / (12 * 10)  # 3 of 12 places, 10 nights of January
    assert chart.point_at(chart.width() - 15) == points[-1]


def test_programme_row_opens_its_dashboard(qtbot, world):
    backend, _sc = world
    w = make_window(qtbot, backend)
    view = table(w, "dashboardProgrammeTable")
    row = cells(view, 0).index("Derive di prova")
    view.doubleClicked.emit(view.model().index(row, 0))
    assert w.selection.programme_code == "ART18-T"
    assert w.findChild(QLabel, "tileCapacityValue").text() == "4"


def test_bed_back_in_service_from_the_chosen_date(qtbot, world, recorded_messages):
    backend, sc = world
    beds = backend.structures.add_room(sc.men.id, "Camera 2", ["X"])
    backend.structures.put_bed_out_of_service(beds[0].id, D(2024, 1, 1), None, "lavori")
    w = make_window(qtbot, backend)
    w.show_structure(sc.men.id)
    page = w.structure_page
    assert cells(table(w, "structureBedsTable"), BedModel.STATUS).count(_("out of service")) == 1
    page.outage_table.selectRow(0)
    assert page.end_outage_button.isEnabled()
    page.end_outage_button.click()
    assert recorded_messages.texts("confirm")  # asked first
    assert cells(table(w, "structureBedsTable"), BedModel.STATUS).count(_("out of service")) == 0
    assert cells(table(w, "structureOutageTable"), 3) == ["10/01/2024"]


def test_changes_made_on_another_pc_appear(qtbot, world):
    backend, sc = world
    w = make_window(qtbot, backend)
    w._check_changes()  # the window learns where the data stand
    assert row_of(table(w, "dashboardProvinceTable"), "SO")[3] == "0"
    other_pc = Backend(backend.db, actor="altro-pc")
    other_pc.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5))
    w._check_changes()  # what the 15-second poll does
    assert row_of(table(w, "dashboardProvinceTable"), "SO")[3] == "3"


def test_navigation_filter_finds_programmes_and_structures(qtbot, world):
    backend, sc = world
    w = make_window(qtbot, backend)
    nav = w.navigation
    nav.filter_edit.setText("glicine")
    nav._apply_filter()  # what the 200 ms timer does
    tree = nav.tree
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == [
        "T-FAM · Casa Glicine"
    ]
    tree.setCurrentItem(tree.topLevelItem(0))
    assert w.current_page() is w.structure_page
    nav.filter_edit.setText("derive")
    nav._apply_filter()
    assert tree.topLevelItem(0).text(0) == "Derive di prova"
    nav.filter_edit.setText("Milano")  # the town of a protected apartment is not searchable
    nav._apply_filter()
    assert tree.topLevelItem(0).text(0) == _("No structure found")
    nav.filter_edit.clear()
    nav._apply_filter()
    assert (
        nav.current_selection().structure_id == sc.families.id
    )  # back to the full tree, same place


def test_closed_structure_says_so(qtbot, world):
    backend, sc = world
    info = backend.directory.structure_by_code("T-UOM")
    backend.structures.update_structure(sc.men.id, info.version, closed_on=D(2023, 12, 31))
    w = make_window(qtbot, backend)
    w.show_structure(sc.men.id)
    note = w.findChild(QLabel, "structureHistoryNote")
    assert note.isVisibleTo(w) and "2023" in note.text()


def test_window_shows_before_the_database_is_open(qtbot, world):
    # The desktop starts this way: the whole window at once, the data when the database is
    # open (desktop/app.py). Meanwhile nothing that needs data can be started.
    backend, sc = world
    backend.placements.place(sc.mother.id, sc.families.id, D(2024, 1, 5))
    w = make_window(qtbot, None)
    assert w.findChild(QLabel, "databaseLabel").text() == _("Opening the database…")
    for act in (
        w.main_actions.placement,
        w.main_actions.transfer,
        w.main_actions.exit,
        w.main_actions.print,
        w.main_actions.people,
        w.main_actions.refresh,
    ):
        assert not act.isEnabled(), act.text()
    assert not w.navigation.isEnabled()
    assert w.open_dialog("placement") is False  # a shortcut that slipped through does nothing
    assert w.findChild(QLabel, "tileOccupiedValue").text() in ("", "—")

    w.set_backend(backend)
    assert w.findChild(QLabel, "databaseLabel").text() == backend.description
    assert w.main_actions.placement.isEnabled() and w.navigation.isEnabled()
    assert w.findChild(QLabel, "tileOccupiedValue").text() == "3"
    assert "2024" in w.findChild(QLabel, "statusDateLabel").text()


def test_structure_and_people_pages_are_built_when_first_shown(qtbot, world):
    backend, sc = world
    settings = MemorySettings()
    w = make_window(qtbot, backend, settings=settings)
    assert w._structure_page is None and w._people_page is None  # the dashboard only
    w.close()
    assert "structure_splitter" not in settings.load()  # nothing invented for a page never seen

    w = make_window(qtbot, backend, settings=settings)
    w.show_structure(sc.families.id)
    assert w.pages.currentWidget() is w.structure_page
    assert len(cells(table(w, "structureBedsTable"), BedModel.STATUS)) == 4  # its beds are listed
    default = w.structure_page.splitter.sizes()
    w.structure_page.splitter.setSizes([100, 400])
    sizes = w.structure_page.splitter.sizes()
    w.close()
    w2 = make_window(qtbot, backend, settings=settings)
    w2.main_actions.structure.trigger()
    assert w2.pages.currentWidget() is w2.structure_page
    restored = w2.structure_page.splitter.sizes()  # restored when the page is built

    def share(pair):
        return pair[0] / sum(pair)

    assert (
        abs(share(restored) - share(sizes)) < 0.02 and abs(share(restored) - share(default)) > 0.1
    )
    w2.main_actions.people.trigger()
    assert (
        w2.pages.currentWidget() is w2.people_page and w2.people_page.objectName() == "peoplePage"
    )


def test_about_names_the_database_in_use(qtbot, world, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    backend, _sc = world
    w = make_window(qtbot, backend)
    shown = []
    monkeypatch.setattr(
        QMessageBox, "about", lambda parent, title, text: shown.append((parent, title, text))
    )
    w.main_actions.about.trigger()
    [(parent, title, text)] = shown
    assert parent is w and title == _("About Accoglienza")
    assert backend.description in text


def test_the_structure_selected_is_shown_again_from_another_page(qtbot, world):
    backend, sc = world
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)
    w.show_people()
    w.show_structure(sc.families.id)  # the navigation does not change: the page still shows
    assert w.current_page() is w.structure_page
    assert w.findChild(QLabel, "structureTitle").text() == "T-FAM · Casa Glicine"


@pytest.mark.parametrize("shown, read_again", [("families", True), ("men", False)])
def test_a_change_on_the_people_page_reaches_the_pages_it_concerns(
    qtbot, world, monkeypatch, shown, read_again
):
    """The household is placed in Casa Glicine from the people page: the structure page
    reads again only if it shows Casa Glicine, the dashboard always."""
    backend, sc = world
    structure = getattr(sc, shown)
    w = make_window(qtbot, backend)
    w.show_structure(structure.id)
    w.show_people()
    page = w.people_page
    page.search.setText("amina")
    page.run_search()
    page.table.selectRow(0)

    def place(dialog):
        dialog.chooser.select_structure(sc.families.id)
        dialog.accept()
        return dialog.result()

    page.exec_dialog = place
    reads = []
    monkeypatch.setattr(w.structure_page, "refresh", lambda: reads.append(structure.id))
    page.place_button.click()
    w.show_structure(structure.id)  # the same structure as before: the page comes back
    assert reads == ([structure.id] if read_again else [])
    w.show_network()
    assert w.findChild(QLabel, "tileOccupiedValue").text() == "3"


def test_a_date_typed_whole_in_the_date_bar_is_the_day_shown(qtbot, world):
    backend, _sc = world
    w = make_window(qtbot, backend, day=D(2024, 1, 4))
    edit = w.findChild(DateEdit, "dateEdit")
    edit.line.setFocus()
    QTest.keyClick(edit.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit.line, "15/01/2024")
    assert w.day == D(2024, 1, 4)  # nothing reloads while it is being typed
    QTest.keyClick(edit.line, Qt.Key.Key_Return)
    assert w.day == D(2024, 1, 15)
    assert edit.line.text() == "15/01/2024"
    QTest.keyClick(edit.line, Qt.Key.Key_Up)
    assert w.day == D(2024, 1, 16)


def test_a_click_in_the_tree_on_the_structure_chosen_shows_it_from_the_people_page(qtbot, world):
    backend, sc = world
    w = make_window(qtbot, backend)
    w.show_structure(sc.families.id)
    w.show_people()
    tree = w.navigation.tree
    item = tree.currentItem()
    assert item is not None
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.current_page() is w.structure_page
    assert w.findChild(QLabel, "structureTitle").text() == "T-FAM · Casa Glicine"


def test_the_tree_counts_numbers_as_numbers(qtbot, world):
    backend, sc = world
    for n in (39, 5, 50):
        backend.structures.create_structure(
            sc.programme.id, f"BS-{n}", f"Brescia {n}", "SO", D(2014, 2, 1), places=1
        )
    w = make_window(qtbot, backend)
    tree = w.findChild(QTreeWidget, "navigationTree")
    province = tree.topLevelItem(0).child(2).child(0)
    province.setExpanded(True)
    names = [province.child(i).text(0) for i in range(province.childCount())]
    assert names[:3] == ["BS-5 · Brescia 5", "BS-39 · Brescia 39", "BS-50 · Brescia 50"]


def test_the_people_page_opens_ready_to_type_a_name(qtbot, world):
    """From the toolbar (or Ctrl+3), the People page takes what is typed next as the
    search: the coordinator does not have to click into the field first."""
    backend, sc = world
    w = make_window(qtbot, backend)
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.main_actions.people.trigger()
    assert w.current_page() is w.people_page
    qtbot.keyClicks(w.focusWidget(), "amina")
    page = w.people_page
    assert page.search.text() == "amina"
    # Enter searches now; the down arrow goes on to the people found, the first chosen.
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    qtbot.waitUntil(lambda: page.household is not None)
    assert page.household.id == sc.mother.id


def test_enter_in_the_navigation_filter_opens_the_first_structure_found(qtbot, world):
    """Typing part of a name and Enter opens the structure, without waiting for the
    filter's pause or reaching for the mouse; the down arrow goes to what was found."""
    backend, sc = world
    w = make_window(qtbot, backend)
    nav = w.navigation
    qtbot.keyClicks(nav.filter_edit, "glicine")
    qtbot.keyClick(nav.filter_edit, Qt.Key.Key_Return)
    assert w.current_page() is w.structure_page
    assert w.selection.structure_id == sc.families.id
    nav.filter_edit.clear()
    qtbot.keyClicks(nav.filter_edit, "derive")
    qtbot.keyClick(nav.filter_edit, Qt.Key.Key_Down)
    assert nav.tree.hasFocus() or w.focusWidget() is nav.tree
    assert nav.tree.currentItem().text(0) == "Derive di prova"
    before = w.selection
    nav.filter_edit.setText("Milano")  # nothing found: Enter does nothing
    qtbot.keyClick(nav.filter_edit, Qt.Key.Key_Return)
    assert w.selection == before
