"""The grey hint line the dialogs share. Their colours (a refusal red, a warning orange,
a good answer green, wherever shown) come from the palette: views.colours."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from ..colours import colour_style, muted


def hint(text: str) -> QLabel:
    """A grey explanation above the fields it is about."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(colour_style(muted()))
    return label
