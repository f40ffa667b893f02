"""Put a bed out of service (repairs, mould, a broken bed) from a date, until a date or
until further notice.

The dialog only asks; the structure page records it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from models.errors import ValidationError
from models.i18n import _

from ..colours import error_style
from .buttons import ok_cancel
from .dates import DateEdit, check_dates

DEFAULT_DAYS = 30  # the end proposed when one is given: about a month of repairs


class OutageDialog(QDialog):
    """From a date, until a date or until further notice, with the reason."""

    HELP_ANCHOR = "outage"  # its section of the manual (views.help)

    def __init__(self, bed_name: str, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Put a bed out of service"))
        form = QFormLayout(self)
        form.addRow(_("Bed:"), QLabel(bed_name))
        self.start = DateEdit(day, self)
        self.start.setObjectName("outageStart")
        self.has_end = QCheckBox(_("&until"), self)
        self.has_end.setObjectName("outageHasEnd")
        self.end = DateEdit(day + dt.timedelta(days=DEFAULT_DAYS), self)
        self.end.setObjectName("outageEnd")
        self.end.setEnabled(False)
        self.has_end.toggled.connect(self.end.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.has_end)
        row.addWidget(self.end, 1)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("outageReason")
        self.reason.setPlaceholderText(_("e.g. repairs, mould, broken bed"))
        form.addRow(_("&From:"), self.start)
        form.addRow(_("End:"), row)
        form.addRow(_("&Reason:"), self.reason)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet(error_style())
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        form.addRow(self.error_label)
        form.addRow(ok_cancel(self, _("Put out of service")))

    def accept(self) -> None:
        """Refused, with the reason shown, while a date is not a date."""
        try:
            check_dates(self)
        except ValidationError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        super().accept()

    def values(self) -> tuple[dt.date, dt.date | None, str]:
        return (
            self.start.value(),
            self.end.value() if self.has_end.isChecked() else None,
            self.reason.text(),
        )
