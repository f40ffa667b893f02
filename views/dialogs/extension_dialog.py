"""Extension (proroga): a new planned end for an active placement, with reason and authorisation.

When the structure would be short of places on a night the extension adds, the dialog
warns; the extension is still recorded, since it was granted by others.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from models.errors import ValidationError
from models.i18n import N_, _
from models.results import Changes
from models.terms import beyond_sai_terms, sai_terms_end

from ..colours import warning
from ..widgets import fit_on_screen
from .context import DialogContext
from .dates import DateEdit, add_months, date_row
from .placement_workflow_dialog import PlacementWorkflowDialog
from .texts import date_text
from .workflow_dialog import Write

EXTENSION_MONTHS = 6  # the usual length of an extension, proposed as the new planned end


class ExtensionDialog(PlacementWorkflowDialog):
    HELP_ANCHOR = "extension"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("Extend a placement"), N_("Extend")

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        new_end: dt.date | None = None,
        **ids: Any,
    ) -> None:
        # Prefilled from the planning board: the day the bar's end was dropped on.
        self.wanted_end = new_end
        super().__init__(context, parent, **ids)

    def build_fields(self) -> None:
        self.previous = QLabel()
        self.previous.setWordWrap(True)
        self.previous.hide()
        self.body.addWidget(self.previous)
        form = QFormLayout()
        self.new_end = DateEdit(self.wanted_end or add_months(self.day, EXTENSION_MONTHS))
        self.new_end.setObjectName("newPlannedEnd")
        form.addRow(_("New planned &end:"), date_row(self.new_end))
        self.reason = QLineEdit()
        self.reason.setObjectName("extensionReason")
        self.reason.setPlaceholderText(
            _("For example: waiting for the permit, school year, health")
        )
        form.addRow(_("&Reason (required):"), self.reason)
        # Beyond the SAI terms (six months, then six more): a reason of its own.
        self.beyond_reason = QLineEdit()
        self.beyond_reason.setObjectName("beyondTermsReason")
        self.beyond_reason.setPlaceholderText(
            _("Why the placement goes on beyond the SAI terms (required)")
        )
        self.beyond_label = QLabel(_("&Beyond the SAI terms:"))
        self.beyond_label.setBuddy(self.beyond_reason)
        form.addRow(self.beyond_label, self.beyond_reason)
        self.beyond_note = QLabel()
        self.beyond_note.setObjectName("beyondTermsNote")
        self.beyond_note.setWordWrap(True)
        self.beyond_note.setStyleSheet(f"color: {warning().name()};")
        form.addRow(self.beyond_note)
        self._show_beyond(False)
        self.authorised_by = QLineEdit()
        self.authorised_by.setObjectName("authorisedBy")
        self.authorised_by.setPlaceholderText(
            _("Who authorised it (Servizio Centrale, prefecture…)")
        )
        form.addRow(_("&Authorised by:"), self.authorised_by)
        self.granted_on = DateEdit(self.day)
        self.granted_on.setObjectName("grantedOn")
        form.addRow(_("&Granted on:"), date_row(self.granted_on))
        self.body.addLayout(form)
        # Places the new nights would lack: a warning only, the extension is granted by others.
        self.capacity_warning = QLabel()
        self.capacity_warning.setObjectName("capacityWarning")
        self.capacity_warning.setWordWrap(True)
        self.capacity_warning.setStyleSheet(f"color: {warning().name()};")
        self.capacity_warning.hide()
        self.body.addWidget(self.capacity_warning)
        self.body.addStretch(1)
        self._first_shown = True
        self.warning_timer = QTimer(self)
        self.warning_timer.setSingleShot(True)
        self.warning_timer.setInterval(200)
        self.warning_timer.timeout.connect(self.refresh_warning)
        self.new_end.dateChanged.connect(self.warning_timer.start)
        self.new_end.dateChanged.connect(lambda _d: self.refresh_terms())
        fit_on_screen(self, 620, 300)
        self.new_end.setFocus()

    def no_placement_text(self) -> str:
        return _("This household has no active placement: there is nothing to extend.")

    def show_placement(self) -> None:
        p = self.placement
        assert p is not None
        self.summary.setText(self.summary_on(self.day))
        lines = [
            _("{old} → {new}: {reason}").format(
                old=date_text(x.previous_planned_end),
                new=date_text(x.new_planned_end),
                reason=x.reason,
            )
            + (" ⚠ " + _("beyond the SAI terms") if x.beyond_terms else "")
            for x in p.extensions
        ]
        self.previous.setText(
            _("Earlier extensions:") + "<br>" + "<br>".join(lines) if lines else ""
        )
        self.previous.setVisible(bool(lines))
        if self._first_shown:
            self._first_shown = False
            if self.wanted_end is None:
                base = max(p.planned_end, self.day) if p.planned_end is not None else self.day
                self.new_end.set_value(add_months(base, EXTENSION_MONTHS))
            self.refresh_warning()
        self.refresh_terms()

    def beyond_terms(self) -> bool:
        p = self.placement
        return p is not None and beyond_sai_terms(p.sai_terms, p.entry_date, self.new_end.value())

    def refresh_terms(self) -> None:
        """The reason for going beyond the SAI terms is asked only when the new end does."""
        p = self.placement
        beyond = self.beyond_terms()
        if beyond and p is not None:
            self.beyond_note.setText(
                _(
                    "⚠ The SAI terms (six months, then six more) end on {date}: this extension "
                    "goes beyond them and is marked as such."
                ).format(date=date_text(sai_terms_end(p.entry_date)))
            )
        self._show_beyond(beyond)

    def _show_beyond(self, shown: bool) -> None:
        for widget in (self.beyond_label, self.beyond_reason, self.beyond_note):
            widget.setVisible(shown)
        if shown:  # room for the wrapped note, never taller than the screen needs
            layout = self.layout()
            if layout is not None:
                layout.activate()
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def refresh_warning(self) -> None:
        """Check the places for the nights the new planned end adds (off the UI thread)."""
        self.warning_timer.stop()
        if self.placement is None:
            return
        placement_id, new_end = self.placement.id, self.new_end.value()
        backend = self.backend
        self.run(
            lambda: (new_end, backend.placements.extension_capacity_warning(placement_id, new_end)),
            self._show_warning,
            key="capacity-warning",
        )

    def _show_warning(self, result: tuple[dt.date, str | None]) -> None:
        new_end, message = result
        if new_end != self.new_end.value():
            return  # the date changed meanwhile; its own check is on the way
        self.capacity_warning.setText("⚠ " + message if message else "")
        self.capacity_warning.setVisible(bool(message))

    def apply(self) -> Write:
        new_end = self.new_end.value()
        p = self.placement_for(new_end, _("The planned end must come after the entry date."))
        if p.planned_end is not None and new_end <= p.planned_end:
            raise ValidationError(
                _("The new planned end must come after the current one ({date}).").format(
                    date=date_text(p.planned_end)
                )
            )
        reason = self.reason.text().strip()
        if not reason:
            self.reason.setFocus()
            raise ValidationError(_("Write the reason of the extension."))
        authorised_by, granted_on = self.authorised_by.text().strip(), self.granted_on.value()
        beyond_reason = ""
        if self.beyond_terms():
            beyond_reason = self.beyond_reason.text().strip()
            if not beyond_reason:
                self.refresh_terms()
                self.beyond_reason.setFocus()
                raise ValidationError(
                    _("Write why the placement goes on beyond the SAI terms; nothing was saved.")
                )
        backend = self.backend
        return Write(
            lambda: backend.placements.extend(
                p.id,
                new_end,
                reason,
                authorised_by=authorised_by,
                granted_on=granted_on,
                version=p.version,
                beyond_terms_reason=beyond_reason,
            ),
            Changes(
                structures=self.structures_on([self.day]),
                households=frozenset({p.household_id}),
            ),
        )

    def confirmation(self, result: Any) -> str:
        return _("Extension recorded: household {household}, new planned end {date}").format(
            household=result.household_code, date=date_text(result.planned_end)
        )
