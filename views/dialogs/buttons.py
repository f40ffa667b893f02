"""The OK and Cancel buttons of a dialog, with the words of what OK does."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

from models.i18n import _


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK says what it does ("Save", "Place"); the buttons accept and reject ``dialog``."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok_button(buttons).setText(ok_text)
    cancel_button(buttons).setText(_("Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def ok_button(buttons: QDialogButtonBox) -> QPushButton:
    return buttons.button(QDialogButtonBox.StandardButton.Ok)


def cancel_button(buttons: QDialogButtonBox) -> QPushButton:
    return buttons.button(QDialogButtonBox.StandardButton.Cancel)
