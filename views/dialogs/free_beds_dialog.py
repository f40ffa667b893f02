"""Find free beds (cerca posti liberi): from a period, a number of adults and minors, a
target group and optionally a programme or a province, the structures that can take the
household on every night, with the beds they would give; the others say why not.
A double click on a structure opens the new placement there, from the period's start.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.errors import DomainError
from models.i18n import _
from models.labels import TARGET_GROUPS
from models.results import Changes, FreeBedAnswer, ProgrammeInfo

from ..colours import error_style
from ..date_edit import DateEdit
from ..free_beds import FreeBedsModel, fitting_count_text, unsorted
from ..table_models import SortFilterProxy
from ..widgets import fit_on_screen, make_table
from .context import DialogContext
from .dates import date_row
from .styles import hint
from .workflow_dialog import failure_text

if TYPE_CHECKING:
    from collections.abc import Callable

DEFAULT_NIGHTS = 30


class FreeBedsDialog(QDialog):
    """The finder: fields above, the structures below; reads through the task runner."""

    HELP_ANCHOR = "free-beds"

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        structure_id: int | None = None,
        household_id: int | None = None,
        placement_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        del structure_id, household_id, placement_id  # the finder looks at the whole selection
        self.context = context
        self.backend = context.backend
        self.changes = Changes()
        # Tests replace it to answer the placement dialog without a real prompt.
        self.exec_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.setWindowTitle(_("Find free beds"))
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                _(
                    "The structures that can take the household on every night of the period, "
                    "by the same rules as a placement. Double-click a structure to place a "
                    "household there."
                )
            )
        )
        fields = QHBoxLayout()
        left, right = QFormLayout(), QFormLayout()
        fields.addLayout(left)
        fields.addLayout(right)
        lay.addLayout(fields)
        day = context.day
        self.start = DateEdit(day)
        self.start.setObjectName("finderFrom")
        self.start.line.setAccessibleName(_("From"))
        left.addRow(_("&From:"), date_row(self.start))
        self.end = DateEdit(day + dt.timedelta(days=DEFAULT_NIGHTS))
        self.end.setObjectName("finderTo")
        self.end.line.setAccessibleName(_("To (the day they leave)"))
        left.addRow(_("&To (the day they leave):"), date_row(self.end))
        self.adults = QSpinBox()
        self.adults.setObjectName("finderAdults")
        self.adults.setRange(0, 30)
        self.adults.setValue(1)
        self.adults.setAccessibleName(_("Adults"))
        left.addRow(_("&Adults:"), self.adults)
        self.minors = QSpinBox()
        self.minors.setObjectName("finderMinors")
        self.minors.setRange(0, 30)
        self.minors.setAccessibleName(_("Minors"))
        left.addRow(_("&Minors:"), self.minors)
        self.target = QComboBox()
        self.target.setObjectName("finderTarget")
        self.target.setAccessibleName(_("Target group"))
        self.target.addItem(_("any (from the people)"), None)
        for code, label in TARGET_GROUPS.items():
            self.target.addItem(_(label), code)
        right.addRow(_("Target &group:"), self.target)
        self.programme = QComboBox()
        self.programme.setObjectName("finderProgramme")
        self.programme.setAccessibleName(_("Programme"))
        self.programme.addItem(_("all programmes"), None)
        right.addRow(_("&Programme:"), self.programme)
        self.province = QLineEdit()
        self.province.setObjectName("finderProvince")
        self.province.setMaxLength(2)
        self.province.setPlaceholderText(_("all"))
        self.province.setAccessibleName(_("Province"))
        right.addRow(_("Pro&vince:"), self.province)
        self.search_button = QPushButton(_("&Search"))
        self.search_button.setObjectName("finderSearch")
        self.search_button.clicked.connect(self.search)
        right.addRow("", self.search_button)

        self.summary = QLabel()
        self.summary.setObjectName("finderSummary")
        lay.addWidget(self.summary)
        self.model = FreeBedsModel(self)
        self.proxy = SortFilterProxy(self.model, self)
        self.table = make_table("finderTable", self)
        self.table.setModel(self.proxy)
        unsorted(self.table)
        self.table.setAccessibleName(_("Structures and free beds"))
        self.table.doubleClicked.connect(self._double_clicked)
        lay.addWidget(self.table, 1)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.place_button = buttons.addButton(
            _("Place &here…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.place_button.setObjectName("finderPlace")
        self.place_button.clicked.connect(self.place_selected)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeButton")
        close.clicked.connect(self.accept)
        lay.addWidget(buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.search)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self.timer.start)
        for spin in (self.adults, self.minors):
            spin.valueChanged.connect(self.timer.start)
        for combo in (self.target, self.programme):
            combo.currentIndexChanged.connect(self.timer.start)
        self.province.editingFinished.connect(self.timer.start)
        self._run(self.backend.directory.programmes, self._show_programmes, key="programmes")
        fit_on_screen(self, 1100, 640)
        self.search()

    # -- reads --
    def _run(self, fn: Callable[[], object], done: Callable[[object], None], key: str) -> None:
        self.context.run(self, fn, on_success=done, on_failure=self._failed, key=key)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(failure_text(exc))
        self.error.setVisible(True)

    def _show_programmes(self, programmes: object) -> None:
        assert isinstance(programmes, list)
        chosen = self.programme.currentData()
        self.programme.blockSignals(True)
        for p in programmes:
            if isinstance(p, ProgrammeInfo):
                self.programme.addItem(f"{p.code} — {p.name}", p.code)
        if chosen:
            self.programme.setCurrentIndex(max(self.programme.findData(chosen), 0))
        self.programme.blockSignals(False)

    def search(self) -> None:
        self.timer.stop()
        self.error.hide()
        start, end = self.start.value(), self.end.value()
        adults, minors = self.adults.value(), self.minors.value()
        target, programme = self.target.currentData(), self.programme.currentData()
        province = self.province.text().strip().upper() or None
        finder = self.backend.finder
        self._run(
            lambda: finder.free(
                start,
                end,
                adults=adults,
                minors=minors,
                target=target,
                programme_code=programme,
                province=province,
            ),
            self._show,
            key="answers",
        )

    def _show(self, answers: object) -> None:
        assert isinstance(answers, list)
        self.model.set_rows(answers)
        self.table.resizeColumnsToContents()
        self.summary.setText(fitting_count_text(answers))
        if answers and answers[0].fits:
            self.table.selectRow(0)

    # -- placing --
    def selected(self) -> FreeBedAnswer | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.proxy.row_at(rows[0].row()) if rows else None

    def _double_clicked(self, index: QModelIndex) -> None:
        self.table.selectRow(index.row())
        self.place_selected()

    def place_selected(self) -> None:
        """The new placement, in the structure chosen, from the period's start to its end."""
        answer = self.selected()
        if answer is None:
            self._failed(DomainError(_("Choose a structure in the list.")))
            return
        if not answer.fits:
            self._failed(DomainError(" ".join(answer.reasons)))
            return
        # A window of its own, with its own keys: imported by name, not as a part of this one.
        from views.dialogs.placement_dialog import PlacementDialog

        context = DialogContext(
            self.backend, self.context.runner, self.start.value(), self.context.selection
        )
        dialog = PlacementDialog(context, self, structure_id=answer.structure_id)
        dialog.planned_end.edit.set_value(self.end.value())
        dialog._end_touched = True  # the period's end stays, whatever the entry date
        if self.exec_dialog(dialog) == QDialog.DialogCode.Accepted:
            self.changes = self.changes | dialog.changes
            self.search()
