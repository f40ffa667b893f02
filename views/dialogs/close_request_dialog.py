"""Withdraw a request of the waiting list, or mark it expired: the day and why. The
request stays on the list, closed."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from models.errors import ValidationError
from models.i18n import N_, _
from models.results import Changes, RequestInfo

from ..date_edit import DateEdit
from ..widgets import fit_on_screen
from .context import DialogContext
from .dates import date_row
from .styles import hint
from .workflow_dialog import WorkflowDialog, Write


class CloseRequestDialog(WorkflowDialog):
    """Withdraw a request, or mark it expired: the day and why; it stays on the list."""

    TITLE, OK_TEXT = N_("Close the request"), N_("Close the request")

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        request: RequestInfo,
        expired: bool = False,
        **ids: Any,
    ) -> None:
        self.request = request
        self.expired = expired
        super().__init__(context, parent, **ids)

    def window_title(self) -> str:
        return _("Request expired") if self.expired else _("Withdraw the request")

    def ok_text(self) -> str:
        return _("Mark expired") if self.expired else _("Withdraw")

    def build(self) -> None:
        form = QFormLayout()
        self.body.addWidget(
            hint(_("The request stays on the list, closed, with the day and the reason."))
        )
        self.body.addLayout(form)
        self.when = DateEdit(self.day)
        self.when.setObjectName("closeDate")
        self.when.line.setAccessibleName(_("Day"))
        form.addRow(_("&Day:"), date_row(self.when))
        self.reason = QLineEdit()
        self.reason.setObjectName("closeReason")
        self.reason.setAccessibleName(_("Reason"))
        if self.expired:
            self.reason.setPlaceholderText(_("optional"))
        form.addRow(_("&Reason:"), self.reason)
        fit_on_screen(self, 520, 200)

    def apply(self) -> Write:
        wl, rid, version = self.backend.waiting_list, self.request.id, self.request.version
        day, reason = self.when.value(), self.reason.text()
        if self.expired:
            return Write(
                lambda: wl.expire(rid, day, reason, version=version),
                Changes(message=_("Request marked expired")),
            )
        if not reason.strip():
            raise ValidationError(_("Write why the request is withdrawn."))
        return Write(
            lambda: wl.withdraw(rid, day, reason, version=version),
            Changes(message=_("Request withdrawn")),
        )
