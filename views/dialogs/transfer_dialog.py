"""Transfer (trasferimento): the whole household or chosen members move to other beds on a date.

The old stays end on the date and the new ones start on it, in one transaction. The
destination can be another structure, of the same programme or of another one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.errors import ValidationError
from models.i18n import _

from .common import (
    DateEdit,
    MembersTable,
    StructureChooser,
    WorkflowDialog,
    date_row,
    date_text,
    find_placement,
    placement_summary,
    show_destination,
)


class TransferDialog(WorkflowDialog):
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
        super().__init__(backend, parent, day=day, title=_("Transfer"), ok_text=_("Transfer"))
        self.placement = find_placement(backend, placement_id, household_id)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        form = QFormLayout()
        self.date = DateEdit(day)
        self.date.setObjectName("transferDate")
        form.addRow(_("Transfer &date:"), date_row(self.date))
        self.body.addLayout(form)
        columns = QHBoxLayout()
        who = QGroupBox(_("Who moves"))
        who_lay = QVBoxLayout(who)
        who_lay.addWidget(
            QLabel(_("Untick anyone who stays where they are. New bed of each person:"))
        )
        self.members = MembersTable(with_beds=True)
        who_lay.addWidget(self.members, 1)
        columns.addWidget(who, 4)
        where = QGroupBox(_("Destination"))
        where_lay = QVBoxLayout(where)
        self.chooser = StructureChooser(backend, day=day)
        where_lay.addWidget(self.chooser)
        columns.addWidget(where, 5)
        self.body.addLayout(columns, 1)
        extra = QFormLayout()
        self.override_label = QLabel(_("Reason for the &exception (required):"))
        self.override = QLineEdit()
        self.override.setObjectName("overrideReason")
        self.override.setPlaceholderText(_("Why they move outside the structure's target group"))
        self.override_label.setBuddy(self.override)
        extra.addRow(self.override_label, self.override)
        self.body.addLayout(extra)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.refresh)
        self.date.dateChanged.connect(self.timer.start)
        self.members.selection_changed.connect(self._members_changed)
        self.chooser.structure_changed.connect(self._structure_changed)

        if self.placement is None:
            self.summary.setText(
                _("This household has no active placement: there is nobody to transfer.")
            )
            self.ok_button.setEnabled(False)
        else:
            rows = self._rows(day)
            if rows:
                self.chooser.select_programme(self.placement.programme_id)
            if structure_id is not None:
                self.chooser.select_structure(structure_id)
            self.refresh()
        self.resize(1200, 620)
        self.chooser.table.setFocus()

    def _rows(self, day: dt.date) -> list[Any]:
        assert self.placement is not None
        return [
            r
            for r in self.backend.queries.who_is_where(
                day, household_id=self.placement.household_id
            )
            if r.placement_id == self.placement.id
        ]

    def refresh(self) -> None:
        """Reload who has a bed on the date and the fit of each destination."""
        self.timer.stop()
        if self.placement is None:
            return
        day = self.date.value()
        self.summary.setText(placement_summary(self.backend, self.placement, day))
        rows = self._rows(day)
        h = self.backend.queries.household(self.placement.household_id)
        rel = {m.person.id: m.relationship for m in h.members}
        people = [
            replace(m.person, relationship=rel.get(m.person.id))
            for m in h.members
            if m.person.id in {r.person_id for r in rows}
        ]
        was = set(self.members.checked_ids()) if self.members.people else None
        self.members.set_people(people, day, checked=was)
        self.current_beds = {r.person_id: (r.structure_id, r.bed_id) for r in rows}
        # set_people announced the ticked members: the destinations are being checked.

    def person_ids(self) -> list[int] | None:
        return None if self.members.all_checked() else self.members.checked_ids()

    def _members_changed(self) -> None:
        if self.placement is None:
            return
        ids = self.members.checked_ids()
        self.chooser.set_context(
            self.placement.household_id,
            ids,
            self.date.value(),
            self.placement.planned_end,
            until_programme=self.placement.programme_id,
        )

    def _structure_changed(self) -> None:
        show_destination(
            self, self.placement.household_id if self.placement else None, self.date.value()
        )

    def reload(self) -> None:
        if self.placement is not None:
            self.placement = self.backend.queries.placement(self.placement.id)
            self.refresh()

    def apply(self) -> Any:
        if self.timer.isActive():
            self.refresh()
        if self.placement is None:
            raise ValidationError(
                _("This household has no active placement: there is nobody to transfer.")
            )
        day = self.date.value()
        if day <= self.placement.entry_date:
            raise ValidationError(
                _("The transfer date must come after the entry date ({date}).").format(
                    date=date_text(self.placement.entry_date)
                )
            )
        if not self.members.people:
            raise ValidationError(
                _("Nobody of this placement has a bed on {date}.").format(date=date_text(day))
            )
        ids = self.members.checked_ids()
        if not ids:
            raise ValidationError(_("Tick at least one person to transfer."))
        sid = self.chooser.structure_id()
        if sid is None:
            raise ValidationError(_("Choose the destination structure from the list."))
        rep = self.chooser.report()
        reason = self.override.text().strip() if self.override.isVisible() else ""
        if rep is not None and rep.target_group_problem and not reason:
            self.override.setFocus()
            raise ValidationError(
                _(
                    "This structure is not meant for these people. To move them anyway, write the reason "
                    "for the exception; otherwise choose another structure."
                )
            )
        beds = self.members.beds_for_service(_("Choose a bed for each person who moves."))
        return self.backend.services.transfer(
            self.placement.id,
            day,
            sid,
            person_ids=self.person_ids(),
            beds=beds,
            override_reason=reason,
            version=self.placement.version,
        )
