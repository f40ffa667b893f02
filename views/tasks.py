"""One task runner for database work off the UI thread (Anki's QueryOp/CollectionOp style).

    runner.run(lambda: backend.occupancy.overview(day), on_success=self._show)

``fn`` runs in a ``QThreadPool`` worker; ``on_success(result)`` or the failure handling
runs back on the UI thread. ``fn`` must never touch a widget: compute plain data there,
show it in ``on_success``.

Failures: a ``DomainError`` shows its (already translated) message through the message
service; anything else shows a generic translated message and logs only the exception
type (desktop/crash.py style), never a traceback to the user.

Work that lasts more than a moment (``BUSY_DELAY_MS``) shows a busy indicator: the runner
emits ``busy_changed(True, label)`` (the main window shows it in the status bar) and, when
a ``progress_label`` is given, a small progress dialog.

Tests: ``TaskRunner.synchronous = True`` (or ``synchronous=True`` in the constructor) runs
``fn`` and the callbacks at once on the calling thread, so pytest-qt tests are
deterministic; ``wait_all()`` waits for every running task in asynchronous mode.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from models.errors import DomainError
from models.i18n import _

log = logging.getLogger(__name__)

BUSY_DELAY_MS = 300

T = TypeVar("T")


_local = threading.local()


def inside_task() -> bool:
    """True while a task's function runs: on a worker thread, or on the calling thread in
    synchronous mode. Database work of a view happens only here (tests check it)."""
    return (
        getattr(_local, "depth", 0) > 0 or threading.current_thread() is not threading.main_thread()
    )


@contextlib.contextmanager
def _task_scope() -> Iterator[None]:
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield
    finally:
        _local.depth -= 1


class _Relay(QObject):
    """Carries a worker's outcome to the UI thread (lives in the UI thread)."""

    finished = Signal(object, object)  # result, exception


