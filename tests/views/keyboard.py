"""Drive the keyboard focus as a user does: which widgets Tab goes through."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


def tab_from(qtbot, start: QWidget, presses: int) -> list[QWidget | None]:  # type: ignore[no-untyped-def]
    """Focus ``start`` (its window shown and active), press Tab ``presses`` times and
    return the widget that has the focus after each press."""
    start.window().activateWindow()
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    reached = []
    for _press in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    return reached
