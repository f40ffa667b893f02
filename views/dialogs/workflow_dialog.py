"""The frame of every workflow dialog: its fields, a red line that says why something was
refused, and an OK button whose write runs through the task runner.

Every workflow dialog is built the same way, ``XDialog(context, parent, *,
household_id=None, placement_id=None, structure_id=None)``: what the window has chosen.
A subclass names itself (``TITLE``, ``OK_TEXT``), builds its fields into ``self.body``
in ``build()``, reads what it shows with ``self.run`` and implements ``apply()``: it
checks the input on the UI thread (raising ``ValidationError``) and returns a ``Write``,
the one service call to make and what it changes. The call runs off the UI thread. On success the dialog closes, accepted, with
``changes`` and ``result_value`` set; on a ``DomainError`` its message shows in the
dialog, which stays open, and nothing was changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.errors import ConcurrentEditError, DomainError
from models.i18n import _
from models.results import Changes

from ..colours import error_style
from ..tasks import unexpected_message
from .buttons import cancel_button, ok_button, ok_cancel
from .context import DialogContext
from .dates import DateEdit, check_dates
from .household_picker import HouseholdPicker
from .override_reason import OverrideReasonEdit

if TYPE_CHECKING:
    from models.backend import Backend

T = TypeVar("T")


@dataclass(frozen=True)
class Write:
    """What OK does: ``call`` runs one service off the UI thread; ``changes`` is what it
    changes as the dialog knows it, and ``changed_by(result)`` adds what only the result
    tells (the id of a household just registered)."""

    call: Callable[[], Any]
    changes: Changes = Changes()
    changed_by: Callable[[Any], Changes] | None = None


class ErrorLabel(QLabel):
    """The red line near the OK button that says why something was refused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setStyleSheet(error_style())
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def failure_text(exc: BaseException) -> str:
    """A domain error's own message; a generic one for anything else (no traceback)."""
    return str(exc) if isinstance(exc, DomainError) else unexpected_message(exc)


class WorkflowDialog(QDialog):
    """A dialog that changes something when OK is pressed, or explains why it cannot."""

    # Each dialog names itself and its OK button, marked with N_ (translated when shown).
    TITLE: ClassVar[str]
    OK_TEXT: ClassVar[str]

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        household_id: int | None = None,
        placement_id: int | None = None,
        structure_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.backend: Backend = context.backend
        self.day = context.day
        self.household_id = household_id
        self.placement_id = placement_id
        self.structure_id = structure_id
        self.changes = Changes()
        self.result_value: Any = None  # what the service returned; its type is the dialog's
        self._writing = False
        self.setWindowTitle(self.window_title())
        self.setModal(True)
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        outer.addLayout(self.body, 1)
        self.error_label = ErrorLabel(self)
        outer.addWidget(self.error_label)
        self.buttons = ok_cancel(self, self.ok_text())
        self.ok_button = ok_button(self.buttons)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setDefault(True)
        self.cancel_button = cancel_button(self.buttons)
        self.cancel_button.setObjectName("cancelButton")
        outer.addWidget(self.buttons)
        # Ctrl+Enter confirms even from a multi-line field.
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.accept)
        self.build()
        self._follow_inputs()

    def window_title(self) -> str:
        return _(self.TITLE)

    def ok_text(self) -> str:
        return _(self.OK_TEXT)

    def build(self) -> None:  # pragma: no cover - every dialog builds its own
        """Build the fields into ``self.body`` and start reading what they show."""
        raise NotImplementedError

    def _follow_inputs(self) -> None:
        """A refusal's red line goes as soon as the coordinator changes what was refused,
        and what was written for one household does not stay for the next one."""
        for line in self.findChildren(QLineEdit):
            line.textEdited.connect(self.clear_error)
        for combo in self.findChildren(QComboBox):
            combo.activated.connect(self.clear_error)
        for button in self.findChildren(QAbstractButton):
            if button.isCheckable():
                button.clicked.connect(self.clear_error)
        for edit in self.findChildren(DateEdit):
            edit.dateChanged.connect(self.clear_error)
        for picker in self.findChildren(HouseholdPicker):
            picker.household_changed.connect(self._household_switched)

    def _household_switched(self, _household: object) -> None:
        self.clear_error()
        for reason in self.findChildren(OverrideReasonEdit):
            reason.clear()

    # -- messages --
    def show_error(self, text: str) -> None:
        self.error_label.show_message(text)

    def clear_error(self) -> None:
        self.error_label.show_message("")

    def show_refusal(self, text: str) -> None:
        """A refused OK: why, then that nothing was saved and what to do (unless the
        message says so already)."""
        # Translators: part of every refusal; the next message must contain it as written.
        marker = _("nothing was saved")
        if marker.casefold() not in text.casefold():
            text += "\n" + _(
                "Nothing was saved: correct what is shown and press “{ok}” again, or “{cancel}”."
            ).format(
                ok=self.ok_button.text().replace("&", ""),
                cancel=self.cancel_button.text().replace("&", ""),
            )
        self.show_error(text)

    def show_failure(self, exc: BaseException) -> None:
        """A read or write that failed: its message in the dialog's red line."""
        self.show_error(failure_text(exc))

    # -- reads --
    def run(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None],
        *,
        key: str | None = None,
    ) -> None:
        """Read off the UI thread, then ``on_success`` on it; a failure shows in the dialog.
        With ``key`` only the latest read of that kind is shown."""
        self.context.run(self, fn, on_success=on_success, on_failure=self.show_failure, key=key)

    def reload(self) -> None:
        """Read again what the dialog works on (after a change made elsewhere)."""

    # -- the write --
    def apply(self) -> Write:  # pragma: no cover - every dialog implements it
        raise NotImplementedError

    def accept(self) -> None:
        if self._writing:
            return  # the write of the first press is on its way
        self.clear_error()
        try:
            check_dates(self)
            write = self.apply()
        except DomainError as exc:
            self.show_refusal(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - no traceback reaches a user
            self.show_refusal(unexpected_message(exc))
            return
        self._writing = True
        ok_enabled = self.ok_button.isEnabled()
        self.ok_button.setEnabled(False)
        self.context.run(
            self,
            write.call,
            on_success=lambda result: self._written(write, result, ok_enabled),
            on_failure=lambda exc: self._refused(exc, ok_enabled),
        )

    def reject(self) -> None:
        if self._writing:
            return  # a write cannot be called back: wait for its answer
        super().reject()

    def _written(self, write: Write, result: Any, ok_enabled: bool) -> None:
        self._writing = False
        self.ok_button.setEnabled(ok_enabled)
        self.result_value = result
        self.changes = write.changes
        if write.changed_by is not None:
            self.changes = self.changes | write.changed_by(result)
        self.changes = replace(self.changes, message=self.confirmation(result))
        super().accept()

    def confirmation(self, result: Any) -> str:
        """What was saved, for the status bar: codes and dates, never a name."""
        return _("Saved.")

    def _refused(self, exc: BaseException, ok_enabled: bool) -> None:
        self._writing = False
        self.ok_button.setEnabled(ok_enabled)
        if isinstance(exc, ConcurrentEditError):
            # Someone changed the record on another PC: show it as it is now and let the
            # coordinator check before pressing OK again.
            self.reload()
            self.show_error(
                _(
                    "Someone else changed these data on another PC in the meantime: nothing "
                    "was saved. The dialog now shows the current data: check them and press "
                    "“{ok}” again."
                ).format(ok=self.ok_button.text().replace("&", ""))
            )
            return
        self.show_refusal(failure_text(exc))