class _Worker(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result, error = self.fn(), None
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread
            result, error = None, exc
        # RuntimeError: the runner (and its relay) went away while we worked; nobody to tell.
        with contextlib.suppress(RuntimeError):
            self.relay.finished.emit(result, error)


# Set by the application (desktop/app.py) to write the details of an unexpected error to
# its log and say where; views do not know where the application keeps its files.
_unexpected_reporter: Callable[[BaseException], str] | None = None


def set_unexpected_reporter(reporter: Callable[[BaseException], str] | None) -> None:
    global _unexpected_reporter
    _unexpected_reporter = reporter


# Set by the application too: the details an error dialog's *Copy details* copies.
_details_maker: Callable[[BaseException], str] | None = None


def set_details_maker(maker: Callable[[BaseException], str] | None) -> None:
    global _details_maker
    _details_maker = maker


def unexpected_details(exc: BaseException) -> str | None:
    try:
        return _details_maker(exc) if _details_maker else None
    except Exception:  # noqa: BLE001 - the report itself must never fail the UI
        return None


def unexpected_message(exc: BaseException) -> str:
    """The message shown for an unexpected error; logs the exception type and frames only."""
    try:
        detail = _unexpected_reporter(exc) if _unexpected_reporter else type(exc).__name__
    except Exception:  # noqa: BLE001 - the report itself must never fail the UI
        detail = type(exc).__name__
    log.error("unexpected error in a task: %s", type(exc).__name__)
    return (
        _(
            "Something went wrong and the operation was not completed: nothing was "
            "saved. Repeat it; if it fails again, send the details below to whoever "
            "looks after Accoglienza in your office."
        )
        + "\n\n"
        + detail
    )


def report_failure(
    exc: BaseException, parent: QWidget | None = None, *, refused_write: bool = False
) -> None:
    """Show a failure to the user: the domain message, or a generic one. A refused write
    also says that nothing was saved (unless its message says so already)."""
    from . import messages  # its dialogs are not needed before the window is painted

    text = str(exc) if isinstance(exc, DomainError) else unexpected_message(exc)
    if refused_write and _("nothing was saved").casefold() not in text.casefold():
        text += "\n\n" + _("Nothing was saved: correct what is shown and try again.")
    if isinstance(exc, DomainError):
        messages.get().error(text, parent=parent)
    else:
        messages.get().error(text, parent=parent, details=unexpected_details(exc))


@dataclass(slots=True)
class _Pending:
    """A task started and not yet finished."""

    on_success: Callable[[Any], None]
    on_failure: Callable[[BaseException], None] | None
    label: str | None
    timer: QTimer
    key: str | None
    worker: _Worker | None = None
    busy: bool = False


class TaskRunner(QObject):
    """Runs database work in a thread pool and calls back on the UI thread."""

    busy_changed = Signal(bool, str)
    synchronous: ClassVar[bool] = False

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        synchronous: bool | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._sync = synchronous
        self._pool = pool or QThreadPool.globalInstance()
        self._running: dict[_Relay, _Pending] = {}
        self._latest: dict[str, _Relay] = {}
        self._busy_count = 0
        self._progress: QProgressDialog | None = None

    # -- public ----------------------------------------------------------------------

    def is_synchronous(self) -> bool:
        return self._sync if self._sync is not None else type(self).synchronous

    def run(
        self,
        fn: Callable[[], T],
        *,
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
        progress_label: str | None = None,
        key: str | None = None,
    ) -> None:
        """Run ``fn`` off the UI thread, then ``on_success(result)`` on it.

        ``on_failure(exc)`` replaces the default message box. With ``key``, only the
        latest task of that key is delivered: a result overtaken by a newer request
        (the user changed the date twice) is dropped.
        """
        if self.is_synchronous():
            try:
                with _task_scope():
                    result = fn()
            except Exception as exc:  # noqa: BLE001 - reported like in a worker
                self._fail(exc, on_failure)
            else:
                on_success(result)
            return
        # Parented to the runner so that Qt, not Python's garbage collector, deletes it
        # (deleteLater) once its signal has been delivered.
        relay = _Relay(self)
        relay.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        timer = QTimer()  # owned by Python (the _Pending entry), dropped when the task ends
        timer.setSingleShot(True)
        timer.timeout.connect(lambda r=relay: self._show_busy(r))
        if key is not None:
            self._drop_queued(key)
        worker = _Worker(fn, relay)
        self._running[relay] = _Pending(
            on_success, on_failure, progress_label, timer, key, worker=worker
        )
        if key is not None:
            self._latest[key] = relay
        timer.start(BUSY_DELAY_MS)
        self._pool.start(worker)

    def _drop_queued(self, key: str) -> None:
        """A newer request of the same kind replaces an older one still waiting for a
        thread: the older one is taken out of the queue and never runs."""
        relay = self._latest.get(key)
        pending = self._running.get(relay) if relay is not None else None
        if relay is None or pending is None or pending.worker is None:
            return
        if shiboken6.isValid(pending.worker) and self._pool.tryTake(pending.worker):
            del self._running[relay]
            pending.timer.stop()
            self._end_busy(pending)
            relay.deleteLater()

    def _end_busy(self, pending: _Pending) -> None:
        if not pending.busy:
            return
        pending.busy = False
        self._busy_count -= 1
        if self._busy_count == 0:
            self.busy_changed.emit(False, "")
            if self._progress is not None:
                self._progress.close()
                self._progress.deleteLater()
                self._progress = None

    def pending(self) -> int:
        return len(self._running)

    def wait_all(self, timeout_ms: int = 60_000) -> None:
        """Wait for every task and deliver its callbacks (tests, shutdown)."""
        self._pool.waitForDone(timeout_ms)
        app = QApplication.instance()
        for _i in range(100):
            if not self._running or app is None:
                break
            app.processEvents()

    # -- internals -------------------------------------------------------------------

    def _fail(self, exc: BaseException, on_failure: Callable[[BaseException], None] | None) -> None:
        if on_failure is not None:
            on_failure(exc)
            return
        parent = self.parent()
        report_failure(exc, parent if isinstance(parent, QWidget) else None)

    def show_progress(self, text: str) -> None:
        """Say how far a long task has got (on the UI thread): in the progress dialog if
        one is shown, and in the status bar."""
        if self._progress is not None:
            self._progress.setLabelText(text)
        if self._busy_count:
            self.busy_changed.emit(True, text)

    def _show_busy(self, relay: _Relay) -> None:
        pending = self._running.get(relay)
        if pending is None:
            return
        pending.busy = True
        self._busy_count += 1
        label = pending.label or _("Working…")
        if self._busy_count == 1:
            self.busy_changed.emit(True, label)
        if pending.label and self._progress is None:
            parent = self.parent()
            dlg = QProgressDialog(label, "", 0, 0, parent if isinstance(parent, QWidget) else None)
            dlg.setCancelButton(None)
            dlg.setWindowModality(Qt.WindowModality.WindowModal)
            dlg.setMinimumDuration(0)
            dlg.setWindowTitle(_("Accoglienza"))
            dlg.show()
            self._progress = dlg

    @Slot(object, object)
    def _on_finished(self, result: Any, exc: BaseException | None) -> None:
        relay = self.sender()
        pending = self._running.pop(relay, None)  # type: ignore[call-overload]
        if pending is None:
            return
        pending.timer.stop()
        self._end_busy(pending)
        relay.deleteLater()
        if pending.key is not None:
            if self._latest.get(pending.key) is not relay:
                return  # overtaken by a newer request of the same kind
            del self._latest[pending.key]
        if exc is not None:
            self._fail(exc, pending.on_failure)
        else:
            pending.on_success(result)
