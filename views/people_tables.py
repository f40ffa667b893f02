"""The tables of the people page: the people found by the search (loaded a page at a
time), a household's placements, and a person's history of stays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from models.i18n import N_, _, pgettext
from models.labels import exit_reason_label, placement_status_label
from models.results import PersonInfo, StayInfo

from .colours import bad, warning
from .dialogs.texts import age_text
from .table_models import DATE, Column, PagedTableModel, RowTableModel
from .tasks import TaskRunner

PAGE_SIZE = 200


class PeopleModel(PagedTableModel):
    """People found by the search, loaded a page at a time."""

    day: dt.date = dt.date.today()
    page_loaded = Signal()  # also after an empty page, which inserts no rows

    def __init__(self, parent: QObject | None = None, *, runner: TaskRunner) -> None:
        columns = (
            Column(N_("Last name"), "last_name"),
            Column(N_("First name"), "first_name"),
            Column(N_("Alias"), "alias"),
            Column(N_("Code"), "code"),
            Column(N_("Birth date"), "birth_date", kind=DATE),
            Column(N_("Age"), lambda p: p.age_on(self.day), display=lambda _v: ""),
            Column(N_("Citizenship"), "citizenship"),
            Column(N_("Household"), "household_code"),
            # Where the person sleeps on the page's day: tells homonyms apart.
            Column(N_("Structure"), "structure_code"),
        )
        super().__init__(None, parent, columns=columns, page_size=PAGE_SIZE, runner=runner)

    LAST_NAME = 0
    FIRST_NAME = 1
    ALIAS = 2
    BIRTH_DATE = 4
    AGE = 5
    CITIZENSHIP = 6

    def _append(self, generation: int, page: Sequence[PersonInfo]) -> None:
        super()._append(generation, page)
        self.page_loaded.emit()

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if index.isValid() and index.column() == self.AGE and index.row() < len(self._rows):
            p = self._rows[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return age_text(p.birth_date, self.day)
            if role == Qt.ItemDataRole.ForegroundRole and p.is_minor_on(self.day):
                return warning()
        return super().data(index, role)


class PlacementsModel(RowTableModel):
    """The placements of a household (models.results.PlacementInfo)."""

    COLUMNS = (
        Column(N_("Programme"), "programme_code"),
        Column(N_("Entry"), "entry_date", kind=DATE),
        Column(N_("Planned end"), "planned_end", kind=DATE),
        Column(N_("Exit"), "exit_date", kind=DATE),
        Column(N_("Exit reason"), "exit_reason", display=exit_reason_label),
        Column(N_("Destination"), "exit_destination"),
        Column(N_("State"), "status", display=placement_status_label),
        Column(
            N_("Extensions"), lambda p: len(p.extensions), display=lambda n: str(n) if n else ""
        ),
    )


class HistoryModel(RowTableModel):
    """A person's bed stays (models.results.StayInfo), oldest first; cancelled ones shown,
    marked."""

    COLUMNS = (
        Column(
            N_("Structure"),
            lambda s: (
                s.structure_code
                if s.structure_name in ("", s.structure_code)
                else f"{s.structure_name} ({s.structure_code})"
            ),
        ),
        Column(N_("Bed"), lambda s: f"{s.room_name} / {s.bed_label}"),
        Column(N_("From"), "start_date", kind=DATE),
        Column(N_("To"), "end_date", kind=DATE),
        Column(N_("Programme"), "programme_code"),
        Column(
            N_("Note"),
            lambda s: (
                # Translators: a cancelled bed stay ("assegnazione", feminine).
                (pgettext("bed stay", "cancelled") if s.cancelled else "")
                + (
                    (" · " if s.cancelled else "")
                    + _("exception: {reason}").format(reason=s.override_reason)
                    if s.override_reason
                    else ""
                )
            ),
        ),
    )

    def row_foreground(self, row: StayInfo) -> QColor | None:
        return bad() if row.cancelled else None
