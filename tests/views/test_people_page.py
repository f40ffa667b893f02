"""The people page on real widgets: search as you type, the household editor, the history,
and the workflow dialogs opened from it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog

from models.backend import Backend
from models.i18n import _, ngettext
from models.results import NewPerson
from tests.factories import scenario
from views.dialogs.placement_dialog import PlacementDialog
from views.dialogs.register_household_dialog import RegisterHouseholdDialog
from views.people_page import PeoplePage
from views.people_tables import PAGE_SIZE
from views.tasks import TaskRunner

D = dt.date
DAY = D(2024, 3, 1)


@pytest.fixture
def backend(db) -> Backend:  # type: ignore[no-untyped-def]
    return Backend(db, actor="test")


@pytest.fixture
def sc(backend):  # type: ignore[no-untyped-def]
    return scenario(backend)


@pytest.fixture
def page(qtbot, backend, sc) -> PeoplePage:  # type: ignore[no-untyped-def]
    p = PeoplePage(backend, day=DAY)
    qtbot.addWidget(p)
    p.show()
    return p


def shown_names(page: PeoplePage) -> list[str]:
    return [f"{page.model.row_at(r).first_name}" for r in range(page.model.rowCount())]


def type_search(qtbot, page: PeoplePage, text: str) -> None:  # type: ignore[no-untyped-def]
    page.search.clear()
    if text.isascii():
        qtbot.keyClicks(page.search, text)
    else:  # QTest types ASCII keys only
        page.search.setText(text)
    # The search runs a moment after the last key (debounce), not at every key.
    qtbot.waitUntil(lambda: not page.timer.isActive())


def test_search_as_you_type_finds_a_person_by_part_of_the_name(qtbot, page, sc) -> None:  # type: ignore[no-untyped-def]
    assert page.model.rowCount() == 0  # nobody is loaded before a search
    type_search(qtbot, page, "ami")
    assert shown_names(page) == ["Amina"]
    type_search(qtbot, page, "ülş")
    assert sorted(shown_names(page)) == ["Amina", "Omar", "Łucja"]
    type_search(qtbot, page, "gulsen")  # typed without the accents of an Italian keyboard
    assert sorted(shown_names(page)) == ["Amina", "Omar", "Łucja"]
    type_search(qtbot, page, "lucja")
    assert shown_names(page) == ["Łucja"]
    type_search(qtbot, page, "turch")  # citizenship
    assert shown_names(page) == ["Amina"]
    type_search(qtbot, page, "P000003")  # code
    assert shown_names(page) == ["Omar"]
    type_search(qtbot, page, "amina x")  # every word must match
    assert shown_names(page) == []
    assert page.count_label.text() == _("Nobody found. Check the spelling, or register the person.")


def test_long_results_load_a_page_at_a_time(qtbot, page, backend) -> None:  # type: ignore[no-untyped-def]
    many = [
        NewPerson(
            f"Nome{i:03d}",
            "Rossetti",
            "M",
            D(1990, 1, 1),
            relationship="reference" if i == 0 else "other_relative",
        )
        for i in range(PAGE_SIZE + 30)
    ]
    backend.people.register_household(many)
    type_search(qtbot, page, "rossetti")
    assert page.model.rowCount() == PAGE_SIZE
    assert not page.model.all_loaded()
    page.model.fetchMore(page.model.index(0, 0).parent())
    assert page.model.rowCount() == PAGE_SIZE + 30
    assert page.model.all_loaded()
    assert page.count_label.text() == ngettext("{n} person found", "{n} people found", 2).format(
        n=PAGE_SIZE + 30
    )


def test_household_editor_shows_minors_relationships_and_history(qtbot, page, backend, sc) -> None:  # type: ignore[no-untyped-def]
    backend.placements.place(sc.mother.id, sc.families.id, DAY)
    type_search(qtbot, page, "omar")
    page.table.selectRow(0)
    assert page.household.id == sc.mother.id
    assert page.members.rowCount() == 3
    ages = [page.members.item(r, 3).text() for r in range(3)]
    assert [(_("minor") in a) for a in ages] == [False, True, True]
    assert page.history.model().rowCount() == 1
    assert page.history.model().index(0, 0).data() == "Casa Glicine (T-FAM)"
    assert page.transfer_button.isEnabled() and page.exit_button.isEnabled()

    # Making a child the reference person: the mother stops being it (one reference only).
    omar = next(m.person for m in sc.mother.members if m.person.first_name == "Omar")
    combo = page.members.findChild(QComboBox, f"relationship_{omar.id}")
    with qtbot.waitSignal(page.changes_made) as changed:
        combo.setCurrentIndex(combo.findData("reference"))
    assert changed.args[0].households == {sc.mother.id}
    qtbot.waitUntil(lambda: backend.directory.household(sc.mother.id).reference.id == omar.id)
    rels = {
        m.person.first_name: m.relationship
        for m in backend.directory.household(sc.mother.id).members
    }
    assert list(rels.values()).count("reference") == 1


def test_buttons_open_the_workflows_for_the_chosen_household(qtbot, page, backend, sc) -> None:  # type: ignore[no-untyped-def]
    type_search(qtbot, page, "amina")
    page.table.selectRow(0)
    assert not page.transfer_button.isEnabled()  # not placed yet
    opened: list[QDialog] = []

    def place(dialog: QDialog) -> int:
        opened.append(dialog)
        assert isinstance(dialog, PlacementDialog)
        assert dialog.picker.household.id == sc.mother.id
        dialog.chooser.select_structure(sc.families.id)
        dialog.accept()
        return dialog.result()

    page.exec_dialog = place
    with qtbot.waitSignal(page.changes_made) as changed:
        qtbot.mouseClick(page.place_button, Qt.MouseButton.LeftButton)
    assert changed.args[0].households == {sc.mother.id}
    assert changed.args[0].structures == {sc.families.id}
    assert opened and opened[0].result() == QDialog.DialogCode.Accepted
    assert page.transfer_button.isEnabled()
    assert page.history.model().rowCount() == 1

    def add_member(dialog: QDialog) -> int:
        assert isinstance(dialog, RegisterHouseholdDialog) and dialog.household_id == sc.mother.id
        row = dialog.rows[0]
        row.first_name.setText("Yusuf")
        row.sex.setCurrentIndex(row.sex.findData("M"))
        row.birth_date.setText("02/02/2023")
        dialog.accept()
        return dialog.result()

    page.exec_dialog = add_member
    qtbot.mouseClick(page.add_member_button, Qt.MouseButton.LeftButton)
    assert page.members.rowCount() == 4
    assert _("minor") in page.members.item(3, 3).text()


def test_register_opens_the_new_household(qtbot, page, backend) -> None:  # type: ignore[no-untyped-def]
    def register(dialog: QDialog) -> int:
        row = dialog.rows[0]
        row.first_name.setText("Esther")
        row.last_name.setText("Nwosu")
        row.sex.setCurrentIndex(row.sex.findData("F"))
        dialog.accept()
        return dialog.result()

    page.exec_dialog = register
    with qtbot.waitSignal(page.changes_made) as changed:
        qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    assert shown_names(page) == ["Esther"]
    assert page.household is not None and page.members.rowCount() == 1
    assert changed.args[0].households == {page.household.id}


def test_edit_a_members_details_from_the_household(qtbot, page, backend, sc) -> None:  # type: ignore[no-untyped-def]
    type_search(qtbot, page, "amina")
    page.table.selectRow(0)
    lucja_row = next(
        r for r in range(page.members.rowCount()) if "Łucja" in page.members.item(r, 0).text()
    )
    page.members.selectRow(lucja_row)
    assert page.person.first_name == "Łucja"
    assert "Łucja" in page.history_title.text()

    def edit(dialog: QDialog) -> int:
        dialog.birth_date.setText("31/31/2015")
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted and dialog.error_label.text()
        dialog.birth_date.setText("01/06/2015")
        dialog.first_name.setText("Lucia")
        dialog.accept()
        return dialog.result()

    page.exec_dialog = edit
    with qtbot.waitSignal(page.changes_made) as changed:
        qtbot.mouseClick(page.edit_person_button, Qt.MouseButton.LeftButton)
    assert changed.args[0].households == {sc.mother.id}
    names = {m.person.first_name for m in backend.directory.household(sc.mother.id).members}
    assert names == {"Amina", "Lucia", "Omar"}
    type_search(qtbot, page, "lucia")
    assert shown_names(page) == ["Lucia"]


def test_relationship_lists_are_reached_with_tab(qtbot, page, sc) -> None:  # type: ignore[no-untyped-def]
    """In the household, Tab goes from the members to each one's relationship list in
    turn, then to the buttons below: relationships can be changed without the mouse."""
    from tests.views.keyboard import tab_from

    type_search(qtbot, page, "omar")
    page.table.selectRow(0)
    qtbot.waitExposed(page)
    combos = [page.members.cellWidget(row, 4) for row in range(page.members.rowCount())]
    assert len(combos) == 3 and all(isinstance(c, QComboBox) for c in combos)
    *reached, after = tab_from(qtbot, page.members, len(combos) + 1)
    assert reached == combos
    assert after is page.add_member_button


def test_codes_and_birth_dates_are_shown_whole(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(synchronous=False)  # as in the window: the rows come afterwards
    page = PeoplePage(backend, runner=runner, day=DAY)
    qtbot.addWidget(page)
    page.show()
    type_search(qtbot, page, "gulsen")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5000)
    qtbot.wait(50)
    metrics = page.table.fontMetrics()
    header = page.table.horizontalHeader()
    for column in range(page.model.columnCount()):
        for row in range(page.model.rowCount()):
            text = page.model.index(row, column).data() or ""
            # The text and the cell's margins fit in the column: nothing ends in "…".
            assert header.sectionSize(column) >= metrics.horizontalAdvance(str(text)), (
                column,
                text,
            )
    runner.wait_all()


def test_homonyms_are_told_apart_and_the_reference_person_comes_first(
    qtbot, page, backend, sc
) -> None:  # type: ignore[no-untyped-def]
    placed = backend.people.register_household(
        [
            NewPerson("Zeno", "Ferri", "M", D(1980, 1, 1)),
            NewPerson("Ada", "Ferri", "F", D(2016, 5, 7), relationship="child"),
        ]
    )
    alone = backend.people.register_household([NewPerson("Zeno", "Ferri", "M", D(1985, 2, 3))])
    backend.placements.place(placed.id, sc.small.id, DAY - dt.timedelta(days=10))
    type_search(qtbot, page, "ferri")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5000)
    headers = [
        page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())
    ]
    code, birth, where = (headers.index(_(h)) for h in ("Code", "Birth date", "Structure"))
    rows = [
        [page.model.index(r, c).data() for c in (code, birth, where)]
        for r in range(page.model.rowCount())
    ]
    ref, child = (m.person for m in placed.members)
    # Both reference persons before the child, though "Ada" sorts before "Zeno".
    assert [page.model.row_at(r).id for r in range(3)][2] == child.id
    by_code = {row[0]: row for row in rows}
    assert by_code[ref.code][2] == "T-PIC"
    assert by_code[alone.members[0].person.code][2] in ("", None)
    assert by_code[ref.code][1] != by_code[alone.members[0].person.code][1]


def test_a_reader_finds_people_by_code_and_alias_and_sees_no_name(qtbot, db, backend) -> None:  # type: ignore[no-untyped-def]
    from models.access import Principal, Role
    from models.database import Database
    from tests.models.test_canary import ALIAS, CANARIES, plant
    from views.people_tables import PeopleModel

    planted = plant(backend)
    reader_db = Database(db.url)
    reader = Backend(reader_db, principal=Principal.assigned("lettore", Role.READER))
    page = PeoplePage(reader, day=DAY)
    qtbot.addWidget(page)
    page.show()
    type_search(qtbot, page, ALIAS)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    for column in (PeopleModel.LAST_NAME, PeopleModel.FIRST_NAME, PeopleModel.CITIZENSHIP):
        assert page.table.isColumnHidden(column)
    assert not page.table.isColumnHidden(PeopleModel.ALIAS)
    page.show_person(planted.person_id, planted.household_id)
    qtbot.waitUntil(lambda: page.household is not None)
    shown = " ".join(
        str(page.model.index(r, c).data())
        for r in range(page.model.rowCount())
        for c in range(page.model.columnCount())
    ) + " ".join(w.text() for w in page.findChildren(type(page.count_label)))
    assert planted.person_code in shown
    assert not any(c in shown for c in CANARIES)
    reader_db.dispose()
