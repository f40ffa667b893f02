"""The desktop application: Qt application, translations, database, main window.

``run_desktop(args)`` is called by ``accoglienza`` without a sub-command. The database
is chosen in this order: ``--database``, ``ACCOGLIENZA_DATABASE_URL``, the last one
opened with "Open database…" (user settings), the site profile, the local file. It is
upgraded (after a backup for SQLite) before any page reads it. A database that cannot be
used is explained in a message box and the exit code is 1; no traceback ever reaches
the user (``sys.excepthook`` shows a short translated message and logs the details).

The window is shown first, whole but without data, and the database is opened behind
it (``MainWindow(None)``, then ``set_backend``): a coordinator sees the application at
once, and "Opening the database…" while a large or shared database is opened and,
after an update, upgraded. A database that cannot be opened is explained and the
window closes.

``ACCOGLIENZA_QUIT_WHEN_SHOWN=1`` prints when the window was first painted and when its
first data were shown, then quits: the benchmark measures cold start with it.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import weakref
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, cast

from desktop.database_open import chosen_database, open_database
from desktop.icon import app_icon
from models import i18n
from models.errors import DatabaseMissing, DomainError
from models.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from models.backend import Backend
    from views.main_window import MainWindow

APP_NAME = "Accoglienza"
ORGANIZATION = "Accoglienza"
FIRST_PAINT_WAIT_MS = 250  # the longest the database waits for the window's first paint


def open_backend(
    target: str | None, password: str | None = None, *, create: bool = False
) -> Backend:
    """Open (and upgrade) a database and hand back the views' Backend. A password typed
    by the user is kept in the credential store once the server has accepted it. A local
    file that does not exist raises ``DatabaseMissing`` unless ``create`` (the user was
    asked)."""
    from desktop import site_profile
    from models.backend import Backend
    from models.database import without_password

    if target:  # a password written in the address is kept like one typed
        target, in_address = without_password(target)
        password = password or in_address
    db = open_database(target, upgrade=True, password=password, create=create)
    if password is not None and not db.is_sqlite:
        from desktop import credentials

        credentials.remember(db.url, password)
    backend = Backend(db)
    # Who works: the shared server's login, or whether a local file asks (models.users).
    backend.who_signs_in()
    backend.backups.require_encryption = site_profile.backups_encrypted()
    # Before any page reads: other PCs' changes from now on are found (models.live).
    backend.changes_seen_at_open = backend.directory.change_marker()
    return backend


def open_other(target: str, password: str | None = None, *, create: bool = False) -> Backend:
    """File › Open database… and File › Connect to the shared server…: the database
    opened, and remembered for the next start (its address only)."""
    from desktop import settings as user_settings

    new = open_backend(target, password, create=True) if create else open_backend(target, password)
    user_settings.save({"database": remembered_address(target)})
    # The objects frozen once the first database was open (gc.freeze, below) include
    # that database: the collector must see them again, or its engine and caches would
    # stay in memory once the window lets it go.
    gc.unfreeze()
    return new


def open_demo() -> Backend:
    """The first-run page's demo network: the coop demo in its own file (as ``--demo``
    starts), made the first time, never in the database of real data. Not remembered as
    the database to open next time."""
    from desktop.paths import demo_database_path
    from models import demo

    path = demo_database_path()
    if not path.exists():
        db = open_database(str(path), upgrade=True, create=True)
        try:
            demo.generate(db, scale="coop", seed=1)
        finally:
            db.dispose()
    backend = open_backend(str(path))
    gc.unfreeze()  # as for another database (open_other)
    return backend


def copy_database_to(
    backend: Backend,
    target: str,
    password: str | None,
    progress: Callable[[str, int, int], None],
) -> str:
    """File › Copy the database to…: the database in use copied whole into the empty
    ``target``; what was copied, in one sentence."""
    from desktop.database_open import connect
    from models.database_copy import copy_database, summary

    destination = connect(target, password=password, choose=False)
    try:
        copied = copy_database(backend.db, destination, progress)
    finally:
        destination.dispose()
    if password is not None and not destination.is_sqlite:
        from desktop import credentials

        credentials.remember(destination.url, password)
    return summary(copied, backend.db, destination)


def remembered_address(target: str) -> str:
    """What is saved in the settings for ``target``: never a password."""
    from models.database import without_password

    return without_password(target)[0]


def _show_fatal(message: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, _("Accoglienza"), message)
    box.exec()


def report_unexpected(exc: BaseException) -> str:
    """desktop.crash's report, imported when there is one to make (not before the
    window's first paint)."""
    from desktop.crash import report_unexpected as report

    return report(exc)


