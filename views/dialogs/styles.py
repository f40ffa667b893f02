"""The colours and the grey hint line the dialogs share: a refusal is red, a warning
orange, a good answer green, wherever it is shown."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

ERROR_STYLE = "color: #b00020; font-weight: bold;"
WARNING_COLOUR = QColor("#b35c00")
OK_COLOUR = QColor("#1b7f3b")
BAD_COLOUR = QColor("#b00020")


def hint(text: str) -> QLabel:
    """A grey explanation above the fields it is about."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label
