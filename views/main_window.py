"""The coordinator's main window: navigation on the left, the date at the top, the pages.

- navigation by programme, province and structure (views.navigation), loaded by the task
  runner;
- one date for every page (``date_changed``), today by default, with a "Today" button;
- pages: dashboard, structure page, people (views.people_page, from the workflow side);
- menu, toolbar and shortcuts for the workflows; each opens its dialog from
  ``views/dialogs/`` lazily, so a missing dialog never stops the window from opening;
- status bar with the database in use, the date and a busy indicator.

Contract with the workflow dialogs: ``XDialog(backend, parent, *, day, household_id=None,
placement_id=None, structure_id=None)``; ``exec()`` returns Accepted when something
changed, and then the window emits ``data_changed`` and refreshes what is shown.

The window knows nothing of files or databases: the desktop package hands it the
``Backend``, a settings store (``load() -> dict``, ``save(dict)``), and optional callables
to open another database and to print.

The backend may come later: ``MainWindow(None, ...)`` is the whole window, shown at once,
with "Opening the database..." in the status bar and the actions that need data
disabled; ``set_backend(backend)`` then loads every page. The desktop starts this way, so
the window is on screen while the database is opened and upgraded (desktop/app.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QByteArray, QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models.formatting import format_date
from models.i18n import _

from .dashboard import DashboardPage
from .dialogs import workflow_class
from .navigation import NETWORK, PROGRAMME, STRUCTURE, NavigationTree, Selection, load_navigation
from .tasks import TaskRunner, report_failure
from .widgets import mute

PAGE_DASHBOARD, PAGE_STRUCTURE, PAGE_PEOPLE = range(3)
CHANGE_POLL_MS = 15_000


class SettingsStore(Protocol):
    def load(self) -> dict[str, Any]: ...

    def save(self, values: dict[str, Any]) -> None: ...


class MemorySettings:
    """Settings kept in memory only (tests, or when nothing is given)."""

    def __init__(self, values: dict[str, Any] | None = None) -> None:
        self.values = dict(values or {})

    def load(self) -> dict[str, Any]:
        return dict(self.values)

    def save(self, values: dict[str, Any]) -> None:
        self.values.update(values)


def _blob(value: Any) -> QByteArray | None:
    """A saved Qt state (hex text in the settings), or None when missing or damaged."""
    if isinstance(value, str) and value:
        try:
            return QByteArray.fromHex(value.encode("ascii"))
        except (UnicodeEncodeError, ValueError):
            return None
    return None


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class MainWindow(QMainWindow):
    date_changed = Signal(object)
    data_changed = Signal()
    shown = Signal()

    def __init__(
        self,
        backend: Any,
        *,
        settings: SettingsStore | None = None,
        open_backend: Callable[[str], Any] | None = None,
        print_handler: Callable[[MainWindow], None] | None = None,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.backend = backend
        self.settings = settings or MemorySettings()
        self.open_backend = open_backend
        self.print_handler = print_handler
        self.runner = TaskRunner(self)
        # Tests replace this to drive a dialog instead of blocking in exec().
        self.exec_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.day = today or dt.date.today()
        self.selection = Selection(NETWORK, _("All network"))
        self._stale: set[int] = set()
        self._marker: int | None = None
        saved = self.settings.load()

        self.setWindowTitle(_("Accoglienza"))
        self.setMinimumSize(900, 600)
        self._build_date_bar()
        self._build_pages(saved)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._restore(saved)

        self.navigation.selection_changed.connect(self.set_selection)
        self.runner.busy_changed.connect(self._busy)
        self.data_changed.connect(self.refresh_current)
        # Our own change is already on screen: the next poll only takes the new marker.
        self.data_changed.connect(lambda: setattr(self, "_marker", None))
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

    def _build_date_bar(self) -> None:
        bar = QWidget(self)
        bar.setObjectName("dateBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 6, 8, 6)
        self.context_label = QLabel(bar)
        self.context_label.setObjectName("contextLabel")
        mute(self.context_label)
        row.addWidget(self.context_label, 1)
        label = QLabel(_("Date:"), bar)
        row.addWidget(label)
        self.prev_day_button = QToolButton(bar)
        self.prev_day_button.setObjectName("previousDayButton")
        self.prev_day_button.setText("◀")
        self.prev_day_button.setToolTip(_("Previous day"))
        self.prev_day_button.clicked.connect(lambda: self.set_day(self.day - dt.timedelta(days=1)))
        row.addWidget(self.prev_day_button)
        self.date_edit = QDateEdit(bar)
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setCalendarPopup(True)
        # Typed dates count when complete (Enter, leaving the field): no reload per digit.
        # Arrow keys and the calendar still change the date at once.
        self.date_edit.setKeyboardTracking(False)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setMinimumDate(QDate(1990, 1, 1))
        self.date_edit.setMaximumDate(QDate(2100, 12, 31))
        self.date_edit.setToolTip(_("Every page shows the situation on this date."))
        self.date_edit.setMinimumWidth(
            self.date_edit.fontMetrics().horizontalAdvance("00/00/00000") + 40
        )
        label.setBuddy(self.date_edit)
        row.addWidget(self.date_edit)
        self.next_day_button = QToolButton(bar)
        self.next_day_button.setObjectName("nextDayButton")
        self.next_day_button.setText("▶")
        self.next_day_button.setToolTip(_("Next day"))
        self.next_day_button.clicked.connect(lambda: self.set_day(self.day + dt.timedelta(days=1)))
        row.addWidget(self.next_day_button)
        self.today_button = QPushButton(_("Today"), bar)
        self.today_button.setObjectName("todayButton")
        self.today_button.clicked.connect(lambda: self.set_day(dt.date.today()))
        row.addWidget(self.today_button)
        self.date_edit.dateChanged.connect(lambda q: self.set_day(from_qdate(q)))
        self.date_bar = bar

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
        self.dashboard.months_changed.connect(lambda n: self.settings.save({"chart_months": n}))
        # The structure and people pages are built when first shown (or asked for): the
        # window opens without their modules and widgets. Until then an empty stand-in
        # holds their place in the stack.
        self._lazy_pages: dict[int, QWidget] = {}
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

    def _lazy_page(self, index: int) -> QWidget:
        page = self._lazy_pages.get(index)
        if page is not None:
            return page
        page = self._make_structure_page() if index == PAGE_STRUCTURE else self._make_people_page()
        self._lazy_pages[index] = page
        stand_in = self.pages.widget(index)
        current = self.pages.currentIndex()
        self.pages.blockSignals(True)
        self.pages.removeWidget(stand_in)
        self.pages.insertWidget(index, page)
        self.pages.setCurrentIndex(current)
        self.pages.blockSignals(False)
        stand_in.deleteLater()
        return page

    @property
    def structure_page(self) -> Any:
        return self._lazy_page(PAGE_STRUCTURE)

    @property
    def people_page(self) -> Any:
        return self._lazy_page(PAGE_PEOPLE)

    def _make_structure_page(self) -> QWidget:
        from .structure_page import StructurePage

        page = StructurePage(self.backend, self.runner, self.pages)
        page.action_requested.connect(
            lambda key, pid, sid: self.open_dialog(key, placement_id=pid, structure_id=sid)
        )
        page.changed.connect(self.data_changed.emit)
        state = _blob(self._structure_splitter_state)
        if state is not None:
            page.splitter.restoreState(state)
        return page

    def _make_people_page(self) -> QWidget:
        from .people_page import PeoplePage

        page = PeoplePage(self.backend, self.pages, runner=self.runner, day=self.day)
        if not page.objectName():
            page.setObjectName("peoplePage")
        page.data_changed.connect(self.data_changed.emit)
        return page

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: str | QKeySequence | None = None,
        name: str = "",
        tip: str = "",
    ) -> QAction:
        act = QAction(text, self)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if name:
            act.setObjectName(name)
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(
                tip
                + (
                    f" ({act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                    if shortcut
                    else ""
                )
            )
        act.triggered.connect(lambda _checked=False: slot())
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        a = self._action
        self.act_open = a(
            _("Open database..."),
            self.choose_database,
            QKeySequence.StandardKey.Open,
            "actionOpen",
            _("Open a local file or connect to the shared server"),
        )
        self.act_print = a(
            _("Print..."),
            self.print_current,
            "Ctrl+P",
            "actionPrint",
            _("Print occupancy sheets and registers"),
        )
        self.act_preferences = a(
            _("Preferences..."), self.open_preferences, None, "actionPreferences"
        )
        self.act_quit = a(_("Quit"), self.close, "Ctrl+Q", "actionQuit")
        self.act_register = a(
            _("New household..."),
            lambda: self.open_dialog("register"),
            "Ctrl+N",
            "actionRegister",
            _("Register a person or a household"),
        )
        self.act_placement = a(
            _("New placement..."),
            lambda: self.open_dialog("placement"),
            "Ctrl+I",
            "actionPlacement",
            _("Place a household into a structure"),
        )
        self.act_transfer = a(
            _("Transfer..."),
            lambda: self.open_dialog("transfer"),
            "Ctrl+T",
            "actionTransfer",
            _("Move a household to other beds"),
        )
        self.act_exit = a(
            _("Exit..."),
            lambda: self.open_dialog("exit"),
            "Ctrl+E",
            "actionExit",
            _("Record the end of a placement"),
        )
        self.act_extension = a(
            _("Extension..."),
            lambda: self.open_dialog("extension"),
            None,
            "actionExtension",
            _("Extend the planned end of a placement"),
        )
        self.act_reservation = a(
            _("Reservation..."),
            lambda: self.open_dialog("reservation"),
            None,
            "actionReservation",
            _("Hold beds for a household expected on a date"),
        )
        self.act_correction = a(
            _("Correct..."),
            lambda: self.open_dialog("correction"),
            None,
            "actionCorrection",
            _("Correct or cancel a wrong entry"),
        )
        self.act_dashboard = a(
            _("Dashboard"),
            self.show_dashboard,
            "Ctrl+1",
            "actionDashboard",
            _("Occupancy of the selection"),
        )
        self.act_structure = a(
            _("Structure"),
            lambda: self.pages.setCurrentIndex(PAGE_STRUCTURE),
            "Ctrl+2",
            "actionStructure",
            _("Beds and occupants of the chosen structure"),
        )
        self.act_people = a(
            _("People"), self.show_people, "Ctrl+3", "actionPeople", _("People and households")
        )
        self.act_search = a(
            _("Find a person..."),
            self.search_people,
            QKeySequence.StandardKey.Find,
            "actionSearch",
            _("Find a person by name, alias, code or citizenship"),
        )
        self.act_refresh = a(
            _("Refresh"),
            self.refresh_all,
            QKeySequence.StandardKey.Refresh,
            "actionRefresh",
            _("Read the data again"),
        )
        self.act_today = a(
            _("Go to today"), lambda: self.set_day(dt.date.today()), "Alt+Home", "actionToday"
        )
        self.act_previous_day = a(
            _("Previous day"),
            lambda: self.set_day(self.day - dt.timedelta(days=1)),
            "Alt+Left",
            "actionPreviousDay",
        )
        self.act_next_day = a(
            _("Next day"),
            lambda: self.set_day(self.day + dt.timedelta(days=1)),
            "Alt+Right",
            "actionNextDay",
        )
        self.act_about = a(_("About Accoglienza"), self.about, None, "actionAbout")
        for act in (self.act_dashboard, self.act_structure, self.act_people):
            act.setCheckable(True)
        # What needs a database; disabled while it is being opened.
        self._data_actions = [
            self.act_print,
            self.act_register,
            self.act_placement,
            self.act_transfer,
            self.act_exit,
            self.act_extension,
            self.act_reservation,
            self.act_correction,
            self.act_structure,
            self.act_people,
            self.act_search,
            self.act_refresh,
        ]

    def _enable_data_actions(self) -> None:
        ready = self.backend is not None
        for act in self._data_actions:
            act.setEnabled(ready)
        self.navigation.setEnabled(ready)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.addAction(self.act_open)
        file_menu.addAction(self.act_print)
        file_menu.addSeparator()
        file_menu.addAction(self.act_preferences)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        actions = bar.addMenu(_("&Actions"))
        for act in (
            self.act_register,
            self.act_placement,
            self.act_transfer,
            self.act_exit,
            self.act_extension,
            self.act_reservation,
            self.act_correction,
        ):
            actions.addAction(act)
            if act is self.act_placement or act is self.act_reservation:
                actions.addSeparator()
        view = bar.addMenu(_("&View"))
        for act in (self.act_dashboard, self.act_structure, self.act_people):
            view.addAction(act)
        view.addSeparator()
        view.addAction(self.act_search)
        view.addAction(self.act_previous_day)
        view.addAction(self.act_next_day)
        view.addAction(self.act_today)
        view.addAction(self.act_refresh)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        tb = QToolBar(_("Main toolbar"), self)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for act in (self.act_dashboard, self.act_people):
            tb.addAction(act)
        tb.addSeparator()
        for act in (self.act_register, self.act_placement, self.act_transfer, self.act_exit):
            tb.addAction(act)
        tb.addSeparator()
        tb.addAction(self.act_print)
        tb.addAction(self.act_refresh)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbar = tb

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        sb.setObjectName("statusBar")
        self.database_label = QLabel(self)
        self.database_label.setObjectName("databaseLabel")
        self.status_date_label = QLabel(self)
        self.status_date_label.setObjectName("statusDateLabel")
        self.busy_label = QLabel(self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("busyBar")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(14)
        self.busy_label.hide()
        self.busy_bar.hide()
        sb.addWidget(self.busy_label)
        sb.addWidget(self.busy_bar)
        sb.addPermanentWidget(self.status_date_label)
        sb.addPermanentWidget(self.database_label)
        self._show_database()

    def _show_database(self) -> None:
        if self.backend is None:
            self.database_label.setText(_("Opening the database..."))
            self.database_label.setToolTip("")
            return
        self.database_label.setText(self.backend.description)
        self.database_label.setToolTip(
            _("Several PCs work on this database together.")
            if getattr(self.backend, "is_shared", False)
            else _("The data are on this PC only.")
        )

    # -- settings -----------------------------------------------------------------------

    def _restore(self, saved: dict[str, Any]) -> None:
        def blob(key: str) -> QByteArray | None:
            return _blob(saved.get(key))

        geometry = blob("window_geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = blob("window_state")
        if state is not None:
            self.restoreState(state)
        splitter = blob("main_splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_settings(self) -> None:
        def hexed(data: QByteArray) -> str:
            return bytes(data.toHex().data()).decode("ascii")

        values = {
            "window_geometry": hexed(self.saveGeometry()),
            "window_state": hexed(self.saveState()),
            "main_splitter": hexed(self.splitter.saveState()),
            "chart_months": self.dashboard.months(),
            "last_date": self.day.isoformat(),
        }
        structure = self._lazy_pages.get(PAGE_STRUCTURE)
        if structure is not None:  # a page never opened keeps what was saved before
            values["structure_splitter"] = hexed(structure.splitter.saveState())
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
        if from_qdate(self.date_edit.date()) != day:
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(to_qdate(day))
            self.date_edit.blockSignals(False)
        today = dt.date.today()
        if self.backend is not None:  # while opening, the window shows before any formatting
            self._show_day_label()
        self.today_button.setEnabled(day != today)
        self.date_edit.setStyleSheet("" if day == today else "QDateEdit { background: #fff4d6; }")
        self._stale = {PAGE_DASHBOARD, PAGE_STRUCTURE, PAGE_PEOPLE}
        self.date_changed.emit(day)
        self._refresh_page(self.pages.currentIndex())

    def _show_day_label(self) -> None:
        self.status_date_label.setText(_("Date: {date}").format(date=format_date(self.day, "full")))

    # -- selection and pages ------------------------------------------------------------

    def reload_navigation(self) -> None:
        backend = self.backend
        if backend is None:
            return
        self.runner.run(
            lambda: load_navigation(backend), on_success=self.navigation.set_data, key="navigation"
        )

    def set_selection(self, selection: Selection) -> None:
        self.selection = selection
        self._update_context()
        if selection.kind == STRUCTURE:
            self._stale.add(PAGE_STRUCTURE)
            self._stale.add(PAGE_DASHBOARD)
            if self.pages.currentIndex() == PAGE_STRUCTURE:
                self._refresh_page(PAGE_STRUCTURE)
            else:
                self.pages.setCurrentIndex(PAGE_STRUCTURE)
        else:
            self._stale.add(PAGE_DASHBOARD)
            if self.pages.currentIndex() == PAGE_DASHBOARD:
                self._refresh_page(PAGE_DASHBOARD)
            else:
                self.pages.setCurrentIndex(PAGE_DASHBOARD)

    def _update_context(self) -> None:
        """Where we are, as a path: All network › programme › province › structure."""
        if self.pages.currentIndex() == PAGE_PEOPLE:
            self.context_label.setText(_("People and households"))
            return
        sel = self.selection
        parts = [_("All network")]
        programme = (
            self.navigation.programme_name(sel.programme_code) if sel.programme_code else None
        )
        if programme:
            parts.append(programme)
        if sel.province:
            parts.append(sel.province)
        if sel.kind == STRUCTURE:
            parts.append(sel.label)
        self.context_label.setText("  ›  ".join(parts))

    def show_structure(self, structure_id: int) -> None:
        if not self.navigation.select_structure(structure_id):
            st = self.navigation.structure(structure_id)
            self.set_selection(
                Selection(STRUCTURE, st.name if st else "", structure_id=structure_id)
            )

    def show_dashboard(self) -> None:
        """The dashboard of the current selection (a structure's own figures when a
        structure is selected; see ``show_network`` for the whole network)."""
        self.pages.setCurrentIndex(PAGE_DASHBOARD)

    def show_programme(self, code: str) -> None:
        """Select a programme in the navigation (its dashboard follows)."""
        name = self.navigation.programme_name(code) or code
        self.navigation.select(Selection(PROGRAMME, name, programme_code=code))

    def show_network(self) -> None:
        """Select "All network" in the navigation and show its dashboard."""
        self.navigation.select(Selection(NETWORK, _("All network")), emit=False)
        self.selection = Selection(NETWORK, _("All network"))
        self._update_context()
        self._stale.add(PAGE_DASHBOARD)
        if self.pages.currentIndex() == PAGE_DASHBOARD:
            self._refresh_page(PAGE_DASHBOARD)
        else:
            self.pages.setCurrentIndex(PAGE_DASHBOARD)

    def show_people(self) -> None:
        self.pages.setCurrentIndex(PAGE_PEOPLE)

    def search_people(self) -> None:
        self.show_people()
        page = self.people_page
        focus = getattr(page, "focus_search", None)
        if callable(focus):
            focus()
            return
        edit = page.findChild(QLineEdit)
        if edit is not None:
            edit.setFocus()
            edit.selectAll()

    def _page_changed(self, index: int) -> None:
        if index in (PAGE_STRUCTURE, PAGE_PEOPLE):
            self._lazy_page(index)
        for i, act in enumerate((self.act_dashboard, self.act_structure, self.act_people)):
            act.setChecked(i == index)
        self._update_context()
        if index in self._stale:
            self._refresh_page(index)

    def _refresh_page(self, index: int) -> None:
        if self.backend is None:  # still opening: set_backend reads every page
            return
        self._stale.discard(index)
        if index == PAGE_DASHBOARD:
            sel = self.selection
            self.dashboard.set_context(self.day, sel)
        elif index == PAGE_STRUCTURE:
            self.structure_page.set_context(self.day, self.selection.structure_id)
        elif index == PAGE_PEOPLE:
            page = self.people_page
            set_day = getattr(page, "set_day", None)
            if callable(set_day):
                set_day(self.day)
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()

    def refresh_current(self) -> None:
        """After a change: every page is stale, the one shown is read again now."""
        self._stale = {PAGE_DASHBOARD, PAGE_STRUCTURE, PAGE_PEOPLE}
        self._refresh_page(self.pages.currentIndex())

    def refresh_all(self) -> None:
        self.reload_navigation()
        self.refresh_current()

    def current_page(self) -> QWidget:
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
            lambda: backend.queries.change_marker(),
            on_success=seen,
            on_failure=lambda _exc: None,
            key="change-marker",
        )

    def _busy(self, busy: bool, label: str) -> None:
        self.busy_label.setText(label)
        self.busy_label.setVisible(busy)
        self.busy_bar.setVisible(busy)

    # -- workflows ----------------------------------------------------------------------

    def _selected_ids(self) -> dict[str, Any]:
        ids: dict[str, Any] = {"placement_id": None, "household_id": None, "structure_id": None}
        if self.selection.kind == STRUCTURE:
            ids["structure_id"] = self.selection.structure_id
        if self.pages.currentIndex() == PAGE_STRUCTURE:
            ids["placement_id"] = self.structure_page.selected_placement_id()
        elif self.pages.currentIndex() == PAGE_PEOPLE:
            for name in ("household_id", "placement_id"):
                getter = getattr(self.people_page, f"selected_{name}", None)
                if callable(getter):
                    ids[name] = getter()
        return ids

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
        """Open a workflow dialog; True (and ``data_changed``) when it changed something."""
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
        try:
            dialog = cls(self.backend, self, day=self.day, **ids)
        except Exception as exc:  # noqa: BLE001 - a dialog that cannot open explains itself
            report_failure(exc, self)
            return False
        self.last_dialog = dialog
        accepted = self.exec_dialog(dialog) == QDialog.DialogCode.Accepted
        if accepted:
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
            self.print_handler(self)
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

    def set_backend(self, backend: Any) -> None:
        """Work on another database: every page reads it from now on."""
        old = self.backend
        self.backend = backend
        for page in (self.dashboard, *self._lazy_pages.values()):
            if hasattr(page, "backend"):
                page.backend = backend
        self._marker = None
        self._show_database()
        self._show_day_label()
        self._enable_data_actions()
        self.selection = Selection(NETWORK, _("All network"))
        self._update_context()
        self.pages.setCurrentIndex(PAGE_DASHBOARD)
        self.refresh_all()
        if old is not None and old is not backend:
            dispose = getattr(getattr(old, "db", None), "dispose", None)
            if callable(dispose):
                dispose()

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
