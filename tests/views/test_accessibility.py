"""A screen reader (Orca, NVDA) reads something useful for every control: each
interactive widget of every page and dialog has an accessible name, in Italian and
English, as Qt's accessibility layer reports it (its own name, its label's, or its
text); the figures' tiles are read with their value and the chart has a text
equivalent.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLineEdit,
    QTabBar,
    QWidget,
)

from desktop.qt_i18n import install_translators
from models import i18n
from models.backend import Backend
from models.database import Database
from tests.views.all_windows import all_windows
from views.main_window import MainWindow
from views.widgets import FigureTile, MonthlyChart

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTabBar)


@pytest.fixture(params=["it", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    i18n.set_language(request.param)
    install_translators(qapp, request.param)
    yield request.param
    i18n.set_language("it")
    install_translators(qapp, "it")


@pytest.fixture
def backend(sqlite_template: Path, tmp_path: Path) -> Iterator[Backend]:
    path = tmp_path / "accessible.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield Backend(db, actor="test")
    db.dispose()


def _spoken_name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, INTERACTIVE) or isinstance(w, QHeaderView):
            continue  # a table's headers are read with the table
        if not w.isVisibleTo(root):
            continue
        if isinstance(w, QLineEdit) and isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue  # the text part of a combo or spin box is read as the box
        if not _spoken_name(w):
            missing.append(f"{type(w).__name__} {w.objectName()!r}")
    return missing


def test_every_control_of_every_page_and_dialog_has_an_accessible_name(
    qtbot, backend, language
) -> None:  # type: ignore[no-untyped-def]
    for window in all_windows(backend):
        qtbot.addWidget(window)
        window.show()
        roots: list[QWidget] = [window]
        if isinstance(window, MainWindow):
            # Every page, not only the one shown first.
            window.show_structure_page()
            roots.append(window.structure_page)
            window.show_people()
            roots.append(window.people_page)
        for root in roots:
            missing = _unnamed(root)
            assert missing == [], (type(window).__name__, language, missing)
        if isinstance(window, QDialog):
            window.reject()
        window.close()


def test_tiles_are_read_with_their_value_and_the_chart_as_text(qtbot, backend) -> None:  # type: ignore[no-untyped-def]
    tile = FigureTile("Occupati", "tileTest")
    qtbot.addWidget(tile)
    tile.set_value("102")
    assert _spoken_name(tile) == "Occupati: 102"
    chart = MonthlyChart()
    qtbot.addWidget(chart)
    import datetime as dt

    chart.set_points([(dt.date(2026, 1, 1), 0.87), (dt.date(2026, 2, 1), 0.9)])
    description = chart.accessibleDescription()
    assert "87" in description and "90" in description
