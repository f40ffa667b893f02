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
shown). A change whose extent is not known (another PC, Refresh) makes every page read
again.

The window knows nothing of files or databases: the desktop package hands it the
``Backend``, a settings store, and optional callables to open another database and to
print.

The backend may come later: ``MainWindow(None, ...)`` is the whole window, shown at once,
with "Opening the database..." in the status bar and the actions that need data
disabled; ``set_backend(backend)`` then loads every page. The desktop starts this way, so
the window is on screen while the database is opened and upgraded (desktop/app.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.i18n import _
from models.results import Changes

from .dashboard import DashboardPage
from .date_bar import DateBar
from .dialogs import workflow_class
from .help import install_help_key
from .main_actions import MainActions
from .navigation import NavigationTree, load_navigation
from .page import Page
from .selection import NETWORK, PROGRAMME, PROVINCE, STRUCTURE, PrintScope, Selection
from .settings_store import MemorySettings, SettingsStore, saved_state, state_text
from .status_bar import StatusBar
from .tasks import TaskRunner, report_failure
from .widgets import fit_on_screen

if TYPE_CHECKING:
    from models.backend import Backend

    from .people_page import PeoplePage
    from .structure_page import StructurePage

PAGE_DASHBOARD, PAGE_STRUCTURE, PAGE_PEOPLE = range(3)
PAGES = (PAGE_DASHBOARD, PAGE_STRUCTURE, PAGE_PEOPLE)
CHANGE_POLL_MS = 15_000


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
        open_backend: Callable[[str], Backend] | None = None,
        print_handler: Callable[[MainWindow, PrintScope], None] | None = None,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.backend = backend
        self.settings: SettingsStore = settings or MemorySettings()
        self.open_backend = open_backend
        self.print_handler = print_handler
        self.runner = TaskRunner(self)
        # Tests replace this to drive a dialog instead of blocking in exec().
        self.exec_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.day = today or dt.date.today()
        self.selection = Selection(NETWORK, _("All network"))
        # Pages to read again in full, and changes to hand to a page, when next shown.
        self._stale: set[int] = set()
        self._pending: dict[int, Changes] = {}
        self._marker: int | None = None
        saved = self.settings.load()

        self.setWindowTitle(_("Accoglienza"))
        self.setMinimumSize(800, 540)  # a 1366×768 laptop at 125 %: 1093×614, title bar included
        self.date_bar = DateBar(self.day, self)
        self._build_pages(saved)
        self.main_actions = MainActions(self, self)
        self.main_actions.build_menus()
        install_help_key()  # F1 inside modal dialogs too
        self.main_actions.show_page(self.pages.currentIndex())  # ticked from the start
        self.toolbar = self.main_actions.build_toolbar()
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.status.show_database(self.backend)
        self._restore(saved)

        self.date_bar.day_chosen.connect(self.set_day)
        self.navigation.selection_changed.connect(self.set_selection)
        self.navigation.selection_clicked.connect(self._selection_clicked)
        self.runner.busy_changed.connect(self.status.show_busy)
        self.data_changed.connect(self._changed_here)
        self._poll = QTimer(self)
        self._poll.setInterval(CHANGE_POLL_MS)
        self._poll.timeout.connect(self._check_changes)
        self._poll.start()
        self._update_context()
        self._enable_data_actions()
        if self.backend is not None:
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
        self._structure_splitter_state = saved.get("structure_splitter")
        self.pages.addWidget(self.dashboard)
        for _index in (PAGE_STRUCTURE, PAGE_PEOPLE):
            self.pages.addWidget(QWidget(self.pages))
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

    def _page(self, index: int) -> Page:
        """The page at ``index``, built if it was not yet."""
        if index == PAGE_STRUCTURE:
            return self.structure_page
        if index == PAGE_PEOPLE:
            return self.people_page
        return self.dashboard

    def _built_pages(self) -> dict[int, Page]:
        built: dict[int, Page] = {PAGE_DASHBOARD: self.dashboard}
        if self._structure_page is not None:
            built[PAGE_STRUCTURE] = self._structure_page
        if self._people_page is not None:
            built[PAGE_PEOPLE] = self._people_page
        return built

    def _enable_data_actions(self) -> None:
        ready = self.backend is not None
        self.main_actions.enable_data(ready)
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
            lambda: load_navigation(backend), on_success=self.navigation.set_data, key="navigation"
        )

    def set_selection(self, selection: Selection) -> None:
        """Show ``selection``: a structure on its page, anything else on the dashboard."""
        self.selection = selection
        self._update_context()
        for page in self._built_pages().values():
            page.set_selection(selection)
        shown = PAGE_STRUCTURE if selection.kind == STRUCTURE else PAGE_DASHBOARD
        self._stale.update({shown, PAGE_DASHBOARD})
        self._show_page(shown)

    def _selection_clicked(self, selection: Selection) -> None:
        """The chosen item clicked again (from the People page, say): show its page."""
        if selection != self.selection:
            return  # a new choice: set_selection has shown it
        shown = PAGE_STRUCTURE if selection.kind == STRUCTURE else PAGE_DASHBOARD
        if self.pages.currentIndex() != shown:
            self._show_page(shown)

    def _show_page(self, index: int) -> None:
        """Show the page at ``index``, read again if it is out of date."""
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
        self.pages.setCurrentIndex(PAGE_DASHBOARD)

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
        self.pages.setCurrentIndex(PAGE_PEOPLE)

    def search_people(self) -> None:
        self.show_people()
        self.people_page.focus_search()

    def _page_changed(self, index: int) -> None:
        self._page(index)  # built when first shown
        self.main_actions.show_page(index)
        self._update_context()
        self._bring_up_to_date(index)

    def _bring_up_to_date(self, index: int) -> None:
        """Read the page at ``index`` again if it is stale, or hand it the changes made
        while it was hidden."""
        if self.backend is None:  # still opening: set_backend reads every page
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
        self._marker = None  # already on screen: the next poll only takes the new marker
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
        self._marker = None  # already on screen: the next poll only takes the new marker
        self.refresh_current()

    def current_page(self) -> QWidget | None:
        return self.pages.currentWidget()

    def _check_changes(self) -> None:
        """Another PC (or another window) changed data: read the page again."""
        backend = self.backend
        if backend is None:
            return

        def seen(marker: int) -> None:
            if self._marker is not None and marker != self._marker:
                self.refresh_current()
            self._marker = marker

        self.runner.run(
            lambda: backend.directory.change_marker(),
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
    ) -> bool:
        """Open a workflow dialog; True when it changed something. What it says it changed
        (``dialog.changes``) is handed to the pages, each of which decides what to read
        again; without it (``data_changed``) every page reads again."""
        if self.backend is None:
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

        context = DialogContext(self.backend, self.runner, self.day, self.selection)
        try:
            dialog = cls(context, self, **ids)
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

    def open_preferences(self) -> None:
        from .dialogs.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self, store=self.settings)
        self.exec_dialog(dialog)

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
        target = dialog.target()
        opener = self.open_backend
        self.runner.run(
            lambda: opener(target),
            on_success=self.set_backend,
            progress_label=_("Opening the database..."),
        )

    def set_backend(self, backend: Backend) -> None:
        """Work on another database: every page reads it from now on, from the network."""
        old = self.backend
        self.backend = backend
        self.selection = Selection(NETWORK, _("All network"))
        for page in self._built_pages().values():
            page.set_backend(backend)
            page.set_selection(self.selection)
        self._marker = None
        self.status.show_database(backend)
        self.status.show_day(self.day)
        self._enable_data_actions()
        self._update_context()
        self.reload_navigation()
        self._stale = set(PAGES)
        self._pending.clear()
        self._show_page(PAGE_DASHBOARD)
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
                "placements and printed sheets.\n\nDatabase: {database}"
            ).format(
                version=ver, database=self.backend.description if self.backend is not None else "—"
            ),
        )
