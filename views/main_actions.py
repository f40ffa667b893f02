"""The main window's actions, and the menus and toolbar that show them.

Each action is built once, with its shortcut, tooltip and object name; the menus, the
toolbar and the keyboard share it. What an action does is a method of the window
(``WindowCommands``), looked up when the action fires.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from models.access import OWNER, Principal, Role
from models.i18n import _


class WindowCommands(Protocol):
    """What the actions ask the main window to do."""

    def choose_database(self) -> None: ...
    def back_up_database(self) -> None: ...
    def restore_backup(self) -> None: ...
    def anonymise_old_records(self) -> None: ...
    def connect_server(self) -> None: ...
    def copy_database(self) -> None: ...
    def import_spreadsheet(self) -> None: ...
    def save_template(self) -> None: ...
    def print_current(self) -> None: ...
    def open_preferences(self) -> None: ...
    def manage_users(self) -> None: ...
    def open_dialog(self, key: str) -> bool: ...
    def edit_selected(self) -> None: ...
    def find_free_beds(self) -> None: ...
    def show_waiting_list(self) -> None: ...
    def show_dashboard(self) -> None: ...
    def show_structure_page(self) -> None: ...
    def show_people(self) -> None: ...
    def show_board(self) -> None: ...
    def refresh_all(self) -> None: ...
    def go_to_today(self) -> None: ...
    def step_day(self, days: int) -> None: ...
    def about(self) -> None: ...
    def show_help(self) -> None: ...
    def about_qt(self) -> None: ...
    def close(self) -> bool: ...


# The workflow dialogs (views.dialogs.WORKFLOWS) that change the network, and those
# that only read; the others change placements and people.
PROGRAMME_WORKFLOWS = frozenset({"new_programme", "edit_programme"})
NETWORK_WORKFLOWS = frozenset(
    {"new_structure", "edit_structure", "move_structure", "close", "rooms"}
)
READING_WORKFLOWS = frozenset({"history"})


def workflow_allowed(principal: Principal | None, key: str) -> bool:
    """Whether the signed-in user's role may use a workflow dialog at all (the models
    check each change against the programme it touches)."""
    who = principal or OWNER
    if key in READING_WORKFLOWS:
        return True
    if key in PROGRAMME_WORKFLOWS:
        return who.may_edit_programmes()
    if key in NETWORK_WORKFLOWS:
        return who.role in (Role.ADMINISTRATOR, Role.COORDINATOR)
    return who.writes


class MainActions:
    """Every action of the main window, as attributes (``placement``, ``print``...)."""

    def __init__(self, window: QMainWindow, commands: WindowCommands) -> None:
        self._window = window
        c = commands
        a = self._action
        self.open_database = a(
            _("&Open database…"),
            c.choose_database,
            QKeySequence.StandardKey.Open,
            "actionOpen",
            _("Open a local file or connect to the shared server"),
        )
        self.connect_server = a(
            _("&Connect to the shared server…"),
            c.connect_server,
            None,
            "actionConnectServer",
            _("Connect to the office's shared server (the password is asked once)"),
        )
        self.copy_database = a(
            _("Cop&y the database to…"),
            c.copy_database,
            None,
            "actionCopyDatabase",
            _("Copy the whole database into an empty one (a new file or the shared server)"),
        )
        self.import_spreadsheet = a(
            _("&Import from a spreadsheet…"),
            c.import_spreadsheet,
            None,
            "actionImportSpreadsheet",
            _("Bring in a whole network from the template spreadsheet (into an empty database)"),
        )
        self.save_template = a(
            _("Save the spreadsheet te&mplate…"),
            c.save_template,
            None,
            "actionSaveTemplate",
            _("The empty spreadsheet to fill in with the network, then import"),
        )
        self.print = a(
            _("&Print…"),
            c.print_current,
            "Ctrl+P",
            "actionPrint",
            _("Print occupancy sheets and registers"),
        )
        self.backup = a(
            _("&Back up the database…"),
            c.back_up_database,
            None,
            "actionBackup",
            _("Save a copy of the whole database, optionally encrypted"),
        )
        self.restore = a(
            _("Res&tore a backup…"),
            c.restore_backup,
            None,
            "actionRestore",
            _("Replace the database with a backup; the replaced one is kept"),
        )
        # Administrators only: hidden for every other role (``enable_rights``).
        self.anonymise = a(
            _("&Anonymise old records…"),
            c.anonymise_old_records,
            None,
            "actionAnonymise",
            _("Remove the names of the people whose last placement ended years ago"),
        )
        self.preferences = a(_("Pr&eferences…"), c.open_preferences, None, "actionPreferences")
        self.users = a(
            _("&Users…"),
            c.manage_users,
            None,
            "actionUsers",
            _("Who may sign in, with their role and programmes (administrators)"),
        )
        self.quit = a(_("&Quit"), c.close, "Ctrl+Q", "actionQuit")
        self.register = a(
            _("&New household…"),
            lambda: c.open_dialog("register"),
            "Ctrl+N",
            "actionRegister",
            _("Register a person or a household"),
        )
        self.placement = a(
            _("New &placement…"),
            lambda: c.open_dialog("placement"),
            "Ctrl+I",
            "actionPlacement",
            _("Place a household into a structure"),
        )
        self.transfer = a(
            _("&Transfer…"),
            lambda: c.open_dialog("transfer"),
            "Ctrl+T",
            "actionTransfer",
            _("Move a household to other beds"),
        )
        self.exit = a(
            _("E&xit…"),
            lambda: c.open_dialog("exit"),
            "Ctrl+E",
            "actionExit",
            _("Record the end of a placement"),
        )
        self.extension = a(
            _("Extensi&on…"),
            lambda: c.open_dialog("extension"),
            None,
            "actionExtension",
            _("Extend the planned end of a placement"),
        )
        self.reservation = a(
            _("&Reservation…"),
            lambda: c.open_dialog("reservation"),
            None,
            "actionReservation",
            _("Hold beds for a household expected on a date"),
        )
        self.correction = a(
            _("&Correct…"),
            lambda: c.open_dialog("correction"),
            None,
            "actionCorrection",
            _("Correct or cancel a wrong entry"),
        )
        self.history = a(
            _("&History…"),
            lambda: c.open_dialog("history"),
            "Ctrl+H",
            "actionHistory",
            _("Who changed the selected person, placement or structure, what and when"),
        )
        self.new_programme = a(
            _("New &programme…"),
            lambda: c.open_dialog("new_programme"),
            None,
            "actionNewProgramme",
            _("Create a programme: SAI, anti-trafficking or other"),
        )
        self.new_structure = a(
            _("New &structure…"),
            lambda: c.open_dialog("new_structure"),
            None,
            "actionNewStructure",
            _("Create a structure in a programme"),
        )
        self.edit_network = a(
            _("&Edit the selection…"),
            c.edit_selected,
            None,
            "actionEditSelected",
            _("Change the details of the structure or programme selected on the left"),
        )
        self.rooms_beds = a(
            _("&Rooms and beds…"),
            lambda: c.open_dialog("rooms"),
            None,
            "actionRoomsBeds",
            _("Add, rename or retire the rooms and beds of the structure selected"),
        )
        self.move_structure = a(
            _("&Move to another programme…"),
            lambda: c.open_dialog("move_structure"),
            None,
            "actionMoveStructure",
            _("Pass the structure selected to another programme from a date"),
        )
        self.close_network = a(
            _("&Close…"),
            lambda: c.open_dialog("close"),
            None,
            "actionCloseSelected",
            _("Close the structure, or end the programme, selected on the left"),
        )
        self.free_beds = a(
            _("Find &free beds…"),
            c.find_free_beds,
            "Ctrl+L",
            "actionFreeBeds",
            _("The structures that can take a household for a period, with the beds"),
        )
        self.waiting_list = a(
            _("&Waiting list…"),
            c.show_waiting_list,
            "Ctrl+Shift+A",
            "actionWaitingList",
            _("Households referred and waiting for a place"),
        )
        self.dashboard = a(
            _("&Dashboard"),
            c.show_dashboard,
            "Ctrl+1",
            "actionDashboard",
            _("Occupancy of the selection"),
        )
        self.structure = a(
            _("&Structure"),
            c.show_structure_page,
            "Ctrl+2",
            "actionStructure",
            _("Beds and occupants of the chosen structure"),
        )
        self.people = a(
            _("&People"), c.show_people, "Ctrl+3", "actionPeople", _("People and households")
        )
        self.board = a(
            _("Planning &board"),
            c.show_board,
            "Ctrl+4",
            "actionBoard",
            _("Beds against days: stays, reservations, beds out of service"),
        )
        self.search = a(
            _("&Find a person…"),
            c.show_people,  # the page opens with its search ready
            QKeySequence.StandardKey.Find,
            "actionSearch",
            _("Find a person by name, alias, code or citizenship"),
        )
        self.refresh = a(
            _("&Refresh"),
            c.refresh_all,
            QKeySequence.StandardKey.Refresh,
            "actionRefresh",
            _("Read the data again"),
        )
        self.today = a(_("Go to &today"), c.go_to_today, "Alt+Home", "actionToday")
        self.previous_day = a(
            _("Pre&vious day"), lambda: c.step_day(-1), "Alt+Left", "actionPreviousDay"
        )
        self.next_day = a(_("&Next day"), lambda: c.step_day(1), "Alt+Right", "actionNextDay")
        self.about = a(_("&About Accoglienza"), c.about, None, "actionAbout")
        self.help = a(
            _("&Manual"),
            c.show_help,
            QKeySequence.StandardKey.HelpContents,
            "actionHelp",
            _("The manual, at the page or dialog in use"),
        )
        self.about_qt = a(_("About &Qt"), c.about_qt, None, "actionAboutQt")
        # One per page, checked while its page is shown (same order as the pages); in an
        # exclusive group, so choosing the page shown keeps its tick.
        self.pages = (self.dashboard, self.structure, self.people, self.board)
        self.page_group = QActionGroup(window)
        self.page_group.setExclusive(True)
        for act in self.pages:
            act.setCheckable(True)
            self.page_group.addAction(act)
        # What needs a database: disabled while it is being opened.
        self.needing_data = (
            self.copy_database,
            self.import_spreadsheet,
            self.print,
            self.backup,
            self.restore,
            self.register,
            self.placement,
            self.transfer,
            self.exit,
            self.extension,
            self.reservation,
            self.correction,
            self.history,
            self.new_programme,
            self.new_structure,
            self.edit_network,
            self.rooms_beds,
            self.move_structure,
            self.close_network,
            self.free_beds,
            self.waiting_list,
            self.structure,
            self.people,
            self.board,
            self.search,
            self.refresh,
        )

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
        name: str = "",
        tip: str = "",
    ) -> QAction:
        act = QAction(text, self._window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if name:
            act.setObjectName(name)
        if tip:
            act.setStatusTip(tip)
            keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{tip} ({keys})" if shortcut else tip)
        act.triggered.connect(lambda _checked=False: slot())
        # Added to the window too: shortcuts work even for actions in no menu or toolbar.
        self._window.addAction(act)
        return act

    def enable_data(self, ready: bool, principal: Principal | None = None) -> None:
        """The actions that need a database, those the signed-in user's role allows
        (``models.access``; the models refuse the others anyway)."""
        who = principal or OWNER
        network = who.role in (Role.ADMINISTRATOR, Role.COORDINATOR)
        allowed = {
            self.import_spreadsheet: who.may_edit_programmes(),
            self.restore: who.may_edit_programmes(),
            self.new_programme: who.may_edit_programmes(),
            self.users: who.may_manage_users,
            **dict.fromkeys(
                (
                    self.new_structure,
                    self.edit_network,
                    self.rooms_beds,
                    self.move_structure,
                    self.close_network,
                ),
                network,
            ),
            **dict.fromkeys(
                (
                    self.register,
                    self.placement,
                    self.transfer,
                    self.exit,
                    self.extension,
                    self.reservation,
                    self.correction,
                ),
                who.writes,
            ),
        }
        for act in (*self.needing_data, self.users):
            act.setEnabled(ready and allowed.get(act, True))

    def enable_rights(self, *, may_anonymise: bool) -> None:
        """What only some roles may do: shown and enabled for them alone."""
        self.anonymise.setVisible(may_anonymise)
        self.anonymise.setEnabled(may_anonymise)

    def show_page(self, index: int) -> None:
        """Check the action of the page shown."""
        for i, act in enumerate(self.pages):
            act.setChecked(i == index)

    def build_menus(self) -> None:
        bar = self._window.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.addAction(self.open_database)
        file_menu.addAction(self.connect_server)
        file_menu.addAction(self.copy_database)
        file_menu.addAction(self.import_spreadsheet)
        file_menu.addAction(self.save_template)
        file_menu.addAction(self.print)
        file_menu.addSeparator()
        file_menu.addAction(self.backup)
        file_menu.addAction(self.restore)
        file_menu.addAction(self.anonymise)
        file_menu.addSeparator()
        file_menu.addAction(self.preferences)
        file_menu.addAction(self.users)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        actions = bar.addMenu(_("&Actions"))
        for act in (
            self.register,
            self.placement,
            self.transfer,
            self.exit,
            self.extension,
            self.reservation,
            self.correction,
        ):
            actions.addAction(act)
            if act is self.placement or act is self.reservation:
                actions.addSeparator()
        actions.addSeparator()
        actions.addAction(self.free_beds)
        network = bar.addMenu(_("Net&work"))
        for act in (
            self.new_programme,
            self.new_structure,
            self.edit_network,
            self.rooms_beds,
            self.move_structure,
            self.close_network,
        ):
            network.addAction(act)
            if act is self.new_structure or act is self.move_structure:
                network.addSeparator()
        view = bar.addMenu(_("&View"))
        for act in self.pages:
            view.addAction(act)
        view.addSeparator()
        view.addAction(self.waiting_list)
        view.addSeparator()
        for act in (self.search, self.previous_day, self.next_day, self.today, self.refresh):
            view.addAction(act)
        view.addSeparator()
        view.addAction(self.history)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.help)
        help_menu.addSeparator()
        help_menu.addAction(self.about)
        help_menu.addAction(self.about_qt)

    def build_toolbar(self) -> QToolBar:
        tb = QToolBar(_("Main toolbar"), self._window)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for act in (self.dashboard, self.people, self.board):
            tb.addAction(act)
        tb.addSeparator()
        for act in (self.register, self.placement, self.transfer, self.exit):
            tb.addAction(act)
        tb.addSeparator()
        tb.addAction(self.print)
        tb.addAction(self.refresh)
        self._window.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        return tb
