"""Signing in (Accesso): the login and password asked at the start on a local file with
users, and again to unlock the screen after a while without use (``views.idle_lock``).

The check runs through the task runner (a local file counts failed sign-ins; the shared
server is asked over the network); a refusal is shown in the dialog itself, in the
user's language, and the password is cleared. At the start, Esc or Quit closes the
program; on the lock, Esc does nothing and "Sign out" closes the program.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.i18n import _, ngettext

from ..colours import error_style
from ..tasks import TaskRunner


class SignInDialog(QDialog):
    """``check(login, password)`` returns the signed-in user or raises a DomainError
    whose message is shown; ``signed_in`` holds what it returned once accepted. With
    ``locked_login`` the dialog is the screen's lock: the login is given, and the other
    button signs out."""

    HELP_ANCHOR = "users"

    def __init__(
        self,
        check: Callable[[str, str], Any],
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        locked_login: str | None = None,
        minutes: int = 0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lockDialog" if locked_login else "signInDialog")
        self.check = check
        self.runner = runner
        self.locked = locked_login is not None
        self.signed_in: Any = None
        self.signed_out = False
        self.setWindowTitle(_("Screen locked") if self.locked else _("Sign in"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        if self.locked:
            text = ngettext(
                "The screen was locked after {minutes} minute without use, so that "
                "nobody passing by reads the records. Type your password to go on.",
                "The screen was locked after {minutes} minutes without use, so that "
                "nobody passing by reads the records. Type your password to go on.",
                minutes,
            ).format(minutes=minutes)
        else:
            text = _("This database has users: sign in with your login and password.")
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.login = QLineEdit(locked_login or "", self)
        self.login.setObjectName("loginEdit")
        self.login.setMaxLength(63)
        self.login.setReadOnly(self.locked)
        form.addRow(_("&Login:"), self.login)
        self.password = QLineEdit(self)
        self.password.setObjectName("passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Pass&word:"), self.password)
        layout.addLayout(form)

        self.error = QLabel("", self)
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_style())
        self.error.setVisible(False)
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(self)
        self.ok: QPushButton = self.buttons.addButton(
            _("&Unlock") if self.locked else _("&Sign in"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.ok.setObjectName("signInButton")
        self.other: QPushButton = self.buttons.addButton(
            _("Sign &out") if self.locked else _("&Quit"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        self.other.setObjectName("signOutButton" if self.locked else "quitButton")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.submit)
        self.other.clicked.connect(self._other)
        layout.addWidget(self.buttons)
        (self.password if self.locked else self.login).setFocus()

    def submit(self) -> None:
        login, password = self.login.text().strip(), self.password.text()
        if not login or not password:
            self._show_error(_("Type your login and your password."))
            return
        self.ok.setEnabled(False)
        check = self.check
        self.runner.run(
            lambda: check(login, password),
            on_success=self._accepted,
            on_failure=self._refused,
        )

    def _accepted(self, who: Any) -> None:
        self.signed_in = who
        self.password.clear()
        self.ok.setEnabled(True)
        super().accept()

    def _refused(self, exc: BaseException) -> None:
        from models.errors import DomainError

        from ..tasks import unexpected_message

        self.ok.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self._show_error(str(exc) if isinstance(exc, DomainError) else unexpected_message(exc))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def _other(self) -> None:
        if self.locked:
            self.signed_out = True
        super().reject()

    def accept(self) -> None:  # Enter: checked first, accepted once the check passes
        self.submit()

    def reject(self) -> None:
        # Esc: at the start, the program closes; on the lock nothing happens (only "Sign
        # out" leaves it).
        if not self.locked:
            super().reject()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if self.locked and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)
