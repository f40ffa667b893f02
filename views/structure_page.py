"""The structure page (scheda struttura): details, beds and their occupants at the chosen
date, capacity history, beds out of service.

The bed table follows the global date, so the same table answers "who is there now" and
"who was there on 12 March 2022". Actions on an occupied bed (transfer, exit, extension,
correction) open the workflow dialogs through the ``action_requested`` signal, which the
main window handles; small changes that belong to the structure itself (capacity from a
date, a bed out of service) are done here, with the small dialogs of
``views/dialogs/capacity_dialog.py`` and ``views/dialogs/outage_dialog.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import results
from models.access import OWNER
from models.formatting import format_date, format_short_date
from models.i18n import N_, _, ngettext
from models.labels import programme_kind_label, relationship_label, target_group_label
from models.results import BedLine, BedOutageRow, Changes

from . import colours, messages
from .names import structure_text
from .selection import Selection
from .table_models import DATE, INT, ROW_ROLE, Column, RowTableModel, SortFilterProxy
from .tasks import TaskRunner, report_failure
from .widgets import FigureTile, make_table, mute, section_label

if TYPE_CHECKING:
    from models.backend import Backend

STATUS_LABELS = {
    "occupied": N_("occupied"),
    # Translators: a bed held by a reservation ("prenotato"); "riservato" is never used,
    # a protected apartment's address is "indirizzo protetto".
    "reserved": N_("reserved"),
    "out_of_service": N_("out of service"),
    "free": N_("free"),
    "no_place": N_("no place"),
}
# The hue of each state's row, mixed into the palette's base (views.colours.tint).
STATUS_HUES = {
    "reserved": colours.YELLOW,
    "out_of_service": colours.GREY,
    "free": colours.GREEN,
}


def _occ(attr: str) -> Callable[[BedLine], object]:
    """The value of an attribute of the bed's occupant (None for a bed nobody sleeps in)."""

    def get(line: BedLine) -> object:
        return getattr(line.occupant, attr) if line.occupant is not None else None

    return get


def _person(line: BedLine) -> str:
    o = line.occupant
    if o is None:
        return ""
    name = f"{o.last_name} {o.first_name}".strip()
    if o.alias:
        name = f"{name} ({o.alias})" if name else o.alias
    # Neither name nor alias (a person the user may not identify, models.visibility):
    # the code.
    return name or o.person_code


def _household(line: BedLine) -> str | None:
    """The occupant's household, or the household a reserved bed is held for."""
    if line.occupant is not None:
        return str(line.occupant.household_code)
    return line.note if line.status == "reserved" else None


def _note(line: BedLine) -> str:
    if line.status == "reserved":
        return ""  # the household it is held for is in the Household column
    o = line.occupant
    if line.status == "occupied" and o is not None:
        notes = [_("minor")] if o.minor else []
        if o.stay_end is not None:  # an exit or transfer recorded ahead of its date
            notes.append(_("leaves the bed on {date}").format(date=format_short_date(o.stay_end)))
        return " · ".join(notes) if notes else line.note
    return line.note


def _end(line: BedLine) -> dt.date | None:
    """The planned end, or the day a scheduled exit or transfer frees the bed, if sooner."""
    o = line.occupant
    if o is None:
        return None
    if o.stay_end is not None and (o.planned_end is None or o.stay_end < o.planned_end):
        return o.stay_end
    return o.planned_end


