"""Small helpers for the read-only tables of the dialogs (and the people page): cells the
user cannot edit, the usual look of a list, and Tab through the widgets in its cells."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item of a cell the table filled itself (never empty)."""
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def ro_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def setup_table(table: QTableWidget, headers: Sequence[str], *, stretch: int | None = None) -> None:
    """Headers, whole rows selected one at a time, nothing edited in place; ``stretch`` is
    the column that takes the spare width (the last one when None)."""
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)


def reach_cell_widgets_with_tab(table: QTableWidget, widgets: Sequence[QWidget]) -> None:
    """Tab leaves ``table`` for ``widgets`` (its cell widgets), in order, then goes on to the
    rest of the window. Arrow keys and Space still move inside the table. With Tab moving
    from cell to cell, widgets inside a table could only be reached with the mouse; and
    being made after the window's other fields, they came last in the focus chain."""
    table.setTabKeyNavigation(False)
    previous: QWidget = table
    for widget in widgets:
        QWidget.setTabOrder(previous, widget)
        previous = widget


def keep_titles_whole(table: QTableWidget, stretch: int) -> None:
    """No column title cut: the ``stretch`` column, which gives way when space is short,
    stops at its own title (the table scrolls instead), and the table asks for the room
    of every title. Contents (long names) do not widen the window: they scroll."""
    header = table.horizontalHeader()
    header.setMinimumSectionSize(header.sectionSizeHint(stretch))
    need = sum(
        table.columnWidth(c)
        if header.sectionResizeMode(c) == QHeaderView.ResizeMode.Fixed
        else header.sectionSizeHint(c)
        for c in range(table.columnCount())
        if not table.isColumnHidden(c)
    )
    table.setMinimumWidth(
        need + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
    )
