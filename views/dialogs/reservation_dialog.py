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
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.errors import ValidationError
from models.i18n import _, ngettext

from .common import (
    DateEdit,
    HouseholdPicker,
    MembersTable,
    OptionalDateEdit,
    StructureChooser,
    WorkflowDialog,
    add_months,
    date_row,
    date_text,
    hint,
    household_people,
    last_programme,
    person_name,
    ro_item,
    setup_table,
    show_destination,
)


class ReservationDialog(WorkflowDialog):
    NEW, HELD = 0, 1

    def __init__(
        self,
        backend: Any,
        parent: QWidget | None = None,
        *,
        day: dt.date,
        household_id: int | None = None,
        placement_id: int | None = None,
        structure_id: int | None = None,
    ) -> None:
        super().__init__(backend, parent, day=day, title=_("Reservations"), ok_text=_("Reserve"))
        self.household_id = household_id
        self.action = "reserve"
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reservationTabs")
        self.body.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_new(day, household_id, structure_id), _("&New reservation"))
        self.tabs.addTab(self._build_held(day), _("&Held reservations"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.load_held()
        if household_id is not None and self.held_rows:
            self.tabs.setCurrentIndex(self.HELD)
        self._tab_changed(self.tabs.currentIndex())
        self.resize(1200, 660)

    # -- new reservation --
    def _build_new(
        self, day: dt.date, household_id: int | None, structure_id: int | None
    ) -> QWidget:
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
        self.picker = HouseholdPicker(self.backend, day)
        who_lay.addWidget(self.picker)
        self.members = MembersTable(with_beds=True)
        who_lay.addWidget(self.members, 1)
        columns.addWidget(who, 4)
        where = QGroupBox(_("Where"))
        where_lay = QVBoxLayout(where)
        self.chooser = StructureChooser(self.backend, day=day)
        where_lay.addWidget(self.chooser)
        columns.addWidget(where, 5)
        lay.addLayout(columns, 1)
        form = QFormLayout()
        self.expected = DateEdit(day + dt.timedelta(days=7))
        self.expected.setObjectName("expectedOn")
        form.addRow(_("&Expected on:"), date_row(self.expected))
        self.override_label = QLabel(_("Reason for the e&xception (required):"))
        self.override = QLineEdit()
        self.override.setObjectName("overrideReason")
        self.override_label.setBuddy(self.override)
        form.addRow(self.override_label, self.override)
        self.note = QLineEdit()
        self.note.setObjectName("reservationNote")
        self.note.setPlaceholderText(_("For example: sent by the prefecture, arriving by train"))
        form.addRow(_("N&ote:"), self.note)
        lay.addLayout(form)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.refresh_fit)
        self.picker.household_changed.connect(self._household_changed)
        self.members.selection_changed.connect(self.timer.start)
        self.expected.dateChanged.connect(self.timer.start)
        self.chooser.structure_changed.connect(self._structure_changed)
        if structure_id is not None:
            self.chooser.select_structure(structure_id)
        if household_id is not None:
            self.picker.set_household(household_id)
        self.refresh_fit()
        return page

    def _household_changed(self, h: Any) -> None:
        self.members.set_people(household_people(h) if h is not None else [], self.expected.value())
        if h is not None and self.chooser.structure_id() is None:
            self.chooser.prefer_programme(last_programme(self.backend, h.id))
        self.refresh_fit()

    def person_ids(self) -> list[int] | None:
        return None if self.members.all_checked() else self.members.checked_ids()

    def refresh_fit(self) -> None:
        self.timer.stop()
        h = self.picker.household
        # Held for the night they are expected (the whole stay is checked when they arrive).
        day = self.expected.value()
        self.chooser.set_context(
            h.id if h else None, self.person_ids(), day, day + dt.timedelta(days=1)
        )

    def _structure_changed(self) -> None:
        h = self.picker.household
        show_destination(self, h.id if h else None, self.expected.value())

    # -- held reservations --
    def _build_held(self, day: dt.date) -> QWidget:
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
        arrived = QGroupBox(_("The household arrived"))
        form = QFormLayout(arrived)
        self.arrival = DateEdit(day)
        self.arrival.setObjectName("arrivalDate")
        form.addRow(_("&Arrival date:"), date_row(self.arrival))
        self.arrival_end = OptionalDateEdit(add_months(day, 6), _("no planned end"))
        self.arrival_end.setObjectName("arrivalPlannedEnd")
        form.addRow(_("&Planned end:"), self.arrival_end)
        self.confirm_button = QPushButton(_("&Confirm arrival (becomes a placement)"))
        self.confirm_button.setObjectName("confirmReservationButton")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(lambda: self._run("confirm"))
        form.addRow(self.confirm_button)
        actions.addWidget(arrived, 1)
        not_coming = QGroupBox(_("The household is not coming"))
        form2 = QFormLayout(not_coming)
        self.cancel_reason = QLineEdit()
        self.cancel_reason.setObjectName("cancelReason")
        form2.addRow(_("Reaso&n:"), self.cancel_reason)
        self.cancel_res_button = QPushButton(_("Cancel the &reservation (frees the beds)"))
        self.cancel_res_button.setObjectName("cancelReservationButton")
        self.cancel_res_button.setAutoDefault(False)
        self.cancel_res_button.clicked.connect(lambda: self._run("cancel"))
        form2.addRow(self.cancel_res_button)
        actions.addWidget(not_coming, 1)
        lay.addLayout(actions)
        self.held.itemSelectionChanged.connect(self._held_selected)
        return page

    def load_held(self) -> None:
        self.held_rows = self.backend.queries.reservations(household_id=self.household_id)
        self.held.setRowCount(len(self.held_rows))
        names: dict[int, str] = {}
        for row, r in enumerate(self.held_rows):
            if r.household_id not in names:
                ref = self.backend.queries.household(r.household_id).reference
                names[r.household_id] = (
                    f"{person_name(ref)} ({r.household_code})" if ref else r.household_code
                )
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

    def selected_reservation(self) -> Any:
        rows = self.held.selectionModel().selectedRows()
        return self.held_rows[rows[0].row()] if rows else None

    def _held_selected(self) -> None:
        r = self.selected_reservation()
        for w in (self.confirm_button, self.cancel_res_button):
            w.setEnabled(r is not None)
        if r is not None:
            self.arrival.set_value(max(r.expected_on, r.held_from))
            self.arrival_end.edit.set_value(add_months(self.arrival.value(), 6))

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

    # -- apply --
    def apply(self) -> Any:
        if self.action == "confirm":
            r = self.selected_reservation()
            if r is None:
                raise ValidationError(_("Choose a reservation from the list."))
            arrival, end = self.arrival.value(), self.arrival_end.value()
            if end is not None and end <= arrival:
                raise ValidationError(_("The planned end must come after the entry date."))
            return self.backend.services.confirm_reservation(
                r.id, entry_date=arrival, planned_end=end
            )
        if self.action == "cancel":
            r = self.selected_reservation()
            if r is None:
                raise ValidationError(_("Choose a reservation from the list."))
            if not self.cancel_reason.text().strip():
                self.cancel_reason.setFocus()
                raise ValidationError(_("Write why the reservation is cancelled."))
            return self.backend.services.cancel_reservation(
                r.id, day=self.day, reason=self.cancel_reason.text()
            )
        if self.timer.isActive():
            self.refresh_fit()
        h = self.picker.household
        if h is None:
            raise ValidationError(_("Choose the household: search it by name above."))
        if not self.members.checked_ids():
            raise ValidationError(_("Tick at least one person."))
        sid = self.chooser.structure_id()
        if sid is None:
            raise ValidationError(_("Choose the structure from the list."))
        rep = self.chooser.report()
        reason = self.override.text().strip() if self.override.isVisible() else ""
        if rep is not None and rep.target_group_problem and not reason:
            self.override.setFocus()
            raise ValidationError(
                _(
                    "This structure is not meant for these people. To reserve anyway, write the reason "
                    "for the exception; otherwise choose another structure."
                )
            )
        beds = self.members.beds_for_service(_("Choose a bed for each person."))
        held_from = min(self.day, self.expected.value())
        return self.backend.services.reserve(
            h.id,
            sid,
            self.expected.value(),
            beds=beds,
            held_from=held_from,
            person_ids=self.person_ids(),
            override_reason=reason,
            note=self.note.text().strip(),
        )
