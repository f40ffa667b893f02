"""Where people go: a programme, then one of its structures, each saying how many beds are
free and whether the household fits, and why not.

Everything here is read through the task runner: the programmes once, then the
structures of the programme shown with their fit, again whenever the programme or the
question (who, from when, until when) changes; only the latest answer is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.i18n import _
from models.results import FitReport, ProgrammeInfo, StructureInfo, StructureSheet

from ..colours import bad, good, warning
from .context import DialogContext
from .tables import cell, keep_titles_whole, ro_item, setup_table
from .texts import short_reason, targets_text

if TYPE_CHECKING:
    from models.backend import Backend

T = TypeVar("T")


@dataclass(frozen=True)
class FitQuestion:
    """Who should fit (the household, or some of its members), from ``day`` up to
    ``until`` (the planned end; open-ended when None). With ``until_programme``, ``until``
    holds in that programme only and the others are open-ended (a transfer keeps its
    placement's planned end within its programme)."""

    household_id: int | None
    person_ids: tuple[int, ...] | None
    day: dt.date
    until: dt.date | None = None
    until_programme: int | None = None


@dataclass(frozen=True)
class FitAnswer:
    """The structures of a programme and, when a question was asked, their fit."""

    programme_id: int
    structures: list[StructureInfo]
    question: FitQuestion | None
    free: dict[int, int]
    reports: dict[int, FitReport]
    # The beds of the destination asked for with the fit (``sheet_of``), on the
    # question's day; None when not asked for or gone.
    sheet: StructureSheet | None = None


def read_fit(
    backend: Backend,
    programme_id: int,
    structures: list[StructureInfo] | None,
    question: FitQuestion | None,
    programme_code: str | None = None,
    sheet_of: int | None = None,
) -> FitAnswer:
    """Runs in a worker: the programme's structures (unless known), their free beds and
    whether the people of ``question`` fit each of them. With the programme's code
    (``programme_code``) or its structures known, all of it goes together: the people
    and the structures in one round trip, the rest in another, with the beds of the
    structure ``sheet_of`` on the question's day (the destination already chosen) when
    given."""
    free: dict[int, int] = {}
    reports: dict[int, FitReport] = {}
    if structures is None and (question is None or programme_code is None):
        structures = backend.directory.structures(programme_id=programme_id)
    if question is None or (structures is not None and not structures):
        return FitAnswer(programme_id, structures or [], question, free, reports)
    code = structures[0].programme_code if structures else programme_code
    readings = []
    if structures is None:
        readings.append(backend.directory.structures_reading(programme_id=programme_id))
    readings.append(backend.occupancy.at_reading(question.day, programme_code=code))
    wanted = question.person_ids
    fit = question.household_id is not None and (wanted is None or bool(wanted))
    if fit:
        # Every structure at once, in a few statements whatever their number; the
        # free beds go with the last of them.
        readings.append(
            backend.placements.fit_many_reading(
                question.household_id,  # type: ignore[arg-type]
                None if structures is None else [st.id for st in structures],
                question.day,
                person_ids=wanted,
                until=question.until,
                until_programme=question.until_programme,
                programme_id=programme_id,
            )
        )
    if sheet_of is not None:
        readings.append(backend.sheets.sheet_reading(sheet_of, question.day))
    found = backend.read_together(*readings)
    sheet = found.pop() if sheet_of is not None else None
    if structures is None:
        structures = found.pop(0)
    free = {
        r.structure_id: r.free
        for r in found[0]
        if r.structure_id is not None  # rows by structure always name it
    }
    if fit:
        reports = found[1]
    return FitAnswer(programme_id, structures, question, free, reports, sheet)


def programmes_readings(
    backend: Backend, day: dt.date, structure_id: int | None = None
) -> list[Callable[..., object]]:
    """The reads of ``read_programmes``, to be sent with others (``read_together``)."""
    readings: list[Callable[..., object]] = [
        backend.directory.programmes_with_open_structures_reading(day),
        backend.directory.programmes_reading(),
    ]
    if structure_id is not None:
        readings.append(backend.directory.programme_of_structure_reading(structure_id))
    return readings


def read_programmes(backend: Backend, day: dt.date) -> tuple[set[int], list[ProgrammeInfo]]:
    """Runs in a worker: the ids of the programmes with a structure open on ``day``, and
    every programme; one round trip."""
    open_ids, programmes = backend.read_together(*programmes_readings(backend, day))
    return open_ids, programmes


def read_last_programme(backend: Backend, household_id: int) -> int | None:
    """Runs in a worker: the programme of the household's latest placement, the usual one
    for its next step."""
    placements = [
        p
        for p in backend.directory.placements_of_household(household_id)
        if p.status != "cancelled"
    ]
    return placements[-1].programme_id if placements else None


class StructureChooser(QWidget):
    """Programme, then structure: every structure says whether the household fits, and why not."""

    structure_changed = Signal()
    COL_NAME, COL_PROV, COL_FOR, COL_FREE, COL_FIT = range(5)

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        structure_id: int | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        programmes_from_opener: bool = False,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.on_failure = on_failure
        self.computing = False
        self.free: dict[int, int] = {}
        self.reports: dict[int, FitReport] = {}
        self.structures: list[StructureInfo] = []
        self.user_chose_programme = False
        self._programmes_read = False
        self._programme_ids: dict[str, int] = {}  # code -> id
        self._listed: int | None = None  # the programme whose structures are in the table
        self._wanted_structure = structure_id  # selected as soon as it is listed
        self._wanted_programme: int | None = None  # asked for before the programmes came
        self._question: FitQuestion | None = None
        # The beds of the structure asked for, read with its fit: (structure, day, sheet).
        self._sheet: tuple[int, dt.date, StructureSheet] | None = None
        self._asked: tuple[int | None, str | None] = (None, None)  # see programmes_readings
        # A transfer: once the fit is known, the first structure that fits is proposed
        # (never the one the household is leaving).
        self.propose_first_fit = False
        self.leaving: int | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.programme = QComboBox()
        self.programme.setObjectName("programmeCombo")
        # A long programme name does not widen the dialog past the screen: the list that
        # drops down shows it whole.
        self.programme.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.programme.setMinimumContentsLength(24)
        self.programme.activated.connect(self._programme_activated)
        form.addRow(_("&Programme:"), self.programme)
        lay.addLayout(form)
        self.table = QTableWidget()
        self.table.setObjectName("structureTable")
        self.table.setAccessibleName(_("Structures of the programme"))
        # Translators: "Fits?" asks whether the structure suits the household (free beds,
        # target group): "Adatta?", not "Idonea?" (the housing fitness certificate).
        fits = _("Fits?")
        setup_table(
            self.table,
            [_("Structure"), _("Province"), _("For"), _("Free beds"), fits],
            stretch=self.COL_FOR,
        )
        self.table.setWordWrap(True)
        self.table.setMinimumHeight(150)
        lay.addWidget(self.table, 1)
        self.explanation = QLabel()
        self.explanation.setObjectName("fitExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setMinimumHeight(36)
        lay.addWidget(self.explanation)
        self.programme.currentIndexChanged.connect(self._programme_changed)
        self.table.itemSelectionChanged.connect(self._selected)
        if not programmes_from_opener:
            self._load_programmes()
        # Otherwise the opener sends ``programmes_readings`` with its own reads and hands
        # their results to ``programmes_read``.

    def _read(self, fn: Callable[[], T], on_success: Callable[[T], None], key: str) -> None:
        self.context.run(self, fn, on_success=on_success, on_failure=self.on_failure, key=key)

    # -- programmes --
    def programmes_readings(self) -> list[Callable[..., object]]:
        """The reads of the programmes to choose from (and of the programme of the
        structure asked for, unless the window's selection says it), for an opener that
        sends them with its own (``programmes_from_opener``); their results go to
        ``programmes_read``."""
        backend, day = self.context.backend, self.context.day
        wanted = self._wanted_structure
        selection = self.context.selection
        # The window's selection already says the programme of the structure it shows,
        # or the programme chosen in the navigation: the dialog opens on it.
        known = selection.programme_code if selection.structure_id == wanted else None
        self._selection_programme = wanted is None and bool(selection.programme_code)
        if self._selection_programme:
            known = selection.programme_code
        self._asked = (wanted, known)
        return programmes_readings(backend, day, wanted if known is None else None)

    @property
    def programmes_shown(self) -> bool:
        return self._programmes_read

    def programmes_read(self, results: Sequence[object]) -> None:
        """Show the programmes read by ``programmes_readings`` (their results, in order)."""
        open_ids, programmes, *code = results
        wanted, known = self._asked
        self._show_programmes(
            (open_ids, programmes, wanted, code[0] if code else known)  # type: ignore[arg-type]
        )

    def _load_programmes(self) -> None:
        readings, backend = self.programmes_readings(), self.context.backend
        self._read(lambda: backend.read_together(*readings), self.programmes_read, "programmes")

    def _show_programmes(
        self, result: tuple[set[int], list[ProgrammeInfo], int | None, str | None]
    ) -> None:
        open_ids, programmes, asked, wanted_code = result
        self.programme.blockSignals(True)
        self.programme.clear()  # read again (the opener's reads failed, then came)
        # Programmes with a structure open on the date first; the others after, marked.
        for p in [p for p in programmes if p.id in open_ids] + [
            p for p in programmes if p.id not in open_ids
        ]:
            text = f"{p.code} — {p.name}"
            if p.id not in open_ids:
                text += " " + _("(no structure open on this date)")
            self.programme.addItem(text, p.id)
        self._programmes_read = True
        self._programme_ids = {p.code: p.id for p in programmes}
        wanted = self._programme_ids.get(wanted_code or "", self._wanted_programme)
        if wanted is not None:
            self.programme.setCurrentIndex(max(0, self.programme.findData(wanted)))
        self.programme.blockSignals(False)
        self._refresh()
        if self._wanted_structure not in (None, asked):
            self.select_structure(self._wanted_structure)  # asked for while they were read

    def _programme_activated(self, _index: int) -> None:
        self.user_chose_programme = True
        self._wanted_structure = None

    def _programme_changed(self, _index: int) -> None:
        self._fill_table([])
        self._refresh()

    def prefer_programme(self, programme_id: int | None) -> None:
        """Show this programme (the household's last one) unless the user already chose a
        programme or a structure."""
        if (
            programme_id is not None
            and not self.user_chose_programme
            and not self._selection_programme
            and self._wanted_structure is None
            and self.structure_id() is None
        ):
            self.select_programme(programme_id)

    def prefer_programme_of(self, household_id: int) -> None:
        """Read the programme of the household's latest placement and prefer it."""
        backend = self.context.backend
        self._read(
            lambda: read_last_programme(backend, household_id),
            self.prefer_programme,
            "last-programme",
        )

    def select_programme(self, programme_id: int) -> None:
        if not self._programmes_read:
            self._wanted_programme = programme_id  # shown when the programmes come
            return
        idx = self.programme.findData(programme_id)
        if idx >= 0:
            self.programme.setCurrentIndex(idx)

    # -- structures --
    def select_structure(self, structure_id: int) -> None:
        """Select a structure, showing its programme first when it is another one."""
        self._wanted_structure = structure_id
        if self._select_wanted() or not self._programmes_read:
            return  # selected, or the programmes on their way will show it
        selection = self.context.selection
        if selection.structure_id == structure_id and selection.programme_code:
            self._show_programme_of(selection.programme_code)
            return
        backend, day = self.context.backend, self.context.day
        self._read(
            lambda: backend.sheets.sheet(structure_id, day).programme_code,
            self._show_programme_of,
            "programme-of",
        )

    def _show_programme_of(self, code: str) -> None:
        pid = self._programme_ids.get(code)
        if pid is not None:
            self.select_programme(pid)

    def _select_wanted(self) -> bool:
        sid = self._wanted_structure
        for row in range(self.table.rowCount()):
            if cell(self.table, row, 0).data(Qt.ItemDataRole.UserRole) == sid:
                self._wanted_structure = None
                self.table.selectRow(row)
                return True
        return False

    def set_context(
        self,
        household_id: int | None,
        person_ids: Sequence[int] | None,
        day: dt.date,
        until: dt.date | None = None,
        *,
        until_programme: int | None = None,
    ) -> None:
        """Check again whether these people fit every structure from ``day`` up to
        ``until`` (see ``FitQuestion``)."""
        self._question = FitQuestion(
            household_id,
            tuple(person_ids) if person_ids is not None else None,
            day,
            until,
            until_programme,
        )
        self._refresh()

    def _refresh(self) -> None:
        """Read the structures of the programme shown (unless listed) and their fit."""
        pid = self.programme.currentData()
        if pid is None:
            if self._programmes_read:
                self._selected()  # there is no programme at all
            return
        listed = self.structures if self._listed == pid else None
        question, backend = self._question, self.context.backend
        self.reports = {}
        if question is not None:
            self.computing = True
            for row in range(self.table.rowCount()):
                cell(self.table, row, self.COL_FIT).setText("…")
        code = next((c for c, i in self._programme_ids.items() if i == pid), None)
        # The structure asked for: its beds come with the fit, for the destination.
        sheet_of = self._wanted_structure if question is not None else None
        self._read(
            lambda: read_fit(backend, pid, listed, question, code, sheet_of),
            self._show_fit,
            "fit",
        )
        if self.computing:
            self._selected()  # "Checking the structures…" until the answer comes

    def _fill_table(self, structures: list[StructureInfo]) -> None:
        self.structures = structures
        self._listed = None
        self.reports = {}
        self.table.setRowCount(len(structures))
        for row, st in enumerate(structures):
            name = ro_item(f"{st.name} ({st.code})")
            name.setData(Qt.ItemDataRole.UserRole, st.id)
            self.table.setItem(row, self.COL_NAME, name)
            self.table.setItem(row, self.COL_PROV, ro_item(st.province))
            self.table.setItem(row, self.COL_FOR, ro_item(targets_text(st.targets)))
            self.table.setItem(row, self.COL_FREE, ro_item(""))
            self.table.setItem(row, self.COL_FIT, ro_item(""))
        keep_titles_whole(self.table, self.COL_FOR)

    def _show_fit(self, answer: FitAnswer) -> None:
        if answer.programme_id != self.programme.currentData():
            return  # the programme changed meanwhile; its own answer is on the way
        if self._listed != answer.programme_id:
            self.table.blockSignals(True)
            self._fill_table(answer.structures)
            self.table.blockSignals(False)
            self._listed = answer.programme_id
        self.computing = False
        self.reports = answer.reports
        self.free = answer.free
        if answer.sheet is not None and answer.question is not None:
            self._sheet = (answer.sheet.structure_id, answer.question.day, answer.sheet)
        if answer.question is not None:
            day = answer.question.day
            for row, st in enumerate(self.structures):
                free_item = cell(self.table, row, self.COL_FREE)
                free_item.setText(str(self.free[st.id]) if st.id in self.free else _("closed"))
                free_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self._show_report(cell(self.table, row, self.COL_FIT), st, day)
            self.table.resizeColumnToContents(self.COL_FIT)
        self.table.resizeRowsToContents()
        if self._wanted_structure is not None:
            self.table.blockSignals(True)
            self._select_wanted()
            self.table.blockSignals(False)
        elif self.propose_first_fit and answer.question is not None and self.structure_id() is None:
            fitting = [
                row
                for row, st in enumerate(self.structures)
                if st.id != self.leaving and (rep := self.reports.get(st.id)) and rep.fits
            ]
            if fitting:
                self.table.blockSignals(True)
                self.table.selectRow(fitting[0])
                self.table.blockSignals(False)
        self._selected()

    def _show_report(self, item: QTableWidgetItem, st: StructureInfo, day: dt.date) -> None:
        rep = self.reports.get(st.id)
        if rep is None:
            item.setText("")
        elif rep.fits:
            item.setText("✔ " + _("fits"))
            item.setForeground(good())
        elif rep.target_group_problem and len(rep.reasons) == 1:
            item.setText("⚠ " + _("other target group"))
            item.setForeground(warning())
        else:
            item.setText("✘ " + short_reason(rep, st, day))
            item.setForeground(bad())

    # -- the answer --
    def sheet_read(self, structure_id: int, day: dt.date) -> StructureSheet | None:
        """The beds of ``structure_id`` on ``day`` when they came with the fit."""
        if self._sheet is not None and self._sheet[:2] == (structure_id, day):
            return self._sheet[2]
        return None

    def structure_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return int(cell(self.table, rows[0].row(), 0).data(Qt.ItemDataRole.UserRole))

    def structure(self) -> StructureInfo | None:
        sid = self.structure_id()
        return next((s for s in self.structures if s.id == sid), None)

    def report(self) -> FitReport | None:
        sid = self.structure_id()
        return self.reports.get(sid) if sid is not None else None

    def _selected(self) -> None:
        rep = self.report()
        st = self.structure()
        if st is None:
            self.explanation.setText(
                _("Choose a structure from the list.")
                if self.structures
                else _("This programme has no structures: choose another programme.")
            )
            self.explanation.setStyleSheet("")
        elif rep is None:
            self.explanation.setText(_("Checking the structures…") if self.computing else "")
            self.explanation.setStyleSheet("")
        elif rep.fits:
            text = _(
                "{structure} has room for them: the proposed beds are in the Bed column, "
                "beside each person."
            ).format(structure=st.name)
            if self.free.get(st.id) == 0:
                text += " " + _("They are the beds held for this household.")
            self.explanation.setText(text)
            self.explanation.setStyleSheet(f"color: {good().name()};")
        else:
            self.explanation.setText("\n".join(rep.reasons))
            colour = warning() if rep.target_group_problem and len(rep.reasons) == 1 else bad()
            self.explanation.setStyleSheet(f"color: {colour.name()};")
        self.structure_changed.emit()
