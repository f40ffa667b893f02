"""Table models over lists of plain rows (Vorta's archive table style), and a lazy one.

A model is declared with named columns::

    class ProvinceModel(RowTableModel):
        COLUMNS = (Column(N_("Province"), "label"), Column(N_("Capacity"), "capacity", kind=INT))
        LABEL, CAPACITY = range(2)

``set_rows(rows)`` resets it; ``ROW_ROLE`` gives the underlying object of a row and
``SORT_ROLE`` a value that sorts correctly (numbers as numbers, dates by date, text
without case) for ``SortFilterProxy``. Header labels are English source strings marked
with ``N_`` and translated when shown.

``PagedTableModel`` is for lists too long to load at once (the people of the national
network): it asks ``fetch_page(last, limit)`` for one page at a time as the view scrolls
(``canFetchMore``/``fetchMore``), the rows that come after ``last``, the last row loaded
(keyset paging: a deep page costs what the first one does), so only what is visible is
ever loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from models.formatting import format_number, format_percent, format_short_date
from models.i18n import _

if TYPE_CHECKING:
    from .tasks import TaskRunner

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 2
RAW_ROLE = int(Qt.ItemDataRole.UserRole) + 3
# The column's kind (TEXT, INT, DATE, PERCENT, BOOL): how an export writes its values.
KIND_ROLE = int(Qt.ItemDataRole.UserRole) + 4

TEXT, INT, DATE, PERCENT, BOOL = "text", "int", "date", "percent", "bool"

_Index = QModelIndex | QPersistentModelIndex
# A row of a table: a plain result of models.results, or any object with the attributes
# its columns name. Each model says which in its docstring and its hooks' signatures.
Row = Any


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header (an ``N_`` source string) and where its value comes from.

    ``value`` is an attribute name of the row or a function of the row; ``display``
    optionally turns the value into the shown text (default: by ``kind``).
    """

    title: str
    value: str | Callable[[Row], Any]
    kind: str = TEXT
    display: Callable[[Any], str] | None = None
    tooltip: str = ""

    def raw(self, row: Row) -> Any:
        if callable(self.value):
            return self.value(row)
        return getattr(row, self.value, None)

    def text(self, value: Any) -> str:
        if self.display is not None:
            return self.display(value)
        if value is None:
            return "" if self.kind != PERCENT else "—"
        if self.kind == INT:
            return format_number(value)
        if self.kind == DATE:
            return format_short_date(value)
        if self.kind == PERCENT:
            return format_percent(value)
        if self.kind == BOOL:
            return _("yes") if value else _("no")
        return str(value)

    def sort_key(self, value: Any) -> float | str:
        """A value Qt compares correctly, never None (None sorts first)."""
        if self.kind in (INT, PERCENT):
            return float(value) if value is not None else float("-inf")
        if self.kind == DATE:
            return value.isoformat() if isinstance(value, dt.date) else ""
        if self.kind == BOOL:
            return 1 if value else 0
        return str(value).casefold() if value is not None else ""