def install_excepthook() -> None:
    """Unexpected errors in slots become a short translated message, never a traceback."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        details = None
        if isinstance(exc, DomainError):
            text = str(exc)
        else:
            text = (
                _(
                    "Something went wrong and the operation was not completed: nothing was "
                    "saved. Repeat it; if it fails again, send the details below to whoever "
                    "looks after Accoglienza in your office."
                )
                + "\n\n"
                + report_unexpected(exc)
            )
            from desktop.crash import details as crash_details

            details = crash_details(exc)
        try:
            from views import messages

            messages.get().error(text, details=details)
        except Exception:  # noqa: BLE001 - the last line of defence
            print(text, file=sys.stderr)

    sys.excepthook = hook


def _watch_start(app: QApplication, window: MainWindow) -> None:
    """For the cold-start benchmark (``ACCOGLIENZA_QUIT_WHEN_SHOWN=1``): prints
    ``shown <t>`` at the window's first paint and ``data <t>`` once the database is open
    and the first page's data are painted, then quits. ``t`` is ``time.monotonic()``, the
    clock the benchmark takes the process's start with."""
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer

    state = {"painted": False}

    class PaintWatch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and not state["painted"]:
                state["painted"] = True
                print(f"shown {time.monotonic():.6f}", flush=True)
            return False

    watch = PaintWatch(window)
    window.installEventFilter(watch)
    timer = QTimer(window)
    timer.setInterval(5)

    def check() -> None:
        if state["painted"] and window.backend is not None and window.runner.pending() == 0:
            timer.stop()
            window.repaint()
            print(f"data {time.monotonic():.6f}", flush=True)
            app.quit()

    timer.timeout.connect(check)
    timer.start()


