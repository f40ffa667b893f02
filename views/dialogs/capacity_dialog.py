"""Cambia capienza da una data: the places authorised for a structure from a date on.

The dialog only asks; the structure page records the change (and warns when there are
then more people than places).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from models.errors import ValidationError
from models.i18n import _

from ..colours import error_style
from .buttons import ok_cancel
from .dates import DateEdit, check_dates


class CapacityDialog(QDialog):
    """Places authorised from a date on; the earlier history is kept."""

    HELP_ANCHOR = "capacity"  # its section of the manual (views.help)

    def __init__(self, day: dt.date, places: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Change capacity from a date"))
        form = QFormLayout(self)
        self.date_edit = DateEdit(day, self)
        self.date_edit.setObjectName("capacityDate")
        self.places = QSpinBox(self)
        self.places.setObjectName("capacityPlaces")
        self.places.setRange(0, 10_000)
        self.places.setValue(places)
        self.note = QLineEdit(self)
        self.note.setObjectName("capacityNote")
        self.note.setPlaceholderText(_("e.g. agreement of 12/03/2021 with the holder"))
        form.addRow(_("&From:"), self.date_edit)
        form.addRow(_("&Places:"), self.places)
        form.addRow(_("&Note:"), self.note)
        form.addRow(
            QLabel(_("The earlier history is kept: the new capacity applies from this date on."))
        )
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet(error_style())
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        form.addRow(self.error_label)
        form.addRow(ok_cancel(self, _("Save")))

    def accept(self) -> None:
        """Refused, with the reason shown, while a date is not a date."""
        try:
            check_dates(self)
        except ValidationError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        super().accept()

    def values(self) -> tuple[dt.date, int, str]:
        return self.date_edit.value(), self.places.value(), self.note.text().strip()
