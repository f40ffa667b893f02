"""Small widgets shared by the pages: the rate bar delegate, the monthly chart, figure
tiles, a table view with the usual settings, and the conversion of dates to Qt's and back."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QKeyEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from models.formatting import format_month, format_percent
from models.i18n import _

from . import colours
from .table_models import RAW_ROLE

if TYPE_CHECKING:
    # Imported where a cell is painted, not before the window shows: building QStyle's
    # many enums is slow.
    from PySide6.QtWidgets import QStyleOptionViewItem

# The hues of a rate: below full, full (95 % and more), over the places. In a table the
# bar is a tint of the hue, so that the figure written over it stays readable; in the
# chart, where bars stand alone, the hue itself, as contrasted as a graphic needs.
CHART_COLOUR = QColor("#4a90c2")
CHART_FULL_COLOUR = QColor("#2e7d4f")
CHART_OVER_COLOUR = QColor("#c0392b")

_Index = QModelIndex | QPersistentModelIndex


def fit_on_screen(widget: QWidget, width: int, height: int) -> None:
    """Give ``widget`` its preferred size, but never more than the screen it opens on can
    show (an office laptop: 1366×768, or 1093×614 at 125 % scaling), title bar and
    taskbar included."""
    host = widget.parentWidget() or widget
    screen = host.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, int(available.width() * 0.96))
        height = min(height, int(available.height() * 0.9))
    widget.resize(width, height)


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key reading numbers as numbers: "Casa 5" < "Casa 39" < "Casa 50"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", text.casefold())
        if part
    )


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def bar_colour(rate: float, *, strong: bool = False) -> QColor:
    hue = CHART_OVER_COLOUR if rate > 1.0 else CHART_FULL_COLOUR if rate >= 0.95 else CHART_COLOUR
    if strong:
        base = colours.palette().color(colours.Role.Base)
        return colours.readable(hue, base, ratio=colours.GRAPHIC_CONTRAST)
    return colours.tint(hue, 0.5)


class SearchEdit(QLineEdit):
    """A search field where Enter picks the first result instead of pressing the dialog's OK,
    and the down arrow goes to the results."""

    go_down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
        elif event.key() == Qt.Key.Key_Down:
            self.go_down.emit()


class RateBarDelegate(QStyledItemDelegate):
    """Paints an occupancy rate (0..1, from ``RAW_ROLE``) as a bar behind its text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

        rate = index.data(RAW_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else None
        text = opt.text
        opt.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        rect = QRectF(option.rect).adjusted(4, 5, -4, -5)
        if isinstance(rate, int | float):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours.tint(CHART_COLOUR, 0.08))
            painter.drawRoundedRect(rect, 3, 3)
            filled = QRectF(rect)
            filled.setWidth(rect.width() * max(0.0, min(float(rate), 1.0)))
            painter.setBrush(bar_colour(float(rate)))
            painter.drawRoundedRect(filled, 3, 3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(
            option.palette.color(QPalette.ColorRole.HighlightedText)
            if selected and not isinstance(rate, int | float)
            else colours.palette().color(colours.Role.Text)
        )
        painter.drawText(
            rect.adjusted(4, 0, -4, 0),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), 110), hint.height())


