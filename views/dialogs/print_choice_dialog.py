"""Stampa...: which document to print for what is selected, at the chosen date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models.formatting import format_date, format_month
from models.i18n import _

from .buttons import ok_cancel

SHEET, SUMMARY, REGISTER, BOARD = "sheet", "summary", "register", "board"


class PrintChoiceDialog(QDialog):
    """Occupancy sheet (a structure), occupancy summary (the selection), presence
    register (of a month chosen here, the date's by default, for a structure or a
    programme), planning board (the selection, four weeks from the date)."""

    HELP_ANCHOR = "print"  # its section of the manual (views.help)

    MONTHS_BACK = 24  # a register is printed for the months just gone, rarely older

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
        self.options: dict[str, QRadioButton] = {}
        for key, text, enabled, why in (
            (
                SHEET,
                _("Occupancy sheet on {date}").format(date=format_date(day)),
                structure,
                _("choose a structure on the left"),
            ),
            (
                SUMMARY,
                _("Occupancy summary on {date}").format(date=format_date(day)),
                True,
                "",
            ),
            (
                REGISTER,
                _("Presence register of the month"),
                structure or programme,
                _("choose a programme or a structure on the left"),
            ),
            (
                BOARD,
                _("Planning board, four weeks from {date} (a structure a page)").format(
                    date=format_date(day)
                ),
                True,
                "",
            ),
        ):
            button = QRadioButton(text if enabled else f"{text} ({why})", self)
            button.setObjectName(f"print_{key}")
            button.setEnabled(enabled)
            self.group.addButton(button)
            layout.addWidget(button)
            self.options[key] = button
        self.month = QComboBox(self)
        self.month.setObjectName("registerMonth")
        self.month.setAccessibleName(_("Month of the presence register"))
        year, month = day.year, day.month
        for _i in range(self.MONTHS_BACK):
            # One int per month: a tuple would not survive the trip through a QVariant.
            self.month.addItem(
                format_month(dt.date(year, month, 1), "LLLL yyyy"), year * 12 + month - 1
            )
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        month_row = QHBoxLayout()
        month_row.addSpacing(24)
        label = QLabel(_("&Month:"), self)
        label.setBuddy(self.month)
        month_row.addWidget(label)
        month_row.addWidget(self.month, 1)
        layout.insertLayout(layout.indexOf(self.options[REGISTER]) + 1, month_row)
        self.options[REGISTER].toggled.connect(self.month.setEnabled)
        self.month.setEnabled(False)
        (self.options[SHEET] if structure else self.options[SUMMARY]).setChecked(True)
        layout.addWidget(ok_cancel(self, _("Preview…")))

    def register_month(self) -> tuple[int, int]:
        """(year, month) of the presence register."""
        year, month0 = divmod(int(self.month.currentData()), 12)
        return year, month0 + 1

    def choice(self) -> str:
        for key, button in self.options.items():
            if button.isChecked() and button.isEnabled():
                return key
        return SUMMARY
