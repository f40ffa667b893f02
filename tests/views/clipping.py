"""Find texts that do not fit their widget (a label cut short, a button too narrow).

Used with the stretched pseudo-translation (models.i18n.install_pseudo): if every string
40% longer still fits, Italian and English fit too. Only what the user can see is
checked: hidden widgets, the pages not shown and texts a widget elides on purpose are
left alone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QMenuBar,
    QPushButton,
    QRadioButton,
    QStyle,
    QTabBar,
    QToolButton,
    QTreeView,
    QWidget,
)

SLACK = 1  # pixels of rounding allowed


def _visible(w: QWidget, root: QWidget) -> bool:
    if not w.isVisible() or w.width() <= 0 or w.height() <= 0:
        return False
    # Inside a scroll area a widget may be larger than what is seen: that is scrolling,
    # not clipping; everything else must lie within its top-level window.
    return w.window() is root.window()


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _name(w: QWidget, text: str) -> str:
    return f"{type(w).__name__}({w.objectName() or '-'}) {text!r}"


def clipped(root: QWidget) -> list[str]:
    """One line for every visible text in ``root`` that is cut: empty when all fit."""
    problems: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not _visible(w, root):
            continue
        if isinstance(w, QLabel):
            problems += _label(w)
        elif isinstance(w, (QPushButton, QCheckBox, QRadioButton, QToolButton)):
            problems += _button(w)
        elif isinstance(w, QTabBar):
            problems += _tabs(w)
        elif isinstance(w, QMenuBar):
            problems += _menus(w)
        elif isinstance(w, QHeaderView):
            problems += _header(w)
        elif isinstance(w, QTreeView):
            problems += _tree(w)
        if isinstance(w, QGroupBox) and w.title():
            need = w.fontMetrics().horizontalAdvance(_plain(w.title())) + 8
            if w.width() + SLACK < need:
                problems.append(f"{_name(w, w.title())}: {w.width()} px < {need} px for the title")
    return problems


def _label(w: QLabel) -> list[str]:
    text = w.text()
    if not text or w.pixmap() is not None and not w.pixmap().isNull():
        return []
    if w.wordWrap():
        need = w.heightForWidth(w.width())
        if need > 0 and w.height() + SLACK < need:
            return [f"{_name(w, text)}: {w.height()} px high < {need} px for the wrapped text"]
        return []
    hint = w.minimumSizeHint()
    if w.width() + SLACK < hint.width():
        # A plain label may still fit if the hint counts margins it does not need.
        advance = max(
            w.fontMetrics().horizontalAdvance(line) for line in _plain(text).splitlines() or [""]
        )
        if advance > w.contentsRect().width() + SLACK:
            return [f"{_name(w, text)}: {w.width()} px < {hint.width()} px"]
    if w.height() + SLACK < hint.height():
        return [f"{_name(w, text)}: {w.height()} px high < {hint.height()} px"]
    return []


def _button(w: QAbstractButton) -> list[str]:
    text = w.text()
    if not text:
        return []
    hint = w.minimumSizeHint() if not isinstance(w, QToolButton) else w.sizeHint()
    if w.width() + SLACK >= hint.width():
        return []
    # Narrower than the style's hint (which also has a minimum width for push buttons):
    # still fine if the text itself, its icon and the indicator fit.
    style = w.style()
    need = w.fontMetrics().horizontalAdvance(_plain(text)) + 6
    if not w.icon().isNull():
        need += w.iconSize().width() + 4
    if isinstance(w, QCheckBox):
        need += style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, w) + 4
    elif isinstance(w, QRadioButton):
        need += style.pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth, None, w) + 4
    if w.width() + SLACK < need:
        return [f"{_name(w, text)}: {w.width()} px < {need} px"]
    return []


def _tabs(bar: QTabBar) -> list[str]:
    problems = []
    for i in range(bar.count()):
        if not bar.isTabVisible(i):
            continue
        rect, need = bar.tabRect(i), bar.tabSizeHint(i)
        text = bar.tabText(i)
        if rect.width() + SLACK < need.width():
            problems.append(f"tab {text!r}: {rect.width()} px < {need.width()} px")
        elif rect.right() > bar.width() + SLACK or rect.left() < -SLACK:
            problems.append(f"tab {text!r} is out of sight (the tab bar scrolls)")
    return problems


def _menus(bar: QMenuBar) -> list[str]:
    problems = []
    for action in bar.actions():
        if not action.isVisible() or action.isSeparator():
            continue
        geo = bar.actionGeometry(action)
        if geo.isEmpty() or geo.right() > bar.width() + SLACK:
            problems.append(f"menu {action.text()!r} does not fit the menu bar")
    return problems


def _header(header: QHeaderView) -> list[str]:
    """Column (or row) titles narrower than their text, margins and sort arrow."""
    problems = []
    model = header.model()
    if model is None:
        return []
    for logical in range(header.count()):
        if header.isSectionHidden(logical) or header.sectionSize(logical) <= 0:
            continue
        text = model.headerData(logical, header.orientation())
        if not text:
            continue
        need = header.sectionSizeFromContents(logical)
        size = header.sectionSize(logical)
        wanted = (
            need.width() if header.orientation() == Qt.Orientation.Horizontal else need.height()
        )
        if size + SLACK < wanted:
            problems.append(
                f"{_name(header.parentWidget() or header, str(text))}: column {size} px < {wanted} px"
            )
    return problems


def _tree(tree: QTreeView) -> list[str]:
    """Tree items whose text is elided, or that run out of a tree that cannot scroll."""
    problems: list[str] = []
    model = tree.model()
    if model is None or model.rowCount() == 0:
        return []
    viewport = tree.viewport().width()
    can_scroll = tree.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    index = model.index(0, 0)
    while index.isValid():
        for column in range(model.columnCount(index.parent())):
            if tree.isColumnHidden(column):
                continue
            cell = index.siblingAtColumn(column)
            text = cell.data()
            if not text:
                continue
            rect = tree.visualRect(cell)
            need = tree.sizeHintForIndex(cell).width()
            # The item's own width; beyond the viewport the tree scrolls, unless it cannot.
            if rect.width() + SLACK < need or (not can_scroll and rect.right() > viewport + SLACK):
                problems.append(f"{_name(tree, str(text))}: item {rect.width()} px < {need} px")
        index = tree.indexBelow(index)
    return problems