class MonthlyChart(QWidget):
    """Occupancy rate month by month, as bars (painted with QPainter, no chart library)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[tuple[dt.date, float | None]] = []
        self._message = _("Loading…")
        self.setAccessibleName(_("Occupancy, month by month"))
        self.setMinimumSize(240, 180)  # beside the table of target groups at 125 %
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_points(self, points: Sequence[tuple[dt.date, float | None]]) -> None:
        self._points = list(points)
        self._message = (
            "" if any(r is not None for _d, r in self._points) else _("No places in this period.")
        )
        # The bars as text, for a screen reader: "gen 2026: 87,0 %; feb 2026: 90,0 %; …".
        self.setAccessibleDescription(
            self._message
            or "; ".join(f"{format_month(d)}: {rate_text(r)}" for d, r in self._points)
        )
        self.update()

    def set_message(self, text: str) -> None:
        self._points = []
        self._message = text
        self.setAccessibleDescription(text)
        self.update()

    def points(self) -> list[tuple[dt.date, float | None]]:
        return list(self._points)

    def _plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        left, right, top, bottom = (
            fm.horizontalAdvance("100 %") + 10,
            8,
            fm.height() + 6,
            fm.height() * 2 + 6,
        )
        return QRectF(
            left, top, max(10, self.width() - left - right), max(10, self.height() - top - bottom)
        )

    def point_at(self, x: float) -> tuple[dt.date, float | None] | None:
        """The month under the horizontal position ``x`` (for the tooltip)."""
        if not self._points:
            return None
        plot = self._plot_rect()
        if not plot.left() <= x < plot.right():
            return None
        return self._points[int((x - plot.left()) / (plot.width() / len(self._points)))]

    def event(self, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.ToolTip:
            point = self.point_at(ev.pos().x())  # type: ignore[attr-defined]
            if point is None:
                QToolTip.hideText()
            else:
                month, rate = point
                QToolTip.showText(
                    ev.globalPos(),  # type: ignore[attr-defined]
                    f"{format_month(month, 'LLLL yyyy')}: {format_percent(rate)}",
                    self,
                )
            return True
        return super().event(ev)

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = colours.palette()
        base = pal.color(colours.Role.Base)
        text = pal.color(colours.Role.Text)
        p.fillRect(self.rect(), base)
        if self._message or not self._points:
            p.setPen(colours.muted(base))
            p.drawText(
                self.rect(), int(Qt.AlignmentFlag.AlignCenter), self._message or _("No data")
            )
            p.end()
            return
        fm = p.fontMetrics()
        plot = self._plot_rect()
        left = plot.left()
        top_value = max(1.0, max((r or 0.0) for _d, r in self._points))
        # grid lines at 0, 50 and 100 %
        for level in (0.0, 0.5, 1.0):
            y = plot.bottom() - plot.height() * level / top_value
            p.setPen(
                QPen(
                    colours.mix(base, text, 0.2 if level < 1.0 else 0.5),
                    1,
                    Qt.PenStyle.SolidLine if level != 0.5 else Qt.PenStyle.DashLine,
                )
            )
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(colours.muted(base))
            p.drawText(
                QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"{int(level * 100)} %",
            )
        n = len(self._points)
        slot = plot.width() / n
        small = QFont(p.font())
        small.setPointSizeF(max(6.0, p.font().pointSizeF() * 0.85))
        for i, (month, rate) in enumerate(self._points):
            x = plot.left() + i * slot
            if rate is not None:
                h = plot.height() * rate / top_value
                bar = QRectF(x + slot * 0.15, plot.bottom() - h, slot * 0.7, h)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(bar_colour(rate, strong=True))
                p.drawRect(bar)
                p.setPen(text)
                p.setFont(small)
                p.drawText(
                    QRectF(x, bar.top() - fm.height(), slot, fm.height()),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                    f"{round(rate * 100)}",
                )
            p.setFont(small)
            p.setPen(text)
            label = format_month(month, "MMM")
            p.drawText(
                QRectF(x, plot.bottom() + 2, slot, fm.height()),
                int(Qt.AlignmentFlag.AlignHCenter),
                label,
            )
            if month.month == 1 or i == 0:
                p.drawText(
                    QRectF(x, plot.bottom() + 2 + fm.height(), slot * 2, fm.height()),
                    int(Qt.AlignmentFlag.AlignLeft),
                    str(month.year),
                )
        p.end()


def mute(label: QLabel, *backgrounds: QColor) -> QLabel:
    """Grey text for a caption, readable on ``backgrounds`` (the window by default). Set in
    the label's palette, not a style sheet: every style sheet is parsed and applied to its
    widget before the window can be painted."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, colours.muted(*backgrounds))
    label.setPalette(palette)
    return label


class FigureTile(QFrame):
    """A big number with its caption (capacity, occupied, free...), on a rounded panel a
    little apart from the window, painted here (see ``mute`` for why not by a style
    sheet); its colours come from the palette."""

    RADIUS = 6.0

    @staticmethod
    def background() -> QColor:
        pal = colours.palette()
        return colours.mix(pal.color(colours.Role.Window), pal.color(colours.Role.Base), 0.5)

    @staticmethod
    def border() -> QColor:
        pal = colours.palette()
        return colours.mix(pal.color(colours.Role.Window), pal.color(colours.Role.WindowText), 0.2)

    def __init__(self, caption: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setContentsMargins(1, 1, 1, 1)  # the border's width
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        self.value_label = QLabel("—", self)
        self.value_label.setObjectName(object_name + "Value")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = mute(QLabel(caption, self), self.background())
        self.setAccessibleName(caption)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)

    def paintEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(self.border(), 1))
        p.setBrush(self.background())
        p.drawRoundedRect(
            QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), self.RADIUS, self.RADIUS
        )
        p.end()

    def set_value(self, text: str) -> None:
        self.value_label.setText(text)
        # Read as one: "Occupied: 102".
        self.setAccessibleName(f"{self.caption_label.text()}: {text}")

    def value(self) -> str:
        return self.value_label.text()


def rate_text(rate: float | None) -> str:
    return format_percent(rate)


def make_table(object_name: str, parent: QWidget | None = None) -> QTableView:
    """A read-only, sortable table view with the settings every page uses."""
    view = QTableView(parent)
    view.setObjectName(object_name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    # Fitting columns to their contents looks at the first rows only: a table of the
    # national network (1,000 programmes) must not measure every row.
    view.horizontalHeader().setResizeContentsPrecision(60)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    from .table_export import install_export

    install_export(view)  # right-click › Export…, Ctrl+Shift+E
    return view


def keep_columns_whole(view: QTableView) -> None:
    """Make ``view`` at least as wide as its columns' titles, now and after every reset
    of its model: a stretched column then never cuts its title. Contents do not count:
    a long name must not push the page past a small screen (the table scrolls)."""

    def fit() -> None:
        header = view.horizontalHeader()
        need = sum(
            header.sectionSizeHint(c)
            for c in range(header.count())
            if not header.isSectionHidden(c)
        )
        view.setMinimumWidth(
            need + 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
        )

    model = view.model()
    if model is not None:
        model.modelReset.connect(fit)
        model.layoutChanged.connect(fit)
    fit()


def section_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label
