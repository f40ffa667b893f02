"""Exit (uscita, dimissione): date, reason and destination; the whole household or some members.

When nobody of the placement is left, the placement ends with the reason given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from models.errors import ValidationError
from models.i18n import _
from models.labels import EXIT_REASONS

from .common import (
    DateEdit,
    MembersTable,
    WorkflowDialog,
    date_row,
    date_text,
    find_placement,
    placement_summary,
)


class ExitDialog(WorkflowDialog):
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
        super().__init__(
            backend, parent, day=day, title=_("Record an exit"), ok_text=_("Record exit")
        )
        self.placement = find_placement(backend, placement_id, household_id)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.body.addWidget(QLabel(_("Who leaves (untick anyone who stays):")))
        self.members = MembersTable(with_beds=False)
        self.body.addWidget(self.members, 1)
        form = QFormLayout()
        self.date = DateEdit(day)
        self.date.setObjectName("exitDate")
        form.addRow(_("Exit &date:"), date_row(self.date))
        self.reason = QComboBox()
        self.reason.setObjectName("exitReason")
        self.reason.addItem(_("— choose the reason —"), None)
        for code, label in EXIT_REASONS.items():
            self.reason.addItem(_(label), code)
        form.addRow(_("&Reason:"), self.reason)
        self.destination = QLineEdit()
        self.destination.setObjectName("exitDestination")
        self.destination.setPlaceholderText(_("Where they go (town, project, private housing...)"))
        form.addRow(_("D&estination:"), self.destination)
        self.body.addLayout(form)
        self.date.dateChanged.connect(self.refresh)
        if self.placement is None:
            self.summary.setText(
                _("This household has no active placement: there is no exit to record.")
            )
            self.ok_button.setEnabled(False)
        else:
            self.refresh()
        self.resize(640, 440)
        self.date.setFocus()

    def refresh(self) -> None:
        if self.placement is None:
            return
        day = self.date.value()
        self.summary.setText(placement_summary(self.backend, self.placement, day))
        h = self.backend.queries.household(self.placement.household_id)
        # Who has a bed in this placement the night before the exit (or on the day itself).
        present = {
            r.person_id
            for d in {day - dt.timedelta(days=1), day}
            for r in self.backend.queries.who_is_where(d, household_id=h.id)
            if r.placement_id == self.placement.id
        }
        people = [
            replace(m.person, relationship=m.relationship)
            for m in h.members
            if m.person.id in present
        ]
        was = set(self.members.checked_ids()) if self.members.people else None
        self.members.set_people(people, day, checked=was)

    def reload(self) -> None:
        if self.placement is not None:
            self.placement = self.backend.queries.placement(self.placement.id)
            self.refresh()

    def apply(self) -> Any:
        if self.placement is None:
            raise ValidationError(
                _("This household has no active placement: there is no exit to record.")
            )
        day = self.date.value()
        if day <= self.placement.entry_date:
            raise ValidationError(
                _("The exit date must come after the entry date ({date}).").format(
                    date=date_text(self.placement.entry_date)
                )
            )
        if self.reason.currentData() is None:
            self.reason.setFocus()
            raise ValidationError(_("Choose the reason of the exit."))
        ids = self.members.checked_ids()
        if self.members.people and not ids:
            raise ValidationError(_("Tick at least one person who leaves."))
        person_ids = None if self.members.all_checked() else ids
        return self.backend.services.record_exit(
            self.placement.id,
            day,
            self.reason.currentData(),
            destination=self.destination.text().strip(),
            person_ids=person_ids,
            version=self.placement.version,
        )
