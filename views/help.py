"""The user manual (resources/manual/<language>.md) in a help window, opened by F1 at the
section of the page or dialog in use, and by Help › Manual.

Each section of the manual is a heading that ends with its anchor, ``## Cruscotto
{#dashboard}``; the anchor is taken off before the text is shown. A page or dialog names
its section with a ``HELP_ANCHOR`` class attribute (or, for a widget without one, its
object name in ``ANCHORS_BY_NAME``): F1 looks for it from the widget with the focus up to
its window.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QKeyEvent, QTextBlock
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from models import i18n
from models.i18n import _

# Widgets that cannot carry a class attribute here, by object name.
ANCHORS_BY_NAME = {
    "dashboardPage": "dashboard",
    "structurePage": "structure",
    "peoplePage": "people",
    "planningBoardPage": "board",
    "navigationTree": "navigation",
    "dateBar": "dates",
}
START = "start"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*\{#([\w-]+)\}\s*$", re.MULTILINE)


def manual_dir() -> Path:
    """``resources/manual`` in the repository, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources" / "manual"
    return Path(__file__).resolve().parent.parent / "resources" / "manual"


def manual_file(language: str | None = None) -> Path:
    """The manual in ``language`` (the interface's by default), else the Italian one."""
    code = language or i18n.current_language()
    path = manual_dir() / f"{code}.md"
    return path if path.exists() else manual_dir() / "it.md"


def parse_manual(text: str) -> tuple[str, dict[str, str]]:
    """The markdown to show, without the anchors, and each anchor's heading text."""
    headings: dict[str, str] = {}

    def strip(match: re.Match[str]) -> str:
        headings[match.group(3)] = match.group(2)
        return f"{match.group(1)} {match.group(2)}"

    return _HEADING.sub(strip, text), headings


def help_anchor(widget: QWidget | None) -> str:
    """The manual's section for ``widget``: the nearest one named from it up to its window."""
    w: QObject | None = widget
    while w is not None:
        anchor = getattr(w, "HELP_ANCHOR", None)
        if isinstance(anchor, str) and anchor:
            return anchor
        by_name = ANCHORS_BY_NAME.get(w.objectName())
        if by_name:
            return by_name
        if isinstance(w, QWidget) and w.isWindow():
            current = getattr(w, "current_help_anchor", None)  # the main window's page
            if callable(current):
                found = current()
                if isinstance(found, str) and found:
                    return found
        w = w.parent()
    return START


class HelpWindow(QDialog):
    """The manual, with its images, at one section; links to sections inside it work."""

    def __init__(self, parent: QWidget | None = None, *, language: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpWindow")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setModal(False)
        self.setWindowTitle(_("Accoglienza — Manual"))
        self.resize(820, 640)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenExternalLinks(True)
        self.browser.setAccessibleName(_("Manual"))
        self.browser.anchorClicked.connect(self._link)
        self.browser.setOpenLinks(False)
        layout.addWidget(self.browser, 1)
        row = QHBoxLayout()
        self.contents_button = QPushButton(_("Contents"), self)
        self.contents_button.clicked.connect(lambda: self.show_section(START))
        row.addWidget(self.contents_button)
        row.addStretch(1)
        close = QPushButton(_("Close"), self)
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)
        self.headings: dict[str, str] = {}
        self.language = ""
        self.section = ""
        self.load(language)

    def load(self, language: str | None = None) -> None:
        path = manual_file(language)
        self.language = path.stem
        text, self.headings = parse_manual(path.read_text(encoding="utf-8"))
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.browser.setMarkdown(text)

    def heading_block(self, anchor: str) -> QTextBlock | None:
        title = self.headings.get(anchor)
        if title is None:
            return None
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0 and block.text() == title:
                return block
            block = block.next()
        return None

    def show_section(self, anchor: str) -> None:
        """Scroll so that the section's heading is at the top."""
        block = self.heading_block(anchor) or self.heading_block(START)
        self.section = anchor if self.heading_block(anchor) is not None else START
        if block is None:
            return
        cursor = self.browser.textCursor()
        cursor.setPosition(block.position())
        self.browser.setTextCursor(cursor)
        layout = self.browser.document().documentLayout()
        top = int(layout.blockBoundingRect(block).top())
        bar = self.browser.verticalScrollBar()
        bar.setValue(min(top, bar.maximum()))

    def _link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(url)
            return
        fragment = url.fragment()
        if fragment:
            self.show_section(fragment)


_window: HelpWindow | None = None


def open_help(anchor: str | None = None, parent: QWidget | None = None) -> HelpWindow:
    """Show the manual at ``anchor`` (by default, the section of the widget in use).

    Opened from a modal dialog, the window belongs to that dialog, or the dialog would
    block it; otherwise one window is kept and brought forward.
    """
    global _window
    modal = QApplication.activeModalWidget()
    if anchor is None:
        focus = QApplication.focusWidget()
        if modal is not None and (focus is None or focus.window() is not modal):
            focus = modal
        anchor = help_anchor(focus or QApplication.activeWindow())
    owner = modal if modal is not None else parent
    language = i18n.current_language()
    window = _window
    if (
        window is None
        or not _alive(window)
        or window.parentWidget() is not owner
        or window.language != manual_file(language).stem
    ):
        window = HelpWindow(owner, language=language)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        _window = window
    window.show()
    window.show_section(anchor)
    window.raise_()
    window.activateWindow()
    return window


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


class HelpKey(QObject):
    """F1 everywhere, also inside modal dialogs (where the main window's shortcut does not
    reach): an application-wide filter that opens the manual at the section in use."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F1
            and QApplication.activeModalWidget() is not None
        ):
            open_help(help_anchor(watched) if isinstance(watched, QWidget) else None)
            return True
        return False


_key: HelpKey | None = None


def install_help_key() -> None:
    """Install the F1 filter once for the application."""
    global _key
    app = QApplication.instance()
    if _key is None and app is not None:
        _key = HelpKey(app)
        app.installEventFilter(_key)
