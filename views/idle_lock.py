"""The screen's lock after a while without use (``idle_lock_minutes`` in the
preferences, 10 by default): the signed-in user's PC left on in an office shows no
records to whoever passes by.

Any key press, click, wheel or mouse movement in the application counts as use. When
the time is up, every window of the application is covered by a plain panel (nothing of
the records can be read, not even in a dialog left open) and the lock asks the
signed-in user's password again (``views.dialogs.sign_in_dialog``): on a local file it is
checked like a sign-in (failures count towards the lock-out), on the shared server by
connecting with it. "Sign out" closes the program. Without users nobody signs in, and
there is no lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from models.i18n import _

DEFAULT_MINUTES = 10
CHECK_MS = 15_000  # how often the time without use is looked at

_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


def lock_minutes(values: dict[str, Any]) -> int:
    """The preference, within 1 to 240 minutes."""
    value = values.get("idle_lock_minutes")
    return value if isinstance(value, int) and 1 <= value <= 240 else DEFAULT_MINUTES


class Cover(QWidget):
    """A plain panel over the whole of a window while the screen is locked."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        label = QLabel(_("Accoglienza is locked: type your password to go on."), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        parent = self.parentWidget()
        if event.type() == QEvent.Type.Resize and parent is not None and obj is parent:
            self.setGeometry(parent.rect())
            self.raise_()
        return False


class IdleLock(QObject):
    """Watches the application's input; ``lock()`` covers every window and shows
    ``make_dialog()`` (the lock's sign-in dialog), ``unlock()`` takes the covers away."""

    def __init__(
        self,
        window: QWidget,
        minutes: int,
        make_dialog: Callable[[], Any],
        sign_out: Callable[[], None],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.minutes = minutes
        self.make_dialog = make_dialog
        self.sign_out = sign_out
        self.clock = clock
        self.last_input = clock()
        self.covers: list[Cover] = []
        self.dialog: Any = None
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def stop(self) -> None:
        """No more locking (another database, the window closing)."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT and not self.is_locked:
            self.last_input = self.clock()
        return False

    def check(self) -> None:
        if not self.is_locked and self.clock() - self.last_input >= self.minutes * 60:
            self.lock()

    def lock(self) -> None:
        if self.is_locked:
            return
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        self.covers = [Cover(w) for w in shown if not isinstance(w, Cover)]
        dialog = self.make_dialog()
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.finished.connect(self._finished)
        dialog.open()

    def _finished(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None and getattr(dialog, "signed_out", False):
            self.sign_out()
            return
        self.unlock()

    def unlock(self) -> None:
        for cover in self.covers:
            parent = cover.parentWidget()
            if parent is not None:
                parent.removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()
        self.covers = []
        self.last_input = self.clock()
