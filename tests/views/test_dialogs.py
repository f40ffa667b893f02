"""The workflow dialogs on real widgets, on SQLite and PostgreSQL.

A single-parent family (a mother and two minors) is placed, transferred and sent out
with the dialogs, and after each step the screens of the main window show the figures a
coordinator would check. Refusals are shown in the dialog, which stays open, and change
nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTableView, QWidget

from models.backend import Backend
from models.i18n import _
from models.results import Changes, NewPerson
from tests.factories import scenario
from views.dialogs.context import DialogContext
from views.dialogs.correction_dialog import CorrectionDialog
from views.dialogs.exit_dialog import ExitDialog
from views.dialogs.extension_dialog import ExtensionDialog
from views.dialogs.placement_dialog import PlacementDialog
from views.dialogs.register_household_dialog import RegisterHouseholdDialog
from views.dialogs.reservation_dialog import ReservationDialog
from views.dialogs.transfer_dialog import TransferDialog
from views.main_window import MainWindow
from views.navigation import NETWORK, Selection
from views.people_page import PeoplePage
from views.tasks import TaskRunner

D = dt.date
ENTRY, MOVE, LEAVE = D(2024, 3, 1), D(2024, 4, 15), D(2024, 6, 1)


@pytest.fixture
def backend(db) -> Backend:  # type: ignore[no-untyped-def]
    return Backend(db, actor="test")


@pytest.fixture
def sc(backend):  # type: ignore[no-untyped-def]
    return scenario(backend)


# -- helpers -------------------------------------------------------------------------


def context(backend: Backend, day: dt.date, win: MainWindow | None = None) -> DialogContext:
    """What a dialog is built from: the window's runner, or one of its own."""
    return DialogContext(backend, win.runner if win is not None else TaskRunner(), day)


