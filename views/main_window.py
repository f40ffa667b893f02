"""The coordinator's main window: navigation on the left, the date at the top, the pages.

This module wires the parts together; each part lives in a module named after it:

- navigation by programme, province and structure (views.navigation);
- one date for every page, today by default, in the bar above the pages (views.date_bar);
- the pages (views.page): dashboard, structure page, people page; the last two are built
  when first shown, so the window opens without their modules;
- actions, menus, toolbar and shortcuts (views.main_actions); each workflow opens its
  dialog from ``views/dialogs/`` lazily, so a missing dialog never stops the window;
- status bar with the database in use, the date and a busy indicator (views.status_bar);
- what is remembered between sessions (views.settings_store).

Contract with the workflow dialogs: ``XDialog(context, parent, *, household_id=None,
placement_id=None, structure_id=None)`` with a ``DialogContext`` (backend, runner, date,
selection) made for each opening; ``exec()`` returns Accepted when something changed,
``dialog.changes`` says what, and the window hands it to the pages as below.

What changed: a page's own write reports its ``Changes`` (``changes_made``); the window
reloads the navigation when the network itself changed and hands the changes to the other
pages, each of which decides whether it is concerned (a page not shown, when it is next
shown). Another PC's change on the shared server comes the same way, told by the server
(``models.live``); a change whose extent is not known (found by polling a local file's
audit trail, a link to the server that was down, Refresh) makes every page read again.

The window knows nothing of files or databases: the desktop package hands it the
``Backend``, a settings store, and optional callables to open another database and to
print.

The backend may come later: ``MainWindow(None, ...)`` is the whole window, shown at once,
with "Opening the database…" in the status bar and the actions that need data
disabled; ``set_backend(backend)`` then loads every page. The desktop starts this way, so
the window is on screen while the database is opened and upgraded (desktop/app.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.errors import DomainError, LoginRefused
from models.formatting import format_number
from models.i18n import _
from models.results import Changes

from .dashboard import DashboardPage
from .date_bar import DateBar
from .dialogs import workflow_class
from .help import install_help_key
from .idle_lock import IdleLock, lock_minutes
from .main_actions import MainActions, workflow_allowed
from .navigation import NavigationData, NavigationTree, load_navigation
from .page import Page
from .selection import NETWORK, PROGRAMME, PROVINCE, STRUCTURE, PrintScope, Selection
from .settings_store import MemorySettings, SettingsStore, saved_state, state_text
from .status_bar import StatusBar
from .tasks import TaskRunner, report_failure
from .widgets import fit_on_screen

if TYPE_CHECKING:
    from models.backend import Backend
    from models.live import AuditWatch, ChangeListener, Heard

    from .people_page import PeoplePage
    from .planning_board import PlanningBoardPage
    from .structure_page import StructurePage

PAGE_DASHBOARD, PAGE_STRUCTURE, PAGE_PEOPLE, PAGE_BOARD = range(4)
PAGES = (PAGE_DASHBOARD, PAGE_STRUCTURE, PAGE_PEOPLE, PAGE_BOARD)
# Not a page of the selection: shown in place of the dashboard while the database has no
# programme (views.first_run).
PAGE_FIRST_RUN = 4
# How often the audit trail is read for other PCs' changes: on a local file always, on
# the shared server only while its notifications are away (models.live).
CHANGE_POLL_MS = 2_000
IMPORT_FOLDER_KEY = "import_folder"  # the folder of the last spreadsheet imported


# File › Copy the database to…: (backend, target, password, progress(table, done, total))
# -> what was copied, in one sentence. Given by the desktop package.
CopyDatabase = Callable[["Backend", str, "str | None", Callable[[str, int, int], None]], str]


class _Heard(QObject):
    """Carries the shared server's notifications from the listening thread to the window."""

    heard = Signal(object)  # models.live.Heard
    state = Signal(bool)  # listening again (True) or lost (False)


class _CopyProgress(QObject):
    """Carries a copy's progress from its worker to the window (a queued signal)."""

    moved = Signal(str, int, int)


def login_shown(address: str) -> str:
    """Who logs in where, as a password prompt names it: ``user @ host/database``."""
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    return f"{parts.username or ''} @ {parts.hostname or 'localhost'}{parts.path}"


