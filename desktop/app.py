"""The desktop application: Qt application, translations, database, main window.

``run_desktop(args)`` is called by ``accoglienza`` without a sub-command. The database
is chosen in this order: ``--database``, ``ACCOGLIENZA_DATABASE_URL``, the last one
opened with "Open database..." (user settings), the site profile, the local file. It is
upgraded (after a backup for SQLite) before the window opens. A database that cannot be
used is explained in a message box and the exit code is 1; no traceback ever reaches
the user (``sys.excepthook`` shows a short translated message and logs the details).

``ACCOGLIENZA_QUIT_WHEN_SHOWN=1`` quits as soon as the main window has been painted
with its first data loaded: the benchmark measures cold start with it.
"""

from __future__ import annotations

import argparse
import os
import sys
from types import TracebackType
from typing import Any

from models import i18n
from models.errors import DomainError
from models.i18n import _

APP_NAME = "Accoglienza"
ORGANIZATION = "Accoglienza"


def app_icon() -> Any:
    """A simple painted icon (a house with a bed), so that no image file is needed."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF

    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        pix = QPixmap(size, size)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = size / 64.0
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#2f6f9f"))
        p.drawRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 12 * s, 12 * s)
        p.setBrush(QColor("#ffffff"))
        p.drawPolygon(QPolygonF([QPointF(32 * s, 10 * s), QPointF(54 * s, 30 * s), QPointF(10 * s, 30 * s)]))
        p.drawRect(QRectF(16 * s, 30 * s, 32 * s, 22 * s))
        p.setBrush(QColor("#f0a830"))
        p.drawRect(QRectF(21 * s, 40 * s, 22 * s, 7 * s))
        p.end()
        icon.addPixmap(pix)
    return icon


def open_backend(target: str | None) -> Any:
    """Open (and upgrade) a database and hand back the views' Backend."""
    from desktop.cli import open_database
    from models.backend import Backend

    return Backend(open_database(target, upgrade=True))


def _show_fatal(message: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, _("Accoglienza"), message)
    box.exec()


def install_excepthook() -> None:
    """Unexpected errors in slots become a short translated message, never a traceback."""
    from desktop.crash import report_unexpected

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        if isinstance(exc, DomainError):
            text = str(exc)
        else:
            text = _("Something went wrong and the operation was not completed.") + "\n\n" + report_unexpected(exc)
        try:
            from views import messages

            messages.get().error(text)
        except Exception:  # noqa: BLE001 - the last line of defence
            print(text, file=sys.stderr)

    sys.excepthook = hook


def _quit_when_painted(app: Any, window: Any) -> None:
    """For the cold-start benchmark: quit once the window is painted and its data shown."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    state = {"painted": False}

    class PaintWatch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                state["painted"] = True
            return False

    watch = PaintWatch(window)
    window.installEventFilter(watch)
    timer = QTimer(window)
    timer.setInterval(10)

    def check() -> None:
        if state["painted"] and window.runner.pending() == 0:
            timer.stop()
            window.repaint()
            app.quit()

    timer.timeout.connect(check)
    timer.start()


def run_desktop(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from desktop import settings as user_settings
    from desktop.qt_i18n import install_translators

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setWindowIcon(app_icon())
    install_translators(app, i18n.current_language())
    install_excepthook()
    from desktop.crash import report_unexpected
    from views import tasks

    tasks.set_unexpected_reporter(report_unexpected)

    saved = user_settings.load()
    try:
        from desktop.cli import chosen_database

        backend = open_backend(chosen_database(getattr(args, "database", None), saved))
    except DomainError as exc:
        _show_fatal(str(exc))
        return 1
    except Exception as exc:  # noqa: BLE001 - never a traceback
        from desktop.crash import report_unexpected

        _show_fatal(_("The database cannot be opened.") + "\n\n" + report_unexpected(exc))
        return 1

    from desktop.print_actions import make_print_handler
    from views.main_window import MainWindow

    def open_other(target: str) -> Any:
        new = open_backend(target)
        user_settings.save({"database": target})
        return new

    window = MainWindow(backend, settings=user_settings, open_backend=open_other,
                        print_handler=make_print_handler())
    window.setWindowIcon(app.windowIcon())
    if os.environ.get("ACCOGLIENZA_QUIT_WHEN_SHOWN") == "1":
        _quit_when_painted(app, window)
    window.show()
    code = app.exec()
    window.backend.db.dispose()
    return int(code)
