"""The password of the shared server, asked when the server wants one it was not given
(the first connection of this PC, or after the password was changed)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from models.i18n import _

from ..colours import colour_style, muted
from .buttons import ok_cancel


class PasswordDialog(QDialog):
    def __init__(self, message: str, login: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Password of the shared server"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        text = QLabel(message, self)
        text.setObjectName("messageLabel")
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        form.addRow(_("User:"), QLabel(login, self))
        self.password = QLineEdit(self)
        self.password.setObjectName("passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Pass&word:"), self.password)
        layout.addLayout(form)
        note = QLabel(_("It is kept in this PC's credential store: it is asked only once."), self)
        note.setWordWrap(True)
        note.setStyleSheet(colour_style(muted()))
        layout.addWidget(note)
        layout.addWidget(ok_cancel(self, _("Connect")))
        self.password.setFocus()

    def typed_password(self) -> str | None:
        return self.password.text() or None
