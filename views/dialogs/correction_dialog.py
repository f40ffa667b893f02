"""Correct a wrong entry: change a stay's dates or bed, or cancel a stay or a whole placement
entered by mistake. Nothing is deleted: cancelled records stay, marked, and every change
is kept in the audit trail with its reason.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QRadioButton,
    QTableWidget,
)

from models.errors import ValidationError
from models.i18n import N_, _, pgettext
from models.results import BedInfo, Changes, HouseholdInfo, StayInfo

from ..colours import bad
from ..widgets import fit_on_screen
from .dates import DateEdit, OptionalDateEdit, date_row
from .household_picker import HouseholdPicker
from .styles import hint
from .tables import cell, ro_item, setup_table
from .texts import date_text
from .workflow_dialog import WorkflowDialog, Write


class CorrectionDialog(WorkflowDialog):
    HELP_ANCHOR = "correction"  # its section of the manual (views.help)
    CORRECT, CANCEL_STAY, CANCEL_PLACEMENT = range(3)

    TITLE, OK_TEXT = N_("Correct a wrong entry"), N_("Save correction")

    def build(self) -> None:
        day = self.day
        self.body.addWidget(
            hint(
                _(
                    "Choose the stay that was entered wrongly. Correct its dates or bed, or cancel it if it "
                    "never happened: nothing is deleted, the correction and its reason are kept."
                )
            )
        )
        self.picker = HouseholdPicker(self.context, on_failure=self.show_failure)
        self.body.addWidget(self.picker)
        self.stays_table = QTableWidget()
        self.stays_table.setObjectName("staysTable")
        self.stays_table.setAccessibleName(_("Stays of the household"))
        setup_table(
            self.stays_table,
            [_("Person"), _("Structure"), _("Bed"), _("From"), _("To"), _("Programme"), _("State")],
        )
        self.body.addWidget(self.stays_table, 1)

        what = QGroupBox(_("What to do"))
        form = QFormLayout(what)
        self.mode = QButtonGroup(self)
        self.mode_correct = QRadioButton(_("C&orrect the dates or the bed of this stay"))
        self.mode_cancel = QRadioButton(_("Cancel this &stay (it never happened)"))
        self.mode_cancel_all = QRadioButton(
            _("Cancel the &whole placement of the household (entered by mistake)")
        )
        for i, rb in enumerate((self.mode_correct, self.mode_cancel, self.mode_cancel_all)):
            self.mode.addButton(rb, i)
            form.addRow(rb)
        self.mode_correct.setChecked(True)
        self.start = DateEdit(day)
        self.start.setObjectName("stayStart")
        form.addRow(_("&From:"), date_row(self.start))
        self.end = OptionalDateEdit(day, _("still there (no end)"))
        self.end.set_value(None)
        self.end.setObjectName("stayEnd")
        form.addRow(_("&To (day of leaving):"), self.end)
        self.bed = QComboBox()
        self.bed.setObjectName("stayBed")
        form.addRow(_("&Bed:"), self.bed)
        self.reason = QLineEdit()
        self.reason.setObjectName("correctionReason")
        self.reason.setPlaceholderText(_("What was wrong (required)"))
        form.addRow(_("&Reason:"), self.reason)
        self.body.addWidget(what)
        self.stays: list[StayInfo] = []
        self._stays_read: tuple[int, list[StayInfo]] | None = None  # household, its stays
        self._beds: dict[int, list[BedInfo]] = {}  # structure -> its beds, read once

        self.picker.household_changed.connect(self._household_changed)
        self.stays_table.itemSelectionChanged.connect(self._stay_selected)
        self.mode.idToggled.connect(lambda _i, _on: self._mode_changed())
        if self.household_id is not None or self.placement_id is not None:
            self._load(self.household_id, self.placement_id)
        self._mode_changed()
        fit_on_screen(self, 900, 620)

    def _load(self, household_id: int | None, placement_id: int | None) -> None:
        """Read the household (of the placement, when only that is given) and its stays."""
        backend = self.backend

        def work() -> tuple[HouseholdInfo, list[StayInfo]]:
            hid = household_id
            if hid is None:
                assert placement_id is not None
                hid = backend.directory.placement(placement_id).household_id
            return backend.directory.household(hid), backend.directory.stays_of_household(hid)

        self.run(work, self._household_read, key="household")

    def _household_read(self, found: tuple[HouseholdInfo, list[StayInfo]]) -> None:
        household, stays = found
        self._stays_read = (household.id, stays)
        self.picker.show_household(household)

    def _household_changed(self, h: HouseholdInfo | None) -> None:
        if h is None:
            self._show_stays([])
        elif self._stays_read is not None and self._stays_read[0] == h.id:
            self._show_stays(self._stays_read[1])
        else:
            backend, hid = self.backend, h.id
            self.run(
                lambda: backend.directory.stays_of_household(hid), self._show_stays, key="stays"
            )

    def _show_stays(self, stays: list[StayInfo]) -> None:
        if self.placement_id is not None:
            stays = [s for s in stays if s.placement_id == self.placement_id]
        self.stays = stays
        self.stays_table.setRowCount(len(stays))
        for row, s in enumerate(stays):
            cells = [
                s.person_name,
                f"{s.structure_name} ({s.structure_code})",
                f"{s.room_name} / {s.bed_label}",
                date_text(s.start_date),
                date_text(s.end_date) if s.end_date else _("still there"),
                s.programme_code,
                # Translators: the state of a bed stay ("assegnazione del letto", feminine).
                pgettext("bed stay", "cancelled") if s.cancelled else pgettext("bed stay", "valid"),
            ]
            for col, text in enumerate(cells):
                item = ro_item(text)
                if s.cancelled:
                    item.setForeground(bad())
                self.stays_table.setItem(row, col, item)
            cell(self.stays_table, row, 0).setData(Qt.ItemDataRole.UserRole, s.id)
        # The latest valid stay is the usual one to correct.
        valid = [i for i, s in enumerate(stays) if not s.cancelled]
        if valid:
            self.stays_table.selectRow(valid[-1])
        self._stay_selected()

    def stay(self) -> StayInfo | None:
        rows = self.stays_table.selectionModel().selectedRows()
        return self.stays[rows[0].row()] if rows else None

    def _stay_selected(self) -> None:
        s = self.stay()
        self.bed.clear()
        if s is None:
            return
        self.start.set_value(s.start_date)
        self.end.set_value(s.end_date)
        if s.structure_id in self._beds:
            self._show_beds(s, self._beds[s.structure_id])
        else:
            backend, sid = self.backend, s.structure_id
            self.run(
                lambda: backend.sheets.beds(sid),
                lambda beds: self._beds_read(s, beds),
                key="beds",
            )
        self._mode_changed()

    def _beds_read(self, s: StayInfo, beds: list[BedInfo]) -> None:
        self._beds[s.structure_id] = beds
        if self.stay() == s:
            self._show_beds(s, beds)

    def _show_beds(self, s: StayInfo, beds: list[BedInfo]) -> None:
        self.bed.clear()
        for b in beds:
            self.bed.addItem(f"{b.room_name} / {b.label}", b.id)
        self.bed.setCurrentIndex(max(0, self.bed.findData(s.bed_id)))

    def _mode_changed(self) -> None:
        correcting = self.mode.checkedId() == self.CORRECT
        for w in (self.start, self.end, self.bed):
            w.setEnabled(correcting)
        self.ok_button.setText(_("Save correction") if correcting else _("Cancel it"))

    def reload(self) -> None:
        h = self.picker.household
        if h is not None:
            self._stays_read = None
            self._beds = {}
            self._load(h.id, None)

    def apply(self) -> Write:
        s = self.stay()
        if s is None:
            raise ValidationError(_("Choose the stay to correct from the list."))
        reason = self.reason.text().strip()
        if not reason:
            self.reason.setFocus()
            raise ValidationError(
                _("Write the reason of the correction: it is kept in the history.")
            )
        backend = self.backend
        households = frozenset({self.picker.household.id} if self.picker.household else ())
        mode = self.mode.checkedId()
        if mode == self.CANCEL_PLACEMENT:
            return Write(
                lambda: backend.corrections.cancel_placement(
                    s.placement_id, reason, s.placement_version
                ),
                Changes(
                    structures=frozenset(
                        st.structure_id for st in self.stays if st.placement_id == s.placement_id
                    ),
                    households=households,
                ),
            )
        changes = Changes(structures=frozenset({s.structure_id}), households=households)
        if s.cancelled:
            raise ValidationError(_("This stay was cancelled: it cannot be corrected."))
        if mode == self.CANCEL_STAY:
            return Write(
                lambda: backend.corrections.cancel_stay(s.id, reason, s.placement_version), changes
            )
        start, end = self.start.value(), self.end.value()
        if end is not None and end <= start:
            raise ValidationError(
                _("The day of leaving must come after the first day of the stay.")
            )
        bed = self.bed.currentData()
        if bed is None:
            bed = s.bed_id  # the beds are still being read: the stay keeps its own
        if start == s.start_date and end == s.end_date and bed == s.bed_id:
            raise ValidationError(
                _("Nothing was changed: change the dates or the bed, or cancel the stay.")
            )
        return Write(
            lambda: backend.corrections.correct_stay(
                s.id,
                reason,
                start_date=start,
                end_date=end,
                bed_id=bed,
                version=s.placement_version,
            ),
            changes,
        )

    def confirmation(self, result: Any) -> str:
        h = self.picker.household
        return _("Correction recorded: household {household}").format(
            household=h.code if h is not None else ""
        )