class MainWindow(QMainWindow):
    date_changed = Signal(object)
    # Something was changed from this window and what is not known: every page reads again.
    data_changed = Signal()
    shown = Signal()

    def __init__(
        self,
        backend: Backend | None,
        *,
        settings: SettingsStore | None = None,
        open_backend: Callable[[str, str | None], Backend] | None = None,
        copy_database: CopyDatabase | None = None,
        print_handler: Callable[[MainWindow, PrintScope], None] | None = None,
        open_demo: Callable[[], Backend] | None = None,
        today: dt.date | None = None,
        site_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # The site profile's name; the one the user gives in the preferences comes first.
        self.profile_site_name = site_name
        self.setObjectName("mainWindow")
        self.backend = backend
        self.settings: SettingsStore = settings or MemorySettings()
        self.open_backend = open_backend
        self.copy_database_to = copy_database
        self.print_handler = print_handler
        # The first-run page's demo network: opened (made the first time) in its own file.
        self.open_demo = open_demo
        # No programme yet: the first-run page stands in for the dashboard.
        self.empty_network = False
        # The waiting list's PDF (desktop.printing), given by the desktop when it can print.
        self.requests_pdf: Callable[[list[Any], bool], bytes] | None = None
        self.runner = TaskRunner(self)
        # Tests replace this to drive a dialog instead of blocking in exec().
        self.exec_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.day = today or dt.date.today()
        self.selection = Selection(NETWORK, _("All network"))
        # Pages to read again in full, and changes to hand to a page, when next shown.
        self._stale: set[int] = set()
        self._pending: dict[int, Changes] = {}
        self._watch: AuditWatch | None = None
        self._listener: ChangeListener | None = None
        self._listened_once = False
        self._heard = _Heard(self)
        # The screen's lock after a while without use, while a user is signed in.
        self.idle_lock: IdleLock | None = None
        # Called by "Sign out" on the lock (the desktop quits the application).
        self.sign_out: Callable[[], None] = self._sign_out
        self._heard.heard.connect(self._other_pc_changed)
        self._heard.state.connect(self._listening)
        saved = self.settings.load()

        self.show_site_name()
        self.setMinimumSize(800, 540)  # a 1366×768 laptop at 125 %: 1093×614, title bar included
        self.date_bar = DateBar(self.day, self)
        self._build_pages(saved)
        self.main_actions = MainActions(self, self)
        self.main_actions.build_menus()
        # File › Import from a spreadsheet… (the first-run page offers it too).
        self.import_spreadsheet_action = self.main_actions.import_spreadsheet
        install_help_key()  # F1 inside modal dialogs too
        self.main_actions.show_page(self.pages.currentIndex())  # ticked from the start
        self.toolbar = self.main_actions.build_toolbar()
        self._connect_first_run()
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.status.show_database(self.backend)
        self._restore(saved)

        self.date_bar.day_chosen.connect(self.set_day)
        self.navigation.selection_changed.connect(self.set_selection)
        self.navigation.selection_clicked.connect(self._selection_clicked)
        self.navigation.network_action_requested.connect(self.open_network_dialog)
        self.runner.busy_changed.connect(self.status.show_busy)
        self.data_changed.connect(self._changed_here)
        self._poll = QTimer(self)
        self._poll.setInterval(CHANGE_POLL_MS)
        self._poll.timeout.connect(self._check_changes)
        self._update_context()
        self._enable_data_actions()
        if self.backend is not None:
            self._watch_changes(self.backend)
            self.reload_navigation()
        self.set_day(self.day, force=True)

    # -- building ---------------------------------------------------------------------

    def _build_pages(self, saved: dict[str, Any]) -> None:
        self.navigation = NavigationTree(self)
        self.navigation.setMinimumWidth(220)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("pages")
        self.dashboard = DashboardPage(
            self.backend, self.runner, self.pages, months=int(saved.get("chart_months", 12) or 12)
        )
        self.dashboard.structure_requested.connect(self.show_structure)
        self.dashboard.programme_requested.connect(self.show_programme)
        self.dashboard.province_requested.connect(self.show_province)
        self.dashboard.months_changed.connect(lambda n: self.settings.save({"chart_months": n}))
        # The structure and people pages are built when first shown (or asked for): the
        # window opens without their modules and widgets. Until then an empty stand-in
        # holds their place in the stack.
        self._structure_page: StructurePage | None = None
        self._people_page: PeoplePage | None = None
        self._board_page: PlanningBoardPage | None = None
        self._structure_splitter_state = saved.get("structure_splitter")
        self.pages.addWidget(self.dashboard)
        for _index in (PAGE_STRUCTURE, PAGE_PEOPLE, PAGE_BOARD):
            self.pages.addWidget(QWidget(self.pages))
        from .first_run import FirstRunPanel

        self.first_run = FirstRunPanel(self.pages)
        self.pages.addWidget(self.first_run)
        right = QWidget(self)
        col = QVBoxLayout(right)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.date_bar)
        col.addWidget(self.pages, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 1000])
        self.setCentralWidget(self.splitter)
        self.pages.currentChanged.connect(self._page_changed)

    def _put_page(self, index: int, page: QWidget) -> None:
        """Put a page just built in place of its stand-in, without changing the page shown."""
        stand_in = self.pages.widget(index)
        current = self.pages.currentIndex()
        self.pages.blockSignals(True)
        if stand_in is not None:
            self.pages.removeWidget(stand_in)
            stand_in.deleteLater()
        self.pages.insertWidget(index, page)
        self.pages.setCurrentIndex(current)
        self.pages.blockSignals(False)
        self._stale.add(index)  # it has read nothing yet

    @property
    def structure_page(self) -> StructurePage:
        if self._structure_page is None:
            from .structure_page import StructurePage

            assert self.backend is not None, "built once the database is open"
            page = StructurePage(self.backend, self.runner, self.pages)
            page.action_requested.connect(
                lambda key, pid, sid: self.open_dialog(key, placement_id=pid, structure_id=sid)
            )
            page.changes_made.connect(lambda changes: self.apply_changes(changes, origin=page))
            state = saved_state(self._structure_splitter_state)
            if state is not None:
                page.splitter.restoreState(state)
            page.set_day(self.day)
            page.set_selection(self.selection)
            self._structure_page = page
            self._put_page(PAGE_STRUCTURE, page)
        return self._structure_page

    @property
    def people_page(self) -> PeoplePage:
        if self._people_page is None:
            from .people_page import PeoplePage

            assert self.backend is not None, "built once the database is open"
            page = PeoplePage(self.backend, self.pages, runner=self.runner, day=self.day)
            page.changes_made.connect(lambda changes: self.apply_changes(changes, origin=page))
            page.set_selection(self.selection)
            self._people_page = page
            self._put_page(PAGE_PEOPLE, page)
        return self._people_page

    @property
    def board_page(self) -> PlanningBoardPage:
        if self._board_page is None:
            from .planning_board import PlanningBoardPage

            assert self.backend is not None, "built once the database is open"
            page = PlanningBoardPage(self.backend, self.runner, self.pages)
            page.action_requested.connect(
                lambda key, pid, options: self.open_dialog(key, placement_id=pid, **options)
            )
            page.changes_made.connect(lambda changes: self.apply_changes(changes, origin=page))
            page.set_day(self.day)
            page.set_selection(self.selection)
            self._board_page = page
            self._put_page(PAGE_BOARD, page)
        return self._board_page

    def _page(self, index: int) -> Page:
        """The page at ``index``, built if it was not yet."""
        if index == PAGE_STRUCTURE:
            return self.structure_page
        if index == PAGE_PEOPLE:
            return self.people_page
        if index == PAGE_BOARD:
            return self.board_page
        return self.dashboard

    def _built_pages(self) -> dict[int, Page]:
        built: dict[int, Page] = {PAGE_DASHBOARD: self.dashboard}
        if self._structure_page is not None:
            built[PAGE_STRUCTURE] = self._structure_page
        if self._people_page is not None:
            built[PAGE_PEOPLE] = self._people_page
        if self._board_page is not None:
            built[PAGE_BOARD] = self._board_page
        return built

    def _enable_data_actions(self) -> None:
        ready = self.backend is not None
        self.main_actions.enable_data(
            ready, self.backend.principal if self.backend is not None else None
        )
        self.main_actions.enable_rights(
            may_anonymise=self.backend is not None and self.backend.principal.may_anonymise
        )
        self.navigation.setEnabled(ready)

    # -- settings -----------------------------------------------------------------------

    def _restore(self, saved: dict[str, Any]) -> None:
        geometry = saved_state(saved.get("window_geometry"))
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            fit_on_screen(self, 1280, 800)
        state = saved_state(saved.get("window_state"))
        if state is not None:
            self.restoreState(state)
        splitter = saved_state(saved.get("main_splitter"))
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_settings(self) -> None:
        values = {
            "window_geometry": state_text(self.saveGeometry()),
            "window_state": state_text(self.saveState()),
            "main_splitter": state_text(self.splitter.saveState()),
            "chart_months": self.dashboard.months(),
            "last_date": self.day.isoformat(),
        }
        if self._structure_page is not None:  # a page never opened keeps what was saved
            values["structure_splitter"] = state_text(self._structure_page.splitter.saveState())
        self.settings.save(values)

    def closeEvent(self, event: QCloseEvent) -> None:
        with contextlib.suppress(OSError):  # settings are a convenience: never block closing
            self.save_settings()
        self._poll.stop()
        self._stop_listening()
        if self.idle_lock is not None:
            self.idle_lock.stop()
        self.runner.wait_all(5_000)
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.shown.emit()

    # -- the date -------------------------------------------------------------------------

    def set_day(self, day: dt.date, *, force: bool = False) -> None:
        if day == self.day and not force:
            return
        self.day = day
        self.date_bar.show_day(day)
        if self.backend is not None:  # while opening, the window shows before any formatting
            self.status.show_day(day)
        for page in self._built_pages().values():
            page.set_day(day)
        self._stale = set(PAGES)
        self._pending.clear()
        self.date_changed.emit(day)
        self._bring_up_to_date(self.pages.currentIndex())

    def go_to_today(self) -> None:
        self.set_day(dt.date.today())

    def step_day(self, days: int) -> None:
        self.set_day(self.day + dt.timedelta(days=days))

    # -- selection and pages ------------------------------------------------------------

    def reload_navigation(self) -> None:
        backend = self.backend
        if backend is None:
            return
        self.runner.run(
            lambda: load_navigation(backend), on_success=self._navigation_loaded, key="navigation"
        )

    def _navigation_loaded(self, data: NavigationData) -> None:
        """The tree, and the first-run page while there is no programme (then the
        dashboard, once the first one is created)."""
        self.navigation.set_data(data)
        was_empty, self.empty_network = self.empty_network, not data.programmes
        if self.empty_network:
            if self.pages.currentIndex() == PAGE_DASHBOARD:
                self.pages.setCurrentIndex(PAGE_FIRST_RUN)
        elif was_empty and self.pages.currentIndex() == PAGE_FIRST_RUN:
            self._stale.add(PAGE_DASHBOARD)
            self.pages.setCurrentIndex(PAGE_DASHBOARD)

    def set_selection(self, selection: Selection) -> None:
        """Show ``selection``: a structure on its page, anything else on the dashboard."""
        self.selection = selection
        self._update_context()
        for page in self._built_pages().values():
            page.set_selection(selection)
        shown = PAGE_STRUCTURE if selection.kind == STRUCTURE else PAGE_DASHBOARD
        if self.pages.currentIndex() == PAGE_BOARD:
            shown = PAGE_BOARD  # the board follows the navigation
        self._stale.update({shown, PAGE_DASHBOARD, PAGE_BOARD})
        self._show_page(shown)

    def _selection_clicked(self, selection: Selection) -> None:
        """The chosen item clicked again (from the People page, say): show its page."""
        if selection != self.selection or self.pages.currentIndex() == PAGE_BOARD:
            return  # a new choice: set_selection has shown it; the board follows it
        shown = PAGE_STRUCTURE if selection.kind == STRUCTURE else PAGE_DASHBOARD
        if self.pages.currentIndex() != shown:
            self._show_page(shown)

    def _show_page(self, index: int) -> None:
        """Show the page at ``index``, read again if it is out of date."""
        if index == PAGE_DASHBOARD and self.empty_network:
            index = PAGE_FIRST_RUN
        if self.pages.currentIndex() == index:
            self._bring_up_to_date(index)
        else:
            self.pages.setCurrentIndex(index)  # _page_changed brings it up to date

    def _update_context(self) -> None:
        """Where we are, as a path: All network › programme › province › structure."""
        if self.pages.currentIndex() == PAGE_PEOPLE:
            self.date_bar.show_context(_("People and households"))
            return
        self.date_bar.show_context(self.navigation.path(self.selection))

    def show_structure(self, structure_id: int) -> None:
        if self.selection.chosen_structure() == structure_id:  # the navigation would not say
            self._show_page(PAGE_STRUCTURE)
        elif not self.navigation.select_structure(structure_id):
            st = self.navigation.structure(structure_id)
            self.set_selection(
                Selection(STRUCTURE, st.name if st else "", structure_id=structure_id)
            )

    def show_dashboard(self) -> None:
        """The dashboard of the current selection (a structure's own figures when a
        structure is selected; see ``show_network`` for the whole network)."""
        self._show_page(PAGE_DASHBOARD)

    def show_structure_page(self) -> None:
        self.pages.setCurrentIndex(PAGE_STRUCTURE)

    def show_programme(self, code: str) -> None:
        """Select a programme in the navigation (its dashboard follows)."""
        name = self.navigation.programme_name(code) or code
        self.navigation.select(Selection(PROGRAMME, name, programme_code=code))

    def show_province(self, province: str) -> None:
        """Select a province: the selected programme's own in the navigation, or, from the
        whole network, the province across every programme (its dashboard follows)."""
        code = self.selection.programme_code
        if code is not None:
            name = self.navigation.programme_name(code) or code
            selection = Selection(
                PROVINCE, f"{name} · {province}", programme_code=code, province=province
            )
            if self.navigation.select(selection):
                return
        self.set_selection(Selection(PROVINCE, province, province=province))

    def show_network(self) -> None:
        """Select "All network" in the navigation and show its dashboard."""
        self.navigation.select(Selection(NETWORK, _("All network")), emit=False)
        self.set_selection(Selection(NETWORK, _("All network")))

    def show_people(self) -> None:
        """The People page, ready for a name to be typed."""
        self.pages.setCurrentIndex(PAGE_PEOPLE)
        self.people_page.focus_search()

    def show_board(self) -> None:
        self.pages.setCurrentIndex(PAGE_BOARD)

    def _page_changed(self, index: int) -> None:
        if index == PAGE_FIRST_RUN:
            self.main_actions.show_page(-1)
            self.date_bar.show_context(_("A new database"))
            return
        self._page(index)  # built when first shown
        self.main_actions.show_page(index)
        self._update_context()
        self._bring_up_to_date(index)

    def _bring_up_to_date(self, index: int) -> None:
        """Read the page at ``index`` again if it is stale, or hand it the changes made
        while it was hidden."""
        if self.backend is None or index == PAGE_FIRST_RUN:  # nothing to read there
            return
        if index in self._stale:
            self._stale.discard(index)
            self._pending.pop(index, None)
            self._page(index).refresh()
        elif index in self._pending:
            self._page(index).apply_changes(self._pending.pop(index))

    def refresh_current(self) -> None:
        """After a change whose extent is not known: every page is stale, the one shown is
        read again now."""
        self._stale = set(PAGES)
        self._pending.clear()
        self._bring_up_to_date(self.pages.currentIndex())

    def refresh_all(self) -> None:
        self.reload_navigation()
        self.refresh_current()

    def apply_changes(self, changes: Changes, *, origin: Page | None = None) -> None:
        """A write made in this window changed ``changes``: the navigation and each page
        (``origin`` excepted: it wrote them) read again what is concerned; a page that is
        not shown, when it is shown."""
        if changes.message:
            self.status.show_saved(changes.message)
        if changes.network:
            self.reload_navigation()
        current = self.pages.currentIndex()
        for index, page in self._built_pages().items():
            if page is origin:
                continue
            if index == current:
                page.apply_changes(changes)
            else:
                self._pending[index] = self._pending.get(index, Changes()) | changes

    def _changed_here(self) -> None:
        self.refresh_current()

    def current_page(self) -> QWidget | None:
        return self.pages.currentWidget()

    # -- other PCs' changes ------------------------------------------------------------

    def _watch_changes(self, backend: Backend) -> None:
        """Find other PCs' changes from now on: the shared server tells them (a listening
        thread); a local file, and the shared server while it cannot tell, is polled."""
        self._stop_listening()
        self._watch = None
        self._listened_once = False
        self.status.show_link(True)
        start = backend.changes_seen_at_open
        if start is not None:
            self._watch = backend.audit_watch(start)
        else:  # a window handed a backend directly (tests, tools): from now on
            self.runner.run(
                lambda: backend.directory.change_marker(),
                on_success=lambda marker: self._start_watch(backend, marker),
                on_failure=lambda _exc: None,
                key="change-marker",
            )
        if backend.is_shared:
            self._listener = backend.listen_for_changes(
                self._heard.heard.emit, self._heard.state.emit
            )
        self._poll.start()  # until the listener says it is listening

    def _start_watch(self, backend: Backend, marker: int) -> None:
        if backend is self.backend and self._watch is None:
            self._watch = backend.audit_watch(marker)

    def _stop_listening(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def _listening(self, listening: bool) -> None:
        """The shared server's notifications started, stopped or came back."""
        if not listening:
            self._poll.start()
            if self._listened_once:
                self.status.show_link(False)
            return
        self._poll.stop()
        self.status.show_link(True)
        if self._listened_once:  # what was missed meanwhile is not known
            self.refresh_all()
        else:  # a change between the opening and the listening is still found
            self._check_changes()
        self._listened_once = True

    def _other_pc_changed(self, heard: Heard) -> None:
        """Another PC committed a change: the pages it concerns read again."""
        if heard.everything:
            self.refresh_all()
        else:
            self.apply_changes(heard.changes)

    def _check_changes(self) -> None:
        """Poll the audit trail: an entry not written here and not seen before is another
        PC's change, and the page shown is read again."""
        backend, watch = self.backend, self._watch
        if backend is None or watch is None:
            return

        def seen(ids: list[int]) -> None:
            if watch is self._watch and watch.news(ids):
                self.refresh_all()

        self.runner.run(
            lambda: backend.directory.audit_ids_after(watch.after()),
            on_success=seen,
            on_failure=lambda _exc: None,
            key="change-marker",
        )

    # -- workflows ----------------------------------------------------------------------

    def _selected_ids(self) -> dict[str, int | None]:
        """What a workflow opened now starts from: the structure selected, and the
        household and placement chosen on the page shown."""
        page = self._page(self.pages.currentIndex())
        return {
            "placement_id": page.selected_placement_id(),
            "household_id": page.selected_household_id(),
            "structure_id": self.selection.chosen_structure(),
        }

    def dialog_class(self, key: str) -> type:
        # Imported when first used: the window opens without loading every dialog.
        return workflow_class(key)

    def open_dialog(
        self,
        key: str,
        *,
        placement_id: int | None = None,
        household_id: int | None = None,
        structure_id: int | None = None,
        day: dt.date | None = None,
        **options: object,
    ) -> bool:
        """Open a workflow dialog; True when it changed something. What it says it changed
        (``dialog.changes``) is handed to the pages, each of which decides what to read
        again; without it (``data_changed``) every page reads again. ``day`` replaces the
        window's date as the dialog's date; ``options`` prefill the dialog (the planning
        board's drags)."""
        if self.backend is None:
            return False
        if not workflow_allowed(self.backend.principal, key):
            # The pages' buttons and the board's drags too, not only the menus.
            from models.access import NOT_ALLOWED

            from . import messages

            messages.get().info(_(NOT_ALLOWED), parent=self)
            return False
        cls = self.dialog_class(key)
        ids = self._selected_ids()
        ids.update(
            {
                k: v
                for k, v in (
                    ("placement_id", placement_id),
                    ("household_id", household_id),
                    ("structure_id", structure_id),
                )
                if v is not None
            }
        )
        from .dialogs.context import DialogContext  # not needed before the first paint

        context = DialogContext(self.backend, self.runner, day or self.day, self.selection)
        try:
            dialog = cls(context, self, **ids, **options)
        except Exception as exc:  # noqa: BLE001 - a dialog that cannot open explains itself
            report_failure(exc, self)
            return False
        self.last_dialog = dialog
        accepted = self.exec_dialog(dialog) == QDialog.DialogCode.Accepted
        if accepted:
            changes = getattr(dialog, "changes", None)
            if isinstance(changes, Changes) and changes != Changes():
                self.apply_changes(changes)
            else:  # a dialog that cannot say what it changed: every page reads again
                self.data_changed.emit()
        return accepted

    # -- the network (Rete) -------------------------------------------------------------

    def edit_selected(self) -> None:
        """Network › Edit the selection…: the structure selected, otherwise the programme."""
        self.open_network_dialog(
            "edit_structure" if self.selection.chosen_structure() is not None else "edit_programme"
        )

    def open_network_dialog(self, key: str) -> bool:
        """A network workflow on the selection (Network menu, the navigation's menu, the
        structure page's buttons); after a new programme, its first structure is offered
        while the network has no structure yet."""
        accepted = self.open_dialog(key)
        if accepted and key == "new_programme" and not self.navigation.structures():
            programme = getattr(self.last_dialog, "result_value", None)
            if programme is not None:
                self.selection = Selection(PROGRAMME, programme.name, programme_code=programme.code)
                self.open_dialog("new_structure")
        return accepted

    def _connect_first_run(self) -> None:
        self.first_run.create_requested.connect(lambda: self.open_network_dialog("new_programme"))
        self.first_run.demo_requested.connect(self.open_demo_network)
        # File › Import from a spreadsheet…: the window's action whose name says import.
        import_action = next(
            (
                act
                for act in vars(self.main_actions).values()
                if isinstance(act, QAction) and "import" in act.objectName().lower()
            ),
            None,
        )
        if import_action is not None:
            self.first_run.import_requested.connect(import_action.trigger)
        self.first_run.import_button.setEnabled(import_action is not None)
        self.first_run.demo_button.setEnabled(self.open_demo is not None)

    def open_demo_network(self) -> None:
        """Open the demo network, in its own file (made the first time): the database in
        use is left as it is, and File › Open database… comes back to it."""
        make = self.open_demo
        if make is None:
            return
        self.first_run.setEnabled(False)
        self.status.showMessage(_("Opening the demo network…"))

        def opened(backend: Backend) -> None:
            self.first_run.setEnabled(True)
            self.status.clearMessage()
            self.set_backend(backend)

        def failed(exc: BaseException) -> None:
            self.first_run.setEnabled(True)
            self.status.clearMessage()
            report_failure(exc, self)

        self.runner.run(make, on_success=opened, on_failure=failed)

    def find_free_beds(self) -> None:
        """Actions › Find free beds…: the finder; a placement made from it is shown."""
        from .dialogs.free_beds_dialog import FreeBedsDialog

        self._open_tool(FreeBedsDialog)

    def show_waiting_list(self) -> None:
        """View › Waiting list…: the requests of placement and what the finder says."""
        from .dialogs.waiting_list_dialog import WaitingListDialog

        self._open_tool(WaitingListDialog, requests_pdf=self.requests_pdf)

    def _open_tool(self, cls: type, **kw: Any) -> None:
        if self.backend is None:
            return
        from .dialogs.context import DialogContext

        context = DialogContext(self.backend, self.runner, self.day, self.selection)
        try:
            dialog = cls(context, self, **kw)
        except Exception as exc:  # noqa: BLE001 - a dialog that cannot open explains itself
            report_failure(exc, self)
            return
        self.last_dialog = dialog
        self.exec_dialog(dialog)
        changes = getattr(dialog, "changes", Changes())
        if changes != Changes():
            self.apply_changes(changes)
        elif getattr(dialog, "changed", False):  # requests only: the dashboard reads again
            self.data_changed.emit()

    def open_preferences(self) -> None:
        from .dialogs.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self, store=self.settings)
        self.exec_dialog(dialog)
        self.show_site_name()

    def site_name(self) -> str | None:
        """The site's name: the user's own (preferences), else the site profile's."""
        own = self.settings.load().get("site_name")
        if isinstance(own, str) and own.strip():
            return own.strip()
        return self.profile_site_name

    def show_site_name(self) -> None:
        # Ends with the application's name, which Qt would otherwise add on Linux.
        site = self.site_name()
        self.setWindowTitle(
            _("{site} — Accoglienza").format(site=site) if site else _("Accoglienza")
        )

    def print_current(self) -> None:
        if self.print_handler is None:
            from . import messages

            messages.get().info(_("Printing is not available in this version yet."), parent=self)
            return
        try:
            self.print_handler(self, self.navigation.print_scope(self.selection, self.day))
        except Exception as exc:  # noqa: BLE001 - no traceback reaches a user
            report_failure(exc, self)

    # -- database -------------------------------------------------------------------------

    def choose_database(self) -> None:
        if self.open_backend is None:
            from . import messages

            messages.get().info(
                _("This function is not available in this version yet."), parent=self
            )
            return
        from .dialogs.open_database_dialog import OpenDatabaseDialog

        dialog = OpenDatabaseDialog(
            self.backend.description if self.backend is not None else "", self
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._open(dialog.target(), None)

    def connect_server(self, address: str = "", error: str = "") -> None:
        """File › Connect to the shared server…: the server field by field; a refusal
        opens the dialog again with the reason, the fields kept."""
        if self.open_backend is None:
            return
        from .dialogs.connect_server_dialog import ConnectServerDialog

        if not address and self.backend is not None and self.backend.is_shared:
            address = self.backend.address
        dialog = ConnectServerDialog(address, error, self)
        self.last_dialog = dialog
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        target = dialog.address()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, DomainError):
                self.connect_server(target, str(exc))
            else:
                report_failure(exc, self)

        self._open(target, dialog.typed_password(), on_failure=failed)

    def _open(
        self,
        target: str,
        password: str | None,
        *,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Open ``target`` behind the window; a server that wants a password (or refused
        the one it was given) has it asked, and is tried again."""
        opener = self.open_backend
        assert opener is not None

        def failed(exc: BaseException) -> None:
            from models.errors import DatabaseMissing

            from . import messages

            if isinstance(exc, LoginRefused):
                again = self.ask_password(str(exc), target)
                if again is not None:
                    self._open(target, again, on_failure=on_failure)
                return
            if isinstance(exc, DatabaseMissing):
                # A local file that is not there is created only when the user says so.
                if messages.get().confirm(
                    _("There is no database at {path}. Create a new, empty database there?").format(
                        path=exc.path
                    ),
                    parent=self,
                ):
                    self.runner.run(
                        lambda: opener(target, password, create=True),  # type: ignore[call-arg]
                        on_success=self.set_backend,
                        on_failure=lambda error: report_failure(error, self),
                        progress_label=_("Opening the database…"),
                    )
                return
            if on_failure is not None:
                on_failure(exc)
            else:
                report_failure(exc, self)

        self.runner.run(
            lambda: opener(target, password),
            on_success=self.set_backend,
            on_failure=failed,
            progress_label=_("Opening the database…"),
        )

    def _passphrase(self, *, twice: bool, required: bool) -> str | None:
        """A passphrase asked twice (to encrypt) or once (to decrypt); "" for none when
        it is not required, None when the user gives up."""
        from . import messages

        ask = messages.get()
        question = (
            _("Passphrase to encrypt the backup (required by this site):")
            if required and twice
            else _("Passphrase to encrypt the backup (leave empty for none):")
            if twice
            else _("This backup is encrypted. Its passphrase:")
        )
        first = ask.ask_secret(question, parent=self)
        while first is not None and required and not first:
            first = ask.ask_secret(question, parent=self)
        if first is None or not first or not twice:
            return first
        again = ask.ask_secret(_("The same passphrase again:"), parent=self)
        if again is None:
            return None
        if again != first:
            ask.warning(_("The two passphrases differ: nothing was saved. Try again."), parent=self)
            return None
        return first

    def back_up_database(self) -> None:
        """File > Back up the database…: a copy of the whole database in a file."""
        if self.backend is None:
            return
        from PySide6.QtWidgets import QFileDialog

        backups = self.backend.backups
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Back up the database"), backups.suggested_name()
        )
        if not target:
            return
        passphrase = self._passphrase(twice=True, required=backups.require_encryption)
        if passphrase is None:
            return

        def done(path: object) -> None:
            from . import messages

            messages.get().info(_("Backup written to {path}").format(path=path), parent=self)

        self.runner.run(
            lambda: backups.take(target, passphrase or None),
            on_success=done,
            on_failure=lambda exc: report_failure(exc, self),
            progress_label=_("Backing up the database…"),
        )

    def anonymise_old_records(self) -> None:
        """File › Anonymise old records… (administrators): the years chosen are kept for
        the next time."""
        if self.backend is None or not self.backend.principal.may_anonymise:
            return
        saved = self.settings.load().get("retention_years")
        self.open_dialog("anonymise", years=saved if isinstance(saved, int) else None)
        chosen = getattr(self.last_dialog, "chosen_years", None)
        if callable(chosen):
            self.settings.save({"retention_years": chosen()})

    def restore_backup(self) -> None:
        """File > Restore a backup…: the database replaced by a backup, then opened
        again; the replaced one is kept as a copy beside it."""
        if self.backend is None or self.open_backend is None:
            return
        from PySide6.QtWidgets import QFileDialog

        from . import messages

        source, _filter = QFileDialog.getOpenFileName(self, _("Restore a backup"))
        if not source:
            return
        backend, opener = self.backend, self.open_backend
        passphrase = None
        if backend.backups.is_encrypted(source):
            passphrase = self._passphrase(twice=False, required=True)
            if passphrase is None:
                return
        if not messages.get().confirm(
            _(
                "Replace the database in use ({database}) with the backup {backup}? "
                "Everything recorded after the backup was made will no longer be shown; "
                "the database replaced is kept as a copy."
            ).format(database=backend.description, backup=source),
            parent=self,
        ):
            return
        target = backend.db.url

        def work() -> tuple[Backend, str]:
            done = backend.backups.restore_here(source, passphrase)
            kept = str(done.replaced_copy) if done.replaced_copy is not None else ""
            return opener(target, None), kept

        def restored(result: tuple[Backend, str]) -> None:
            new, kept = result
            self.set_backend(new)
            text = _("The backup was restored.")
            if kept:
                text += " " + _("The database it replaced is kept in {path}").format(path=kept)
            messages.get().info(text, parent=self)

        def refused(exc: BaseException) -> None:
            if self.backend is backend:
                self._watch_changes(backend)  # the database stays: listen to it again
            report_failure(exc, self)

        # The window's own listening connection would count as the database being in use.
        self._stop_listening()
        self.runner.run(
            work,
            on_success=restored,
            on_failure=refused,
            progress_label=_("Restoring the backup…"),
        )

    def save_template(self) -> None:
        """File › Save the spreadsheet template…: the empty template, to fill in and import."""
        from pathlib import Path

        from models.spreadsheet import write_template

        from .dialogs.save_dialog import ask_save_path, save_folder

        proposed = Path(save_folder(self.settings, IMPORT_FOLDER_KEY)) / _("network.xlsx")
        path, _filter = ask_save_path(
            self,
            _("Save the spreadsheet template"),
            str(proposed),
            [_("Excel workbook (*.xlsx)")],
            "xlsx",
            "saveTemplateDialog",
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")

        def work() -> Path:
            try:
                return write_template(target)
            except OSError as exc:
                raise DomainError(
                    _("Cannot write {path}: {reason}").format(
                        path=target, reason=exc.strerror or exc
                    )
                ) from exc

        def saved(written: Path) -> None:
            self.settings.save({IMPORT_FOLDER_KEY: str(written.parent)})
            self.status.show_saved(
                _("Template saved in {path}: fill it in, then import it.").format(path=written)
            )

        self.runner.run(work, on_success=saved, on_failure=lambda exc: report_failure(exc, self))

    def import_spreadsheet(self) -> None:
        """File › Import from a spreadsheet…: a whole network, from the template filled in
        (one .xlsx, or .csv files, one a sheet), into the empty database in use. Every
        problem found is listed and nothing is imported; otherwise all of it is, at once."""
        backend = self.backend
        if backend is None:
            return
        from . import messages
        from .dialogs.save_dialog import ask_open_paths

        paths = ask_open_paths(
            self,
            _("Import from a spreadsheet"),
            [
                _("Spreadsheets (*.xlsx *.csv)"),
                _("Excel workbook (*.xlsx)"),
                _("CSV files (*.csv)"),
            ],
            self.settings,
            IMPORT_FOLDER_KEY,
        )
        if not paths:
            return

        def imported(summary: object) -> None:
            self.refresh_all()
            messages.get().info(str(summary), title=_("Import from a spreadsheet"), parent=self)

        def refused(exc: BaseException) -> None:
            from models.spreadsheet import ImportProblems

            if isinstance(exc, ImportProblems):
                from .dialogs.import_problems_dialog import ImportProblemsDialog

                dialog = ImportProblemsDialog(str(exc), exc.problems, self)
                self.last_dialog = dialog
                self.exec_dialog(dialog)
            else:
                report_failure(exc, self)

        self.runner.run(
            lambda: backend.spreadsheets.import_files(paths),
            on_success=imported,
            on_failure=refused,
            progress_label=_("Checking and importing the spreadsheet…"),
        )

    def copy_database(self) -> None:
        """File › Copy the database to…: the database in use copied into an empty one,
        behind the window, with its progress table by table."""
        backend, copier = self.backend, self.copy_database_to
        if backend is None or copier is None:
            return
        from .dialogs.copy_database_dialog import CopyDatabaseDialog

        dialog = CopyDatabaseDialog(backend.description, self)
        self.last_dialog = dialog
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        target, password = dialog.target(), dialog.typed_password()
        relay = _CopyProgress(self)

        def moved(table: str, done: int, total: int) -> None:
            self.runner.show_progress(
                _("Copying the database: {table}, {done} of {total} rows…").format(
                    table=table, done=format_number(done), total=format_number(total)
                )
            )

        relay.moved.connect(moved)

        def copied(message: str) -> None:
            relay.deleteLater()
            from . import messages

            messages.get().info(message, parent=self)

        def failed(exc: BaseException) -> None:
            relay.deleteLater()
            report_failure(exc, self)

        self.runner.run(
            lambda: copier(backend, target, password, relay.moved.emit),
            on_success=copied,
            on_failure=failed,
            progress_label=_("Copying the database…"),
        )

    def ask_password(self, message: str, target: str) -> str | None:
        """The shared server's password, typed by the user; None if they gave up."""
        from .dialogs.password_dialog import PasswordDialog

        dialog = PasswordDialog(message, login_shown(target), self)
        self.last_dialog = dialog
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return None
        return dialog.typed_password()

    def _signed_in(self, backend: Backend) -> bool:
        """A local file with users asks who is working before anything is shown (the
        shared server's login was given when connecting). False: nobody signed in."""
        if not backend.needs_sign_in:
            return True
        from .dialogs.sign_in_dialog import SignInDialog

        dialog = SignInDialog(backend.users.authenticate, self.runner, self)
        self.last_dialog = dialog
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return False
        backend.sign_in(dialog.signed_in)
        return True

    def _start_idle_lock(self, backend: Backend) -> None:
        if self.idle_lock is not None:
            self.idle_lock.stop()
            self.idle_lock = None
        login = backend.principal.login
        if not login:  # nobody signed in (a database without users): no lock
            return
        minutes = lock_minutes(self.settings.load())

        def lock_dialog() -> QDialog:
            from .dialogs.sign_in_dialog import SignInDialog

            dialog = SignInDialog(
                backend.users.verify, self.runner, self, locked_login=login, minutes=minutes
            )
            self.last_dialog = dialog
            return dialog

        self.idle_lock = IdleLock(self, minutes, lock_dialog, lambda: self.sign_out())

    def _sign_out(self) -> None:
        self.close()
        QApplication.quit()

    def manage_users(self) -> None:
        """File › Users…: the administrator's screen of users."""
        if self.backend is None or not self.backend.principal.may_manage_users:
            return
        from .dialogs.users_dialog import UsersDialog

        dialog = UsersDialog(self.backend, self.runner, self)
        self.last_dialog = dialog
        self.exec_dialog(dialog)

    def set_backend(self, backend: Backend) -> None:
        """Work on another database: every page reads it from now on, from the network.
        A local file with users is worked on once someone has signed in; without, the
        database is let go (at the start, the window closes)."""
        if not self._signed_in(backend):
            backend.db.dispose()
            if self.backend is None:
                self.hide()
            return
        old = self.backend
        self.backend = backend
        self.selection = Selection(NETWORK, _("All network"))
        self.empty_network = False  # until its navigation says otherwise
        for page in self._built_pages().values():
            page.set_backend(backend)
            page.set_selection(self.selection)
        self._watch_changes(backend)
        self.status.show_database(backend)
        self.status.show_day(self.day)
        self._enable_data_actions()
        self._update_context()
        self.reload_navigation()
        self._stale = set(PAGES)
        self._pending.clear()
        self._show_page(PAGE_DASHBOARD)
        self._start_idle_lock(backend)
        if old is not None and old is not backend:
            old.db.dispose()

    def show_help(self) -> None:
        """The manual at the section of what is in use (F1, Help › Manual)."""
        from .help import help_anchor, open_help  # not needed before the first paint

        focus = QApplication.focusWidget()
        in_here = focus is not None and focus.window() is self
        open_help(help_anchor(focus if in_here else self), parent=self)

    def current_help_anchor(self) -> str:
        """The manual's section of the page shown (F1 with the focus on no page)."""
        return {PAGE_DASHBOARD: "dashboard", PAGE_STRUCTURE: "structure", PAGE_PEOPLE: "people"}[
            self.pages.currentIndex()
        ]

    def about_qt(self) -> None:
        QApplication.aboutQt()

    def about(self) -> None:
        try:
            from importlib.metadata import version

            ver = version("accoglienza")
        except Exception:  # noqa: BLE001 - not installed as a package
            ver = "—"
        from PySide6.QtWidgets import QMessageBox  # not needed before the first paint

        QMessageBox.about(
            self,
            _("About Accoglienza"),
            _(
                "Accoglienza {version}\n\nOccupancy of reception structures: apartments, beds, households, "
                "placements and printed sheets.\n\nSite: {site}\nDatabase: {database}"
            ).format(
                version=ver,
                site=self.site_name() or "—",
                database=self.backend.description if self.backend is not None else "—",
            ),
        )