class RowTableModel(QAbstractTableModel):
    """A read-only table over a list of plain rows (dataclasses, named tuples...)."""

    COLUMNS: Sequence[Column] = ()

    def __init__(
        self, parent: QObject | None = None, *, columns: Sequence[Column] | None = None
    ) -> None:
        super().__init__(parent)
        self.columns: tuple[Column, ...] = tuple(columns if columns is not None else self.COLUMNS)
        self._rows: list[Row] = []

    # -- data in ----------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    # -- hooks for subclasses ---------------------------------------------------------

    def row_foreground(self, row: Row) -> QColor | None:
        """Colour of a whole row's text (e.g. grey for a bed out of service)."""
        return None

    def row_background(self, row: Row) -> QColor | None:
        return None

    def row_tooltip(self, row: Row, column: int) -> str:
        return ""

    # -- Qt ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        col = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(col.title)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip:
            return _(col.tooltip)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind in (INT, PERCENT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(col.raw(row))
        if role == SORT_ROLE:
            return col.sort_key(col.raw(row))
        if role == ROW_ROLE:
            return row
        if role == RAW_ROLE:
            return col.raw(row)
        if role == KIND_ROLE:
            return col.kind
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.kind in (INT, PERCENT):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            color = self.row_foreground(row)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.BackgroundRole:
            color = self.row_background(row)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            # Long texts may be cut by the column width: the tooltip shows them whole.
            tip = self.row_tooltip(row, index.column())
            if not tip and col.kind == TEXT:
                text = col.text(col.raw(row))
                tip = text if len(text) > 18 else ""
            return tip or None
        return None


class PagedTableModel(RowTableModel):
    """Loads rows a page at a time as the view scrolls (``canFetchMore``/``fetchMore``).

    ``fetch_page(last, limit)`` returns up to ``limit`` rows after ``last``, the last row
    loaded (None: from the start); a short page means the end. Pages are fetched by the ``runner`` (off the UI thread) and
    appended when they arrive.
    """

    def __init__(
        self,
        fetch_page: Callable[[Row | None, int], Sequence[Row]] | None = None,
        parent: QObject | None = None,
        *,
        runner: TaskRunner,
        columns: Sequence[Column] | None = None,
        page_size: int = 200,
    ) -> None:
        super().__init__(parent, columns=columns)
        self._fetch_page = fetch_page
        self.page_size = page_size
        self._runner = runner
        self._at_end = fetch_page is None
        self._loading = False
        self._generation = 0

    def set_source(self, fetch_page: Callable[[Row | None, int], Sequence[Row]] | None) -> None:
        """Start over with a new source (a new search): loads the first page."""
        self._generation += 1
        self._fetch_page = fetch_page
        self._at_end = fetch_page is None
        self._loading = False
        self.set_rows([])
        if fetch_page is not None:
            self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and not self._at_end and not self._loading

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        if parent.isValid() or self._at_end or self._loading or self._fetch_page is None:
            return
        fetch, last, size, generation = (
            self._fetch_page,
            self._rows[-1] if self._rows else None,
            self.page_size,
            self._generation,
        )
        self._loading = True
        self._runner.run(
            lambda: fetch(last, size),
            on_success=lambda page: self._append(generation, page),
            on_failure=lambda exc: self._failed(generation, exc),
        )

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self._at_end = True
        from .tasks import report_failure

        report_failure(exc)

    def _append(self, generation: int, page: Sequence[Row]) -> None:
        if generation != self._generation:
            return  # a page of an older search
        self._loading = False
        page = list(page)
        if len(page) < self.page_size:
            self._at_end = True
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def all_loaded(self) -> bool:
        return self._at_end

    def rest_loader(self) -> Callable[[], list[Row]] | None:
        """A function, for the task runner, that reads every row not loaded yet (an
        export of the whole list); None when everything is loaded. Until ``append_rest``
        no other page is asked for, and a page on its way is dropped (it holds rows
        among these)."""
        if self._at_end or self._fetch_page is None:
            return None
        fetch, size = self._fetch_page, self.page_size
        last = self._rows[-1] if self._rows else None
        self._generation += 1
        self._loading = True
        self._rest_generation = self._generation

        def load() -> list[Row]:
            rows: list[Row] = []
            while True:
                page = list(fetch(rows[-1] if rows else last, size))
                rows.extend(page)
                if len(page) < size:
                    return rows

        return load

    def append_rest(self, rows: Sequence[Row]) -> bool:
        """Add what ``rest_loader`` read: the list is then whole. False when a new
        search came in the meantime (nothing added)."""
        if getattr(self, "_rest_generation", None) != self._generation:
            return False
        self._loading = False
        self._at_end = True
        rows = list(rows)
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        return True

    def rest_failed(self) -> None:
        """``rest_loader``'s reading failed: pages are asked for again as the view scrolls."""
        if getattr(self, "_rest_generation", None) == self._generation:
            self._loading = False


class SortFilterProxy(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE`` and filters on every column, ignoring case."""

    def __init__(
        self, source: QAbstractTableModel | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        if source is not None:
            self.setSourceModel(source)

    def row_at(self, proxy_row: int) -> Row:
        return self.index(proxy_row, 0).data(ROW_ROLE)
