"""A site sets up its network on screen, from an empty database, with the dialogs alone:
the first-run page, a programme, two structures, rooms and beds, a change of places,
then a placement; and every refusal the network dialogs give, with nothing changed.
On SQLite and PostgreSQL (the ``db`` fixture).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QLabel, QTreeWidgetItem

from models.backend import Backend
from models.i18n import _
from models.results import NewPerson
from tests.models.test_network_editor import audit, snapshot
from views.dialogs.capacity_dialog import CapacityDialog
from views.dialogs.close_dialog import CloseDialog
from views.dialogs.context import DialogContext
from views.dialogs.move_structure_dialog import MoveStructureDialog
from views.dialogs.placement_dialog import PlacementDialog
from views.dialogs.programme_dialog import EditProgrammeDialog, ProgrammeDialog
from views.dialogs.rooms_beds_dialog import RoomsBedsDialog
from views.dialogs.structure_dialog import EditStructureDialog, StructureDialog
from views.main_window import PAGE_DASHBOARD, PAGE_FIRST_RUN, MainWindow
from views.navigation import PROGRAMME, Selection
from views.settings_store import MemorySettings

D = dt.date
TODAY = D(2024, 1, 10)


@pytest.fixture
def backend(db) -> Backend:  # type: ignore[no-untyped-def]
    return Backend(db, actor="test")


def make_window(qtbot, backend: Backend) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(backend, today=TODAY, settings=MemorySettings())
    qtbot.addWidget(w)
    w.show()
    return w


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def typed(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.clear()
    qtbot.keyClicks(field, text)


def date_typed(qtbot, edit, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    edit.line.clear()
    qtbot.keyClicks(edit.line, day.strftime("%d/%m/%Y"))


def drive(w: MainWindow, answers: dict[type, Callable[[QDialog], None]]) -> list[QDialog]:
    """The window's dialogs are answered by ``answers`` (by class) instead of a person;
    each answer ends by pressing OK (or not). Returns the dialogs opened."""
    opened: list[QDialog] = []

    def answer(dialog: QDialog) -> int:
        opened.append(dialog)
        answers[type(dialog)](dialog)
        return dialog.result()

    w.exec_dialog = answer
    return opened


def fill_programme(qtbot):  # type: ignore[no-untyped-def]
    def fill(dlg: ProgrammeDialog) -> None:
        typed(qtbot, dlg.code, "SAI-PROVA")
        typed(qtbot, dlg.name, "SAI Prova")
        dlg.kind.setCurrentIndex(dlg.kind.findData("sai/ord"))
        typed(qtbot, dlg.holder, "Comune di Prova")
        typed(qtbot, dlg.provinces, "SO")
        date_typed(qtbot, dlg.start, D(2023, 1, 1))
        click(qtbot, dlg.ok_button)
        assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()

    return fill


def fill_structure(qtbot, code: str, name: str, places: int):  # type: ignore[no-untyped-def]
    def fill(dlg: StructureDialog) -> None:
        assert dlg.chosen_programme() is not None
        assert dlg.chosen_programme().code == "SAI-PROVA"
        assert dlg.province.text() == "SO"  # the programme's one province, proposed
        assert not dlg.confidential.isChecked()  # a SAI programme: not protected
        typed(qtbot, dlg.code, code)
        typed(qtbot, dlg.name, name)
        typed(qtbot, dlg.comune, "Sondrio")
        dlg.targets["women"].setChecked(True)
        dlg.targets["families"].setChecked(True)
        date_typed(qtbot, dlg.opened, D(2023, 2, 1))
        dlg.places.setValue(places)
        click(qtbot, dlg.ok_button)
        assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()

    return fill


def fill_rooms(qtbot, rooms: list[tuple[str, int]]):  # type: ignore[no-untyped-def]
    def fill(dlg: RoomsBedsDialog) -> None:
        for name, beds in rooms:
            typed(qtbot, dlg.room_name, name)
            dlg.room_beds.setValue(beds)
            click(qtbot, dlg.add_room_button)
            assert dlg.error_label.isHidden(), dlg.error_label.text()
        # One more bed in the first room, then the room renamed.
        dlg.tree.setCurrentItem(dlg.tree.topLevelItem(0))
        typed(qtbot, dlg.bed_label, "3")
        click(qtbot, dlg.add_bed_button)
        dlg.tree.setCurrentItem(dlg.tree.topLevelItem(0))
        typed(qtbot, dlg.new_name, "Stanza grande")
        click(qtbot, dlg.rename_button)
        assert dlg.error_label.isHidden(), dlg.error_label.text()
        click(qtbot, dlg.ok_button)

    return fill


def test_an_empty_database_is_set_up_with_the_dialogs_alone(qtbot, backend, monkeypatch):  # type: ignore[no-untyped-def]
    w = make_window(qtbot, backend)
    # 1. The first-run page stands in for a blank dashboard.
    assert w.pages.currentIndex() == PAGE_FIRST_RUN
    assert w.first_run.isVisible() and w.first_run.create_button.isEnabled()
    w.show_dashboard()
    assert w.pages.currentIndex() == PAGE_FIRST_RUN  # nothing to show there yet

    # 2. The first programme, then (offered at once) its first structure.
    drive(
        w,
        {
            ProgrammeDialog: fill_programme(qtbot),
            StructureDialog: fill_structure(qtbot, "T-UNO", "Casa Uno", 4),
        },
    )
    click(qtbot, w.first_run.create_button)
    assert w.pages.currentIndex() == PAGE_DASHBOARD  # the first-run page is gone
    assert not w.first_run.isVisible()
    programme = backend.directory.programmes()[0]
    assert (programme.code, programme.kind, programme.sai_category) == ("SAI-PROVA", "sai", "ord")
    assert programme.provinces == ("SO",)
    uno = backend.directory.structure_by_code("T-UNO")
    assert uno is not None and uno.targets == frozenset({"women", "families"})

    # 3. A second structure, from the Network menu with the programme selected.
    w.navigation.select(Selection(PROGRAMME, programme.name, programme_code=programme.code))
    drive(w, {StructureDialog: fill_structure(qtbot, "T-DUE", "Casa Due", 2)})
    w.main_actions.new_structure.trigger()
    due = backend.directory.structure_by_code("T-DUE")
    assert due is not None and due.programme_code == "SAI-PROVA"

    # 4. Rooms and beds of Casa Uno, from the structure page's button.
    w.show_structure(uno.id)
    drive(w, {RoomsBedsDialog: fill_rooms(qtbot, [("Stanza 1", 2), ("Stanza 2", 2)])})
    click(qtbot, w.structure_page.network_buttons["rooms"])
    rooms = backend.structures.rooms(uno.id)
    assert [(r.name, [b.label for b in r.beds]) for r in rooms] == [
        ("Stanza 2", ["1", "2"]),
        ("Stanza grande", ["1", "2", "3"]),
    ]
    # and of Casa Due, from the navigation's context menu.
    w.show_structure(due.id)
    drive(w, {RoomsBedsDialog: fill_rooms(qtbot, [("Stanza A", 1)])})
    menu = w.navigation.context_menu_for(w.navigation.tree.currentItem())
    rooms_action = next(a for a in menu.actions() if a.objectName() == "navigation_rooms")
    rooms_action.trigger()
    assert sum(len(r.beds) for r in backend.structures.rooms(due.id)) == 2

    # 5. Casa Uno's places go from 4 to 3 on 1 March 2023.
    w.show_structure(uno.id)

    def capacity(dlg: CapacityDialog) -> int:
        dlg.date_edit.setDate(QDate(2023, 3, 1))
        dlg.places.setValue(3)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CapacityDialog, "exec", capacity)
    click(qtbot, w.structure_page.capacity_button)
    assert w.findChild(QLabel, "structureTileCapacityValue").text() == "3"

    # 6. A household placed there.
    household = backend.people.register_household(
        [NewPerson("Ada", "Prova", "F", D(1990, 1, 1), citizenship="Eritrea")]
    )
    dlg = PlacementDialog(DialogContext(backend, w.runner, TODAY), w, household_id=household.id)
    qtbot.addWidget(dlg)
    dlg.chooser.select_structure(uno.id)
    assert dlg.chooser.report().fits
    click(qtbot, dlg.ok_button)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    row = {r.key: r for r in backend.occupancy.at(TODAY)}["T-UNO"]
    assert (row.capacity, row.beds, row.occupied, row.free) == (3, 5, 1, 2)
    # Every change left its entry in the audit trail.
    assert audit(backend, "programme", programme.id) == ["create"]
    assert audit(backend, "structure", uno.id) == ["create"]
    assert audit(backend, "room", rooms[1].id) == ["create", "rename"]
    assert audit(backend, "bed", rooms[1].beds[2].id) == ["create"]


@pytest.fixture
def placed(backend):  # type: ignore[no-untyped-def]
    """A programme, a structure with two beds, a woman placed there from 1 March 2024."""
    p = backend.structures.create_programme("SAI-T", "SAI di prova", "sai", D(2020, 1, 1))
    other = backend.structures.create_programme("SAI-ALTRO", "Altro", "sai", D(2020, 1, 1))
    st = backend.structures.create_structure(p.id, "T-1", "Casa Uno", "SO", D(2020, 2, 1), places=2)
    backend.structures.add_room(st.id, "Stanza 1", 2)
    h = backend.people.register_household([NewPerson("Ada", "Prova", "F", D(1990, 1, 1))])
    backend.placements.place(h.id, st.id, D(2024, 3, 1))
    return p, other, st


def refused(dlg) -> str:  # type: ignore[no-untyped-def]
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert not dlg.error_label.isHidden()
    return dlg.error_label.text()


def test_each_refusal_of_the_network_dialogs_changes_nothing(qtbot, backend, placed):  # type: ignore[no-untyped-def]
    p, other, st = placed
    w = make_window(qtbot, backend)
    assert w.pages.currentIndex() == PAGE_DASHBOARD  # a network: no first-run page
    before = snapshot(backend)
    ctx = DialogContext(backend, w.runner, D(2024, 6, 1))

    # Closing the structure on a day someone still sleeps there after.
    dlg = CloseDialog(ctx, w, structure_id=st.id)
    qtbot.addWidget(dlg)
    date_typed(qtbot, dlg.last_day, D(2024, 5, 31))
    click(qtbot, dlg.ok_button)
    assert "31 maggio 2024" in refused(dlg)
    assert snapshot(backend) == before

    # Retiring the occupied bed.
    dlg = RoomsBedsDialog(ctx, w, structure_id=st.id)
    qtbot.addWidget(dlg)
    occupied = backend.directory.stays_of_household(
        backend.directory.search_people("Ada")[0].household_id
    )[0].bed_id
    room = dlg.tree.topLevelItem(0)
    item = next(
        room.child(i)
        for i in range(room.childCount())
        if room.child(i).data(0, Qt.ItemDataRole.UserRole + 1)[1].id == occupied
    )
    dlg.tree.setCurrentItem(item)
    date_typed(qtbot, dlg.retire_from, D(2024, 6, 1))
    click(qtbot, dlg.retire_button)
    assert not dlg.error_label.isHidden() and "Stanza 1" in dlg.error_label.text()
    assert snapshot(backend) == before
    assert dlg.changes.message == ""

    # Ending the programme before its structure closes.
    w.navigation.select(Selection(PROGRAMME, p.name, programme_code=p.code))
    ctx = DialogContext(backend, w.runner, D(2024, 6, 1), w.selection)
    dlg = CloseDialog(ctx, w)
    qtbot.addWidget(dlg)
    assert dlg.programme is not None and dlg.programme.code == "SAI-T"
    date_typed(qtbot, dlg.last_day, D(2024, 12, 31))
    click(qtbot, dlg.ok_button)
    assert "T-1" in refused(dlg)
    assert snapshot(backend) == before

    # Moving the structure to another programme while someone sleeps there.
    dlg = MoveStructureDialog(ctx, w, structure_id=st.id)
    qtbot.addWidget(dlg)
    dlg.target.setCurrentIndex(dlg.target.findData(other.id))
    date_typed(qtbot, dlg.from_date, D(2024, 6, 1))
    click(qtbot, dlg.ok_button)
    assert refused(dlg)
    assert snapshot(backend) == before

    # A new structure with a code already taken.
    dlg = StructureDialog(ctx, w)
    qtbot.addWidget(dlg)
    typed(qtbot, dlg.code, "T-1")
    typed(qtbot, dlg.name, "Doppione")
    typed(qtbot, dlg.province, "SO")
    click(qtbot, dlg.ok_button)
    assert "T-1" in refused(dlg)
    assert snapshot(backend) == before


def test_a_stale_copy_is_refused_and_the_dialog_shows_the_data_as_they_are_now(
    qtbot, backend, placed
):  # type: ignore[no-untyped-def]
    p, _other, st = placed
    w = make_window(qtbot, backend)
    ctx = DialogContext(backend, w.runner, TODAY)
    dlg = EditStructureDialog(ctx, w, structure_id=st.id)
    qtbot.addWidget(dlg)
    assert dlg.name.text() == "Casa Uno"
    # Meanwhile, on another PC:
    backend.structures.update_structure(st.id, st.version, name="Casa Uno bis")
    before = snapshot(backend)
    typed(qtbot, dlg.name, "Casa Nuova")
    click(qtbot, dlg.ok_button)
    text = refused(dlg)
    assert _("nothing was saved") in text
    assert snapshot(backend) == before
    assert dlg.name.text() == "Casa Uno bis"  # read again: the coordinator checks and repeats
    click(qtbot, dlg.ok_button)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()

    # The programme's form, the same.
    ctx = DialogContext(
        backend, w.runner, TODAY, Selection(PROGRAMME, p.name, programme_code=p.code)
    )
    dlg = EditProgrammeDialog(ctx, w)
    qtbot.addWidget(dlg)
    assert dlg.code.text() == "SAI-T"
    backend.structures.update_programme(p.id, p.version, holder="Provincia di Sondrio")
    before = snapshot(backend)
    typed(qtbot, dlg.name, "Nuovo nome")
    click(qtbot, dlg.ok_button)
    refused(dlg)
    assert snapshot(backend) == before
    assert dlg.holder.text() == "Provincia di Sondrio"


def test_the_navigation_menu_offers_what_fits_the_item(qtbot, backend, placed):  # type: ignore[no-untyped-def]
    _p, _other, st = placed
    w = make_window(qtbot, backend)
    tree = w.navigation.tree
    root: QTreeWidgetItem = tree.topLevelItem(0)
    names = lambda item: [  # noqa: E731
        a.objectName() for a in w.navigation.context_menu_for(item).actions() if a.objectName()
    ]
    assert names(root) == ["navigation_new_programme", "navigation_new_structure"]
    assert names(root.child(0))[:2] == ["navigation_edit_programme", "navigation_close"]
    w.show_structure(st.id)
    assert names(tree.currentItem())[:4] == [
        "navigation_edit_structure",
        "navigation_rooms",
        "navigation_move_structure",
        "navigation_close",
    ]


def test_the_first_run_page_opens_the_demo_network_in_its_own_database(qtbot, backend, tmp_path):  # type: ignore[no-untyped-def]
    """The demo comes from a database of its own (made by the desktop, as ``--demo``
    does): the empty one is left as it was, and the dashboard shows the demo."""
    from models import schema
    from models.database import Database
    from tests.factories import scenario

    demo_db = Database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    schema.upgrade(demo_db)
    demo = Backend(demo_db, actor="test")
    scenario(demo)
    before = snapshot(backend)
    w = MainWindow(backend, today=TODAY, settings=MemorySettings(), open_demo=lambda: demo)
    qtbot.addWidget(w)
    w.show()
    assert w.pages.currentIndex() == PAGE_FIRST_RUN
    assert w.first_run.demo_button.isEnabled()
    click(qtbot, w.first_run.demo_button)
    assert w.backend is demo
    assert w.pages.currentIndex() == PAGE_DASHBOARD
    assert w.navigation.structures()  # the demo's network on the left
    assert snapshot(backend) == before  # nothing written into the empty database
    demo_db.dispose()


def test_a_structure_without_beds_says_where_to_add_them(qtbot, backend) -> None:  # type: ignore[no-untyped-def]
    programme = backend.structures.create_programme("SAI-NUOVO", "SAI Nuovo", "sai", D(2024, 1, 1))
    st = backend.structures.create_structure(
        programme.id, "N-01", "Casa Nuova", "SO", D(2024, 1, 1), places=2
    )
    w = make_window(qtbot, backend)
    w.show_structure(st.id)
    note = w.structure_page.history_label
    assert note.isVisibleTo(w) and _("Rooms and beds…") in note.text()
    backend.structures.add_room(st.id, "Stanza 1", ["A", "B"])
    w.refresh_all()
    assert _("Rooms and beds…") not in note.text()
