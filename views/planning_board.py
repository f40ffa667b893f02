"""The planning board (tabellone): the beds of the selection as rows, days as columns,
each stay a bar; the place to plan weeks ahead.

One painted view (``BoardView``, a ``QAbstractScrollArea``) draws only what is visible:
no widget per cell. The rows of the selection are read once (``backend.planning.rows``);
what lies on them is read per visible window of days and structures, a moment after the
scrolling stops, through the task runner (``backend.planning.window``).

Dragging a bar to another bed opens the transfer dialog with that bed and the day it was
dropped on; dragging the end of a bar (its planned end) opens the extension dialog with
the new planned end. The dialog checks and saves, as when opened from the menu; a drag
the board can already tell is refused changes nothing and says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from models.board import (
    HELD,
    OUT,
    BoardBar,
    BoardEntry,
    BoardOutage,
    BoardReservation,
    BoardRow,
    BoardWindow,
    StructureNight,
    all_structure_nights,
    board_entries,
    italian_holidays,
)
from models.formatting import format_date, format_month, format_short_date
from models.i18n import N_, _, ngettext
from models.results import Changes

from .selection import Selection
from .table_export import SHORTCUT as EXPORT_SHORTCUT
from .table_export import export_view
from .table_models import DATE, Column, RowTableModel
from .tasks import TaskRunner

if TYPE_CHECKING:
    from models.backend import Backend

ZOOM_DAYS = (14, 21, 30, 45, 60, 90)  # days shown across the view, two weeks to three months
DEFAULT_ZOOM = 2
ROW_HEIGHT = 22
HEADER_HEIGHT = 40
LABEL_WIDTH = 200
# Days read on each side of the visible ones, so that a short scroll reads nothing.
DAY_MARGIN = 21
ROW_MARGIN = 40
# Days before the window's date that the board can scroll back to, and after it.
DAYS_BACK, DAYS_AHEAD = 400, 730
FETCH_DELAY_MS = 120
END_GRIP = 6  # pixels around a bar's end that start an extension drag
ONE_DAY = dt.timedelta(days=1)

PROGRAMME_LINE, STRUCTURE_LINE, BED_LINE = "programme", "structure", "bed"


@dataclass(frozen=True, slots=True)
class Line:
    """One row of the board: a programme's title, a structure's (with its places per
    night) or a bed."""

    kind: str
    text: str
    structure_id: int | None = None
    row: BoardRow | None = None


def board_lines(rows: Sequence[BoardRow]) -> list[Line]:
    lines: list[Line] = []
    programme = structure = None
    for r in rows:
        if r.programme_code != programme:
            programme, structure = r.programme_code, None
            lines.append(Line(PROGRAMME_LINE, r.programme_name))
        if r.structure_id != structure:
            structure = r.structure_id
            lines.append(
                Line(STRUCTURE_LINE, f"{r.structure_code} · {r.structure_name}", r.structure_id)
            )
        lines.append(Line(BED_LINE, f"{r.room_name} · {r.bed_label}", r.structure_id, r))
    return lines


def household_colour(household_id: int, palette: QPalette) -> QColor:
    """One colour per household (its members' bars share it), light on a light palette
    and deep on a dark one, so that the palette's text reads on it."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    hue = (household_id * 137) % 360  # the golden angle: neighbours far apart
    return QColor.fromHsl(hue, 150, 80 if dark else 200)


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


@dataclass(frozen=True)
class Colours:
    """The board's colours, derived from the palette (readable in a dark theme too)."""

    base: QColor
    text: QColor
    grid: QColor
    weekend: QColor
    header: QColor
    today: QColor
    reserved: QColor
    out: QColor
    short: QColor
    marker: QColor
    closed: QColor

    @classmethod
    def of(cls, palette: QPalette) -> Colours:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        link = palette.color(QPalette.ColorRole.Link)
        return cls(
            base=base,
            text=text,
            grid=_mix(base, text, 0.15),
            weekend=_mix(base, text, 0.08),
            header=palette.color(QPalette.ColorRole.Button),
            today=highlight,
            reserved=highlight,
            out=_mix(base, text, 0.55),
            short=_mix(base, link, 0.55),
            marker=_mix(text, QColor(200, 40, 40), 0.6),
            closed=_mix(base, text, 0.3),
        )


def _runs(start: dt.date, marked: Sequence[bool]) -> list[tuple[dt.date, dt.date]]:
    """The nights marked, from ``start`` one a day, as runs ``[first, stop)``."""
    runs: list[tuple[dt.date, dt.date]] = []
    for k, on in enumerate(marked):
        if not on:
            continue
        day = start + dt.timedelta(days=k)
        if runs and runs[-1][1] == day:
            runs[-1] = (runs[-1][0], day + ONE_DAY)
        else:
            runs.append((day, day + ONE_DAY))
    return runs


class BoardView(QAbstractScrollArea):
    """The painted grid: beds down, days across. Scrolled by lines and by days."""

    # (bar, target bed row, drop day): a bar was dropped on another bed.
    transfer_dropped = Signal(object, object, object)
    # (bar, drop day): a bar's end was dragged to a day.
    end_dropped = Signal(object, object)
    window_wanted = Signal()  # the visible part changed: read it if it is not yet
    zoom_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planningBoard")
        self.setAccessibleName(_("Planning board"))
        self.setAccessibleDescription(
            _(
                "Beds as rows and days as columns; each stay is a bar. Drag a bar to another "
                "bed to transfer, drag its end to extend. Plus and minus zoom."
            )
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.lines: list[Line] = []
        self.line_of_bed: dict[int, int] = {}
        self.origin = dt.date.today() - dt.timedelta(days=DAYS_BACK)
        self.today = dt.date.today()
        self.zoom = DEFAULT_ZOOM
        self.board_window: BoardWindow | None = None
        self.nights: dict[int, list[StructureNight]] = {}
        self._bars_of: dict[int, list[BoardBar]] = {}
        self._held_of: dict[int, list[BoardReservation]] = {}
        self._out_of: dict[int, list[BoardOutage]] = {}
        self._holidays: dict[int, set[dt.date]] = {}
        self._frame: tuple[dt.date, float] | None = None  # first day, day width
        self._short_runs: dict[int, list[tuple[dt.date, dt.date]]] = {}
        self._closed_runs: dict[int, list[tuple[dt.date, dt.date]]] = {}
        self._drag: tuple[str, BoardBar, QPoint] | None = None
        self._drag_to: QPoint | None = None
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().setSingleStep(1)
        self.verticalScrollBar().setSingleStep(1)

    # -- what is shown -------------------------------------------------------------------

    def set_rows(self, rows: Sequence[BoardRow]) -> None:
        self.lines = board_lines(rows)
        self.line_of_bed = {
            ln.row.bed_id: i for i, ln in enumerate(self.lines) if ln.row is not None
        }
        self.board_window = None
        self.nights = {}
        self._index()
        self._update_ranges()
        self.verticalScrollBar().setValue(0)
        self.viewport().update()

    def set_window(self, window: BoardWindow, nights: dict[int, list[StructureNight]]) -> None:
        self.board_window = window
        self.nights = nights
        self._index()
        self.viewport().update()

    def _index(self) -> None:
        self._bars_of, self._held_of, self._out_of = {}, {}, {}
        self._short_runs, self._closed_runs = {}, {}
        if self.board_window is None:
            return
        # The nights short of places of each structure, and those it is closed (or its
        # programme not running), as runs [first, stop).
        start = self.board_window.start
        for sid, nights in self.nights.items():
            short = _runs(start, [n.short_of_places for n in nights])
            if short:
                self._short_runs[sid] = short
            closed = _runs(start, [not n.taking for n in nights])
            if closed:
                self._closed_runs[sid] = closed
        for b in self.board_window.bars:
            self._bars_of.setdefault(b.bed_id, []).append(b)
        for h in self.board_window.reservations:
            self._held_of.setdefault(h.bed_id, []).append(h)
        for o in self.board_window.outages:
            self._out_of.setdefault(o.bed_id, []).append(o)

    def show_from(self, day: dt.date, today: dt.date) -> None:
        """Scroll so that ``day`` is near the left edge (a few days before it show)."""
        self.today = today
        self.origin = day - dt.timedelta(days=DAYS_BACK)
        self._update_ranges()
        self.horizontalScrollBar().setValue(DAYS_BACK - 3)
        self.viewport().update()

    def set_zoom(self, index: int) -> None:
        index = max(0, min(len(ZOOM_DAYS) - 1, index))
        if index == self.zoom:
            return
        middle = self.first_day() + dt.timedelta(days=self.visible_days() // 2)
        self.zoom = index
        self._update_ranges()
        self.horizontalScrollBar().setValue((middle - self.origin).days - self.visible_days() // 2)
        self.viewport().update()
        self.zoom_changed.emit(ZOOM_DAYS[index])
        self.window_wanted.emit()

    # -- geometry --------------------------------------------------------------------------

    def visible_days(self) -> int:
        return ZOOM_DAYS[self.zoom]

    def day_width(self) -> float:
        return max(4.0, (self.viewport().width() - LABEL_WIDTH) / self.visible_days())

    def first_day(self) -> dt.date:
        return self.origin + dt.timedelta(days=self.horizontalScrollBar().value())

    def first_line(self) -> int:
        return self.verticalScrollBar().value()

    def visible_lines(self) -> int:
        return max(1, (self.viewport().height() - HEADER_HEIGHT) // ROW_HEIGHT + 1)

    def day_x(self, day: dt.date) -> float:
        if self._frame is not None:  # painting: the same for every cell of the frame
            first, dw = self._frame
            return LABEL_WIDTH + (day - first).days * dw
        return LABEL_WIDTH + (day - self.first_day()).days * self.day_width()

    def line_y(self, line: int) -> int:
        return HEADER_HEIGHT + (line - self.first_line()) * ROW_HEIGHT

    def day_at(self, x: float) -> dt.date | None:
        if x < LABEL_WIDTH:
            return None
        return self.first_day() + dt.timedelta(days=int((x - LABEL_WIDTH) // self.day_width()))

    def line_at(self, y: float) -> int | None:
        if y < HEADER_HEIGHT:
            return None
        line = self.first_line() + int((y - HEADER_HEIGHT) // ROW_HEIGHT)
        return line if 0 <= line < len(self.lines) else None

    def visible_range(self) -> tuple[dt.date, dt.date, list[int]]:
        """The days shown ``[first, stop)`` and the structures of the lines shown."""
        first = self.first_day()
        stop = first + dt.timedelta(days=self.visible_days() + 1)
        top = self.first_line()
        shown = self.lines[top : top + self.visible_lines()]
        sids = list(dict.fromkeys(ln.structure_id for ln in shown if ln.structure_id))
        return first, stop, sids

    def structures_near(self) -> list[int]:
        """The structures of the lines shown and of ``ROW_MARGIN`` lines on each side."""
        top = max(0, self.first_line() - ROW_MARGIN)
        near = self.lines[top : self.first_line() + self.visible_lines() + ROW_MARGIN]
        return list(dict.fromkeys(ln.structure_id for ln in near if ln.structure_id))

    def _update_ranges(self) -> None:
        h = self.horizontalScrollBar()
        h.setRange(0, DAYS_BACK + DAYS_AHEAD - self.visible_days())
        h.setPageStep(self.visible_days())
        v = self.verticalScrollBar()
        v.setRange(0, max(0, len(self.lines) - self.visible_lines() + 1))
        v.setPageStep(self.visible_lines())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_ranges()
        self.window_wanted.emit()

    def sizeHint(self) -> QSize:
        return QSize(900, 500)

    def _scrolled(self, _value: int) -> None:
        self.viewport().update()
        self.window_wanted.emit()

    # -- keyboard and wheel ----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_zoom(self.zoom - 1)  # fewer days, wider
        elif key == Qt.Key.Key_Minus:
            self.set_zoom(self.zoom + 1)
        elif key == Qt.Key.Key_Left:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - 1)
        elif key == Qt.Key.Key_Right:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + 1)
        elif key == Qt.Key.Key_PageUp and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            h = self.horizontalScrollBar()
            h.setValue(h.value() - self.visible_days())
        elif key == Qt.Key.Key_PageDown and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            h = self.horizontalScrollBar()
            h.setValue(h.value() + self.visible_days())
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() // 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if steps:
                self.set_zoom(self.zoom - (1 if steps > 0 else -1))
            event.accept()
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            h = self.horizontalScrollBar()
            h.setValue(h.value() - steps * 3)
            event.accept()
            return
        v = self.verticalScrollBar()
        v.setValue(v.value() - steps * 3)
        event.accept()

    # -- painting ----------------------------------------------------------------------------

    def _is_holiday(self, day: dt.date) -> bool:
        year = self._holidays.get(day.year)
        if year is None:
            year = self._holidays[day.year] = italian_holidays(day.year)
        return day in year

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        self._frame = (self.first_day(), self.day_width())
        try:
            self._paint(painter)
        finally:
            self._frame = None
            painter.end()

    def _paint(self, p: QPainter) -> None:
        colours = Colours.of(self.palette())
        vw, vh = self.viewport().width(), self.viewport().height()
        p.fillRect(0, 0, vw, vh, colours.base)
        dw = self.day_width()
        first = self.first_day()
        ndays = int((vw - LABEL_WIDTH) / dw) + 2
        days = [first + dt.timedelta(days=i) for i in range(ndays)]
        # Weekends and holidays shaded, over the whole height.
        for day in days:
            if day.weekday() >= 5 or self._is_holiday(day):
                x = self.day_x(day)
                p.fillRect(QRectF(x, HEADER_HEIGHT, dw, vh), colours.weekend)
        top = self.first_line()
        shown = range(top, min(len(self.lines), top + self.visible_lines()))
        font = p.font()
        bold = QFont(font)
        bold.setBold(True)
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        p.setClipRect(QRect(LABEL_WIDTH, HEADER_HEIGHT, vw - LABEL_WIDTH, vh - HEADER_HEIGHT))
        for i in shown:
            self._paint_line(p, i, days, colours, bold, small)
        # Today: a line down the whole board.
        if first <= self.today <= days[-1]:
            x = self.day_x(self.today)
            p.fillRect(QRectF(x, HEADER_HEIGHT, 2, vh), colours.today)
        self._paint_drag(p, colours)
        p.setClipping(False)
        self._paint_labels(p, shown, colours, bold)
        self._paint_header(p, days, colours, bold, small)

    def _paint_line(
        self,
        p: QPainter,
        i: int,
        days: list[dt.date],
        colours: Colours,
        bold: QFont,
        small: QFont,
    ) -> None:
        line = self.lines[i]
        y = self.line_y(i)
        dw = self.day_width()
        vw = self.viewport().width()
        p.setPen(QPen(colours.grid))
        p.drawLine(LABEL_WIDTH, y + ROW_HEIGHT - 1, vw, y + ROW_HEIGHT - 1)
        if line.kind == PROGRAMME_LINE:
            p.fillRect(QRect(LABEL_WIDTH, y, vw, ROW_HEIGHT), colours.header)
            return
        nights = self.nights.get(line.structure_id or 0)
        start = self.board_window.start if self.board_window is not None else None
        if line.kind == STRUCTURE_LINE:
            p.fillRect(
                QRect(LABEL_WIDTH, y, vw, ROW_HEIGHT), _mix(colours.header, colours.base, 0.5)
            )
            if nights is None or start is None:
                return
            for a, b in self._short_runs.get(line.structure_id or 0, []):
                x0, x1 = self.day_x(a), self.day_x(b)
                p.fillRect(QRectF(x0, y + ROW_HEIGHT - 5, x1 - x0, 4), colours.short)
            if dw < 14:
                return  # too narrow for the figures: the tooltip gives them
            p.setFont(small)
            p.setPen(colours.text)
            for day in days:
                k = (day - start).days
                if 0 <= k < len(nights):
                    cell = QRectF(self.day_x(day), y, dw, ROW_HEIGHT - 1)
                    # A night it is closed has no places to count: a dash, not a 0.
                    figure = str(nights[k].free) if nights[k].taking else "—"
                    p.drawText(cell, Qt.AlignmentFlag.AlignCenter, figure)
            return
        row = line.row
        assert row is not None
        # Nights the structure is closed: its beds take nobody.
        for a, b in self._closed_runs.get(row.structure_id, []):
            x0, x1 = self.day_x(a), self.day_x(b)
            p.fillRect(
                QRectF(x0, y, x1 - x0, ROW_HEIGHT - 1),
                QBrush(colours.closed, Qt.BrushStyle.Dense5Pattern),
            )
        # Nights where the structure has fewer places than beds: an empty bed is not free.
        runs = self._short_runs.get(row.structure_id)
        if runs:
            brush = QBrush(colours.short, Qt.BrushStyle.Dense6Pattern)
            for a, b in runs:
                x0, x1 = self.day_x(a), self.day_x(b)
                p.fillRect(QRectF(x0, y, x1 - x0, ROW_HEIGHT - 1), brush)
        for o in self._out_of.get(row.bed_id, []):
            rect = self._span_rect(o.start, o.end, y)
            if rect is not None:
                p.fillRect(rect, QBrush(colours.out, Qt.BrushStyle.DiagCrossPattern))
                p.setPen(QPen(colours.out, 1))
                p.drawRect(rect)
        for h in self._held_of.get(row.bed_id, []):
            rect = self._span_rect(h.start, h.end, y)
            if rect is not None:
                fill = QColor(colours.reserved)
                p.fillRect(rect, QBrush(fill, Qt.BrushStyle.BDiagPattern))
                p.setPen(QPen(colours.reserved, 1, Qt.PenStyle.DashLine))
                p.drawRect(rect)
                p.setPen(colours.text)
                p.setFont(small)
                left = max(rect.left(), float(LABEL_WIDTH))
                p.drawText(
                    QRectF(left + 4, rect.top(), rect.right() - left - 6, rect.height()),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    _("held: {household}").format(household=h.household_code),
                )
        for bar in self._bars_of.get(row.bed_id, []):
            self._paint_bar(p, bar, y, colours, bold, small)

    def _span_rect(self, start: dt.date, end: dt.date | None, y: int) -> QRectF | None:
        first = self.first_day()
        x0 = self.day_x(max(start, first - ONE_DAY))
        right = self.viewport().width() + 10
        x1 = min(self.day_x(end), right) if end is not None else right
        if x1 <= x0 or x1 < LABEL_WIDTH:
            return None
        return QRectF(x0 + 1, y + 3, x1 - x0 - 2, ROW_HEIGHT - 7)

    def bar_rect(self, bar: BoardBar) -> QRectF | None:
        line = self.line_of_bed.get(bar.bed_id)
        if line is None:
            return None
        return self._span_rect(bar.start, bar.end, self.line_y(line))

    def _paint_bar(
        self, p: QPainter, bar: BoardBar, y: int, colours: Colours, bold: QFont, small: QFont
    ) -> None:
        rect = self._span_rect(bar.start, bar.end, y)
        if rect is None:
            return
        colour = household_colour(bar.household_id, self.palette())
        p.setPen(QPen(_mix(colour, colours.text, 0.5), 1))
        p.setBrush(colour)
        p.drawRoundedRect(rect, 4, 4)
        p.setBrush(Qt.BrushStyle.NoBrush)
        # The planned end: a red tick across the bar's row (beyond the bar when it ends later).
        if bar.planned_end is not None:
            x = self.day_x(bar.planned_end)
            p.setPen(QPen(colours.marker, 2))
            p.drawLine(int(x), y + 1, int(x), y + ROW_HEIGHT - 2)
        # An exit or transfer recorded ahead: a bold end with an arrow.
        moving = bar.scheduled_move or (
            bar.exit_date if bar.exit_date and bar.exit_date > self.today else None
        )
        if moving is not None and bar.end is not None:
            x = self.day_x(bar.end)
            p.setPen(QPen(colours.text, 3))
            p.drawLine(int(x) - 1, y + 3, int(x) - 1, y + ROW_HEIGHT - 4)
        p.setPen(colours.text)
        p.setFont(small)
        text = ("● " if bar.minor else "") + bar.label + f" · {bar.household_code}"
        # The text starts where the bar comes into view, not off the left edge.
        left = max(rect.left(), float(LABEL_WIDTH))
        p.drawText(
            QRectF(left + 4, rect.top(), rect.right() - left - 7, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            text,
        )

    def _paint_drag(self, p: QPainter, colours: Colours) -> None:
        if self._drag is None or self._drag_to is None:
            return
        mode, bar, _origin = self._drag
        day = self.day_at(self._drag_to.x())
        if day is None:
            return
        if mode == "move":
            line = self.line_at(self._drag_to.y())
            if line is None:
                return
            y = self.line_y(line)
            rect = QRectF(self.day_x(day), y + 1, self.viewport().width(), ROW_HEIGHT - 3)
        else:
            line = self.line_of_bed.get(bar.bed_id)
            if line is None:
                return
            y = self.line_y(line)
            x0 = self.day_x(max(bar.start, self.first_day()))
            rect = QRectF(x0, y + 1, self.day_x(day) - x0, ROW_HEIGHT - 3)
        p.setPen(QPen(colours.today, 2, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect)

    def _paint_labels(self, p: QPainter, shown: range, colours: Colours, bold: QFont) -> None:
        vh = self.viewport().height()
        p.fillRect(QRect(0, HEADER_HEIGHT, LABEL_WIDTH, vh), colours.header)
        font = p.font()
        for i in shown:
            line = self.lines[i]
            y = self.line_y(i)
            rect = QRect(6, y, LABEL_WIDTH - 10, ROW_HEIGHT)
            if line.kind == BED_LINE:
                p.setFont(font)
                rect = rect.adjusted(14, 0, 0, 0)
            else:
                p.setFont(bold)
                if line.kind == STRUCTURE_LINE:
                    rect = rect.adjusted(6, 0, 0, 0)
            p.setPen(colours.text)
            text = p.fontMetrics().elidedText(line.text, Qt.TextElideMode.ElideRight, rect.width())
            p.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
            p.setPen(colours.grid)
            p.drawLine(0, y + ROW_HEIGHT - 1, LABEL_WIDTH, y + ROW_HEIGHT - 1)
        p.setFont(font)
        p.setPen(colours.grid)
        p.drawLine(LABEL_WIDTH - 1, 0, LABEL_WIDTH - 1, vh)

    def _paint_header(
        self, p: QPainter, days: list[dt.date], colours: Colours, bold: QFont, small: QFont
    ) -> None:
        vw = self.viewport().width()
        dw = self.day_width()
        p.fillRect(QRect(0, 0, vw, HEADER_HEIGHT), colours.header)
        p.setClipRect(QRect(LABEL_WIDTH, 0, vw - LABEL_WIDTH, HEADER_HEIGHT))
        half = HEADER_HEIGHT // 2
        # Months across the top, each from its first day shown.
        p.setFont(bold)
        p.setPen(colours.text)
        starts = [day for k, day in enumerate(days) if day.day == 1 or k == 0]
        ends = [self.day_x(day) for day in starts[1:]] + [self.day_x(days[-1]) + dw]
        metrics = p.fontMetrics()
        for day, end in zip(starts, ends, strict=True):
            x = self.day_x(day)
            p.setPen(colours.grid)
            p.drawLine(int(x), 0, int(x), HEADER_HEIGHT)
            # Within its own days: a month of which a day or two shows is shortened, or
            # left unnamed, rather than written over the next one.
            width = int(end - x) - 8
            text = metrics.elidedText(format_month(day), Qt.TextElideMode.ElideRight, width)
            if width > metrics.horizontalAdvance("…") * 2 and text != "…":
                p.setPen(colours.text)
                p.drawText(
                    QRectF(x + 4, 0, width, half),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    text,
                )
        p.setFont(small)
        step = 1 if dw >= 18 else (2 if dw >= 9 else 7)
        for day in days:
            x = self.day_x(day)
            marked = day.weekday() >= 5 or self._is_holiday(day)
            if day == self.today:
                p.fillRect(QRectF(x, half, dw, half), colours.today)
            if (day - days[0]).days % step == 0 or day == self.today:
                p.setFont(bold if marked or day == self.today else small)
                p.setPen(colours.base if day == self.today else colours.text)
                p.drawText(QRectF(x, half, dw, half), Qt.AlignmentFlag.AlignCenter, str(day.day))
        p.setClipping(False)
        p.fillRect(QRect(0, 0, LABEL_WIDTH, HEADER_HEIGHT), colours.header)
        p.setPen(colours.text)
        p.setFont(bold)
        p.drawText(
            QRect(6, 0, LABEL_WIDTH - 10, HEADER_HEIGHT),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            _("Room · bed"),
        )
        p.setPen(colours.grid)
        p.drawLine(0, HEADER_HEIGHT - 1, vw, HEADER_HEIGHT - 1)

    # -- what is under the mouse -------------------------------------------------------------

    def bar_at(self, pos: QPoint) -> BoardBar | None:
        line = self.line_at(pos.y())
        day = self.day_at(pos.x())
        if line is None or day is None or self.lines[line].row is None:
            return None
        row = self.lines[line].row
        assert row is not None
        for b in self._bars_of.get(row.bed_id, []):
            if b.covers(day):
                return b
        return None

    def end_grip_at(self, pos: QPoint) -> BoardBar | None:
        """The bar whose planned end (or end) is within a few pixels of ``pos``."""
        line = self.line_at(pos.y())
        if line is None or self.lines[line].row is None:
            return None
        row = self.lines[line].row
        assert row is not None
        for b in self._bars_of.get(row.bed_id, []):
            for edge in (b.planned_end, b.end):
                if edge is not None and abs(self.day_x(edge) - pos.x()) <= END_GRIP:
                    return b
        return None

    def tooltip_at(self, pos: QPoint) -> str:
        line = self.line_at(pos.y())
        day = self.day_at(pos.x())
        if line is None:
            return ""
        ln = self.lines[line]
        if day is None:
            if ln.row is not None:
                r = ln.row
                return f"{r.structure_code} · {r.room_name} · " + _("bed {bed}").format(
                    bed=r.bed_label
                )
            return ln.text
        if ln.kind == STRUCTURE_LINE:
            return self._night_tip(ln, day)
        if ln.row is None:
            return ln.text
        bed = ln.row.bed_id
        parts = []
        for b in self._bars_of.get(bed, []):
            if b.covers(day):
                parts.append(bar_tooltip(b))
        for h in self._held_of.get(bed, []):
            if h.covers(day):
                parts.append(
                    _("Bed held for household {household}, expected on {date}").format(
                        household=h.household_code, date=format_date(h.expected_on)
                    )
                    + (f"\n{h.note}" if h.note else "")
                )
        for o in self._out_of.get(bed, []):
            if o.covers(day):
                parts.append(
                    _("Out of service from {start} to {end}").format(
                        start=format_short_date(o.start),
                        end=format_short_date(o.end) if o.end else _("open"),
                    )
                    + (f": {o.reason}" if o.reason else "")
                )
        nights = self.nights.get(ln.structure_id or 0)
        if not parts and nights and self.board_window is not None:
            k = (day - self.board_window.start).days
            if 0 <= k < len(nights) and nights[k].short_of_places:
                parts.append(_("Fewer places than beds on this night: an empty bed is not free."))
        return "\n\n".join(parts)

    def _night_tip(self, ln: Line, day: dt.date) -> str:
        nights = self.nights.get(ln.structure_id or 0)
        if not nights or self.board_window is None:
            return ln.text
        k = (day - self.board_window.start).days
        if not 0 <= k < len(nights):
            return ln.text
        n = nights[k]
        text = f"{ln.text} — {format_date(day)}\n" + _(
            "Places {places} · beds in service {beds} · occupied {occupied} · "
            "reserved {reserved} · out of service {out} · free {free}"
        ).format(
            places=n.places,
            beds=n.beds,
            occupied=n.occupied,
            reserved=n.reserved,
            out=n.out,
            free=n.free,
        )
        if n.short_of_places:
            text += "\n" + _("Fewer places than beds on this night: an empty bed is not free.")
        if not n.taking:
            text += "\n" + _("Closed on this night: nobody can be placed there.")
        return text

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            pos = self.viewport().mapFrom(self, event.pos())
            text = self.tooltip_at(pos)
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # -- dragging ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        pos = event.position().toPoint()
        grip = self.end_grip_at(pos)
        if grip is not None:
            self._drag = ("end", grip, pos)
        else:
            bar = self.bar_at(pos)
            self._drag = ("move", bar, pos) if bar is not None else None
        self._drag_to = None
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._drag is None:
            grip = self.end_grip_at(pos)
            self.viewport().setCursor(
                Qt.CursorShape.SizeHorCursor
                if grip is not None
                else Qt.CursorShape.OpenHandCursor
                if self.bar_at(pos) is not None
                else Qt.CursorShape.ArrowCursor
            )
            return
        if (pos - self._drag[2]).manhattanLength() >= 4:
            self._drag_to = pos
            self.viewport().setCursor(
                Qt.CursorShape.SizeHorCursor
                if self._drag[0] == "end"
                else Qt.CursorShape.ClosedHandCursor
            )
            self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, to = self._drag, self._drag_to
        self._drag = self._drag_to = None
        self.viewport().unsetCursor()
        self.viewport().update()
        if drag is None or to is None or event.button() != Qt.MouseButton.LeftButton:
            return
        mode, bar, _origin = drag
        day = self.day_at(to.x())
        if day is None:
            return
        if mode == "end":
            self.end_dropped.emit(bar, day)
            return
        line = self.line_at(to.y())
        if line is None:
            return
        self.transfer_dropped.emit(bar, self.lines[line].row, day)

    def drop(self, bar: BoardBar, bed_id: int, day: dt.date) -> None:
        """A bar dropped on a bed on a day (what a mouse drag does, for the keyboard and
        the tests)."""
        line = self.line_of_bed.get(bed_id)
        self.transfer_dropped.emit(bar, self.lines[line].row if line is not None else None, day)


def bar_tooltip(b: BoardBar) -> str:
    lines = [
        f"{b.label} · " + _("household {household}").format(household=b.household_code),
        _("In this bed from {start} to {end}").format(
            start=format_short_date(b.start),
            end=format_short_date(b.end) if b.end else _("open"),
        ),
        _("Entry: {date}").format(date=format_short_date(b.entry_date)),
        _("Planned end: {date}").format(
            date=format_short_date(b.planned_end) if b.planned_end else "—"
        ),
    ]
    if b.scheduled_move is not None:
        lines.append(
            _("Transfer recorded for {date}").format(date=format_short_date(b.scheduled_move))
        )
    if b.exit_date is not None:
        lines.append(_("Exit: {date}").format(date=format_short_date(b.exit_date)))
    if b.minor:
        lines.append(_("Minor"))
    return "\n".join(lines)


def refusal(
    bar: BoardBar, row: BoardRow | None, day: dt.date, window: BoardWindow | None
) -> str | None:
    """Why a bar dropped on ``row`` on ``day`` cannot become a transfer, as far as the
    board can tell; None when the transfer dialog is to check it."""
    if row is None:
        return _("Drop the bar on a bed: a programme or structure line is not a bed.")
    if row.bed_id == bar.bed_id:
        return _("The bar was dropped on its own bed: nothing to move.")
    if day <= bar.start:
        return _(
            "A transfer starts after the stay in this bed begins ({date}): drop the bar on a "
            "later day."
        ).format(date=format_date(bar.start))
    if bar.end is not None and day >= bar.end:
        return _("On {date} this person is no longer in this bed: nothing to move.").format(
            date=format_date(day)
        )
    if window is not None:
        for other in window.bars:
            if (
                other.bed_id == row.bed_id
                and other.household_id != bar.household_id
                and (other.covers(day) or other.start > day)
            ):
                return _(
                    "Bed {bed} is taken from {date} by household {household}: choose a free bed."
                ).format(
                    bed=f"{row.room_name} / {row.bed_label}",
                    date=format_date(max(other.start, day)),
                    household=other.household_code,
                )
        for o in window.outages:
            if o.bed_id == row.bed_id and o.covers(day):
                return _("Bed {bed} is out of service from {date}: choose another bed.").format(
                    bed=f"{row.room_name} / {row.bed_label}", date=format_date(o.start)
                )
        for h in window.reservations:
            if h.bed_id == row.bed_id and h.household_id != bar.household_id and h.covers(day):
                return _(
                    "Bed {bed} is held on {date} for household {household}: choose another bed."
                ).format(
                    bed=f"{row.room_name} / {row.bed_label}",
                    date=format_date(day),
                    household=h.household_code,
                )
    return None


def end_refusal(bar: BoardBar, day: dt.date, today: dt.date) -> str | None:
    """Why dragging a bar's end to ``day`` cannot become an extension."""
    if bar.exit_date is not None and bar.exit_date <= today:
        return _("This placement ended on {date}: only a running placement is extended.").format(
            date=format_date(bar.exit_date)
        )
    if day <= bar.entry_date:
        return _("The planned end must come after the entry date.")
    if bar.planned_end is not None and day <= bar.planned_end:
        return _("The new planned end must come after the current one ({date}).").format(
            date=format_date(bar.planned_end)
        )
    return None


def _swatch(colour: QColor, style: Qt.BrushStyle, border: QColor) -> QPixmap:
    pix = QPixmap(22, 14)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.fillRect(0, 0, 22, 14, QBrush(colour, style))
    p.setPen(border)
    p.drawRect(0, 0, 21, 13)
    p.end()
    return pix


def _kind_text(kind: str) -> str:
    if kind == HELD:
        return _("reserved")
    if kind == OUT:
        return _("out of service")
    return _("stay")


class BoardTableModel(RowTableModel):
    """The board as a flat table (``models.board.BoardEntry`` rows): one line per stay,
    held bed or bed out of service of the part read, for export."""

    COLUMNS = (
        Column(N_("Programme"), "programme_code"),
        Column(N_("Structure"), "structure_code"),
        Column(N_("Room"), "room_name"),
        Column(N_("Bed"), "bed_label"),
        Column(N_("What"), "kind", display=_kind_text),
        Column(N_("Who"), "who"),
        Column(N_("Household"), "household_code"),
        Column(N_("From"), "start", kind=DATE),
        Column(
            N_("To"), "end", kind=DATE, display=lambda d: format_short_date(d) if d else _("open")
        ),
        Column(N_("Planned end"), "planned_end", kind=DATE),
    )

    def set_entries(self, entries: Sequence[BoardEntry]) -> None:
        self.set_rows(entries)


def load_rows(backend: Backend, selection: Selection) -> list[BoardRow]:
    """Runs in a task: the beds of the selection."""
    return backend.planning.rows(
        programme_code=selection.programme_code,
        province=selection.province,
        structure_id=selection.chosen_structure(),
    )


def load_window(
    backend: Backend, rows: Sequence[BoardRow], sids: Sequence[int], start: dt.date, stop: dt.date
) -> tuple[BoardWindow, dict[int, list[StructureNight]]]:
    """Runs in a task: what lies on the beds of ``sids`` over ``[start, stop)``, with each
    structure's places per night."""
    window = backend.planning.window(sids, start, stop)
    wanted = set(sids)
    return window, all_structure_nights([r for r in rows if r.structure_id in wanted], window)


class PlanningBoardPage(QWidget):
    """The page: a bar of zoom buttons and the range shown, the board, the legend."""

    # (workflow key, placement id, options for the dialog): open a prefilled workflow.
    action_requested = Signal(str, int, object)
    changes_made = Signal(object)

    def __init__(
        self,
        backend: Backend,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("planningBoardPage")
        self.backend = backend
        self.runner = runner
        self._today = today or backend.today
        self.day = self._today()
        self.selection = Selection()
        self.rows: list[BoardRow] = []
        self._loaded: tuple[dt.date, dt.date, frozenset[int]] | None = None
        self._asked: tuple[dt.date, dt.date, frozenset[int]] | None = None
        self.last_refusal = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(4)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("boardTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        self.range_label = QLabel()
        self.range_label.setObjectName("boardRange")
        top.addWidget(self.range_label)
        self.zoom_out = QPushButton("−")
        self.zoom_out.setObjectName("boardZoomOut")
        self.zoom_out.setAccessibleName(_("Show more days"))
        self.zoom_out.setToolTip(_("Show more days (minus key, Ctrl+wheel)"))
        self.zoom_in = QPushButton("+")
        self.zoom_in.setObjectName("boardZoomIn")
        self.zoom_in.setAccessibleName(_("Show fewer days"))
        self.zoom_in.setToolTip(_("Show fewer days (plus key, Ctrl+wheel)"))
        self.to_day = QPushButton(_("To the date"))
        self.to_day.setObjectName("boardToDay")
        self.to_day.setToolTip(_("Scroll back to the window's date"))
        self.export_button = QPushButton(_("Export…"))
        self.export_button.setObjectName("boardExport")
        self.export_button.setToolTip(
            _(
                "Save the stays, held beds and beds out of service shown as a spreadsheet (Ctrl+Shift+E)"
            )
        )
        for b in (self.zoom_out, self.zoom_in):
            b.setFixedWidth(32)
            top.addWidget(b)
        top.addWidget(self.to_day)
        top.addWidget(self.export_button)
        export = QAction(self)
        export.setShortcut(QKeySequence(EXPORT_SHORTCUT))
        export.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        export.triggered.connect(lambda _checked=False: self.export_table())
        self.addAction(export)
        self.export_button.clicked.connect(self.export_table)
        lay.addLayout(top)
        self.view = BoardView(self)
        lay.addWidget(self.view, 1)
        self.message = QLabel()
        self.message.setObjectName("boardMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        lay.addWidget(self.message)
        lay.addLayout(self._legend())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FETCH_DELAY_MS)
        self._timer.timeout.connect(self._fetch)
        self.view.window_wanted.connect(self._window_wanted)
        self.view.zoom_changed.connect(lambda _n: self._show_range())
        self.view.transfer_dropped.connect(self._transfer_dropped)
        self.view.end_dropped.connect(self._end_dropped)
        self.zoom_out.clicked.connect(lambda: self.view.set_zoom(self.view.zoom + 1))
        self.zoom_in.clicked.connect(lambda: self.view.set_zoom(self.view.zoom - 1))
        self.to_day.clicked.connect(lambda: self.view.show_from(self.day, self._today()))
        self.view.show_from(self.day, self._today())

    def _legend(self) -> QGridLayout:
        """What the marks mean, in three columns (fits a laptop's width)."""
        colours = Colours.of(self.palette())
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        items = [
            (
                _swatch(
                    household_colour(7, self.palette()), Qt.BrushStyle.SolidPattern, colours.text
                ),
                _("a stay (one colour per household)"),
            ),
            (
                _swatch(colours.reserved, Qt.BrushStyle.BDiagPattern, colours.reserved),
                _("reserved"),
            ),
            (
                _swatch(colours.out, Qt.BrushStyle.DiagCrossPattern, colours.out),
                _("out of service"),
            ),
            (
                _swatch(colours.short, Qt.BrushStyle.Dense6Pattern, colours.short),
                _("fewer places than beds"),
            ),
            (
                _swatch(colours.marker, Qt.BrushStyle.SolidPattern, colours.marker),
                _("planned end"),
            ),
            (
                _swatch(colours.weekend, Qt.BrushStyle.SolidPattern, colours.grid),
                _("weekend or holiday"),
            ),
            (
                _swatch(colours.closed, Qt.BrushStyle.Dense5Pattern, colours.grid),
                _("structure closed"),
            ),
        ]
        across = 4  # items a row: two rows, then the hint
        for i, (pix, text) in enumerate(items):
            row, col = divmod(i, across)
            swatch = QLabel()
            swatch.setPixmap(pix)
            grid.addWidget(swatch, row, 2 * col)
            grid.addWidget(QLabel(text), row, 2 * col + 1)
        hint = QLabel(_("(numbers on a structure's line: free places)"))
        hint.setObjectName("boardHint")
        grid.addWidget(hint, -(-len(items) // across), 0, 1, 2 * across)
        grid.setColumnStretch(2 * across - 1, 1)
        return grid

    # -- Page ------------------------------------------------------------------------------

    def set_backend(self, backend: Backend) -> None:
        self.backend = backend
        self.rows = []
        self._loaded = None

    def set_day(self, day: dt.date) -> None:
        self.day = day
        self.view.show_from(day, self._today())
        self._show_range()

    def set_selection(self, selection: Selection) -> None:
        if selection != self.selection:
            self.selection = selection
            self.rows = []
            self._loaded = None

    def refresh(self) -> None:
        """Read the beds of the selection, then what lies on the part shown."""
        self.title.setText(self.selection.title())
        backend, selection = self.backend, self.selection

        def arrived(rows: list[BoardRow]) -> None:
            self.rows = rows
            self._loaded = self._asked = None
            self.view.set_rows(rows)
            self._show_range()
            self._fetch()

        self.runner.run(lambda: load_rows(backend, selection), on_success=arrived, key="board-rows")

    def apply_changes(self, changes: Changes) -> None:
        if changes.network:
            self.refresh()
            return
        shown = {r.structure_id for r in self.rows}
        if changes.households or (changes.structures & shown) or not changes.structures:
            self.reload_window()

    def reload_window(self) -> None:
        self._loaded = None
        self._fetch()

    def table_model(self) -> BoardTableModel:
        """What the board has read, as a flat table (for export): the stays, held beds and
        beds out of service of the structures and days read."""
        model = BoardTableModel(self)
        if self.view.board_window is not None:
            model.set_entries(board_entries(self.rows, self.view.board_window))
        return model

    def export_table(self) -> None:
        """Export…: what the board has read, as a table, to .xlsx or .csv (the same save
        dialog and writing as every table on screen)."""
        view = QTableView(self)
        view.hide()
        view.setAccessibleName(_("Planning board"))
        view.setModel(self.table_model())
        self.last_export_view = view  # kept until the next export (the write runs later)
        export_view(view)

    def selected_household_id(self) -> int | None:
        return None

    def selected_placement_id(self) -> int | None:
        return None

    # -- reading what is shown -------------------------------------------------------------

    def _show_range(self) -> None:
        first = self.view.first_day()
        last = first + dt.timedelta(days=self.view.visible_days() - 1)
        self.range_label.setText(
            ngettext(
                "{first} – {last} ({days} day)",
                "{first} – {last} ({days} days)",
                self.view.visible_days(),
            ).format(
                first=format_short_date(first),
                last=format_short_date(last),
                days=self.view.visible_days(),
            )
        )

    def _window_wanted(self) -> None:
        self._show_range()
        if self._covered():
            return
        self._timer.start()

    def _covered(self) -> bool:
        if self._loaded is None:
            return False
        first, stop, sids = self.view.visible_range()
        start, end, have = self._loaded
        return start <= first and stop <= end and set(sids) <= have

    def _fetch(self) -> None:
        self._timer.stop()
        if not self.rows or self._covered():
            return
        first, stop, _sids = self.view.visible_range()
        start = first - dt.timedelta(days=DAY_MARGIN)
        end = stop + dt.timedelta(days=DAY_MARGIN)
        sids = self.view.structures_near()
        asked = (start, end, frozenset(sids))
        if asked == self._asked:
            return
        self._asked = asked
        backend, rows = self.backend, self.rows

        def arrived(result: tuple[BoardWindow, dict[int, list[StructureNight]]]) -> None:
            window, nights = result
            self._loaded = asked
            self._asked = None
            self.view.set_window(window, nights)
            if not self._covered():
                self._timer.start()  # scrolled on meanwhile

        self.runner.run(
            lambda: load_window(backend, rows, sids, start, end),
            on_success=arrived,
            key="board-window",
        )

    # -- drags -------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        """Why a drag was refused, under the board until the next drag."""
        self.last_refusal = text
        self.message.setText("⚠ " + text if text else "")
        self.message.setVisible(bool(text))

    def _transfer_dropped(self, bar: BoardBar, row: BoardRow | None, day: dt.date) -> None:
        why = refusal(bar, row, day, self.view.board_window)
        if why is not None:
            self.say(why + " " + _("Nothing was changed."))
            return
        assert row is not None
        self.say("")
        self.action_requested.emit(
            "transfer",
            bar.placement_id,
            {"day": day, "to_structure": row.structure_id, "to_beds": {bar.person_id: row.bed_id}},
        )

    def _end_dropped(self, bar: BoardBar, day: dt.date) -> None:
        why = end_refusal(bar, day, self._today())
        if why is not None:
            self.say(why + " " + _("Nothing was changed."))
            return
        self.say("")
        self.action_requested.emit("extension", bar.placement_id, {"new_end": day})


__all__ = [
    "BoardView",
    "PlanningBoardPage",
    "board_lines",
    "end_refusal",
    "refusal",
]
