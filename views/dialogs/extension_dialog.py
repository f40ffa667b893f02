"""Extension (proroga): a new planned end for an active placement, with reason and authorisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from models.errors import ValidationError
from models.i18n import _

from .common import (
    WARNING_COLOUR,
    DateEdit,
    WorkflowDialog,
    add_months,
    date_row,
    date_text,
    find_placement,
    placement_summary,
)


class ExtensionDialog(WorkflowDialog):
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
            backend, parent, day=day, title=_("Extend a placement"), ok_text=_("Extend")
        )
        self.placement = find_placement(backend, placement_id, household_id)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.previous = QLabel()
        self.previous.setWordWrap(True)
        self.body.addWidget(self.previous)
        form = QFormLayout()
        base = day
        if self.placement is not None and self.placement.planned_end is not None:
            base = max(self.placement.planned_end, day)
        self.new_end = DateEdit(add_months(base, 6))
        self.new_end.setObjectName("newPlannedEnd")
        form.addRow(_("New planned &end:"), date_row(self.new_end))
        self.reason = QLineEdit()
        self.reason.setObjectName("extensionReason")
        self.reason.setPlaceholderText(
            _("For example: waiting for the permit, school year, health")
        )
        form.addRow(_("&Reason (required):"), self.reason)
        self.authorised_by = QLineEdit()
        self.authorised_by.setObjectName("authorisedBy")
        self.authorised_by.setPlaceholderText(
            _("Who authorised it (Servizio Centrale, prefecture...)")
        )
        form.addRow(_("&Authorised by:"), self.authorised_by)
        self.granted_on = DateEdit(day)
        self.granted_on.setObjectName("grantedOn")
        form.addRow(_("&Granted on:"), date_row(self.granted_on))
        self.body.addLayout(form)
        # Places the new nights would lack: a warning only, the extension is granted by others.
        self.capacity_warning = QLabel()
        self.capacity_warning.setObjectName("capacityWarning")
        self.capacity_warning.setWordWrap(True)
        self.capacity_warning.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
        self.capacity_warning.hide()
        self.body.addWidget(self.capacity_warning)
        self.body.addStretch(1)
        from views.tasks import TaskRunner

        self.runner = TaskRunner(self)
        self.warning_timer = QTimer(self)
        self.warning_timer.setSingleShot(True)
        self.warning_timer.setInterval(200)
        self.warning_timer.timeout.connect(self.refresh_warning)
        self.new_end.dateChanged.connect(self.warning_timer.start)
        if self.placement is None:
            self.summary.setText(
                _("This household has no active placement: there is nothing to extend.")
            )
            self.ok_button.setEnabled(False)
        else:
            self.summary.setText(placement_summary(backend, self.placement, day))
            if self.placement.extensions:
                lines = [
                    _("{old} → {new}: {reason}").format(
                        old=date_text(x.previous_planned_end),
                        new=date_text(x.new_planned_end),
                        reason=x.reason,
                    )
                    for x in self.placement.extensions
                ]
                self.previous.setText(_("Earlier extensions:") + "<br>" + "<br>".join(lines))
        self.previous.setVisible(bool(self.previous.text()))
        self.resize(620, 300)
        self.new_end.setFocus()
        self.refresh_warning()

    def refresh_warning(self) -> None:
        """Check the places for the nights the new planned end adds (off the UI thread)."""
        self.warning_timer.stop()
        if self.placement is None:
            return
        placement_id, new_end = self.placement.id, self.new_end.value()
        services = self.backend.services
        self.runner.run(
            lambda: (new_end, services.extension_capacity_warning(placement_id, new_end)),
            on_success=self._show_warning,
            key="capacity-warning",
        )

    def _show_warning(self, result: tuple[dt.date, str | None]) -> None:
        new_end, warning = result
        if new_end != self.new_end.value():
            return  # the date changed meanwhile; its own check is on the way
        self.capacity_warning.setText("⚠ " + warning if warning else "")
        self.capacity_warning.setVisible(bool(warning))

    def reload(self) -> None:
        if self.placement is not None:
            self.placement = self.backend.queries.placement(self.placement.id)
            self.summary.setText(placement_summary(self.backend, self.placement, self.day))

    def apply(self) -> Any:
        if self.placement is None:
            raise ValidationError(
                _("This household has no active placement: there is nothing to extend.")
            )
        new_end = self.new_end.value()
        if new_end <= self.placement.entry_date:
            raise ValidationError(_("The planned end must come after the entry date."))
        if self.placement.planned_end is not None and new_end <= self.placement.planned_end:
            raise ValidationError(
                _("The new planned end must come after the current one ({date}).").format(
                    date=date_text(self.placement.planned_end)
                )
            )
        if not self.reason.text().strip():
            self.reason.setFocus()
            raise ValidationError(_("Write the reason of the extension."))
        return self.backend.services.extend(
            self.placement.id,
            new_end,
            self.reason.text().strip(),
            authorised_by=self.authorised_by.text().strip(),
            granted_on=self.granted_on.value(),
            version=self.placement.version,
        )
