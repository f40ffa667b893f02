"""Dates in the dialogs: a day with a calendar, a day that may be left out, a date typed
by hand (a birth date, with the age it gives), and the month arithmetic of planned ends."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from models.errors import ValidationError
from models.i18n import _

from ..colours import colour_style, muted, warning
from ..date_edit import (
    DateEdit,
    add_months,
    check_dates,
    from_qdate,
    parse_date,
    to_qdate,
)
from .texts import age_on, age_text


def show_age(label: QLabel, birth_text: str, day: dt.date) -> None:
    """The age on ``day`` of a birth date being typed, in bold orange for a minor."""
    try:
        birth = parse_date(birth_text)
    except ValidationError:
        label.setText(_("not a date yet"))
        label.setStyleSheet(colour_style(muted()))
        return
    label.setText(age_text(birth, day))
    minor = (age_on(birth, day) or 99) < 18
    label.setStyleSheet(colour_style(warning(), bold=True) if minor else "")


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


__all__ = [
    "DateEdit",
    "OptionalDateEdit",
    "add_months",
    "check_dates",
    "date_row",
    "from_qdate",
    "parse_date",
    "show_age",
    "to_qdate",
]
