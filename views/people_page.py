"""People and households (ospiti e nuclei): search as you type, the household editor, and a
person's history of stays and placements. The workflow dialogs open from here.

The list never loads everybody: it asks the database for the people matching the search,
a page at a time as the list scrolls (the national network has half a million people).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from models.i18n import _, ngettext
from models.labels import RELATIONSHIPS, sex_label
from models.results import Changes, HouseholdInfo, PersonInfo, PlacementInfo, StayInfo

from .colours import warning
from .dialogs import workflow_class
from .dialogs.context import DialogContext
from .dialogs.tables import reach_cell_widgets_with_tab, ro_item, setup_table
from .dialogs.texts import age_text, date_text, person_name, scheduled_exit_text
from .people_tables import PAGE_SIZE, HistoryModel, PeopleModel, PlacementsModel
from .selection import Selection
from .tasks import TaskRunner, report_failure
from .widgets import SearchEdit, make_table, section_label

if TYPE_CHECKING:
    from models.backend import Backend

    from .dialogs.workflow_dialog import WorkflowDialog


@dataclass(frozen=True, slots=True)
class HouseholdView:
    """What the page shows of a household and one of its members, read in one task."""

    household: HouseholdInfo
    person: PersonInfo | None  # the member whose history is shown
    placements: list[PlacementInfo]  # oldest first
    active: PlacementInfo | None  # the latest placement still running
    structures: list[str]  # where its members sleep on the day, when placed
    history: list[StayInfo]  # the person's stays, oldest first


def load_household(
    backend: Backend, household_id: int, person_id: int | None, day: dt.date
) -> HouseholdView:
    """Runs in a task: the household, its placements, where it sleeps on ``day`` and the
    history of ``person_id`` (of the reference person when none is given)."""
    directory = backend.directory
    h = directory.household(household_id)
    person = next((m.person for m in h.members if m.person.id == person_id), None) or h.reference
    placements = directory.placements_of_household(h.id)
    # A placement starting after ``day`` (the far end of a scheduled transfer) is not yet
    # the one the household is in.
    active = next(
        (p for p in reversed(placements) if p.status == "active" and p.entry_date <= day),
        None,
    ) or next((p for p in reversed(placements) if p.status == "active"), None)
    structures = (
        sorted({r.structure_name for r in backend.presence.who_is_where(day, household_id=h.id)})
        if active is not None
        else []
    )
    # Showing a person's details: reading a protected person's is recorded.
    history = directory.person_history(person.id, record_read=True) if person is not None else []
    return HouseholdView(h, person, placements, active, structures, history)


class PeoplePage(QWidget):
    """Search people, edit their household, see their history, start the workflows: a
    ``Page`` (views.page) of the main window, usable alone too."""

    changes_made = Signal(object)  # what was changed from here (models.results.Changes)
    SEARCH_DELAY_MS = 250

    def __init__(
        self,
        backend: Backend,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
        day: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("peoplePage")
        self.backend = backend
        self.runner = runner or TaskRunner(self)
        self.day = day or dt.date.today()
        self.household: HouseholdInfo | None = None
        self.view: HouseholdView | None = None
        self.person: PersonInfo | None = None
        # Tests replace this to drive a dialog instead of blocking in exec().
        self.exec_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = SearchEdit()
        self.search.setObjectName("peopleSearch")
        self.search.setAccessibleName(_("Search people"))
        self.search.setPlaceholderText(
            _("Search people: part of a name, alias, code or citizenship")
        )
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        self.register_button = QPushButton(_("&Register person or household…"))
        self.register_button.setObjectName("registerButton")
        top.addWidget(self.register_button)
        outer.addLayout(top)
        self.count_label = QLabel()
        self.count_label.setObjectName("peopleCount")
        outer.addWidget(self.count_label)

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter, 1)
        self.model = PeopleModel(self, runner=self.runner)
        self.model.day = self.day
        self.table = make_table("peopleTable")
        self.table.setAccessibleName(_("People found"))
        self.table.setSortingEnabled(False)  # the database sorts; pages arrive in order
        self.table.setModel(self.model)
        splitter.addWidget(self.table)

        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(6, 0, 0, 0)
        self.household_title = section_label(_("Household"))
        rlay.addWidget(self.household_title)
        self.household_info = QLabel(
            _("Choose a person in the list to see their household and history.")
        )
        self.household_info.setWordWrap(True)
        rlay.addWidget(self.household_info)
        self.members = QTableWidget()
        self.members.setObjectName("householdMembers")
        self.members.setAccessibleName(_("Members of the household"))
        setup_table(
            self.members,
            [_("Person"), _("Sex"), _("Birth date"), _("Age"), _("Relationship")],
            stretch=None,
        )
        self.members.setMinimumHeight(120)
        rlay.addWidget(self.members, 1)
        mbuttons = QHBoxLayout()
        self.add_member_button = QPushButton(_("A&dd member…"))
        self.add_member_button.setObjectName("addMemberButton")
        mbuttons.addWidget(self.add_member_button)
        self.edit_person_button = QPushButton(_("&Edit person…"))
        self.edit_person_button.setObjectName("editPersonButton")
        mbuttons.addWidget(self.edit_person_button)
        mbuttons.addStretch(1)
        rlay.addLayout(mbuttons)

        actions = QGroupBox(_("Placement"))
        # Two rows of three: the right side stays narrow enough for the list of people
        # to show all its columns on a 1366 px screen.
        alay = QGridLayout(actions)
        self.place_button = QPushButton(_("New &placement…"))
        self.place_button.setObjectName("placeButton")
        self.reserve_button = QPushButton(_("Re&servation…"))
        self.reserve_button.setObjectName("reserveButton")
        self.transfer_button = QPushButton(_("&Transfer…"))
        self.transfer_button.setObjectName("transferButton")
        self.exit_button = QPushButton(_("E&xit…"))
        self.exit_button.setObjectName("exitButton")
        self.extend_button = QPushButton(_("Exte&nd…"))
        self.extend_button.setObjectName("extendButton")
        self.correct_button = QPushButton(_("&Correct…"))
        self.correct_button.setObjectName("correctButton")
        for b in (
            self.place_button,
            self.reserve_button,
            self.transfer_button,
            self.exit_button,
            self.extend_button,
            self.correct_button,
        ):
            alay.addWidget(b, alay.count() // 3, alay.count() % 3)
        alay.setColumnStretch(3, 1)
        rlay.addWidget(actions)

        rlay.addWidget(section_label(_("Placements of the household")))
        self.placements_model = PlacementsModel(self)
        self.placements = make_table("placementsTable")
        self.placements.setAccessibleName(_("Placements of the household"))
        self.placements.setSortingEnabled(False)  # oldest first, as the services give them
        self.placements.setModel(self.placements_model)
        rlay.addWidget(self.placements, 1)
        self.history_title = section_label(_("History of stays"))
        rlay.addWidget(self.history_title)
        self.history_model = HistoryModel(self)
        self.history = make_table("historyTable")
        self.history.setAccessibleName(_("History of stays"))
        self.history.setSortingEnabled(False)
        self.history.setModel(self.history_model)
        # Column titles whole before anything is found or chosen; these tables are often
        # wider than their side and scroll, so their last column is not stretched (it
        # would shrink to a default width and cut its title).
        for table in (self.table, self.placements, self.history):
            table.horizontalHeader().setStretchLastSection(False)
            table.resizeColumnsToContents()
        rlay.addWidget(self.history, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([560, 740])

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(self.SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.search.go_down.connect(self._to_results)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._person_chosen(cur.row())
        )
        self.model.page_loaded.connect(self._update_count)
        # Sized to what was found (codes and birth dates whole), once the first page is in.
        self.model.page_loaded.connect(self._fit_columns)
        self.model.modelReset.connect(self._update_count)
        self.register_button.clicked.connect(self.open_register)
        self._follow_role()
        self.add_member_button.clicked.connect(self.open_add_member)
        self.edit_person_button.clicked.connect(self.open_edit_person)
        self.members.itemSelectionChanged.connect(self._member_chosen)
        self.place_button.clicked.connect(lambda: self.open_workflow("placement"))
        self.reserve_button.clicked.connect(lambda: self.open_workflow("reservation"))
        self.transfer_button.clicked.connect(lambda: self.open_workflow("transfer"))
        self.exit_button.clicked.connect(lambda: self.open_workflow("exit"))
        self.extend_button.clicked.connect(lambda: self.open_workflow("extension"))
        self.correct_button.clicked.connect(lambda: self.open_workflow("correction"))
        self._show_household(None)
        self._update_count()

    # -- the Page interface --
    def set_backend(self, backend: Backend) -> None:
        """Another database: its people are found by a new search."""
        self.backend = backend
        self.search.clear()
        self.model.set_source(None)
        self._show_household(None)
        self._follow_role()

    def _follow_role(self) -> None:
        """What the signed-in user's role allows (models.access): a reader registers
        nobody and sees no name columns, even before searching."""
        who = self.backend.principal
        self.register_button.setEnabled(who.writes)
        for column in (
            PeopleModel.LAST_NAME,
            PeopleModel.FIRST_NAME,
            PeopleModel.BIRTH_DATE,
            PeopleModel.CITIZENSHIP,
        ):
            self.table.setColumnHidden(column, not who.sees_names)

    def set_day(self, day: dt.date) -> None:
        """The date of the main window: ages, where the household sleeps, and the dialogs
        follow it (read at the next ``refresh``)."""
        self.day = day
        self.model.day = day
        self.model.layoutChanged.emit()

    def set_selection(self, selection: Selection) -> None:
        """People are found by the search, whatever is chosen in the navigation."""

    def refresh(self) -> None:
        """Read again after a change elsewhere (another page, another PC)."""
        if self.search.text().strip():
            self.run_search()
        self.reload_household()

    def apply_changes(self, changes: Changes) -> None:
        if self.household is not None and self.household.id in changes.households:
            self.refresh()

    def _to_results(self) -> None:
        """The down arrow from the search: on to the people found, the first chosen."""
        if self.model.rowCount() == 0:
            return
        self.table.setFocus()
        if not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_household_id(self) -> int | None:
        return self.household.id if self.household is not None else None

    def selected_placement_id(self) -> int | None:
        if self.household is None:
            return None
        view = self.view
        if view is not None and view.active is not None:
            return view.active.id
        active = [p for p in self.placements_model.rows() if p.status == "active"]
        return active[-1].id if active else None

    # -- search --
    def run_search(self) -> None:
        self.timer.stop()
        text = self.search.text().strip()
        selected = self.person.id if self.person is not None else None
        if not text:
            self.model.set_source(None)
        else:
            directory, day = self.backend.directory, self.day
            self.model.set_source(
                lambda last, limit: directory.search_people(
                    text,
                    limit=limit,
                    after=last.search_key if last is not None else None,
                    day=day,
                )
            )
        self._fit_columns()
        if selected is not None:
            self.select_person(selected)

    def _fit_columns(self) -> None:
        if self.model.rowCount() <= PAGE_SIZE:
            # Aliases are for people under protection: their column is shown when one
            # of the people found has one.
            rows = [self.model.row_at(r) for r in range(self.model.rowCount())]
            self.table.setColumnHidden(PeopleModel.ALIAS, not any(p.alias for p in rows))
            # A reader sees people by code and alias only (models.visibility): the
            # columns of what it never reads are not shown, nor the birth date (the
            # age is enough for its figures).
            hidden = (
                PeopleModel.LAST_NAME,
                PeopleModel.FIRST_NAME,
                PeopleModel.BIRTH_DATE,
                PeopleModel.CITIZENSHIP,
            )
            for column in hidden:
                self.table.setColumnHidden(column, not self.backend.principal.sees_names)
            self.table.resizeColumnsToContents()
            self._widen_list()

    def _widen_list(self) -> None:
        """Give the list the width of its columns (up to 60 % of the page), so that the
        structure column, which tells homonyms apart, is seen without scrolling."""
        need = (
            self.table.horizontalHeader().length()
            + self.table.verticalScrollBar().sizeHint().width()
            + 2 * self.table.frameWidth()
        )
        sizes = self.splitter.sizes()
        total = sum(sizes)
        left = min(need, total * 6 // 10)
        if total > 0 and left > sizes[0]:
            self.splitter.setSizes([left, total - left])

    def _update_count(self) -> None:
        n = self.model.rowCount()
        if not self.search.text().strip():
            self.count_label.setText(
                _("Type in the search box to find people by name, alias, code or citizenship.")
            )
        elif n == 0 and self.model.all_loaded():
            self.count_label.setText(_("Nobody found. Check the spelling, or register the person."))
        elif self.model.all_loaded():
            self.count_label.setText(
                ngettext("{n} person found", "{n} people found", n).format(n=n)
            )
        else:
            self.count_label.setText(
                ngettext(
                    "First {n} person found: scroll for more, or type more to narrow the search.",
                    "First {n} people found: scroll for more, or type more to narrow the search.",
                    n,
                ).format(n=n)
            )

    def select_person(self, person_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).id == person_id:
                self.table.selectRow(row)
                return True
        return False

    def _person_chosen(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        p: PersonInfo = self.model.row_at(row)
        self.show_person(p.id, p.household_id)

    # -- household editor --
    def show_person(self, person_id: int | None, household_id: int | None) -> None:
        """Show a person's household and history: read in one task."""
        if household_id is None:
            self._show_household(None)
            return
        backend, day = self.backend, self.day
        self.runner.run(
            lambda: load_household(backend, household_id, person_id, day),
            on_success=self._show_household,
            key="household",
        )

    def reload_household(self) -> None:
        if self.household is not None:
            self.show_person(self.person.id if self.person else None, self.household.id)

    def _show_household(self, view: HouseholdView | None) -> None:
        h = view.household if view is not None else None
        self.household = h
        self.view = view
        self.person = view.person if view is not None else None
        for b in (
            self.add_member_button,
            self.edit_person_button,
            self.place_button,
            self.reserve_button,
            self.correct_button,
        ):
            b.setEnabled(h is not None)
        active = view.active if view is not None else None
        for b in (self.transfer_button, self.exit_button, self.extend_button):
            b.setEnabled(active is not None)
        self.placements_model.set_rows(view.placements if view is not None else [])
        self.placements.resizeColumnsToContents()
        self.members.setRowCount(0)
        if view is None or h is None:
            self.household_title.setText(_("Household"))
            self.history_model.set_rows([])
            self.history_title.setText(_("History of stays"))
            return
        ref = h.reference
        self.household_title.setText(_("Household {code}").format(code=h.code))
        if active is not None:
            where = _("In {programme} since {date}").format(
                programme=active.programme_code, date=date_text(active.entry_date)
            )
            if view.structures:
                where += " — " + ", ".join(view.structures)
            if active.exit_scheduled and active.exit_date is not None:
                where += " — " + scheduled_exit_text(active.exit_reason, active.exit_date)
        else:
            where = _("Not placed at the moment.")
        self.household_info.setText(
            _("Reference person: {name}. {where}").format(
                name=person_name(ref) if ref else "—", where=where
            )
        )
        self.members.blockSignals(True)
        self.members.setRowCount(len(h.members))
        relationship_combos = []
        for row, m in enumerate(h.members):
            p = m.person
            name = ro_item(f"{person_name(p)} ({p.code})".strip())
            name.setData(Qt.ItemDataRole.UserRole, p.id)
            self.members.setItem(row, 0, name)
            self.members.setItem(row, 1, ro_item(sex_label(p.sex)))
            self.members.setItem(row, 2, ro_item(date_text(p.birth_date) if p.birth_date else ""))
            age = ro_item(age_text(p.birth_date, self.day))
            if p.is_minor_on(self.day):
                age.setForeground(warning())
            self.members.setItem(row, 3, age)
            combo = QComboBox()
            combo.setObjectName(f"relationship_{p.id}")
            for code, label in RELATIONSHIPS.items():
                combo.addItem(_(label), code)
            combo.setCurrentIndex(combo.findData(m.relationship))
            combo.currentIndexChanged.connect(
                lambda _i, pid=p.id, c=combo: self.change_relationship(pid, c.currentData())
            )
            self.members.setCellWidget(row, 4, combo)
            relationship_combos.append(combo)
        reach_cell_widgets_with_tab(self.members, relationship_combos)
        for row, m in enumerate(h.members):
            if self.person is not None and m.person.id == self.person.id:
                self.members.selectRow(row)
        self.members.blockSignals(False)
        self.members.resizeColumnsToContents()
        self._show_history(self.person, view.history)

    def _show_history(self, person: PersonInfo | None, stays: Sequence[StayInfo]) -> None:
        if person is not None:
            self.history_title.setText(
                _("History of stays of {name}").format(name=person_name(person))
            )
            self.history_model.set_rows(stays)
            self.history.resizeColumnsToContents()

    def _member_chosen(self) -> None:
        """A click on a member shows that member's history."""
        rows = self.members.selectionModel().selectedRows()
        if not rows or self.household is None:
            return
        item = self.members.item(rows[0].row(), 0)
        if item is None:
            return
        pid = item.data(Qt.ItemDataRole.UserRole)
        person = next((m.person for m in self.household.members if m.person.id == pid), None)
        if person is None:
            return
        self.person = person
        backend = self.backend
        self.runner.run(
            lambda: backend.directory.person_history(person.id, record_read=True),
            on_success=lambda stays: self._show_history(person, stays),
            key="history",
        )

    def change_relationship(self, person_id: int, relationship: str) -> None:
        if self.household is None:
            return
        backend, household_id = self.backend, self.household.id
        version = self.household.version
        changes = Changes(households=frozenset({household_id}))

        def done(_result: object) -> None:
            self.changes_made.emit(changes)
            reread()

        def refused(exc: BaseException) -> None:
            report_failure(exc, self, refused_write=True)
            reread()

        def reread() -> None:
            # Either way: making someone the reference changes the previous reference too.
            # Later, not now: the combo box whose signal brought us here is rebuilt.
            QTimer.singleShot(0, self.reload_household)

        self.runner.run(
            lambda: backend.people.set_relationship(household_id, person_id, relationship, version),
            on_success=done,
            on_failure=refused,
        )

    # -- workflows --
    def _after(self, dialog: WorkflowDialog) -> bool:
        """Run a workflow dialog; when it changed something, pass on what."""
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return False
        self._changed(dialog.changes)
        return True

    def _changed(self, changes: Changes) -> None:
        """A change made from here: this page reads again what it concerns, the window
        tells the others."""
        self.apply_changes(changes)
        self.changes_made.emit(changes)

    def dialog_context(self) -> DialogContext:
        """What a dialog opened from here is built from (the page has no selection)."""
        return DialogContext(self.backend, self.runner, self.day)

    def open_register(self) -> bool:
        dialog = workflow_class("register")(self.dialog_context(), self)
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return False
        h = dialog.result_value
        self._changed(dialog.changes)
        ref = h.reference if h is not None else None
        if ref is not None:
            # Show the new household: search it by its reference person's code.
            self.search.setText(ref.code)
            self.run_search()
            self.show_person(ref.id, h.id)
        return True

    def open_add_member(self) -> bool:
        if self.household is None:
            return False
        return self._after(
            workflow_class("register")(self.dialog_context(), self, household_id=self.household.id)
        )

    def open_edit_person(self) -> bool:
        if self.household is None or self.person is None:
            return False
        from .dialogs.edit_person_dialog import EditPersonDialog

        dialog = EditPersonDialog(
            self.dialog_context(), self, person_id=self.person.id, household_id=self.household.id
        )
        return self._after(dialog)

    def open_workflow(self, key: str) -> bool:
        """Open a workflow dialog ("placement", "exit"...) for the household shown."""
        cls = workflow_class(key)
        hid = self.household.id if self.household is not None else None
        return self._after(cls(self.dialog_context(), self, household_id=hid))
