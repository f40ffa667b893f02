"""Dates in the dialogs: a day with a calendar, a day that may be left out, a date typed
by hand (a birth date, with the age it gives), and the month arithmetic of planned ends."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from models.errors import ValidationError
from models.i18n import _

from .styles import WARNING_COLOUR
from .texts import age_on, age_text

# 04/03/1990, 4.3.90, 4-3-1990
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def parse_date(text: str) -> dt.date | None:
    """A date typed by hand (dd/mm/yyyy, d.m.yy, yyyy-mm-dd); None when empty.

    Raises ``ValidationError`` with a clear message when the text is not a date.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if _ISO.match(text):
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
        m = _DAY_MONTH_YEAR.match(text)
        if m:
            d, mo, y = (int(x) for x in m.groups())
            if y < 100:
                # Two-digit years are birth years: 05 is 2005, 90 is 1990.
                y += 2000 if y <= dt.date.today().year % 100 else 1900
            return dt.date(y, mo, d)
    except ValueError:
        pass
    raise ValidationError(_("“{text}” is not a date: write it as dd/mm/yyyy.").format(text=text))


def show_age(label: QLabel, birth_text: str, day: dt.date) -> None:
    """The age on ``day`` of a birth date being typed, in bold orange for a minor."""
    try:
        birth = parse_date(birth_text)
    except ValidationError:
        label.setText(_("not a date yet"))
        label.setStyleSheet("color: #777;")
        return
    label.setText(age_text(birth, day))
    minor = (age_on(birth, day) or 99) < 18
    label.setStyleSheet(f"color: {WARNING_COLOUR.name()}; font-weight: bold;" if minor else "")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


class DateEdit(QDateEdit):
    """A date with a calendar, written dd/mm/yyyy."""

    def __init__(self, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(to_qdate(day), parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setMinimumDate(QDate(1900, 1, 1))
        self.setMinimumWidth(130)

    def value(self) -> dt.date:
        return from_qdate(self.date())

    def set_value(self, day: dt.date) -> None:
        self.setDate(to_qdate(day))


class OptionalDateEdit(QWidget):
    """A date that may be left out (a planned end, an end of stay): a date and a "none" tick."""

    changed = Signal()

    def __init__(self, day: dt.date | None, none_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = DateEdit(day or dt.date.today())
        self.none = QCheckBox(none_label)
        lay.addWidget(self.edit)
        lay.addWidget(self.none)
        lay.addStretch(1)
        self.none.setChecked(day is None)
        self.edit.setEnabled(day is not None)
        self.none.toggled.connect(lambda on: self.edit.setEnabled(not on))
        self.none.toggled.connect(lambda _on: self.changed.emit())
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.setFocusProxy(self.edit)

    def value(self) -> dt.date | None:
        return None if self.none.isChecked() else self.edit.value()

    def set_value(self, day: dt.date | None) -> None:
        self.none.setChecked(day is None)
        if day is not None:
            self.edit.set_value(day)


def date_row(*widgets: QWidget) -> QWidget:
    """Date fields at their natural width, left aligned, in one form row."""
    host = QWidget()
    lay = QHBoxLayout(host)
    lay.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        lay.addWidget(w)
    lay.addStretch(1)
    return host
