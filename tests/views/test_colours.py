"""Colours from the palette: with a light, a dark and a high-contrast palette, every text
of the tiles, labels, tables, tree and chart contrasts with what is behind it (WCAG 2.x
contrast ratio, at least 4.5:1 for text and 3:1 for the chart's bars)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QTableView, QTreeWidget, QWidget

from models.backend import Backend
from models.database import Database
from tests.factories import scenario
from tests.views.all_windows import all_windows
from tests.views.palettes import PALETTES
from views import colours
from views.colours import contrast
from views.tasks import TaskRunner
from views.widgets import CHART_COLOUR, FigureTile, bar_colour

DAY = dt.date(2024, 6, 3)
Role = QPalette.ColorRole


@pytest.fixture(params=list(PALETTES))
def palette(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[QPalette]:
    before = qapp.palette()
    pal = PALETTES[request.param]()
    qapp.setPalette(pal)
    yield pal
    qapp.setPalette(before)


@pytest.fixture
def backend(sqlite_template: Path, tmp_path: Path) -> Iterator[Backend]:
    """A small network with a bed of each state: occupied, reserved, out of service, free."""
    path = tmp_path / "colours.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    b = Backend(db, actor="test", today=lambda: DAY)
    sc = scenario(b)
    b.placements.place(sc.mother.id, sc.families.id, DAY - dt.timedelta(days=40))
    bed = b.sheets.beds(sc.men.id)[0]
    b.structures.put_bed_out_of_service(bed.id, DAY - dt.timedelta(days=3), None, "guasto")
    single = b.people.register_household([NewPersonFor("Ada")])
    b.reservations.reserve(single.id, sc.families.id, DAY + dt.timedelta(days=5))
    b.ids = sc  # type: ignore[attr-defined]
    yield b
    db.dispose()


@pytest.fixture
def bare(sqlite_template: Path, tmp_path: Path) -> Iterator[Backend]:
    """An empty database: all_windows makes its own small network."""
    path = tmp_path / "windows.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield Backend(db, actor="test")
    db.dispose()


def NewPersonFor(name: str):  # type: ignore[no-untyped-def]  # noqa: N802
    from models.results import NewPerson

    return NewPerson(name, "Prova", "F", dt.date(1990, 1, 1))


def _show(widget: QWidget) -> None:
    widget.resize(1366, 768)
    widget.show()
    for _ in range(3):
        QApplication.processEvents()


def background_of(w: QWidget) -> QColor:
    """What is painted behind ``w``: the nearest tile, styled or filled widget, or window."""
    x: QWidget | None = w
    while x is not None:
        if isinstance(x, FigureTile):
            return x.background()
        if x.autoFillBackground() or x.isWindow() or "background" in x.styleSheet():
            return x.palette().color(x.backgroundRole())
        x = x.parentWidget()
    return QApplication.palette().color(Role.Window)


def unreadable_labels(root: QWidget) -> list[str]:
    problems = []
    for label in [root, *root.findChildren(QWidget)]:
        if not isinstance(label, QLabel) or not label.isVisible() or not label.isEnabled():
            continue
        if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
            continue
        label.ensurePolished()
        fg = label.palette().color(Role.WindowText)
        bg = background_of(label)
        ratio = contrast(fg, bg)
        if ratio < colours.TEXT_CONTRAST:
            problems.append(
                f"{label.objectName() or label.text()[:40]!r}: {fg.name()} on {bg.name()}, {ratio:.2f}"
            )
    return problems


def unreadable_cells(root: QWidget) -> list[str]:
    problems = []
    for view in root.findChildren(QTableView):
        model = view.model()
        if model is None:
            continue
        pal = view.palette()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                index = model.index(row, column)
                fg = index.data(Qt.ItemDataRole.ForegroundRole)
                bg = index.data(Qt.ItemDataRole.BackgroundRole)
                fg = (
                    QColor(fg.color() if hasattr(fg, "color") else fg)
                    if fg
                    else pal.color(Role.Text)
                )
                backs = (
                    [QColor(bg.color() if hasattr(bg, "color") else bg)]
                    if bg
                    else [pal.color(Role.Base), pal.color(Role.AlternateBase)]
                )
                for back in backs:
                    if contrast(fg, back) < colours.TEXT_CONTRAST:
                        problems.append(
                            f"{view.objectName()} ({row}, {column}) {index.data()!r}: {fg.name()} on {back.name()}"
                        )
    for tree in root.findChildren(QTreeWidget):
        base = tree.palette().color(Role.Base)
        items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        while items:
            item = items.pop()
            items += [item.child(i) for i in range(item.childCount())]
            fg = (
                item.foreground(0).color()
                if item.foreground(0).style() != Qt.BrushStyle.NoBrush
                else tree.palette().color(Role.Text)
            )
            if contrast(fg, base) < colours.TEXT_CONTRAST:
                problems.append(f"tree {item.text(0)!r}: {fg.name()} on {base.name()}")
    return problems


def test_the_meaning_colours_are_readable_wherever_text_goes(palette: QPalette) -> None:
    for name, colour in {
        "bad": colours.bad(),
        "warning": colours.warning(),
        "good": colours.good(),
        "muted": colours.muted(),
    }.items():
        for background in colours.text_backgrounds(palette):
            assert contrast(colour, background) >= 4.5, (name, colour.name(), background.name())
    text = palette.color(Role.Text)
    for hue in (colours.YELLOW, colours.GREEN, colours.GREY, colours.BLUE):
        assert contrast(text, colours.tint(hue)) >= 4.5, hue.name()


def test_the_rate_bars_and_chart_are_readable(palette: QPalette) -> None:
    text, base = palette.color(Role.Text), palette.color(Role.Base)
    for rate in (0.5, 0.97, 1.2):
        assert contrast(text, bar_colour(rate)) >= 4.5, rate
        assert contrast(bar_colour(rate, strong=True), base) >= 3.0, rate
    assert contrast(text, colours.tint(CHART_COLOUR, 0.08)) >= 4.5


def test_the_tiles_labels_and_tables_of_the_pages_are_readable(
    palette: QPalette, backend: Backend, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from views.dashboard import DashboardPage
    from views.navigation import Selection
    from views.structure_page import StructurePage

    runner = TaskRunner(synchronous=True)
    dashboard = DashboardPage(backend, runner)
    qtbot.addWidget(dashboard)
    dashboard.set_context(DAY, Selection())
    structures = []
    for st in (backend.ids.families, backend.ids.men, backend.ids.small):  # type: ignore[attr-defined]
        page = StructurePage(backend, runner)
        qtbot.addWidget(page)
        page.set_context(DAY, st.id)
        structures.append(page)
    for page in (dashboard, *structures):
        _show(page)
        tiles = page.findChildren(FigureTile)
        assert tiles
        for tile in tiles:
            for label in (tile.value_label, tile.caption_label):
                fg = label.palette().color(Role.WindowText)
                assert contrast(fg, tile.background()) >= 4.5, (label.text(), fg.name())
        assert unreadable_labels(page) == []
        assert unreadable_cells(page) == []


def test_every_window_and_dialog_is_readable(palette: QPalette, bare: Backend, qtbot) -> None:  # type: ignore[no-untyped-def]
    for window in all_windows(bare):
        qtbot.addWidget(window)
        _show(window)
        assert unreadable_labels(window) == [], type(window).__name__
        assert unreadable_cells(window) == [], type(window).__name__
        if isinstance(window, QDialog):
            window.reject()
        window.close()


def test_the_date_shown_when_not_today_is_readable(palette: QPalette) -> None:
    from views.date_bar import not_today_style

    style = not_today_style()
    background = QColor(style.split("background: ")[1].split(";")[0])
    assert contrast(palette.color(Role.Text), background) >= 4.5
