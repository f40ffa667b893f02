"""Reservations (prenotazioni): hold beds for a household expected on a date, then confirm
the arrival (the reservation becomes a placement in the held beds) or cancel it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.errors import ValidationError
from models.i18n import N_, _, ngettext
from models.results import Changes, HouseholdInfo, PlacementInfo, ReservationInfo

from ..widgets import fit_on_screen
from .dates import DateEdit, OptionalDateEdit, add_months, date_row
from .destination import Destination
from .household_picker import HouseholdPicker, choose_household_text
from .members_table import MembersTable, household_people
from .override_reason import OverrideReasonEdit
from .structure_chooser import StructureChooser
from .styles import hint
from .tables import ro_item, setup_table
from .texts import date_text, person_name
from .workflow_dialog import WorkflowDialog, Write

ARRIVAL_MONTHS = 6  # planned end proposed when a household arrives, as for a placement

HeldRows = tuple[list[ReservationInfo], dict[int, str]]  # reservations, household names


class ReservationDialog(WorkflowDialog):
    HELP_ANCHOR = "reservation"  # its section of the manual (views.help)
    NEW, HELD = 0, 1

    TITLE, OK_TEXT = N_("Reservations"), N_("Reserve")

    def build(self) -> None:
        self.action = "reserve"
        self.held_rows: list[ReservationInfo] = []
        self._held_read = False
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reservationTabs")
        self.body.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_new(), _("&New reservation"))
        self.tabs.addTab(self._build_held(), _("&Held reservations"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self._tab_changed(self.tabs.currentIndex())
        self.load_held()
        fit_on_screen(self, 1200, 660)

    # -- new reservation --
    def _build_new(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(
            hint(
                _(
                    "Held beds count as taken from today until the household arrives or the "
                    "reservation is cancelled."
                )
            )
        )
        columns = QHBoxLayout()
        who = QGroupBox(_("Who is expected"))
        who_lay = QVBoxLayout(who)
        self.picker = HouseholdPicker(self.context, on_failure=self.show_failure)
        who_lay.addWidget(self.picker)
        self.members = MembersTable(with_beds=True)
        who_lay.addWidget(self.members, 1)
        columns.addWidget(who, 4)
        where = QGroupBox(_("Where"))
        where_lay = QVBoxLayout(where)
        self.chooser = StructureChooser(
            self.context, structure_id=self.structure_id, on_failure=self.show_failure
        )
        where_lay.addWidget(self.chooser)
        columns.addWidget(where, 5)
        lay.addLayout(columns, 1)
        form = QFormLayout()
        self.expected = DateEdit(self.day + dt.timedelta(days=7))
        self.expected.setObjectName("expectedOn")
        form.addRow(_("&Expected on:"), date_row(self.expected))
        self.override = OverrideReasonEdit(
            _("Reason for the e&xception (required):"),
            _(
                "This structure is not meant for these people. To reserve anyway, write the reason "
                "for the exception; otherwise choose another structure."
            ),
        )
        self.override.add_to(form)
        self.note = QLineEdit()
        self.note.setObjectName("reservationNote")
        self.note.setPlaceholderText(_("For example: sent by the prefecture, arriving by train"))
        form.addRow(_("N&ote:"), self.note)
        lay.addLayout(form)
        self.destination = Destination(
            self.context, self.chooser, self.members, self.override, on_failure=self.show_failure
        )
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.refresh_fit)
        self.picker.household_changed.connect(self._household_changed)
        self.members.selection_changed.connect(self.timer.start)
        self.expected.dateChanged.connect(self.timer.start)
        self.chooser.structure_changed.connect(self._structure_changed)
        if self.household_id is not None:
            self.picker.set_household(self.household_id)  # then the fit is checked for it
        else:
            self.refresh_fit()
        return page

    def _household_changed(self, h: HouseholdInfo | None) -> None:
        self.members.set_people(household_people(h) if h is not None else [], self.expected.value())
        if h is not None:
            self.chooser.prefer_programme_of(h.id)
        self.refresh_fit()

    def refresh_fit(self) -> None:
        self.timer.stop()
        h = self.picker.household
        # Held for the night they are expected (the whole stay is checked when they arrive).
        day = self.expected.value()
        self.chooser.set_context(
            h.id if h else None, self.members.person_ids(), day, day + dt.timedelta(days=1)
        )

    def _structure_changed(self) -> None:
        h = self.picker.household
        self.destination.show(h.id if h else None, h.code if h else None, self.expected.value())

    # -- held reservations --
    def _build_held(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.held = QTableWidget()
        self.held.setObjectName("heldTable")
        setup_table(
            self.held,
            [
                _("Household"),
                _("Structure"),
                _("Beds"),
                _("Held from"),
                _("Expected on"),
                _("Note"),
            ],
        )
        lay.addWidget(self.held, 1)
        self.held_empty = hint(_("No reservation is held."))
        lay.addWidget(self.held_empty)
        actions = QHBoxLayout()
        # Translators: the household enters (the placement starts): "ingresso", never "arrivo".
        arrived = QGroupBox(_("The household arrived"))
        form = QFormLayout(arrived)
        self.arrival = DateEdit(self.day)
        self.arrival.setObjectName("arrivalDate")
        form.addRow(_("En&try date:"), date_row(self.arrival))
        self.arrival_end = OptionalDateEdit(
            add_months(self.day, ARRIVAL_MONTHS), _("no planned end")
        )
        self.arrival_end.setObjectName("arrivalPlannedEnd")
        form.addRow(_("Planned en&d:"), self.arrival_end)
        self.confirm_button = QPushButton(_("&Confirm the entry (becomes a placement)"))
        self.confirm_button.setObjectName("confirmReservationButton")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(lambda: self._run("confirm"))
        form.addRow(self.confirm_button)
        actions.addWidget(arrived, 1)
        not_coming = QGroupBox(_("The household is not coming"))
        form2 = QFormLayout(not_coming)
        self.cancel_reason = QLineEdit()
        self.cancel_reason.setObjectName("cancelReason")
        form2.addRow(_("&Reason:"), self.cancel_reason)
        self.cancel_res_button = QPushButton(_("Cancel the reser&vation (frees the beds)"))
        self.cancel_res_button.setObjectName("cancelReservationButton")
        self.cancel_res_button.setAutoDefault(False)
        self.cancel_res_button.clicked.connect(lambda: self._run("cancel"))
        form2.addRow(self.cancel_res_button)
        actions.addWidget(not_coming, 1)
        lay.addLayout(actions)
        self.held.itemSelectionChanged.connect(self._held_selected)
        self._held_selected()
        return page

    def load_held(self) -> None:
        """Read the held reservations (of the household, when the dialog is about one)."""
        backend, hid = self.backend, self.household_id

        def work() -> HeldRows:
            rows = backend.sheets.reservations(household_id=hid)
            names: dict[int, str] = {}
            for r in rows:
                if r.household_id not in names:
                    ref = backend.directory.household(r.household_id).reference
                    names[r.household_id] = (
                        f"{person_name(ref)} ({r.household_code})" if ref else r.household_code
                    )
            return rows, names

        self.run(work, self._show_held, key="held")

    def _show_held(self, found: HeldRows) -> None:
        self.held_rows, names = found
        self.held.setRowCount(len(self.held_rows))
        for row, r in enumerate(self.held_rows):
            h = ro_item(names[r.household_id])
            h.setData(Qt.ItemDataRole.UserRole, r.id)
            self.held.setItem(row, 0, h)
            self.held.setItem(row, 1, ro_item(r.structure_code))
            self.held.setItem(
                row,
                2,
                ro_item(ngettext("{n} bed", "{n} beds", len(r.bed_ids)).format(n=len(r.bed_ids))),
            )
            self.held.setItem(row, 3, ro_item(date_text(r.held_from)))
            self.held.setItem(row, 4, ro_item(date_text(r.expected_on)))
            self.held.setItem(row, 5, ro_item(r.note))
        self.held_empty.setVisible(not self.held_rows)
        if self.held_rows:
            self.held.selectRow(0)
        self._held_selected()
        if not self._held_read and self.household_id is not None and self.held_rows:
            # The household is expected: the usual next step is to confirm its arrival.
            self.tabs.setCurrentIndex(self.HELD)
        self._held_read = True

    def selected_reservation(self) -> ReservationInfo | None:
        rows = self.held.selectionModel().selectedRows()
        return self.held_rows[rows[0].row()] if rows else None

    def _held_selected(self) -> None:
        r = self.selected_reservation()
        for w in (self.confirm_button, self.cancel_res_button):
            w.setEnabled(r is not None)
        if r is not None:
            self.arrival.set_value(max(r.expected_on, r.held_from))
            self.arrival_end.edit.set_value(add_months(self.arrival.value(), ARRIVAL_MONTHS))

    def _tab_changed(self, index: int) -> None:
        self.clear_error()
        self.ok_button.setVisible(index == self.NEW)
        self.cancel_button.setText(_("Cancel") if index == self.NEW else _("Close"))

    def _run(self, action: str) -> None:
        self.action = action
        try:
            self.accept()
        finally:
            self.action = "reserve"

    def accept(self) -> None:
        if self.action == "reserve" and self.tabs.currentIndex() == self.HELD:
            return  # Enter or Ctrl+Enter on the held tab: its buttons say what to do
        super().accept()

    def reload(self) -> None:
        self.destination.forget()
        self.load_held()
        self.refresh_fit()

    # -- apply --
    def apply(self) -> Write:
        backend = self.backend
        if self.action in ("confirm", "cancel"):
            r = self.selected_reservation()
            if r is None:
                raise ValidationError(_("Choose a reservation from the list."))
            changes = Changes(
                structures=frozenset({r.structure_id}), households=frozenset({r.household_id})
            )
            if self.action == "confirm":
                arrival, end = self.arrival.value(), self.arrival_end.value()
                if end is not None and end <= arrival:
                    raise ValidationError(_("The planned end must come after the entry date."))
                return Write(
                    lambda: backend.reservations.confirm_reservation(
                        r.id, entry_date=arrival, planned_end=end
                    ),
                    changes,
                )
            why = self.cancel_reason.text()
            if not why.strip():
                self.cancel_reason.setFocus()
                raise ValidationError(_("Write why the reservation is cancelled."))
            day = self.day
            return Write(
                lambda: backend.reservations.cancel_reservation(r.id, day=day, reason=why), changes
            )
        if self.timer.isActive():
            self.refresh_fit()
        h = self.picker.household
        if h is None:
            raise ValidationError(choose_household_text())
        if not self.members.checked_ids():
            raise ValidationError(_("Tick at least one person."))
        sid = self.chooser.structure_id()
        if sid is None:
            raise ValidationError(_("Choose the structure from the list."))
        reason = self.override.reason(self.chooser.report())
        beds = self.members.beds_for_service(_("Choose a bed for each person."))
        hid, expected, person_ids = h.id, self.expected.value(), self.members.person_ids()
        held_from, note = min(self.day, expected), self.note.text().strip()
        return Write(
            lambda: backend.reservations.reserve(
                hid,
                sid,
                expected,
                beds=beds,
                held_from=held_from,
                person_ids=person_ids,
                override_reason=reason,
                note=note,
            ),
            Changes(structures=frozenset({sid}), households=frozenset({hid})),
        )

    def confirmation(self, result: Any) -> str:
        if isinstance(result, PlacementInfo):  # the household arrived
            return _(
                "Placement recorded: household {household} in {structure}, from {date}"
            ).format(
                household=result.household_code,
                structure=self._structure_code(result.household_id),
                date=date_text(result.entry_date),
            )
        if result.status == "cancelled":
            return _("Reservation cancelled: household {household}").format(
                household=result.household_code
            )
        return _(
            "Reservation recorded: household {household} in {structure}, expected on {date}"
        ).format(
            household=result.household_code,
            structure=result.structure_code,
            date=date_text(result.expected_on),
        )

    def _structure_code(self, household_id: int) -> str:
        r = self.selected_reservation()
        return r.structure_code if r is not None and r.household_id == household_id else ""