def _ask_to_create(exc: DatabaseMissing) -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("Accoglienza"),
        _(
            "There is no database at {path}. Create a new, empty database there?\n\n"
            "If your records are elsewhere (another folder, a USB disk, the shared "
            "server), choose No and start Accoglienza again with that database."
        ).format(path=exc.path),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def _open_while_shown(
    window: MainWindow, target: str | None, password: str | None = None, create: bool = False
) -> Backend:
    """Open the database in a worker while the window is on screen; the backend, or the
    exception that stopped it. Runs a local event loop, not the application's: the caller
    decides whether the application runs at all."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    loop = QEventLoop()
    opened: dict[str, Backend] = {}
    failed: dict[str, BaseException] = {}

    def succeeded(backend: Backend) -> None:
        opened["backend"] = backend
        loop.quit()

    def stopped(exc: BaseException) -> None:
        failed["error"] = exc
        loop.quit()

    def start() -> None:
        if started.is_set:
            return
        started.is_set = True
        window.removeEventFilter(started)
        window.runner.run(
            lambda: (
                open_backend(target, password, create=True)
                if create
                else open_backend(target, password)
            ),
            on_success=succeeded,
            on_failure=stopped,
            key="open-database",
        )

    class FirstPaint(QObject):
        """Starts the worker once the window has been painted: its imports (SQLAlchemy,
        Alembic) would otherwise compete with the first paint for the interpreter."""

        is_set = False

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, start)  # after this paint, not inside it
            return False

    started = FirstPaint(window)
    window.installEventFilter(started)
    # A window that is never painted (minimised at start, say) opens its database anyway.
    QTimer.singleShot(FIRST_PAINT_WAIT_MS, start)
    loop.exec()
    # Emptied on the way out: the paint watcher stays a child of the window, and through
    # its closures it would keep this first database alive after another is opened.
    error, backend = failed.pop("error", None), opened.pop("backend", None)
    if error is not None:
        raise error
    assert backend is not None  # the loop ends once the worker has answered
    return backend


DAILY_BACKUP_DELAY_MS = 3000  # after the first pages are read, not competing with them


def _schedule_daily_backup(window: MainWindow, backend: Backend, saved: dict[str, object]) -> None:
    """Today's backup of a local database, through the task runner, a little after the
    start; a failure is written to the error log and the start goes on."""
    from PySide6.QtCore import QTimer

    from desktop import daily_backup

    days = daily_backup.keep_days(saved)
    # A weak reference: a database given up for another meanwhile is not kept alive.
    opened = weakref.ref(backend.db)

    def failed(exc: BaseException) -> None:
        report_unexpected(exc)

    def start() -> None:
        db = window.backend.db if window.backend is not None else None
        if db is None or db is not opened():
            return  # another database was opened meanwhile
        window.runner.run(
            lambda: daily_backup.take_daily(db, days),
            on_success=lambda _taken: None,
            on_failure=failed,
            key="daily-backup",
        )

    QTimer.singleShot(DAILY_BACKUP_DELAY_MS, start)


def _open_asking_password(
    window: MainWindow, target: str | None, *, create: bool = False
) -> Backend:
    """Open the database; a shared server that wants a password (the first start on this
    PC, a profile's server) or refused the one kept has it asked, until it is accepted
    or the user gives up (then the refusal is raised)."""
    from models.errors import LoginRefused

    password: str | None = None
    while True:
        try:
            return _open_while_shown(window, target, password, create)
        except LoginRefused as exc:
            from models.database import resolve_url, without_password

            address = without_password(resolve_url(target))[0]
            password = window.ask_password(str(exc), address)
            if password is None:
                raise


def run_desktop(args: argparse.Namespace) -> int:
    # No cyclic garbage collection while the application starts. Importing Qt, the views
    # and, behind the window, SQLAlchemy makes hundreds of thousands of long-lived objects,
    # and the collector kept walking all of them again. Once the database is open they are
    # collected once and frozen (``gc.freeze``): later collections leave them alone.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_desktop(args, settle_collector=collecting)
    finally:
        if collecting:
            gc.enable()


def _run_desktop(args: argparse.Namespace, *, settle_collector: bool) -> int:
    from PySide6.QtWidgets import QApplication

    from desktop import settings as user_settings
    from desktop.qt_i18n import install_translators

    # Qt's stubs type instance() as a QCoreApplication; here it is always a QApplication.
    app = cast("QApplication | None", QApplication.instance()) or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setWindowIcon(app_icon())
    install_translators(app, i18n.current_language())
    install_excepthook()
    from views import tasks

    tasks.set_unexpected_reporter(report_unexpected)
    from desktop.crash import details as crash_details
    from desktop.crash import enable_faulthandler

    tasks.set_details_maker(crash_details)
    enable_faulthandler()

    saved = user_settings.load()
    # The window first, whole but without data; the database is opened (and upgraded,
    # after a backup) behind it, and every page is read once it is ready.
    from desktop import site_profile
    from desktop.print_actions import make_print_handler
    from views.main_window import MainWindow

    window = MainWindow(
        None,
        settings=user_settings,
        open_backend=open_other,
        open_demo=open_demo,
        copy_database=copy_database_to,
        print_handler=make_print_handler(),
        site_name=site_profile.site_name(),
    )
    window.setWindowIcon(app.windowIcon())
    from desktop.print_actions import requests_pdf

    window.requests_pdf = requests_pdf
    if os.environ.get("ACCOGLIENZA_QUIT_WHEN_SHOWN") == "1":
        _watch_start(app, window)
    window.show()
    target = chosen_database(getattr(args, "database", None), saved)
    try:
        try:
            backend = _open_asking_password(window, target)
        except DatabaseMissing as missing:
            if not _ask_to_create(missing):
                window.hide()
                return 0
            backend = _open_asking_password(window, target, create=True)
    except DomainError as exc:
        window.hide()
        _show_fatal(str(exc))
        return 1
    except Exception as exc:  # noqa: BLE001 - never a traceback
        window.hide()
        _show_fatal(_("The database cannot be opened.") + "\n\n" + report_unexpected(exc))
        return 1
    if not window.isVisible():  # closed while the database was being opened
        backend.db.dispose()
        return 0
    window.set_backend(backend)
    if window.backend is None:  # nobody signed in: the program ends
        backend.db.dispose()
        return 0
    _schedule_daily_backup(window, backend, saved)
    del backend  # the window holds it from now on, and lets it go for another database
    if settle_collector:
        gc.collect()
        gc.freeze()
        gc.enable()
    code = app.exec()
    if window.backend is not None:  # set above; typed for a window still opening
        window.backend.db.dispose()
    return int(code)
