"""One small service for message boxes (Picard style), so logic that asks can be tested.

Views call ``messages.get().error(text)`` or ``messages.get().confirm(question)`` instead of
building ``QMessageBox`` themselves. Tests install a ``RecordingMessages`` that keeps what
was shown and answers with prepared replies, so no real prompt ever blocks a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from models.i18n import _


def _title(title: str | None) -> str:
    return title or _("Accoglienza")


class MessageService:
    """Real message boxes, parented to the given widget (or the active window)."""

    def info(self, text: str, *, title: str | None = None, parent: QWidget | None = None) -> None:
        QMessageBox.information(parent, _title(title), text)

    def warning(
        self, text: str, *, title: str | None = None, parent: QWidget | None = None
    ) -> None:
        QMessageBox.warning(parent, _title(title), text)

    def error(
        self,
        text: str,
        *,
        title: str | None = None,
        parent: QWidget | None = None,
        details: str | None = None,
    ) -> None:
        """An error; with ``details`` (no names: types, files, lines) a *Copy details*
        button puts them on the clipboard for whoever looks after the program."""
        box = QMessageBox(QMessageBox.Icon.Critical, _title(title), text, parent=parent)
        box.setObjectName("errorBox")
        box.addButton(QMessageBox.StandardButton.Ok)
        if details:
            from PySide6.QtWidgets import QApplication

            copy = box.addButton(_("Copy details"), QMessageBox.ButtonRole.ActionRole)
            copy.setObjectName("copyDetailsButton")
            copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
        box.exec()

    def confirm(
        self, question: str, *, title: str | None = None, parent: QWidget | None = None
    ) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _title(title),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            parent,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def offer(
        self, text: str, action: str, *, title: str | None = None, parent: QWidget | None = None
    ) -> bool:
        """A piece of news with one thing to do next (``action``) or *Later*; True when the
        user chose the action."""
        box = QMessageBox(QMessageBox.Icon.Information, _title(title), text, parent=parent)
        do = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        do.setObjectName("offerActionButton")
        box.addButton(_("Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(do)
        box.exec()
        return box.clickedButton() is do

    def ask_text(
        self,
        question: str,
        *,
        title: str | None = None,
        default: str = "",
        parent: QWidget | None = None,
    ) -> str | None:
        """A line of text, or None when the user cancels."""
        text, ok = QInputDialog.getText(
            parent, _title(title), question, QLineEdit.EchoMode.Normal, default
        )
        return text if ok else None

    def ask_secret(
        self, question: str, *, title: str | None = None, parent: QWidget | None = None
    ) -> str | None:
        """A passphrase, typed unseen; None when the user cancels."""
        text, ok = QInputDialog.getText(
            parent, _title(title), question, QLineEdit.EchoMode.Password, ""
        )
        return text if ok else None


@dataclass
class Shown:
    kind: str  # info | warning | error | confirm | offer | ask_text | ask_secret
    text: str
    details: str | None = None


@dataclass
class RecordingMessages(MessageService):
    """For tests: records every message and answers from prepared replies.

    ``confirm`` answers ``confirm_answer``; ``offer`` answers ``offer_answer`` (by default
    *Later*); ``ask_text`` pops ``text_answers`` (None when empty, as if the user cancelled).
    """

    shown: list[Shown] = field(default_factory=list)
    confirm_answer: bool = True
    offer_answer: bool = False
    text_answers: list[str | None] = field(default_factory=list)

    def info(self, text: str, *, title: str | None = None, parent: QWidget | None = None) -> None:
        self.shown.append(Shown("info", text))

    def warning(
        self, text: str, *, title: str | None = None, parent: QWidget | None = None
    ) -> None:
        self.shown.append(Shown("warning", text))

    def error(
        self,
        text: str,
        *,
        title: str | None = None,
        parent: QWidget | None = None,
        details: str | None = None,
    ) -> None:
        self.shown.append(Shown("error", text, details))

    def confirm(
        self, question: str, *, title: str | None = None, parent: QWidget | None = None
    ) -> bool:
        self.shown.append(Shown("confirm", question))
        return self.confirm_answer

    def offer(
        self, text: str, action: str, *, title: str | None = None, parent: QWidget | None = None
    ) -> bool:
        self.shown.append(Shown("offer", text))
        return self.offer_answer

    def ask_text(
        self,
        question: str,
        *,
        title: str | None = None,
        default: str = "",
        parent: QWidget | None = None,
    ) -> str | None:
        self.shown.append(Shown("ask_text", question))
        return self.text_answers.pop(0) if self.text_answers else None

    def ask_secret(
        self, question: str, *, title: str | None = None, parent: QWidget | None = None
    ) -> str | None:
        self.shown.append(Shown("ask_secret", question))
        return self.text_answers.pop(0) if self.text_answers else None

    def texts(self, kind: str | None = None) -> list[str]:
        return [m.text for m in self.shown if kind is None or m.kind == kind]


_current: MessageService = MessageService()


def get() -> MessageService:
    """The message service in use."""
    return _current


def install(service: MessageService) -> MessageService:
    """Replace the message service (tests); returns the previous one."""
    global _current
    previous, _current = _current, service
    return previous
