"""Stampa...: which document to print for what is selected, at the chosen date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models.formatting import format_month, format_short_date
from models.i18n import _

from .buttons import ok_cancel

SHEET, SUMMARY, REGISTER = "sheet", "summary", "register"


class PrintChoiceDialog(QDialog):
    """Occupancy sheet (a structure), occupancy summary (the selection), presence
    register (the month of the date, for a structure or a programme)."""

    def __init__(
        self,
        scope: str,
        day: dt.date,
        *,
        structure: bool,
        programme: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("What do you want to print for {scope}?").format(scope=scope)))
        self.group = QButtonGroup(self)
        month = format_month(day, "LLLL yyyy")
        self.options: dict[str, QRadioButton] = {}
        for key, text, enabled, why in (
            (
                SHEET,
                _("Occupancy sheet on {date}").format(date=format_short_date(day)),
                structure,
                _("choose a structure on the left"),
            ),
            (
                SUMMARY,
                _("Occupancy summary on {date}").format(date=format_short_date(day)),
                True,
                "",
            ),
            (
                REGISTER,
                _("Presence register of {month}").format(month=month),
                structure or programme,
                _("choose a programme or a structure on the left"),
            ),
        ):
            button = QRadioButton(text if enabled else f"{text} ({why})", self)
            button.setObjectName(f"print_{key}")
            button.setEnabled(enabled)
            self.group.addButton(button)
            layout.addWidget(button)
            self.options[key] = button
        (self.options[SHEET] if structure else self.options[SUMMARY]).setChecked(True)
        layout.addWidget(ok_cancel(self, _("Preview...")))

    def choice(self) -> str:
        for key, button in self.options.items():
            if button.isChecked() and button.isEnabled():
                return key
        return SUMMARY
