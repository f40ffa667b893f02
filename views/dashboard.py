"""The dashboard (cruscotto): occupancy at the chosen date for the selection in the navigation.

Figures for the selection, occupancy per province and per programme with a bar per row,
free beds by target group, placements ending within 30 days, and the occupancy of the
last months as a chart. Everything comes from grouped queries (a fixed number of
statements whatever the size of the network) and is loaded by the task runner; the chart,
which reads a year of bed stays, is loaded separately so the tables never wait for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.formatting import format_date, format_number, format_percent
from models.i18n import N_, _, ngettext
from models.labels import target_group_label
from models.results import (
    Changes,
    ComingOfAge,
    ExpiringPlacement,
    OccupancyRow,
    StructureInfo,
    StructureOccupancyRow,
    TargetFreeRow,
    WaitingGroupRow,
)

from . import colours
from .names import structure_text
from .selection import NETWORK, Selection
from .table_models import DATE, INT, PERCENT, ROW_ROLE, Column, RowTableModel, SortFilterProxy
from .tasks import TaskRunner
from .widgets import (
    FigureTile,
    MonthlyChart,
    RateBarDelegate,
    keep_columns_whole,
    make_table,
    mute,
    section_label,
)

if TYPE_CHECKING:
    from models.backend import Backend

EXPIRING_WITHIN_DAYS = 30
COMING_OF_AGE_WITHIN_DAYS = 60


def _rate(row: OccupancyRow) -> float | None:
    return row.rate


class OccupancyModel(RowTableModel):
    """Occupancy rows (models.results.OccupancyRow) grouped by province or programme."""

    LABEL, STRUCTURES, CAPACITY, OCCUPIED, RESERVED, OUT, FREE, RATE = range(8)

    def __init__(self, first_title: str, parent: QObject | None = None) -> None:
        super().__init__(
            parent,
            columns=(
                Column(first_title, "label"),
                Column(N_("Structures"), "structures", kind=INT),
                Column(
                    N_("Places"),
                    "capacity",
                    kind=INT,
                    tooltip=N_("Places authorised on the date"),
                ),
                Column(N_("Occupied"), "occupied", kind=INT),
                Column(N_("Reserved"), "reserved", kind=INT),
                Column(N_("Out of service"), "out_of_service", kind=INT),
                Column(N_("Free"), "free", kind=INT),
                Column(
                    N_("Rate"),
                    _rate,
                    kind=PERCENT,
                    tooltip=N_("Occupied beds out of the places authorised"),
                ),
            ),
        )


def _target_groups(groups: tuple[str, ...]) -> str:
    return ", ".join(target_group_label(g) for g in groups)


class StructureModel(RowTableModel):
    """Every structure of the selection with its free places (models.results.
    StructureOccupancyRow): where a bed can be found, without opening each structure."""

    CODE, NAME, FREE, CAPACITY, OCCUPIED, RESERVED, OUT, END, PROVINCE, PROGRAMME, TARGETS = range(
        11
    )
    # What a coordinator looking for a bed reads first comes first: free places, the
    # figures behind them, when the next bed frees up; where it is, last.
    COLUMNS = (
        Column(N_("Code"), "code"),
        Column(N_("Structure"), "name"),
        Column(N_("Free"), "free", kind=INT),
        Column(N_("Places"), "capacity", kind=INT, tooltip=N_("Places authorised on the date")),
        Column(N_("Occupied"), "occupied", kind=INT),
        Column(N_("Reserved"), "reserved", kind=INT),
        Column(N_("Out of service"), "out_of_service", kind=INT),
        Column(
            N_("Next end"),
            "next_end",
            kind=DATE,
            tooltip=N_("The nearest planned end, scheduled exit or transfer of its placements"),
        ),
        Column(N_("Province"), "province"),
        Column(N_("Programme"), "programme_code"),
        Column(N_("Target groups"), "target_groups", display=_target_groups),
    )

    def row_foreground(self, row: StructureOccupancyRow) -> QColor | None:
        return colours.good() if row.free > 0 else None


class TargetModel(RowTableModel):
    """Free beds by target group (models.results.TargetFreeRow)."""

    TARGET, STRUCTURES, CAPACITY, OCCUPIED, FREE = range(5)
    COLUMNS = (
        Column(N_("Target group"), "target", display=target_group_label),
        Column(N_("Structures"), "structures", kind=INT),
        Column(N_("Places"), "capacity", kind=INT),
        Column(N_("Occupied"), "occupied", kind=INT),
        Column(N_("Free"), "free", kind=INT),
    )

    def row_foreground(self, row: TargetFreeRow) -> QColor | None:
        return colours.bad() if row.free == 0 else None


def end_kind_label(kind: str) -> str:
    if kind == "exit":
        return _("scheduled exit")
    if kind == "transfer":
        return _("scheduled transfer")
    return _("planned end")


class ExpiringModel(RowTableModel):
    """Placements whose planned end is near (models.results.ExpiringPlacement)."""

    END, DAYS, KIND, HOUSEHOLD, REFERENCE, PEOPLE, STRUCTURE, PROGRAMME = range(8)
    COLUMNS = (
        Column(N_("Planned end"), "planned_end", kind=DATE),
        Column(N_("Days left"), "days_left", kind=INT),
        Column(N_("End"), lambda r: end_kind_label(r.kind)),
        Column(N_("Household"), "household_code"),
        Column(N_("Reference person"), "reference_name"),
        Column(N_("People"), "people", kind=INT),
        Column(N_("Structure"), lambda r: structure_text(r.structure_code, r.structure_name)),
        Column(N_("Programme"), "programme_code"),
    )

    def row_foreground(self, row: ExpiringPlacement) -> QColor | None:
        return colours.warning() if row.days_left <= 7 else None


def coming_of_age_state(row: ComingOfAge, day: dt.date) -> str:
    if row.adult_on(day):
        return _("of age (neomaggiorenne)")
    days = (row.eighteenth - day).days
    return ngettext("turns 18 in {n} day", "turns 18 in {n} days", days).format(n=days)


class ComingOfAgeModel(RowTableModel):
    """MSNA: minors turning 18 soon and those of age still placed (models.results.ComingOfAge)."""

    day: dt.date = dt.date.today()
    NAME, CODE, EIGHTEEN, STATE, PLANNED, RULE, NOTE, STRUCTURE, PROGRAMME = range(9)

    def __init__(self, parent: QObject | None = None) -> None:
        columns = (
            Column(N_("Person"), "name"),
            Column(N_("Code"), "person_code"),
            Column(N_("18 on"), "eighteenth", kind=DATE),
            Column(N_("State"), lambda r: coming_of_age_state(r, self.day)),
            Column(N_("Planned end"), "planned_end", kind=DATE),
            Column(N_("End by the SAI rules"), "rule_end", kind=DATE),
            Column(
                N_("Note"),
                lambda r: _("planned beyond the rules, no extension") if r.beyond_rule else "",
            ),
            Column(N_("Structure"), lambda r: structure_text(r.structure_code, r.structure_name)),
            Column(N_("Programme"), "programme_code"),
        )
        super().__init__(parent, columns=columns)

    def row_foreground(self, row: ComingOfAge) -> QColor | None:
        return colours.warning() if row.beyond_rule else None


def _days(value: float | None) -> str:
    return format_number(round(value)) if value is not None else "—"


class WaitingModel(RowTableModel):
    """The waiting list by target group (models.results.WaitingGroupRow)."""

    COLUMNS = (
        Column(
            N_("Target group"),
            "target_group",
            display=lambda v: target_group_label(v) if v else _("not given"),
        ),
        Column(N_("Waiting"), "waiting", kind=INT),
        Column(N_("Median wait so far (days)"), "median_days_waiting", kind=INT, display=_days),
        Column(N_("Placed in the last year"), "placed", kind=INT),
        Column(
            N_("Median wait to a place (days)"), "median_days_to_place", kind=INT, display=_days
        ),
    )


@dataclass(frozen=True, slots=True)
class DashboardData:
    """Every table of the dashboard, loaded together in a task."""

    day: dt.date
    total: OccupancyRow  # the whole selection
    provinces: list[OccupancyRow]
    programmes: list[OccupancyRow]
    targets: list[TargetFreeRow]
    expiring: list[ExpiringPlacement]
    structures: list[StructureOccupancyRow]
    coming_of_age: list[ComingOfAge]
    waiting: list[WaitingGroupRow] = field(default_factory=list)


def load_dashboard(backend: Backend, day: dt.date, selection: Selection) -> DashboardData:
    """Runs in a task: every table of the dashboard for ``selection`` at ``day``."""
    province, programme_code = selection.province, selection.programme_code
    structure_id = selection.chosen_structure()
    # Sent together: one round trip to the shared server.
    overview, expiring, coming_of_age, waiting = backend.read_together(
        backend.occupancy.overview_reading(
            day, province=province, programme_code=programme_code, structure_id=structure_id
        ),
        backend.presence.expiring_reading(
            day,
            EXPIRING_WITHIN_DAYS,
            province=province,
            programme_code=programme_code,
            structure_id=structure_id,
        ),
        backend.presence.coming_of_age_reading(
            day,
            COMING_OF_AGE_WITHIN_DAYS,
            province=province,
            programme_code=programme_code,
            structure_id=structure_id,
        ),
        backend.waiting_list.summary_reading(),
    )
    return DashboardData(
        day,
        overview.total,
        overview.provinces,
        overview.programmes,
        overview.targets,
        expiring,
        overview.structures,
        coming_of_age,
        waiting,
    )


class DashboardPage(QWidget):
    """Cruscotto: a ``Page`` (views.page) of the main window.
    ``structure_requested(structure_id)`` asks to open a structure,
    ``programme_requested(code)`` to select a programme, ``province_requested(province)``
    a province (of the selected programme, if any)."""

    HELP_ANCHOR = "dashboard"  # its section of the manual (views.help)

    structure_requested = Signal(int)
    programme_requested = Signal(str)
    province_requested = Signal(str)
    months_changed = Signal(int)

    def __init__(
        self,
        backend: Backend | None,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        months: int = 12,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.backend = backend
        self.runner = runner
        self.day = dt.date.today()
        self.selection = Selection()
        self.data: DashboardData | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)

        self.title_label = QLabel(body)
        self.title_label.setObjectName("dashboardTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        layout.addWidget(self.title_label)

        self.empty_note = QLabel(body)
        self.empty_note.setObjectName("dashboardEmptyNote")
        self.empty_note.setWordWrap(True)
        # Its style sheet is set when it is first shown (rarely: an empty database), not
        # before the window's first paint (see views.widgets.mute).
        self.empty_note.setText(
            _(
                "No structure is open on this date. Choose another date in the bar above, or "
                "open another database with File › Open database… (Ctrl+O); a new database "
                "stays empty until the office's structures are recorded in it."
            )
        )
        self.empty_note.hide()
        layout.addWidget(self.empty_note)

        tiles = QHBoxLayout()
        self.tiles = {
            # Translators: the places authorised ("Posti"), the one word for this figure; never
            # "Capienza".
            "capacity": FigureTile(_("Places"), "tileCapacity"),
            "occupied": FigureTile(_("Occupied"), "tileOccupied"),
            "reserved": FigureTile(_("Reserved"), "tileReserved"),
            "out_of_service": FigureTile(_("Out of service"), "tileOutOfService"),
            "free": FigureTile(_("Free"), "tileFree"),
            "rate": FigureTile(_("Occupancy rate"), "tileRate"),
        }
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        layout.addLayout(tiles)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        layout.addLayout(grid, 1)

        self.province_model = OccupancyModel(N_("Province"), self)
        self.province_table = self._table(
            "dashboardProvinceTable", self.province_model, OccupancyModel.RATE
        )
        self.province_table.setAccessibleName(_("Occupancy by province"))
        self.programme_model = OccupancyModel(N_("Programme"), self)
        self.programme_table = self._table(
            "dashboardProgrammeTable", self.programme_model, OccupancyModel.RATE
        )
        self.programme_table.setAccessibleName(_("Occupancy by programme"))
        self.programme_table.setToolTip(_("Double-click a programme to see its figures."))
        self.programme_table.doubleClicked.connect(self._open_programme)
        self.province_table.setToolTip(_("Double-click a province to see its figures."))
        self.province_table.doubleClicked.connect(self._open_province)
        self.structure_model = StructureModel(self)
        self.structure_table = self._table("dashboardStructureTable", self.structure_model)
        self.structure_table.setAccessibleName(_("Occupancy by structure"))
        self.structure_table.setToolTip(_("Double-click a structure to open it."))
        self.structure_table.doubleClicked.connect(self._open_structure)
        header = self.structure_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        # The target groups can be long ("nuclei monogenitoriali, donne…"): last, taking
        # the room left, cut, with the whole list in the cell's tooltip.
        header.setSectionResizeMode(StructureModel.TARGETS, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.group_tabs = QTabWidget(body)
        self.group_tabs.setObjectName("dashboardGroupTabs")
        self.group_tabs.addTab(self.province_table, _("By province"))
        self.group_tabs.addTab(self.programme_table, _("By programme"))
        self.group_tabs.addTab(self.structure_table, _("Structures"))
        grid.addWidget(self.group_tabs, 0, 0, 2, 2)

        self.target_model = TargetModel(self)
        self.target_table = self._table("dashboardTargetTable", self.target_model)
        self.target_table.setAccessibleName(_("Free places by target group"))
        # Beside the chart, it would be squeezed until its first title is cut; the wide
        # tables above scroll instead (they hold many columns).
        keep_columns_whole(self.target_table)
        explanation = _(
            "A structure for several target groups is counted under each of them: "
            "these rows do not add up to the network's free places."
        )
        self.target_table.setAccessibleDescription(explanation)
        grid.addWidget(section_label(_("Free places by target group")), 2, 0)
        target_box = QWidget(body)
        target_lay = QVBoxLayout(target_box)
        target_lay.setContentsMargins(0, 0, 0, 0)
        target_lay.setSpacing(2)
        target_lay.addWidget(self.target_table, 1)
        self.target_note = mute(QLabel(explanation, target_box))
        self.target_note.setObjectName("dashboardTargetNote")
        self.target_note.setWordWrap(True)
        target_lay.addWidget(self.target_note)
        grid.addWidget(target_box, 3, 0)

        chart_head = QHBoxLayout()
        self.chart_title = section_label(_("Occupancy, month by month"))
        self.chart_title.setWordWrap(True)  # on two lines rather than widen the page
        chart_head.addWidget(self.chart_title)
        chart_head.addStretch(1)
        self.months_combo = QComboBox(body)
        self.months_combo.setObjectName("dashboardMonths")
        for n in (6, 12, 24, 36):
            self.months_combo.addItem(
                ngettext("last {n} month", "last {n} months", n).format(n=n), n
            )
        self.months_combo.setCurrentIndex(max(0, self.months_combo.findData(months)))
        self.months_combo.currentIndexChanged.connect(self._months_changed)
        chart_head.addWidget(self.months_combo)
        grid.addLayout(chart_head, 2, 1)
        self.chart = MonthlyChart(body)
        self.chart.setObjectName("dashboardChart")
        grid.addWidget(self.chart, 3, 1)

        self.expiring_label = section_label(_("Planned ends within 30 days"))
        grid.addWidget(self.expiring_label, 4, 0, 1, 2)
        self.expiring_model = ExpiringModel(self)
        self.expiring_table = self._table("dashboardExpiringTable", self.expiring_model)
        self.expiring_table.setAccessibleName(_("Planned ends within 30 days"))
        self.expiring_table.setToolTip(_("Double-click a row to open its structure."))
        self.expiring_table.doubleClicked.connect(self._open_expiring)
        grid.addWidget(self.expiring_table, 5, 0, 1, 2)

        # MSNA: shown when the selection has minors coming of age or of age (neomaggiorenni).
        self.coming_label = section_label(_("Unaccompanied minors turning 18 within 60 days"))
        self.coming_label.setObjectName("dashboardComingOfAgeLabel")
        grid.addWidget(self.coming_label, 6, 0, 1, 2)
        self.coming_model = ComingOfAgeModel(self)
        self.coming_table = self._table("dashboardComingOfAgeTable", self.coming_model)
        self.coming_table.setAccessibleName(
            _("Unaccompanied minors turning 18 within 60 days, and those of age still placed")
        )
        self.coming_table.setToolTip(
            _(
                "After the 18th birthday an MSNA placement runs on for six months by the SAI "
                "rules, unless it is extended. Double-click a row to open its structure."
            )
        )
        self.coming_table.doubleClicked.connect(self._open_coming_of_age)
        grid.addWidget(self.coming_table, 7, 0, 1, 2)
        self.coming_label.hide()
        self.coming_table.hide()
        # The waiting list (lista d'attesa): shown when requests wait or were placed lately.
        self.waiting_label = section_label(_("Waiting list"))
        self.waiting_label.setObjectName("dashboardWaitingLabel")
        grid.addWidget(self.waiting_label, 8, 0, 1, 2)
        self.waiting_model = WaitingModel(self)
        self.waiting_table = self._table("dashboardWaitingTable", self.waiting_model)
        self.waiting_table.setAccessibleName(_("Requests waiting and median wait by target group"))
        self.waiting_table.setToolTip(_("View › Waiting list… lists the requests themselves."))
        # Every title whole, each column as wide as its title or contents (the table
        # scrolls rather than widen the page).
        self.waiting_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        grid.addWidget(self.waiting_table, 9, 0, 1, 2)
        self.waiting_label.hide()
        self.waiting_table.hide()
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 3)
        grid.setRowStretch(5, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def _table(self, name: str, model: RowTableModel, rate_column: int | None = None) -> QTableView:
        view = make_table(name, self)
        proxy = SortFilterProxy(model, view)
        view.setModel(proxy)
        view.setMinimumHeight(150)
        if rate_column is not None:
            view.setItemDelegateForColumn(rate_column, RateBarDelegate(view))
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return view

    # -- the Page interface -------------------------------------------------------------

    def set_backend(self, backend: Backend) -> None:
        self.backend = backend

    def set_day(self, day: dt.date) -> None:
        self.day = day

    def set_selection(self, selection: Selection) -> None:
        self.selection = selection

    def apply_changes(self, changes: Changes) -> None:
        """Every change counts somewhere in the figures of the network."""
        self.refresh()

    def selected_household_id(self) -> int | None:
        return None

    def selected_placement_id(self) -> int | None:
        return None

    def set_context(self, day: dt.date, selection: Selection) -> None:
        """Show ``selection`` at ``day`` now (a dashboard without a window)."""
        self.set_day(day)
        self.set_selection(selection)
        self.refresh()

    def refresh(self) -> None:
        day, selection, backend = self.day, self.selection, self.backend
        if backend is None:
            return
        # Translators: "Occupazione al {date}" ("all'8 dicembre" is written by itself).
        self.title_label.setText(_("Occupancy on {date}").format(date=format_date(day, "long")))
        self.runner.run(
            lambda: load_dashboard(backend, day, selection), on_success=self._show, key="dashboard"
        )
        self._load_chart()

    def months(self) -> int:
        return int(self.months_combo.currentData() or 12)

    def _load_chart(self) -> None:
        day, selection, backend, months = self.day, self.selection, self.backend, self.months()
        if backend is None:
            return
        self.chart.set_message(_("Loading…"))
        self.runner.run(
            lambda: backend.occupancy.monthly(
                day,
                months,
                province=selection.province,
                programme_code=selection.programme_code,
                structure_id=selection.chosen_structure(),
            ),
            on_success=self.chart.set_points,
            key="dashboard-chart",
        )

    def _months_changed(self) -> None:
        self.months_changed.emit(self.months())
        self._load_chart()

    def _show(self, data: DashboardData) -> None:
        self.data = data
        t = data.total
        empty = t.structures == 0 and self.selection.kind == NETWORK
        if empty and not self.empty_note.styleSheet():
            self.empty_note.setStyleSheet(colours.note_style(colours.BLUE) + " padding: 8px;")
        self.empty_note.setVisible(empty)
        self.tiles["capacity"].set_value(format_number(t.capacity))
        self.tiles["occupied"].set_value(format_number(t.occupied))
        self.tiles["reserved"].set_value(format_number(t.reserved))
        self.tiles["out_of_service"].set_value(format_number(t.out_of_service))
        self.tiles["free"].set_value(format_number(t.free))
        self.tiles["rate"].set_value(format_percent(t.rate))
        self.province_model.set_rows(data.provinces)
        self.programme_model.set_rows(data.programmes)
        self.target_model.set_rows(data.targets)
        self.expiring_model.set_rows(data.expiring)
        self.structure_model.set_rows(data.structures)
        self.group_tabs.setTabText(
            self.group_tabs.indexOf(self.structure_table),
            _("Structures") + f" ({format_number(len(data.structures))})",
        )
        self.expiring_label.setText(
            _("Planned ends within 30 days") + f"  ({format_number(len(data.expiring))})"
        )
        self.coming_model.day = data.day
        self.coming_model.set_rows(data.coming_of_age)
        shown = bool(data.coming_of_age)
        self.coming_label.setVisible(shown)
        self.coming_table.setVisible(shown)
        coming_header = self.coming_table.horizontalHeader()
        coming_header.setSectionResizeMode(
            ComingOfAgeModel.NAME, QHeaderView.ResizeMode.ResizeToContents
        )
        coming_header.setSectionResizeMode(
            ComingOfAgeModel.STRUCTURE, QHeaderView.ResizeMode.Stretch
        )
        if shown:
            adults = sum(1 for r in data.coming_of_age if r.adult_on(data.day))
            self.coming_label.setText(
                _("Unaccompanied minors turning 18 within 60 days")
                + f"  ({format_number(len(data.coming_of_age) - adults)})  · "
                + _("of age and still placed (neomaggiorenni)")
                + f"  ({format_number(adults)})"
            )
        self.waiting_model.set_rows(data.waiting)
        self.waiting_label.setVisible(bool(data.waiting))
        self.waiting_table.setVisible(bool(data.waiting))
        if data.waiting:
            self.waiting_label.setText(
                _("Waiting list") + f"  ({format_number(sum(r.waiting for r in data.waiting))})"
            )
        header = self.expiring_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ExpiringModel.STRUCTURE, QHeaderView.ResizeMode.Stretch)
        # The structure gives way down to its title, then the table scrolls (not the page).
        header.setMinimumSectionSize(header.sectionSizeHint(ExpiringModel.STRUCTURE))

    def _open_programme(self, index: QModelIndex) -> None:
        row: OccupancyRow | None = self.programme_table.model().index(index.row(), 0).data(ROW_ROLE)
        if row is not None:
            self.programme_requested.emit(row.programme_code)

    def _open_province(self, index: QModelIndex) -> None:
        row: OccupancyRow | None = self.province_table.model().index(index.row(), 0).data(ROW_ROLE)
        if row is not None:
            self.province_requested.emit(row.province)

    def _open_structure(self, index: QModelIndex) -> None:
        row: StructureOccupancyRow | None = (
            self.structure_table.model().index(index.row(), 0).data(ROW_ROLE)
        )
        if row is not None:
            self.structure_requested.emit(row.structure_id)

    def _open_expiring(self, index: QModelIndex) -> None:
        row: ExpiringPlacement | None = (
            self.expiring_table.model().index(index.row(), 0).data(ROW_ROLE)
        )
        backend = self.backend
        if row is None or backend is None:
            return
        code = row.structure_code
        self.runner.run(
            lambda: backend.directory.structure_by_code(code),
            on_success=self._structure_found,
        )

    def _open_coming_of_age(self, index: QModelIndex) -> None:
        row: ComingOfAge | None = self.coming_table.model().index(index.row(), 0).data(ROW_ROLE)
        backend = self.backend
        if row is None or backend is None:
            return
        code = row.structure_code
        self.runner.run(
            lambda: backend.directory.structure_by_code(code),
            on_success=self._structure_found,
        )

    def _structure_found(self, structure: StructureInfo | None) -> None:
        if structure is not None:
            self.structure_requested.emit(structure.id)
