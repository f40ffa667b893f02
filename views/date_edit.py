"""A date typed whole or picked on a calendar: the field every date of the window uses
(the date bar, every dialog), and the parsing of dates typed by hand."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAccessible, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from models.errors import ValidationError
from models.i18n import _

from . import colours
from .widgets import from_qdate, to_qdate

# A field whose text cannot be taken: a red frame, readable on a light and a dark base.


# 04/03/1990, 4.3.90, 4-3-1990, 4 3 1990
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
# 04031990 or 040390: a date typed without separators
_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{2}|\d{4})$")


def parse_date(text: str, *, past: bool = True) -> dt.date | None:
    """A date typed by hand (dd/mm/yyyy, d.m.yy, ddmmyyyy, yyyy-mm-dd); None when empty.

    A two-digit year is in the past when ``past`` (a birth date: 05 is 2005, 90 is 1990),
    else in this century (an entry or an exit: 27 is 2027). Raises ``ValidationError``
    with a clear message when the text is not a date.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if _ISO.match(text):
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
        m = _DAY_MONTH_YEAR.match(text) or _DIGITS.match(text)
        if m:
            d, mo, y = (int(x) for x in m.groups())
            if len(m.group(3)) == 2:
                if past:
                    y += 2000 if y <= dt.date.today().year % 100 else 1900
                else:
                    y += 2000
            return dt.date(y, mo, d)
    except ValueError:
        pass
    raise ValidationError(_("“{text}” is not a date: write it as dd/mm/yyyy.").format(text=text))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