def click_ok(qtbot, dialog: QDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def choose_structure(dialog, structure_id: int) -> None:  # type: ignore[no-untyped-def]
    dialog.chooser.select_structure(structure_id)
    assert dialog.chooser.structure_id() == structure_id


def table_texts(view: QTableView) -> list[dict[str, str]]:
    """Rows of a table view as {header: shown text}."""
    model = view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return [
        {headers[c]: model.index(r, c).data() or "" for c in range(model.columnCount())}
        for r in range(model.rowCount())
    ]


def tile(win: QWidget, name: str) -> str:
    return win.findChild(QWidget, name).value()


def live_counts(backend, day: dt.date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(people in a bed on the night of ``day``, placements of every household)."""
    people = len(backend.presence.who_is_where(day))
    placements = sum(
        len(backend.directory.placements_of_household(h))
        for h in {p.household_id for p in backend.directory.search_people("", limit=1000)}
    )
    return people, placements


def province_occupied(win: MainWindow) -> dict[str, str]:
    """Occupied beds per province, as the dashboard's table shows them for the whole network."""
    win.set_selection(Selection(NETWORK, "network"))
    win.show_dashboard()
    rows = table_texts(win.findChild(QTableView, "dashboardProvinceTable"))
    return {r[_("Province")]: r[_("Occupied")] for r in rows}


def structure_beds(win: MainWindow, structure_id: int) -> list[dict[str, str]]:
    win.show_structure(structure_id)
    win.structure_page.set_context(win.day, structure_id)
    return table_texts(win.findChild(QTableView, "structureBedsTable"))


# -- the family's journey ---------------------------------------------------------------


def test_place_transfer_exit_single_parent_family(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(backend, today=ENTRY)
    qtbot.addWidget(win)
    people = PeoplePage(backend, day=ENTRY)
    qtbot.addWidget(people)

    # 1. Place the mother and her two children into Casa Glicine.
    dlg = PlacementDialog(context(backend, ENTRY, win), win, household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    choose_structure(dlg, sc.families.id)
    assert dlg.chooser.report().fits
    assert not dlg.override.isVisible()
    assert len(dlg.members.chosen_beds()) == 3  # a free bed proposed for each of them
    dlg.planned_end.edit.set_value(D(2024, 9, 1))
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert dlg.changes == Changes(frozenset({sc.families.id}), frozenset({sc.mother.id}))
    win.data_changed.emit()

    win.show_dashboard()
    assert tile(win, "tileOccupied") == "3"
    assert province_occupied(win) == {"MI": "0", "SO": "3"}
    beds = structure_beds(win, sc.families.id)
    assert [b[_("Household")] for b in beds].count(sc.mother.code) == 3
    assert tile(win, "structureTileOccupied") == "3"
    assert tile(win, "structureTileFree") == "1"

    # 2. Transfer the whole family to the protected apartment of the other programme.
    win.set_day(MOVE)
    dlg = TransferDialog(context(backend, MOVE, win), win, household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    assert len(dlg.members.people) == 3 and dlg.members.all_checked()
    choose_structure(dlg, sc.other.id)
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    # Both ends of the move changed.
    assert dlg.changes == Changes(
        frozenset({sc.families.id, sc.other.id}), frozenset({sc.mother.id})
    )
    win.data_changed.emit()

    assert all(b[_("Household")] == "" for b in structure_beds(win, sc.families.id))
    assert tile(win, "structureTileOccupied") == "0"
    moved = structure_beds(win, sc.other.id)
    assert [b[_("Household")] for b in moved].count(sc.mother.code) == 3
    assert tile(win, "structureTileOccupied") == "3"
    win.show_dashboard()
    assert tile(win, "tileOccupied") == "3"
    assert province_occupied(win) == {"MI": "3", "SO": "0"}

    people.search.setText("Amina")
    people.run_search()
    people.table.selectRow(0)
    history = table_texts(people.history)
    assert [h[_("Structure")] for h in history] == [
        "Casa Glicine (T-FAM)",
        "Appartamento Riservato (T-ART)",
    ]
    assert history[0][_("To")] == "15/04/2024" and history[1][_("From")] == "15/04/2024"

    # 3. Record the exit of the family.
    win.set_day(LEAVE)
    dlg = ExitDialog(context(backend, LEAVE, win), win, household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    assert len(dlg.members.people) == 3
    dlg.reason.setCurrentIndex(dlg.reason.findData("socio_economic"))
    dlg.destination.setText("Sondrio, alloggio privato")
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert dlg.changes == Changes(frozenset({sc.other.id}), frozenset({sc.mother.id}))
    win.data_changed.emit()

    assert tile(win, "tileOccupied") == "0"
    assert province_occupied(win) == {"MI": "0", "SO": "0"}
    assert all(b[_("Household")] == "" for b in structure_beds(win, sc.other.id))
    assert tile(win, "structureTileFree") == "4"
    # The day before the exit they were still there: history is kept.
    win.set_day(LEAVE - dt.timedelta(days=1))
    assert [b[_("Household")] for b in structure_beds(win, sc.other.id)].count(sc.mother.code) == 3
    assert tile(win, "structureTileOccupied") == "3"

    people.refresh()
    history = table_texts(people.history)
    assert history[-1][_("To")] == "01/06/2024"
    placements = table_texts(people.placements)
    assert [p[_("State")] for p in placements] == [_("exited"), _("exited")]
    assert placements[-1][_("Exit reason")] == _("socio-economic integration")


# -- refusals ---------------------------------------------------------------------------


def test_placing_into_a_full_structure_is_refused_with_a_message(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    other = backend.people.register_household(
        [
            NewPerson("Joy", "Edo", "F", D(1992, 1, 1)),
            NewPerson("Blessing", "Edo", "F", D(2019, 1, 1), relationship="child"),
        ]
    )
    backend.placements.place(other.id, sc.small.id, ENTRY)
    before = live_counts(backend, ENTRY)

    dlg = PlacementDialog(context(backend, ENTRY), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    choose_structure(dlg, sc.small.id)
    rep = dlg.chooser.report()
    assert not rep.fits and not rep.target_group_problem
    # The list and the explanation say why before anything is tried.
    row = dlg.chooser.table.currentRow()
    assert dlg.chooser.table.item(row, dlg.chooser.COL_FREE).text() == "0"
    assert "✘" in dlg.chooser.table.item(row, dlg.chooser.COL_FIT).text()
    assert "Casa Betulla" in dlg.chooser.explanation.text()
    click_ok(qtbot, dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.isVisible() or not dlg.result()
    assert "Casa Betulla" in dlg.error_label.text()
    assert live_counts(backend, ENTRY) == before
    assert dlg.changes == Changes() and dlg.ok_button.isEnabled()  # ready for another try


def test_the_fit_counts_places_up_to_the_planned_end(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    """Casa Glicine goes down to two places on 1 April: the family of three fits until
    then, and the list says so as the planned end moves."""
    backend.structures.set_capacity(sc.families.id, D(2024, 4, 1), 2, "lavori")
    dlg = PlacementDialog(context(backend, ENTRY), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    choose_structure(dlg, sc.families.id)
    row = dlg.chooser.table.currentRow()
    # Six months by default: past 1 April.
    assert dlg.planned_end.value() == D(2024, 9, 1)
    assert not dlg.chooser.report().fits
    assert "✘" in dlg.chooser.table.item(row, dlg.chooser.COL_FIT).text()
    assert "1° aprile 2024" in dlg.chooser.explanation.text()
    dlg.planned_end.edit.set_value(D(2024, 4, 1))
    qtbot.waitUntil(
        lambda: dlg.chooser.report() is not None and dlg.chooser.report().fits, timeout=3000
    )
    assert "✔" in dlg.chooser.table.item(row, dlg.chooser.COL_FIT).text()
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert backend.directory.placements_of_household(sc.mother.id)[0].planned_end == D(2024, 4, 1)


def test_moving_to_another_bed_of_a_full_structure_fits(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    """Casa Glicine has four beds and two places, both taken: Ada can still change bed
    there, since she leaves her own place. The list says so, and the move is made."""
    backend.structures.set_capacity(sc.families.id, D(2024, 1, 1), 2, "lavori")
    ada, bice = (
        backend.people.register_household([NewPerson(name, "Prova", "F", D(1990, 1, 1))])
        for name in ("Ada", "Bice")
    )
    moving = backend.placements.place(ada.id, sc.families.id, ENTRY)
    backend.placements.place(bice.id, sc.families.id, ENTRY)
    dlg = TransferDialog(context(backend, MOVE), placement_id=moving.id)
    qtbot.addWidget(dlg)
    choose_structure(dlg, sc.families.id)
    assert dlg.chooser.report().fits, dlg.chooser.report().reasons
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    person = ada.members[0].person.id
    [before] = [r for r in backend.presence.who_is_where(ENTRY) if r.person_id == person]
    [after] = [r for r in backend.presence.who_is_where(MOVE) if r.person_id == person]
    assert after.structure_id == sc.families.id and after.bed_id != before.bed_id


def test_wrong_target_group_needs_a_reason_which_is_recorded(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    man = backend.people.register_household([NewPerson("Kofi", "Mensah", "M", D(1988, 5, 5))])
    before = live_counts(backend, ENTRY)

    dlg = PlacementDialog(context(backend, ENTRY), household_id=man.id)
    qtbot.addWidget(dlg)
    dlg.show()
    choose_structure(dlg, sc.families.id)
    rep = dlg.chooser.report()
    assert rep.target_group_problem
    assert dlg.override.isVisible()
    assert rep.reasons[0] in dlg.chooser.explanation.text()
    click_ok(qtbot, dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.error_label.isVisible() and dlg.error_label.text()
    assert live_counts(backend, ENTRY) == before
    assert dlg.changes == Changes()

    qtbot.keyClicks(
        dlg.override, "Nessun posto per uomini in provincia; accordo con il Servizio Centrale"
    )
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    stays = backend.directory.person_history(man.members[0].person.id)
    assert len(stays) == 1 and stays[0].structure_id == sc.families.id
    assert stays[0].override_reason.startswith("Nessun posto per uomini")

    page = PeoplePage(backend, day=ENTRY)
    qtbot.addWidget(page)
    page.search.setText("Mensah")
    page.run_search()
    page.table.selectRow(0)
    assert "Nessun posto per uomini" in table_texts(page.history)[0][_("Note")]


def test_dialogs_refuse_bad_input_and_change_nothing(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY, planned_end=D(2024, 9, 1))
    before = live_counts(backend, MOVE)

    def refused(dlg: QDialog, expected: str | None = None) -> None:
        qtbot.addWidget(dlg)
        click_ok(qtbot, dlg)
        assert dlg.result() != QDialog.DialogCode.Accepted
        assert dlg.error_label.text(), "no message shown"
        if expected is not None:
            assert dlg.error_label.text().splitlines()[0] == expected
        assert live_counts(backend, MOVE) == before

    # Placement: planned end before the entry.
    dlg = PlacementDialog(context(backend, MOVE), household_id=sc.mother.id)
    choose_structure(dlg, sc.other.id)
    dlg.planned_end.edit.set_value(MOVE - dt.timedelta(days=3))
    refused(dlg, _("The planned end must come after the entry date."))
    # Placement: the family already has beds (the service's refusal, shown as is).
    dlg.planned_end.edit.set_value(D(2024, 12, 1))
    refused(dlg)

    # Transfer before the entry date.
    dlg = TransferDialog(context(backend, MOVE), placement_id=pl.id)
    choose_structure(dlg, sc.other.id)
    dlg.date.set_value(D(2024, 2, 1))
    refused(dlg)
    # Transfer without anybody ticked.
    dlg.date.set_value(MOVE)
    dlg.refresh()
    for p in dlg.members.people:
        dlg.members.set_checked(p.id, False)
    refused(dlg, _("Tick at least one person to transfer."))

    # Exit before the entry, then without a reason.
    dlg = ExitDialog(context(backend, MOVE), placement_id=pl.id)
    dlg.date.set_value(D(2024, 2, 1))
    dlg.reason.setCurrentIndex(dlg.reason.findData("other"))
    refused(dlg)
    dlg.date.set_value(MOVE)
    dlg.reason.setCurrentIndex(0)
    refused(dlg, _("Choose the reason of the exit."))
    # Only the children leave: a minor would be left without... no, the mother stays;
    # only the mother leaves: the minors would be left alone.
    dlg.reason.setCurrentIndex(dlg.reason.findData("other"))
    for p in dlg.members.people:
        dlg.members.set_checked(p.id, p.relationship == "reference")
    refused(dlg)

    # Extension: not later than the current planned end; no reason.
    dlg = ExtensionDialog(context(backend, MOVE), placement_id=pl.id)
    dlg.new_end.set_value(D(2024, 8, 1))
    dlg.reason.setText("attesa permesso")
    refused(dlg)
    dlg.new_end.set_value(D(2025, 3, 1))
    dlg.reason.setText("  ")
    refused(dlg, _("Write the reason of the extension."))

    # Correction: no reason; then an end before the start.
    dlg = CorrectionDialog(context(backend, MOVE), placement_id=pl.id)
    assert dlg.stays_table.rowCount() == 3
    dlg.end.set_value(D(2024, 2, 1))
    refused(dlg)
    dlg.reason.setText("data sbagliata")
    refused(dlg, _("The day of leaving must come after the first day of the stay."))

    # Register: a row without sex; a birth date that is not a date; one in the future.
    dlg = RegisterHouseholdDialog(context(backend, MOVE))
    dlg.rows[0].first_name.setText("Sara")
    refused(dlg, _("Row {n}: choose the sex.").format(n=1))
    dlg.rows[0].sex.setCurrentIndex(dlg.rows[0].sex.findData("F"))
    dlg.rows[0].birth_date.setText("31/02/1990")
    refused(dlg)
    dlg.rows[0].birth_date.setText("01/01/2999")
    refused(dlg)
    assert backend.directory.search_people("Sara") == []

    # Reservation: no household chosen.
    dlg = ReservationDialog(context(backend, MOVE))
    choose_structure(dlg, sc.other.id)
    refused(dlg)


def test_extension_is_recorded(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY, planned_end=D(2024, 9, 1))
    dlg = ExtensionDialog(context(backend, MOVE), placement_id=pl.id)
    qtbot.addWidget(dlg)
    assert dlg.new_end.value() == D(2025, 3, 1)  # six more months by default
    qtbot.keyClicks(dlg.reason, "anno scolastico dei figli")
    qtbot.keyClicks(dlg.authorised_by, "Servizio Centrale")
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert dlg.changes == Changes(frozenset({sc.families.id}), frozenset({sc.mother.id}))
    after = backend.directory.placement(pl.id)
    assert after.planned_end == D(2025, 3, 1)
    assert after.extensions[0].reason == "anno scolastico dei figli"


def test_extension_past_a_reduction_of_places_warns_and_is_recorded(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    """Casa Glicine goes down to two places on 1 October: extending the family of three
    past it is warned about, and still recorded (the extension was granted)."""
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY, planned_end=D(2024, 9, 1))
    backend.structures.set_capacity(sc.families.id, D(2024, 10, 1), 2, "lavori")
    dlg = ExtensionDialog(context(backend, MOVE), placement_id=pl.id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.capacity_warning.isVisible()
    assert (
        "Casa Glicine" in dlg.capacity_warning.text()
        and "1° ottobre 2024" in dlg.capacity_warning.text()
    )
    dlg.new_end.set_value(D(2024, 10, 1))  # up to the reduction: no night short of places
    qtbot.waitUntil(lambda: not dlg.capacity_warning.isVisible(), timeout=3000)
    dlg.new_end.set_value(D(2025, 3, 1))
    qtbot.waitUntil(dlg.capacity_warning.isVisible, timeout=3000)
    qtbot.keyClicks(dlg.reason, "anno scolastico dei figli")
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert backend.directory.placement(pl.id).planned_end == D(2025, 3, 1)


def test_reservation_confirmed_and_cancelled(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    expected = D(2024, 3, 10)
    dlg = ReservationDialog(context(backend, ENTRY), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    assert dlg.tabs.currentIndex() == dlg.NEW
    dlg.expected.set_value(expected)
    choose_structure(dlg, sc.families.id)
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    sheet = backend.sheets.sheet(sc.families.id, ENTRY)
    assert sheet.reserved == 3 and sheet.free == 1

    # The family arrives: the held tab opens first; confirm.
    dlg = ReservationDialog(context(backend, expected), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    assert dlg.tabs.currentIndex() == dlg.HELD
    assert dlg.held.rowCount() == 1
    assert dlg.arrival.value() == expected
    dlg.arrival_end.edit.set_value(expected - dt.timedelta(days=1))
    qtbot.mouseClick(dlg.confirm_button, Qt.MouseButton.LeftButton)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.error_label.text().splitlines()[0] == _(
        "The planned end must come after the entry date."
    )
    assert backend.directory.placements_of_household(sc.mother.id) == []
    dlg.arrival_end.edit.set_value(D(2024, 9, 10))
    qtbot.mouseClick(dlg.confirm_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert dlg.changes == Changes(frozenset({sc.families.id}), frozenset({sc.mother.id}))
    sheet = backend.sheets.sheet(sc.families.id, expected)
    assert sheet.occupied == 3 and sheet.reserved == 0

    # Another household is expected, then is not coming: cancel needs a reason.
    single = backend.people.register_household([NewPerson("Mary", "Obi", "F", D(1999, 9, 9))])
    res = backend.reservations.reserve(
        single.id, sc.families.id, D(2024, 3, 20), held_from=expected
    )
    dlg = ReservationDialog(context(backend, expected), household_id=single.id)
    qtbot.addWidget(dlg)
    qtbot.mouseClick(dlg.cancel_res_button, Qt.MouseButton.LeftButton)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.error_label.text().splitlines()[0] == _("Write why the reservation is cancelled.")
    assert [r.id for r in backend.sheets.reservations()] == [res.id]
    qtbot.keyClicks(dlg.cancel_reason, "trasferita in altro progetto")
    qtbot.mouseClick(dlg.cancel_res_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert backend.sheets.reservations() == []


def test_correction_changes_a_bed_and_cancels_a_stay_keeping_history(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY)
    stays = backend.directory.stays_of_household(sc.mother.id)
    omar = next(s for s in stays if s.person_name.endswith("Omar"))
    free_bed = next(
        b for b in backend.sheets.sheet(sc.families.id, ENTRY).beds if b.status == "free"
    )

    dlg = CorrectionDialog(context(backend, MOVE), placement_id=pl.id)
    qtbot.addWidget(dlg)
    dlg.stays_table.selectRow(next(i for i, s in enumerate(dlg.stays) if s.id == omar.id))
    dlg.bed.setCurrentIndex(dlg.bed.findData(free_bed.bed_id))
    qtbot.keyClicks(dlg.reason, "letto sbagliato")
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert backend.directory.person_history(omar.person_id)[0].bed_id == free_bed.bed_id

    dlg = CorrectionDialog(context(backend, MOVE), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    dlg.stays_table.selectRow(next(i for i, s in enumerate(dlg.stays) if s.id == omar.id))
    dlg.mode_cancel.setChecked(True)
    assert not dlg.bed.isEnabled()
    qtbot.keyClicks(dlg.reason, "mai arrivato")
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert dlg.changes == Changes(frozenset({sc.families.id}), frozenset({sc.mother.id}))
    history = backend.directory.person_history(omar.person_id)
    assert len(history) == 1 and history[0].cancelled  # kept, marked cancelled
    assert backend.sheets.sheet(sc.families.id, MOVE).occupied == 2


def test_register_household_marks_minors_and_one_reference(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    dlg = RegisterHouseholdDialog(context(backend, ENTRY))
    qtbot.addWidget(dlg)
    first = dlg.rows[0]
    assert first.reference.isChecked()
    qtbot.keyClicks(first.first_name, "Fatoumata")
    qtbot.keyClicks(first.last_name, "Diallo")
    first.sex.setCurrentIndex(first.sex.findData("F"))
    qtbot.keyClicks(first.birth_date, "04/03/1991")
    qtbot.keyClicks(first.citizenship, "Guinea")
    assert _("minor") not in first.age.text()
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)
    child = dlg.rows[1]
    assert child.last_name.text() == "Diallo" and child.relationship.currentData() == "child"
    qtbot.keyClicks(child.first_name, "Awa")
    child.sex.setCurrentIndex(child.sex.findData("F"))
    qtbot.keyClicks(child.birth_date, "1/6/2016")
    assert _("minor") in child.age.text()
    # Making the child the reference person moves the mark: still exactly one.
    child.reference.setChecked(True)
    assert not first.reference.isChecked() and first.relationship.isEnabled()
    first.reference.setChecked(True)
    child.relationship.setCurrentIndex(child.relationship.findData("child"))
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    h = dlg.result_value
    assert dlg.changes == Changes(households=frozenset({h.id}))
    assert [m.relationship for m in h.members] == ["reference", "child"]
    assert h.members[1].person.is_minor_on(ENTRY)
    assert h.members[0].person.citizenship == "Guinea"


def test_household_search_enter_picks_the_household_and_does_not_press_ok(
    qtbot, backend, sc
) -> None:  # type: ignore[no-untyped-def]
    dlg = PlacementDialog(context(backend, ENTRY))
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.picker.household is None
    qtbot.keyClicks(dlg.picker.search, "amina")
    qtbot.keyClick(dlg.picker.search, Qt.Key.Key_Return)
    assert dlg.picker.household is not None and dlg.picker.household.id == sc.mother.id
    assert dlg.isVisible() and not dlg.error_label.text()
    assert len(dlg.members.people) == 3
    # The household's beds are proposed as soon as a structure is chosen; Esc closes without a change.
    choose_structure(dlg, sc.families.id)
    assert len(dlg.members.chosen_beds()) == 3
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.result() == QDialog.DialogCode.Rejected
    assert backend.directory.placements_of_household(sc.mother.id) == []


def test_a_change_made_meanwhile_on_another_pc_is_detected_and_shown(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY, planned_end=D(2024, 9, 1))
    dlg = ExitDialog(context(backend, MOVE), placement_id=pl.id)
    qtbot.addWidget(dlg)
    dlg.reason.setCurrentIndex(dlg.reason.findData("term_expired"))
    # Another coordinator extends the placement while the dialog is open.
    other_pc = Backend(backend.db, actor="other")
    other_pc.placements.extend(pl.id, D(2025, 3, 1), "proroga concessa")
    click_ok(qtbot, dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.error_label.text()
    assert backend.directory.placement(pl.id).status == "active"
    assert "01/03/2025" in dlg.summary.text()  # the dialog shows the placement as it is now
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert backend.directory.placement(pl.id).exit_reason == "term_expired"


def test_chosen_members_and_chosen_beds(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    omar = next(m.person for m in sc.mother.members if m.person.first_name == "Omar")
    mother = sc.mother.reference

    # Placing the children without their mother is refused: a minor is never left alone.
    dlg = PlacementDialog(context(backend, ENTRY), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    dlg.members.set_checked(mother.id, False)
    dlg.refresh_fit()
    choose_structure(dlg, sc.families.id)
    click_ok(qtbot, dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted and dlg.error_label.text()
    assert backend.directory.placements_of_household(sc.mother.id) == []

    # The whole family, with the beds chosen by hand.
    dlg.members.set_checked(mother.id, True)
    dlg.refresh_fit()
    choose_structure(dlg, sc.families.id)
    wanted = {}
    for pid, combo in dlg.members.combos.items():
        combo.setCurrentIndex(combo.count() - 1 - len(wanted))  # the last free beds, one each
        wanted[pid] = combo.currentData()
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert {r.person_id: r.bed_id for r in backend.presence.who_is_where(ENTRY)} == wanted

    # Only Omar moves, to the free bed of the same apartment.
    dlg = TransferDialog(context(backend, MOVE), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    for p in dlg.members.people:
        dlg.members.set_checked(p.id, p.id == omar.id)
    choose_structure(dlg, sc.families.id)
    combo = dlg.members.combos[omar.id]
    free = [
        combo.itemData(i)
        for i in range(combo.count())
        if combo.itemData(i) not in (None, *wanted.values())
    ]
    assert len(free) == 1
    combo.setCurrentIndex(combo.findData(free[0]))
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    now = {r.person_id: r.bed_id for r in backend.presence.who_is_where(MOVE)}
    assert now[omar.id] == free[0] and now[mother.id] == wanted[mother.id]


def test_placement_dialog_says_when_the_household_is_already_placed(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    dlg = PlacementDialog(context(backend, ENTRY), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    assert not dlg.reservation_hint.text()
    backend.placements.place(sc.mother.id, sc.families.id, ENTRY)
    dlg = PlacementDialog(context(backend, MOVE), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    assert "Casa Glicine" in dlg.reservation_hint.text()


def test_bed_lists_are_reached_with_tab(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    """From the list of people, Tab goes to each person's bed list in turn, then on to
    the rest of the dialog: beds can be chosen without the mouse."""
    from tests.views.keyboard import tab_from

    dlg = PlacementDialog(context(backend, ENTRY), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    choose_structure(dlg, sc.families.id)
    combos = [dlg.members.combos[p.id] for p in dlg.members.people]
    assert len(combos) > 1 and all(c.isEnabled() for c in combos)
    *reached, after = tab_from(qtbot, dlg.members, len(combos) + 1)
    assert reached == combos
    assert after not in (dlg.members, *combos)  # and on out of the table


def test_open_database_dialog_keeps_a_long_path_within_its_width(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A database deep in folders is shown whole, wrapped at its separators, and does not
    stretch the dialog off the screen."""
    from views.dialogs.open_database_dialog import OpenDatabaseDialog

    folders = "/".join(f"cartella-della-cooperativa-{i}" for i in range(12))
    current = f"File locale: /home/coordinatrice/{folders}/accoglienza.sqlite3"
    dlg = OpenDatabaseDialog(current)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.minimumSizeHint().width() <= 700 and dlg.width() <= 700
    label = dlg.findChild(QWidget, "currentDatabase")
    assert label.text().replace("\u200b", "").endswith(f"{folders}/accoglienza.sqlite3")
    assert label.toolTip() == current
    assert label.geometry().right() <= dlg.width()


# -- reading and writing off the UI thread ---------------------------------------------


def test_transfer_reads_the_household_once_and_who_is_where_once_per_date(
    qtbot, backend, sc, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY)
    reads: list[tuple[str, object]] = []

    def counted(area: str, name: str) -> None:
        read = getattr(getattr(backend, area), name)

        def counting(first, *args, **kwargs):  # type: ignore[no-untyped-def]
            reads.append((name, first))
            return read(first, *args, **kwargs)

        monkeypatch.setattr(getattr(backend, area), name, counting)

    counted("directory", "household_reading")
    counted("presence", "who_is_where_reading")
    dlg = TransferDialog(context(backend, MOVE), placement_id=pl.id)
    qtbot.addWidget(dlg)
    # The household of the placement given (by its id, in the same round trip).
    opening = [("household_reading", None), ("who_is_where_reading", [MOVE])]
    assert reads == opening
    later = MOVE + dt.timedelta(days=1)
    for day in (later, MOVE, later, MOVE):
        dlg.date.set_value(day)
        dlg.refresh()
        assert len(dlg.members.people) == 3
    assert reads == [*opening, ("who_is_where_reading", [later])]


def test_a_dialog_shows_at_once_and_reads_and_writes_in_the_background(qtbot, backend, sc) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(synchronous=False)
    dlg = PlacementDialog(DialogContext(backend, runner, ENTRY), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    # Built without waiting for the database: what it shows comes afterwards.
    assert dlg.picker.household is None and dlg.members.people == []
    qtbot.waitUntil(lambda: len(dlg.members.people) == 3, timeout=5000)
    dlg.chooser.select_structure(sc.small.id)
    qtbot.waitUntil(lambda: dlg.chooser.structure_id() == sc.small.id, timeout=5000)
    qtbot.waitUntil(lambda: dlg.chooser.report() is not None, timeout=5000)
    dlg.chooser.select_structure(sc.families.id)
    qtbot.waitUntil(
        lambda: dlg.chooser.report() is not None and len(dlg.members.chosen_beds()) == 3,
        timeout=5000,
    )
    click_ok(qtbot, dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted  # the write is on its way
    assert not dlg.ok_button.isEnabled()
    qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted, timeout=5000)
    assert dlg.changes == Changes(frozenset({sc.families.id}), frozenset({sc.mother.id}))
    assert len(backend.presence.who_is_where(ENTRY, structure_id=sc.families.id)) == 3
    runner.wait_all()


def count_reads(backend: Backend, monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Counts the read transactions of ``backend`` (one round trip each on the shared
    server, but for a fit's, which asks for its structures and people first)."""
    from contextlib import contextmanager

    real, seen = backend.db.read, [0]

    @contextmanager
    def counted():  # type: ignore[no-untyped-def]
        seen[0] += 1
        with real() as s:
            yield s

    monkeypatch.setattr(backend.db, "read", counted)
    return seen


def test_transfer_dialog_opens_in_few_reads(qtbot, backend, sc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The placement, its household, who is in a bed and the programmes come in one read,
    then the fit of the programme's structures; the beds of a destination chosen before
    the dialog opened (the planning board) come with the fit."""
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY)
    reads = count_reads(backend, monkeypatch)
    dlg = TransferDialog(context(backend, MOVE), placement_id=pl.id, to_structure=sc.small.id)
    qtbot.addWidget(dlg)
    assert reads[0] == 2
    assert dlg.chooser.structure_id() == sc.small.id
    assert "Casa Betulla" in dlg.chooser.structure().name  # type: ignore[union-attr]
    assert len(dlg.members.people) == 3 and dlg.members.combos
    assert all(c.count() > 0 for c in dlg.members.combos.values())
    assert dlg.summary.text() and dlg.ok_button.isEnabled()

    # Opened from the household: the first structure that fits is proposed, its beds
    # read once it is.
    reads[0] = 0
    dlg = TransferDialog(context(backend, MOVE), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    assert reads[0] <= 3
    assert dlg.placement is not None and dlg.placement.id == pl.id
    assert dlg.household is not None and len(dlg.household.members) == 3
    assert dlg.chooser.programme.currentData() == pl.programme_id


def test_a_placement_workflow_opened_with_nobody_chosen_asks_whose_placement(
    qtbot, backend, sc
) -> None:  # type: ignore[no-untyped-def]
    # From the toolbar or the dashboard, with no person or bed selected: the exit dialog
    # asks for the household, then shows its placement; it does not claim that "this
    # household" has no placement.
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY, planned_end=D(2024, 9, 1))
    loner = backend.people.register_household([NewPerson("Mario", "Rossi", "M", D(1990, 1, 1))])
    dlg = ExitDialog(context(backend, LEAVE))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.picker is not None and dlg.picker.isVisible()
    assert dlg.focusWidget() is dlg.picker.search, dlg.focusWidget()
    assert dlg.summary.text() == _("Choose the household: search it by name above.")
    assert not dlg.ok_button.isEnabled()
    assert not dlg.members.isVisible()  # nothing to show before a household is chosen
    qtbot.keyClicks(dlg.picker.search, "amina")
    qtbot.keyClick(dlg.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.placement is not None)
    assert dlg.placement.id == pl.id
    assert len(dlg.members.people) == 3 and dlg.members.isVisible()
    # Another household: the first one's people do not stay on show meanwhile.
    qtbot.mouseClick(dlg.picker.change, Qt.MouseButton.LeftButton)
    assert dlg.placement is None and not dlg.members.isVisible()
    assert not dlg.ok_button.isEnabled()
    qtbot.keyClicks(dlg.picker.search, "amina")
    qtbot.keyClick(dlg.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.placement is not None)
    dlg.reason.setCurrentIndex(dlg.reason.findData("socio_economic"))
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert backend.directory.placements_of_household(sc.mother.id)[0].exit_date == LEAVE

    # A household without a placement: said of the household chosen.
    dlg = TransferDialog(context(backend, LEAVE))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.picker.search, "rossi")
    qtbot.keyClick(dlg.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.picker.household is not None)
    assert dlg.picker.household.id == loner.id
    qtbot.waitUntil(lambda: dlg.summary.text() == dlg.no_placement_text())
    assert not dlg.ok_button.isEnabled() and not dlg.chooser.isVisible()

    # Opened on a household, as before: no search.
    dlg = ExtensionDialog(context(backend, LEAVE), household_id=sc.mother.id)
    qtbot.addWidget(dlg)
    assert dlg.picker is None
