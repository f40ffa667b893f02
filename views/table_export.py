"""Every table on screen to a spreadsheet: right-click › *Export…*, or Ctrl+Shift+E on
the table that has the focus.

What is written is what the table shows: its columns in the order and with the headers
on screen (hidden ones left out), its rows as sorted and filtered; numbers as numbers,
percentages as percentages and dates as dates (from the model's raw values,
``RAW_ROLE``), any other cell as the text shown. A list loaded a page at a time (the
people) is read whole first. The file is an Excel workbook (.xlsx) or a CSV as Italian
Excel writes it (semicolons, a BOM), written off the UI thread
(``models.spreadsheet.write_table``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMainWindow, QTableView, QWidget

from models.errors import DomainError
from models.i18n import _
from models.spreadsheet import Table, write_table

from .table_models import BOOL, DATE, INT, KIND_ROLE, PERCENT, RAW_ROLE, PagedTableModel
from .tasks import TaskRunner, report_failure

EXPORT_FOLDER_KEY = "export_folder"  # the folder of the last table exported, in the settings
SHORTCUT = "Ctrl+Shift+E"


def install_export(view: QTableView) -> QAction:
    """Give ``view`` its *Export…* action: in its context menu (the actions' menu, or
    added by a page's own menu through ``export_action(view)``) and on Ctrl+Shift+E
    while it has the focus."""
    act = QAction(_("Export…"), view)
    act.setObjectName("exportTableAction")
    act.setShortcut(QKeySequence(SHORTCUT))
    act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    act.setToolTip(_("Save this table as an Excel workbook or a CSV file"))
    act.triggered.connect(lambda _checked=False: export_view(view))
    view.addAction(act)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    return act


def export_action(view: QTableView) -> QAction | None:
    return next((a for a in view.actions() if a.objectName() == "exportTableAction"), None)


def _cell(raw: Any, shown: Any, kind: Any) -> Any:
    """A cell's value in the file: numbers, percentages and dates as such, the rest as shown."""
    text = "" if shown is None else str(shown)
    if isinstance(raw, bool) or kind == BOOL:
        return text
    if isinstance(raw, int | float) and (kind in (INT, PERCENT) or kind is None or text):
        return raw
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime) and (kind in (DATE, None)):
        return raw
    return text


def table_of(view: QTableView, name: str = "") -> Table:
    """The table as shown: visible columns in their order on screen, rows as sorted."""
    model: QAbstractItemModel = view.model()
    header = view.horizontalHeader()
    columns = [
        header.logicalIndex(v)
        for v in range(header.count())
        if not view.isColumnHidden(header.logicalIndex(v))
    ]
    headers = [
        str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        for c in columns
    ]
    formats: dict[int, str] = {}
    rows: list[list[Any]] = []
    for r in range(model.rowCount()):
        if view.isRowHidden(r):
            continue
        row = []
        for i, c in enumerate(columns):
            index = model.index(r, c)
            kind = index.data(KIND_ROLE)
            value = _cell(index.data(RAW_ROLE), index.data(Qt.ItemDataRole.DisplayRole), kind)
            if kind == PERCENT and isinstance(value, float):
                formats[i] = "0.0%"
            elif isinstance(value, float):
                formats.setdefault(i, "#,##0.##")
            elif isinstance(value, int):
                formats.setdefault(i, "#,##0")
            row.append(value)
        rows.append(row)
    return Table((name or _("Table"))[:31], headers, rows, formats)


def _source(model: QAbstractItemModel) -> QAbstractItemModel:
    while isinstance(model, QSortFilterProxyModel):
        model = model.sourceModel()
    return model


def table_name(view: QTableView) -> str:
    return view.accessibleName() or view.windowTitle() or _("Table")


def proposed_file_name(view: QTableView, day: dt.date | None = None) -> str:
    """The file name proposed: the table's name and today's date, in the interface's
    language ("Posti letto della struttura 2026-12-03.xlsx")."""
    name = re.sub(r'[\\/:*?"<>|]+', " ", table_name(view)).strip()
    name = re.sub(r"\s+", " ", name)[:80] or _("Table")
    return f"{name} {(day or dt.date.today()).isoformat()}.xlsx"


def ask_export_path(parent: QWidget, proposed: str) -> str:
    """Where to write (""when cancelled); .xlsx unless the CSV filter or name is chosen."""
    xlsx, csv = _("Excel workbook (*.xlsx)"), _("CSV, separated by semicolons (*.csv)")
    from .dialogs import save_dialog  # not needed before the first export

    path, chosen = save_dialog.ask_save_path(
        parent, _("Export the table"), proposed, [xlsx, csv], "xlsx", "exportTableDialog"
    )
    if not path:
        return ""
    target = Path(path)
    if chosen == csv and target.suffix.lower() != ".csv":
        target = target.with_suffix(".csv")
    elif target.suffix.lower() not in (".csv", ".xlsx"):
        target = target.with_name(target.name + ".xlsx")
    return str(target)


def export_view(view: QTableView) -> None:
    """Ask where, then write the table there (off the UI thread)."""
    window = view.window()
    settings = getattr(window, "settings", None)
    runner = getattr(window, "runner", None)
    if not isinstance(runner, TaskRunner):
        runner = TaskRunner(view)
    from .dialogs import save_dialog

    folder = save_dialog.save_folder(settings, EXPORT_FOLDER_KEY)
    path = ask_export_path(window, str(Path(folder) / proposed_file_name(view)))
    if not path:
        return
    target = Path(path)
    source = _source(view.model())
    loader = source.rest_loader() if isinstance(source, PagedTableModel) else None

    def write() -> None:
        table = table_of(view, table_name(view))

        def work() -> None:
            try:
                write_table(target, table)
            except OSError as exc:
                raise DomainError(
                    _("Cannot write {path}: {reason}").format(
                        path=target, reason=exc.strerror or exc
                    )
                ) from exc

        runner.run(
            work,
            on_success=lambda _r: done(),
            on_failure=lambda exc: report_failure(exc, window),
            progress_label=_("Exporting the table…"),
        )

    def done() -> None:
        if settings is not None:
            settings.save({EXPORT_FOLDER_KEY: str(target.parent)})
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(_("Table saved in {path}").format(path=target), 8000)

    if loader is None:
        write()
        return
    assert isinstance(source, PagedTableModel)

    def loaded(rows: list[Any]) -> None:
        if source.append_rest(rows):
            write()

    def failed(exc: BaseException) -> None:
        source.rest_failed()
        report_failure(exc, window)

    runner.run(loader, on_success=loaded, on_failure=failed, progress_label=_("Reading the list…"))


def install_on_tables(root: QWidget) -> None:
    """``install_export`` on every table under ``root`` that has none yet."""
    for view in root.findChildren(QTableView):
        if export_action(view) is None and isinstance(view, QAbstractItemView):
            install_export(view)