class BedModel(RowTableModel):
    """The beds of a structure at a date (models.results.BedLine)."""

    ROOM, BED, STATUS, PERSON, AGE, HOUSEHOLD, RELATIONSHIP, ENTRY, PLANNED_END, NOTE = range(10)
    COLUMNS = (
        Column(N_("Room"), "room_name"),
        Column(N_("Bed"), "bed_label"),
        Column(N_("Status"), "status", display=lambda s: _(STATUS_LABELS.get(s, s))),
        Column(N_("Person"), _person),
        Column(N_("Age"), "age", kind=INT),  # replaced per instance: depends on the date
        Column(N_("Household"), _household),
        Column(N_("Relationship"), _occ("relationship"), display=relationship_label),
        Column(N_("Entry date"), _occ("entry_date"), kind=DATE),
        Column(N_("Planned end"), _end, kind=DATE),
        Column(N_("Note"), _note),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.day = dt.date.today()
        columns = list(self.columns)
        columns[self.AGE] = Column(N_("Age"), self._age, kind=INT)
        self.columns = tuple(columns)

    def _age(self, line: BedLine) -> int | None:
        o = line.occupant
        if o is None or o.birth_date is None:
            return None
        b = o.birth_date
        return self.day.year - b.year - ((self.day.month, self.day.day) < (b.month, b.day))

    def set_lines(self, day: dt.date, lines: Sequence[BedLine]) -> None:
        self.day = day
        self.set_rows(lines)

    def row_background(self, row: BedLine) -> QColor | None:
        hue = STATUS_HUES.get(row.status)
        return colours.tint(hue) if hue is not None else None

    def row_foreground(self, row: BedLine) -> QColor | None:
        if row.status not in ("out_of_service", "no_place"):
            return None
        background = self.row_background(row)
        return colours.muted(*([background] if background else colours.text_backgrounds()))


class CapacityModel(RowTableModel):
    """The capacity history of a structure (models.results.CapacityInfo)."""

    FROM, PLACES, NOTE = range(3)
    COLUMNS = (
        Column(N_("From"), "valid_from", kind=DATE),
        Column(N_("Places"), "places", kind=INT),
        Column(N_("Note"), "note"),
    )


class OutageModel(RowTableModel):
    """Periods in which a bed is out of service (models.results.BedOutageRow)."""

    ROOM, BED, FROM, UNTIL, REASON = range(5)
    COLUMNS = (
        Column(N_("Room"), "room_name"),
        Column(N_("Bed"), "bed_label"),
        Column(N_("From"), "start_date", kind=DATE),
        Column(
            N_("Until"),
            "end_date",
            kind=DATE,
            display=lambda d: format_short_date(d) if d else _("open"),
        ),
        Column(N_("Reason"), "reason"),
    )


def load_structure(backend: Backend, structure_id: int, day: dt.date) -> results.StructurePage:
    """Runs in a task: everything the structure page shows, in one read."""
    return backend.sheets.page(structure_id, day)


class StructurePage(QWidget):
    """Scheda struttura: a ``Page`` (views.page) of the main window.
    ``action_requested(action, placement_id, structure_id)`` asks the main window to open
    a workflow dialog; ``changes_made(Changes)`` tells it what was changed here."""

    HELP_ANCHOR = "structure"  # its section of the manual (views.help)

    action_requested = Signal(str, object, object)
    changes_made = Signal(object)

    def __init__(self, backend: Backend, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("structurePage")
        self.backend = backend
        self.runner = runner
        self.day = dt.date.today()
        self.structure_id: int | None = None
        self.data: results.StructurePage | None = None
        self._open = True  # the structure takes people on the day shown

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)

        self.title_label = QLabel(_("Choose a structure on the left."), self)
        self.title_label.setObjectName("structureTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        # Beside the title: the structure itself (Rete), its details, rooms and beds,
        # programme, closing.
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label, 1)
        layout.addLayout(title_row)

        details = QGridLayout()
        details.setHorizontalSpacing(16)
        self.programme_label = self._detail(details, 0, 0, _("Programme"), "structureProgramme")
        self.holder_label = self._detail(details, 1, 0, _("Holder"), "structureHolder")
        self.address_label = self._detail(details, 0, 2, _("Address"), "structureAddress")
        self.targets_label = self._detail(details, 1, 2, _("Target groups"), "structureTargets")
        details.setColumnStretch(1, 1)
        details.setColumnStretch(3, 1)
        layout.addLayout(details)

        self.network_buttons: dict[str, QPushButton] = {}
        for key, text in (
            ("edit_structure", _("Edit structure…")),
            ("rooms", _("Rooms and beds…")),
            ("move_structure", _("Move to another programme…")),
            ("close", _("Close structure…")),
        ):
            b = QPushButton(text, self)
            b.setObjectName(f"structure_{key}_button")
            b.clicked.connect(
                lambda _c=False, k=key: self.action_requested.emit(k, None, self.structure_id)
            )
            title_row.addWidget(b)
            self.network_buttons[key] = b

        tiles = QHBoxLayout()
        self.tiles = {
            "capacity": FigureTile(_("Places"), "structureTileCapacity"),
            "occupied": FigureTile(_("Occupied"), "structureTileOccupied"),
            "reserved": FigureTile(_("Reserved"), "structureTileReserved"),
            "out_of_service": FigureTile(_("Out of service"), "structureTileOut"),
            "free": FigureTile(_("Free"), "structureTileFree"),
        }
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        layout.addLayout(tiles)

        self.history_label = QLabel(self)
        self.history_label.setObjectName("structureHistoryNote")
        self.history_label.setStyleSheet(colours.note_style(colours.YELLOW) + " padding: 4px;")
        self.history_label.setWordWrap(True)
        self.history_label.hide()
        layout.addWidget(self.history_label)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("structureSplitter")
        layout.addWidget(split, 1)

        beds_box = QWidget(split)
        beds_layout = QVBoxLayout(beds_box)
        beds_layout.setContentsMargins(0, 0, 0, 0)
        self.beds_title = section_label(_("Beds"), beds_box)
        beds_layout.addWidget(self.beds_title)
        self.bed_model = BedModel(self)
        self.beds_table = make_table("structureBedsTable", beds_box)
        self.beds_table.setAccessibleName(_("Beds of the structure"))
        self.beds_proxy = SortFilterProxy(self.bed_model, self.beds_table)
        self.beds_table.setModel(self.beds_proxy)
        self.beds_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.beds_table.customContextMenuRequested.connect(self._bed_menu)
        self.beds_table.doubleClicked.connect(lambda _i: self._default_bed_action())
        self.beds_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons()
        )
        beds_layout.addWidget(self.beds_table, 1)
        buttons = QHBoxLayout()
        self.bed_buttons: dict[str, QPushButton] = {}
        for key, text in (
            ("placement", _("New placement…")),
            ("transfer", _("Transfer…")),
            ("exit", _("Exit…")),
            ("extension", _("Extension…")),
            ("correction", _("Correct…")),
            ("outage", _("Put bed out of service…")),
        ):
            b = QPushButton(text, beds_box)
            b.setObjectName(f"structure_{key}_button")
            b.clicked.connect(lambda _c=False, k=key: self._bed_action(k))
            buttons.addWidget(b)
            self.bed_buttons[key] = b
        buttons.addStretch(1)
        beds_layout.addLayout(buttons)

        tabs = QTabWidget(split)
        tabs.setObjectName("structureTabs")
        cap_box = QWidget()
        cap_layout = QVBoxLayout(cap_box)
        self.capacity_model = CapacityModel(self)
        self.capacity_table = make_table("structureCapacityTable", cap_box)
        self.capacity_table.setAccessibleName(_("Capacity history"))
        self.capacity_table.setModel(SortFilterProxy(self.capacity_model, self.capacity_table))
        cap_layout.addWidget(self.capacity_table, 1)
        self.capacity_button = QPushButton(_("Change capacity from a date…"), cap_box)
        self.capacity_button.setObjectName("changeCapacityButton")
        self.capacity_button.clicked.connect(self.change_capacity)
        row = QHBoxLayout()
        row.addWidget(self.capacity_button)
        row.addStretch(1)
        cap_layout.addLayout(row)
        tabs.addTab(cap_box, _("Capacity history"))
        out_box = QWidget()
        out_layout = QVBoxLayout(out_box)
        self.outage_model = OutageModel(self)
        self.outage_table = make_table("structureOutageTable", out_box)
        self.outage_table.setAccessibleName(_("Beds out of service"))
        self.outage_table.setModel(SortFilterProxy(self.outage_model, self.outage_table))
        out_layout.addWidget(self.outage_table, 1)
        self.end_outage_button = QPushButton(_("Back in service on the chosen date…"), out_box)
        self.end_outage_button.setObjectName("endOutageButton")
        self.end_outage_button.clicked.connect(self.end_outage)
        self.outage_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons()
        )
        row = QHBoxLayout()
        row.addWidget(self.end_outage_button)
        row.addStretch(1)
        out_layout.addLayout(row)
        tabs.addTab(out_box, _("Beds out of service"))
        self.tabs = tabs
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.splitter = split
        self._update_buttons()

    def _detail(self, grid: QGridLayout, row: int, col: int, caption: str, name: str) -> QLabel:
        cap = mute(QLabel(caption + ":", self))
        value = QLabel("—", self)
        value.setObjectName(name)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(cap, row, col)
        grid.addWidget(value, row, col + 1)
        return value

    # -- the Page interface -------------------------------------------------------------

    def set_backend(self, backend: Backend) -> None:
        """Another database: the structure shown was one of the old one."""
        self.backend = backend
        self.structure_id = None
        self.data = None
        self.title_label.setText(_("Choose a structure on the left."))
        for label in (self.programme_label, self.holder_label, self.address_label):
            label.setText("—")
        self.targets_label.setText("—")
        for tile in self.tiles.values():
            tile.set_value("—")
        self.history_label.hide()
        self.bed_model.set_lines(self.day, [])
        self.capacity_model.set_rows([])
        self.outage_model.set_rows([])
        self._update_buttons()

    def set_day(self, day: dt.date) -> None:
        self.day = day

    def set_selection(self, selection: Selection) -> None:
        """A structure chosen is shown; any other selection leaves the last one shown."""
        structure_id = selection.chosen_structure()
        if structure_id is not None:
            self.structure_id = structure_id

    def apply_changes(self, changes: Changes) -> None:
        if self.structure_id in changes.structures or changes.network:
            self.refresh()

    def selected_household_id(self) -> int | None:
        line = self.selected_line()
        return line.occupant.household_id if line is not None and line.occupant else None

    def set_context(self, day: dt.date, structure_id: int | None) -> None:
        """Show a structure at ``day`` now (a structure page without a window)."""
        self.day, self.structure_id = day, structure_id
        self.refresh()

    def refresh(self) -> None:
        if self.structure_id is None:
            return
        backend, sid, day = self.backend, self.structure_id, self.day
        self.runner.run(
            lambda: load_structure(backend, sid, day), on_success=self._show, key="structure"
        )

    def _show(self, data: results.StructurePage) -> None:
        self.data = data
        sh = data.sheet
        self.title_label.setText(structure_text(sh.code, sh.name))
        self.programme_label.setText(
            f"{sh.programme_name} ({sh.programme_code}, {programme_kind_label(sh.programme_kind)})"
        )
        self.holder_label.setText(sh.holder or "—")
        if sh.confidential:
            # Translators: the address of a protected (art. 18) apartment, never shown:
            # "Indirizzo protetto".
            self.address_label.setText(_("Confidential address") + f" · {sh.province}")
            self.address_label.setToolTip(
                _("The address of a protected apartment is not shown or printed.")
            )
        else:
            where = ", ".join(x for x in (sh.address, sh.comune) if x)
            self.address_label.setText(f"{where} ({sh.province})" if where else sh.province)
            self.address_label.setToolTip("")
        self.targets_label.setText(
            ", ".join(target_group_label(t) for t in sorted(sh.targets)) or "—"
        )
        for key in ("capacity", "occupied", "reserved", "out_of_service", "free"):
            self.tiles[key].set_value(str(getattr(sh, key)))
        previous = self.selected_line()
        self.bed_model.set_lines(sh.day, sh.beds)
        if previous is not None:
            self.select_bed(previous.bed_id)  # a refresh keeps the bed the coordinator was on
        self.beds_table.resizeColumnsToContents()
        self.beds_table.horizontalHeader().setSectionResizeMode(
            BedModel.NOTE, QHeaderView.ResizeMode.Stretch
        )
        self.beds_title.setText(_("Beds on {date}").format(date=format_date(sh.day, "full")))
        today = dt.date.today()
        notes = []
        info = data.info
        self._open = info.opened_on <= sh.day and (
            info.closed_on is None or sh.day <= info.closed_on
        )
        if info.closed_on is not None and sh.day > info.closed_on:
            notes.append(
                _("This structure was open until {date}: nobody can be placed in it after.").format(
                    date=format_date(info.closed_on, "long")
                )
            )
        elif sh.day < info.opened_on:
            notes.append(
                _("This structure opened on {date}.").format(
                    date=format_date(info.opened_on, "long")
                )
            )
        if not sh.beds and self._open:
            notes.append(
                _(
                    "This structure has no beds yet: add its rooms and beds with “{button}” above."
                ).format(button=_("Rooms and beds…").replace("&", ""))
            )
        if sh.day != today:
            notes.append(
                (
                    _("History: who was there on {date}.")
                    if sh.day < today
                    else _("Situation planned for {date}.")
                ).format(date=format_date(sh.day, "long"))
                + " "
                + _("Press “Today” to come back to today.")
            )
        self.history_label.setText(" ".join(notes))
        self.history_label.setVisible(bool(notes))
        self.capacity_model.set_rows(data.capacity)
        self.outage_model.set_rows(data.outages)
        self._update_buttons()

    # -- beds -----------------------------------------------------------------------------

    def selected_line(self) -> BedLine | None:
        rows = self.beds_table.selectionModel().selectedRows()
        if not rows:
            return None
        line: BedLine = rows[0].data(ROW_ROLE)
        return line

    def selected_placement_id(self) -> int | None:
        line = self.selected_line()
        return (
            line.occupant.placement_id if line is not None and line.occupant is not None else None
        )

    def select_bed(self, bed_id: int) -> bool:
        for r in range(self.beds_proxy.rowCount()):
            if self.beds_proxy.row_at(r).bed_id == bed_id:
                self.beds_table.selectRow(r)
                return True
        return False

    def _update_buttons(self) -> None:
        line = self.selected_line()
        occupied = line is not None and line.status == "occupied"
        # What the signed-in user's role allows here (models.access); the models refuse
        # the rest anyway.
        who = self.backend.principal if self.backend is not None else OWNER
        programme = self.data.info.programme_id if self.data is not None else None
        places = who.may_place(programme)
        network = who.may_edit_network(programme)
        for key in ("transfer", "exit", "extension", "correction"):
            self.bed_buttons[key].setEnabled(occupied and places)
        self.bed_buttons["outage"].setEnabled(
            network and line is not None and line.status in ("free", "no_place")
        )
        self.bed_buttons["placement"].setEnabled(
            places and self.structure_id is not None and self._open
        )
        self.bed_buttons["placement"].setToolTip(
            ""
            if self._open
            else _("Nobody can be placed here on this date: the structure is closed.")
        )
        self.capacity_button.setEnabled(network and self.structure_id is not None)
        for button in self.network_buttons.values():
            button.setEnabled(network and self.structure_id is not None)
        outage = self.selected_outage()
        self.end_outage_button.setEnabled(
            network
            and outage is not None
            and (outage.end_date is None or outage.end_date > self.day)
            and outage.start_date < self.day
        )

    def _default_bed_action(self) -> None:
        line = self.selected_line()
        if line is not None and line.status == "occupied":
            self._bed_action("transfer")
        elif line is not None and line.status == "free":
            self._bed_action("placement")

    def _bed_action(self, key: str) -> None:
        if key == "outage":
            self.put_out_of_service()
            return
        self.action_requested.emit(key, self.selected_placement_id(), self.structure_id)

    def _bed_menu(self, pos: QPoint) -> None:
        index = self.beds_table.indexAt(pos)
        if index.isValid():
            self.beds_table.selectRow(index.row())
        line = self.selected_line()
        menu = QMenu(self)
        menu.setObjectName("bedMenu")
        if line is not None:
            for key in ("transfer", "exit", "extension", "correction", "placement", "outage"):
                button = self.bed_buttons[key]
                act = QAction(button.text(), menu)
                act.setEnabled(button.isEnabled())
                act.triggered.connect(lambda _c=False, k=key: self._bed_action(k))
                menu.addAction(act)
                if key == "correction":
                    menu.addSeparator()
            menu.addSeparator()
        from .table_export import export_action

        export = export_action(self.beds_table)
        if export is not None:
            menu.addAction(export)
        if not menu.isEmpty():
            menu.popup(self.beds_table.viewport().mapToGlobal(pos))

    # -- changes made here -------------------------------------------------------------

    def change_capacity(self) -> None:
        if self.structure_id is None:
            return
        from .dialogs.capacity_dialog import CapacityDialog

        current = self.data.sheet.capacity if self.data is not None else 0
        dlg = CapacityDialog(self.day, current, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        day, places, note = dlg.values()
        backend, sid = self.backend, self.structure_id

        def change() -> str | None:
            backend.structures.set_capacity(sid, day, places, note)
            return backend.structures.capacity_warning(sid, day)

        saved = ngettext(
            "Places saved: {structure}, {n} place from {date}",
            "Places saved: {structure}, {n} places from {date}",
            places,
        ).format(structure=self._code(), n=places, date=format_short_date(day))
        self.runner.run(
            change, on_success=lambda warning: self._capacity_changed(sid, warning, saved)
        )

    def _capacity_changed(self, structure_id: int, warning: str | None, saved: str) -> None:
        self._changed(structure_id, saved)
        if warning:  # recorded: the places are decided by others, the people are there
            messages.get().warning(warning, parent=self)

    def put_out_of_service(self) -> None:
        line = self.selected_line()
        if line is None or line.status != "free":
            return
        from .dialogs.outage_dialog import OutageDialog

        dlg = OutageDialog(f"{line.room_name} · {line.bed_label}", self.day, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        start, end, reason = dlg.values()
        backend, bed_id, sid = self.backend, line.bed_id, self.structure_id
        saved = _("Bed out of service: {structure}, {bed}, from {date}").format(
            structure=self._code(),
            bed=f"{line.room_name} · {line.bed_label}",
            date=format_short_date(start),
        )
        self.runner.run(
            lambda: backend.structures.put_bed_out_of_service(bed_id, start, end, reason),
            on_success=lambda _r: self._changed(sid, saved),
            on_failure=lambda exc: report_failure(exc, self, refused_write=True),
        )

    def selected_outage(self) -> BedOutageRow | None:
        rows = self.outage_table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def end_outage(self) -> None:
        """The bed is usable again from the date at the top of the window."""
        outage = self.selected_outage()
        if outage is None:
            return
        question = _("Put bed {bed} of {room} back in service from {date}?").format(
            bed=outage.bed_label, room=outage.room_name, date=format_date(self.day)
        )
        if not messages.get().confirm(question, parent=self):
            return
        backend, outage_id, day, sid = self.backend, outage.outage_id, self.day, self.structure_id
        saved = _("Bed back in service: {structure}, {bed}, from {date}").format(
            structure=self._code(),
            bed=f"{outage.room_name} · {outage.bed_label}",
            date=format_short_date(day),
        )
        self.runner.run(
            lambda: backend.structures.end_bed_outage(outage_id, day),
            on_success=lambda _r: self._changed(sid, saved),
        )

    def _code(self) -> str:
        return self.data.sheet.code if self.data is not None else ""

    def _changed(self, structure_id: int | None, message: str = "") -> None:
        """A change made here: this page reads it again, the window tells the others (and
        the status bar says what was saved)."""
        if structure_id is None:
            return
        changes = Changes(structures=frozenset({structure_id}), message=message)
        self.apply_changes(changes)
        self.changes_made.emit(changes)