class DateEdit(QWidget):
    """A day typed whole or picked on a calendar, written dd/mm/yyyy.

    The text is the coordinator's until it is a date: "31/12/2026", "311226", "31.12.26"
    typed from any cursor position are read as typed; a text that is not a date is
    framed in red, says why in its tooltip and is never taken for another day (``problem``
    tells a dialog to refuse OK). Up and Down move a day, Page Up and Page Down a month,
    Alt+Down opens the calendar. ``dateChanged`` is emitted for each new valid day: as it
    is typed, or only when the typing is done (Enter, leaving the field) without keyboard
    tracking.
    """

    dateChanged = Signal(QDate)  # noqa: N815 - the name QDateEdit gives it

    def __init__(self, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._day = day
        self._minimum = dt.date(1900, 1, 1)
        self._maximum = dt.date(2199, 12, 31)
        self._tracking = True
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.line = QLineEdit(self)
        self.line.setObjectName("dateText")
        self.line.setPlaceholderText(_("dd/mm/yyyy"))
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance("00/00/00000") + 16)
        self.line.installEventFilter(self)
        self.button = QToolButton(self)
        self.button.setObjectName("calendarButton")
        self.button.setText("▾")
        self.button.setToolTip(_("Choose on the calendar (Alt+Down)"))
        self.button.setAccessibleName(_("Calendar"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.show_calendar)
        lay.addWidget(self.line, 1)
        lay.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._finished)
        self._show(day)

    # -- QDateEdit's words, so that callers need not know the difference --
    def date(self) -> QDate:
        return to_qdate(self._day)

    def setDate(self, q: QDate) -> None:  # noqa: N802 - QDateEdit's name
        self.set_value(from_qdate(q))

    def setMinimumDate(self, q: QDate) -> None:  # noqa: N802 - QDateEdit's name
        self._minimum = from_qdate(q)

    def setMaximumDate(self, q: QDate) -> None:  # noqa: N802 - QDateEdit's name
        self._maximum = from_qdate(q)

    def setKeyboardTracking(self, on: bool) -> None:  # noqa: N802 - QDateEdit's name
        self._tracking = on

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt's name
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        # The label a form gives this field names the text in it, for a screen reader.
        if not self.line.accessibleName():
            iface = QAccessible.queryAccessibleInterface(self)
            name = iface.text(QAccessible.Text.Name) if iface is not None else ""
            self.line.setAccessibleName(name.replace("&", "").rstrip(":") or _("Date"))
        super().showEvent(event)

    # -- the day --
    def value(self) -> dt.date:
        """The last valid day shown (see ``problem`` for a text that is not one)."""
        return self._day

    def set_value(self, day: dt.date) -> None:
        changed = day != self._day
        self._show(day)
        if changed:
            self.dateChanged.emit(to_qdate(day))

    def problem(self) -> str | None:
        """Why the text is not a day this field takes; None when it is one."""
        try:
            day = parse_date(self.line.text(), past=False)
        except ValidationError as exc:
            return str(exc)
        if day is None:
            return _("Write a date as dd/mm/yyyy.")
        if not self._minimum <= day <= self._maximum:
            return _("{date} is outside the dates this field takes ({first} to {last}).").format(
                date=day.strftime("%d/%m/%Y"),
                first=self._minimum.strftime("%d/%m/%Y"),
                last=self._maximum.strftime("%d/%m/%Y"),
            )
        return None

    def _parsed(self) -> dt.date | None:
        if self.problem() is not None:
            return None
        return parse_date(self.line.text(), past=False)

    def _show(self, day: dt.date) -> None:
        self._day = day
        self.line.setText(day.strftime("%d/%m/%Y"))
        self._mark(None)

    def _mark(self, problem: str | None) -> None:
        self.line.setStyleSheet(invalid_field_style() if problem else "")
        self.line.setToolTip(problem or "")
        self.line.setAccessibleDescription(problem or "")

    def _accept(self, day: dt.date) -> None:
        if day != self._day:
            self._day = day
            self.dateChanged.emit(to_qdate(day))

    def _typed(self, _text: str) -> None:
        day = self._parsed()
        # While typing nothing is marked wrong ("1/1/2" is not wrong yet); a mark left by
        # an earlier refusal goes as soon as the text is a date again.
        if day is not None:
            self._mark(None)
            if self._tracking:
                self._accept(day)

    def _finished(self) -> None:
        problem = self.problem()
        self._mark(problem)
        if problem is None:
            day = parse_date(self.line.text(), past=False)
            assert day is not None
            self._accept(day)
            self._show(day)

    def _step(self, days: int = 0, months: int = 0) -> None:
        day = self._parsed() or self._day
        day = add_months(day, months) + dt.timedelta(days=days)
        if self._minimum <= day <= self._maximum:
            self._accept(day)
            self._show(day)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.line and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, mods = event.key(), event.modifiers()
            if key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier:
                self.show_calendar()
                return True
            steps = {
                Qt.Key.Key_Up: (1, 0),
                Qt.Key.Key_Down: (-1, 0),
                Qt.Key.Key_PageUp: (0, 1),
                Qt.Key.Key_PageDown: (0, -1),
            }
            if key in steps:
                self._step(*steps[Qt.Key(key)])
                return True
        return super().eventFilter(watched, event)

    def show_calendar(self) -> None:
        menu = QMenu(self)
        calendar_widget = QCalendarWidget(menu)
        calendar_widget.setObjectName("calendar")
        calendar_widget.setGridVisible(True)
        calendar_widget.setDateRange(to_qdate(self._minimum), to_qdate(self._maximum))
        calendar_widget.setSelectedDate(to_qdate(self._parsed() or self._day))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar_widget)
        menu.addAction(action)

        def chosen(q: QDate) -> None:
            menu.close()
            self._accept(from_qdate(q))
            self._show(from_qdate(q))
            self.line.setFocus()

        calendar_widget.clicked.connect(chosen)
        calendar_widget.activated.connect(chosen)
        calendar_widget.setFocus()
        menu.exec(self.mapToGlobal(self.rect().bottomLeft()))


def check_dates(host: QWidget) -> None:
    """Refuse (``ValidationError``) while a date field of ``host`` in use is not a date."""
    for edit in host.findChildren(DateEdit):
        if not edit.isEnabled() or not edit.isVisibleTo(host):
            continue
        problem = edit.problem()
        if problem is not None:
            edit._mark(problem)
            edit.line.setFocus()
            edit.line.selectAll()
            raise ValidationError(problem)


def invalid_field_style() -> str:
    """A red frame round a date that cannot be read."""
    border = colours.readable(
        colours.RED, colours.palette().color(colours.Role.Base), ratio=colours.GRAPHIC_CONTRAST
    )
    return f"QLineEdit {{ border: 2px solid {border.name()}; }}"
