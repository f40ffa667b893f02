"""The bar above the pages: where the coordinator is (All network › programme › province ›
structure) and the one date every page shows, with the previous and next day and "Today".
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from models.i18n import _

from . import colours
from .date_edit import DateEdit
from .widgets import from_qdate, mute, to_qdate

# A date other than today is tinted, so that nobody takes the past for the present.
# A light amber field with dark text: readable whatever the theme around it.


class DateBar(QWidget):
    """Emits ``day_chosen(date)`` when the coordinator asks for another date; shows the
    date it is given with ``show_day`` without emitting."""

    HELP_ANCHOR = "dates"  # its section of the manual (views.help)

    day_chosen = Signal(object)

    def __init__(self, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dateBar")
        self.day = day
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        self.context_label = mute(QLabel(self))
        self.context_label.setObjectName("contextLabel")
        row.addWidget(self.context_label, 1)
        label = QLabel(_("Date:"), self)
        row.addWidget(label)
        self.previous_button = self._arrow("previousDayButton", "◀", _("Previous day"))
        self.previous_button.clicked.connect(lambda: self.step(-1))
        row.addWidget(self.previous_button)
        self.date_edit = DateEdit(dt.date.today(), self)
        self.date_edit.setObjectName("dateEdit")
        # Typed dates count when complete (Enter, leaving the field): no reload per digit.
        # Arrow keys and the calendar still change the date at once.
        self.date_edit.setKeyboardTracking(False)
        self.date_edit.setMinimumDate(QDate(1990, 1, 1))
        self.date_edit.setMaximumDate(QDate(2100, 12, 31))
        self.date_edit.setToolTip(_("Every page shows the situation on this date."))
        self.date_edit.setAccessibleName(_("Date shown"))
        label.setBuddy(self.date_edit)
        row.addWidget(self.date_edit)
        self.next_button = self._arrow("nextDayButton", "▶", _("Next day"))
        self.next_button.clicked.connect(lambda: self.step(1))
        row.addWidget(self.next_button)
        self.today_button = QPushButton(_("Today"), self)
        self.today_button.setObjectName("todayButton")
        self.today_button.clicked.connect(lambda: self.day_chosen.emit(dt.date.today()))
        row.addWidget(self.today_button)
        self.date_edit.dateChanged.connect(lambda q: self.day_chosen.emit(from_qdate(q)))

    def _arrow(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        return button

    def step(self, days: int) -> None:
        """Ask for the date ``days`` after (or before) the one shown."""
        self.day_chosen.emit(self.day + dt.timedelta(days=days))

    def show_day(self, day: dt.date) -> None:
        self.day = day
        if from_qdate(self.date_edit.date()) != day:
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(to_qdate(day))
            self.date_edit.blockSignals(False)
        today = dt.date.today()
        self.today_button.setEnabled(day != today)
        self.date_edit.setStyleSheet("" if day == today else not_today_style())

    def show_context(self, text: str) -> None:
        self.context_label.setText(text)


def not_today_style() -> str:
    """The date field when the window shows another day than today: tinted yellow."""
    text = colours.palette().color(colours.Role.Text)
    background = colours.tint(colours.YELLOW, 0.35)
    return f"QLineEdit {{ background: {background.name()}; color: {text.name()}; }}"
