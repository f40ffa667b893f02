"""Exit (uscita, dimissione): date, reason and destination; the whole household or some members.

When nobody of the placement is left, the placement ends with the reason given.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit

from models.errors import ValidationError
from models.i18n import N_, _
from models.labels import EXIT_REASONS
from models.results import Changes

from ..widgets import fit_on_screen
from .dates import DateEdit, date_row
from .members_table import MembersTable, household_people
from .placement_workflow_dialog import PlacementWorkflowDialog
from .texts import date_text
from .workflow_dialog import Write


class ExitDialog(PlacementWorkflowDialog):
    HELP_ANCHOR = "exit"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("Record an exit"), N_("Record exit")

    def build_fields(self) -> None:
        self.body.addWidget(QLabel(_("Who leaves (untick anyone who stays):")))
        self.members = MembersTable(with_beds=False)
        self.body.addWidget(self.members, 1)
        form = QFormLayout()
        self.date = DateEdit(self.day)
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
        self.destination.setPlaceholderText(_("Where they go (town, project, private housing…)"))
        form.addRow(_("D&estination:"), self.destination)
        self.body.addLayout(form)
        self.date.dateChanged.connect(self.show_dates)
        fit_on_screen(self, 640, 440)
        self.date.setFocus()

    def no_placement_text(self) -> str:
        return _("This household has no active placement: there is no exit to record.")

    def dates_shown(self) -> list[dt.date]:
        # Who has a bed in this placement the night before the exit (or on the day itself).
        day = self.date.value()
        return [day - dt.timedelta(days=1), day]

    def show_placement(self) -> None:
        assert self.household is not None
        day = self.date.value()
        self.summary.setText(self.summary_on(day))
        present = {r.person_id for d in self.dates_shown() for r in self.rows_on(d)}
        self.members.show_people(household_people(self.household, present), day)

    def apply(self) -> Write:
        day = self.date.value()
        p = self.placement_for(day, _("The exit date must come after the entry date ({date})."))
        reason = self.reason.currentData()
        if reason is None:
            self.reason.setFocus()
            raise ValidationError(_("Choose the reason of the exit."))
        ids = self.members.checked_ids()
        if self.members.people and not ids:
            raise ValidationError(_("Tick at least one person who leaves."))
        person_ids = self.members.person_ids()
        destination = self.destination.text().strip()
        backend = self.backend
        return Write(
            lambda: backend.placements.record_exit(
                p.id,
                day,
                reason,
                destination=destination,
                person_ids=person_ids,
                version=p.version,
            ),
            Changes(
                structures=self.structures_on(self.dates_shown(), set(ids)),
                households=frozenset({p.household_id}),
            ),
        )

    def confirmation(self, result: Any) -> str:
        return _("Exit recorded: household {household}, {date}").format(
            household=result.household_code, date=date_text(self.date.value())
        )
