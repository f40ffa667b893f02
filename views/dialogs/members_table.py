"""The people a workflow concerns, each with a tick and (optionally) the bed to give them:
the members of a household, reference person first, with their relationship and age."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from models.errors import ValidationError
from models.i18n import _
from models.labels import relationship_label
from models.results import HouseholdInfo, PersonInfo

from ..colours import warning
from .tables import (
    cell,
    keep_titles_whole,
    reach_cell_widgets_with_tab,
    ro_item,
    setup_table,
)
from .texts import age_text, person_name


def household_people(h: HouseholdInfo, only: Collection[int] | None = None) -> list[PersonInfo]:
    """Members with their relationship filled in, reference person first; with ``only``,
    just the members of those ids (who has a bed in the placement on a date)."""
    people = [
        replace(m.person, relationship=m.relationship)
        for m in h.members
        if only is None or m.person.id in only
    ]
    people.sort(key=lambda p: p.relationship != "reference")
    return people


NAME_ROOM = 220  # pixels the name column may ask for


class MembersTable(QTableWidget):
    """The people concerned, each with a tick and (optionally) a bed to choose."""

    selection_changed = Signal()
    COL_NAME, COL_AGE, COL_REL, COL_BED = range(4)

    def __init__(self, *, with_beds: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("membersTable")
        self.setAccessibleName(_("Members of the household"))
        self.with_beds = with_beds
        headers = [_("Person"), _("Age"), _("Relationship")]
        if with_beds:
            headers.append(_("Bed"))
        # The name is never cut; the relationship gives way when space is short.
        setup_table(self, headers, stretch=self.COL_REL)
        if with_beds:
            self.horizontalHeader().setSectionResizeMode(self.COL_BED, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(self.COL_BED, 160)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        self.people: list[PersonInfo] = []
        self.combos: dict[int, QComboBox] = {}
        self.itemChanged.connect(lambda _i: self.selection_changed.emit())
        self._fit_width()

    def _fit_width(self) -> None:
        # The relationship gives way to the name and the bed, down to its title; the
        # table asks for the room of the names and ages too, so that a dialog opened at
        # its preferred size shows every bed without scrolling.
        keep_titles_whole(self, self.COL_REL)
        header = self.horizontalHeader()
        name = max(self.sizeHintForColumn(self.COL_NAME), header.sectionSizeHint(self.COL_NAME))
        need = (
            min(name, NAME_ROOM)  # a very long name scrolls rather than widen the window
            + max(self.sizeHintForColumn(self.COL_AGE), header.sectionSizeHint(self.COL_AGE))
            + header.sectionSizeHint(self.COL_REL)
        )
        if self.with_beds:
            need += self.columnWidth(self.COL_BED)
        self.setMinimumWidth(
            max(
                self.minimumWidth(),
                need + 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width(),
            )
        )

    def set_people(
        self, people: Sequence[PersonInfo], day: dt.date, *, checked: set[int] | None = None
    ) -> None:
        """Show ``people`` with their age on ``day``, ticked when in ``checked`` (all when None)."""
        self.blockSignals(True)
        self.people = list(people)
        self.combos = {}
        self.setRowCount(len(self.people))
        for row, p in enumerate(self.people):
            name = QTableWidgetItem(person_name(p))
            name.setToolTip(p.code)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(
                Qt.CheckState.Checked
                if checked is None or p.id in checked
                else Qt.CheckState.Unchecked
            )
            name.setData(Qt.ItemDataRole.UserRole, p.id)
            self.setItem(row, self.COL_NAME, name)
            age = ro_item(age_text(p.birth_date, day))
            if p.is_minor_on(day):
                age.setForeground(warning())
            self.setItem(row, self.COL_AGE, age)
            self.setItem(row, self.COL_REL, ro_item(relationship_label(p.relationship)))
            if self.with_beds:
                combo = QComboBox()
                combo.setObjectName(f"bedCombo_{p.id}")
                self.combos[p.id] = combo
                self.setCellWidget(row, self.COL_BED, combo)
        reach_cell_widgets_with_tab(self, list(self.combos.values()))
        self.blockSignals(False)
        self.setMinimumHeight(min(6, max(2, len(self.people))) * 30 + 30)
        self._fit_width()
        self.selection_changed.emit()

    def show_people(self, people: Sequence[PersonInfo], day: dt.date) -> None:
        """Show ``people``, keeping the ticks the user gave to those already shown."""
        was = set(self.checked_ids()) if self.people else None
        self.set_people(people, day, checked=was)

    def set_checked(self, person_id: int, on: bool) -> None:
        for row, p in enumerate(self.people):
            if p.id == person_id:
                cell(self, row, self.COL_NAME).setCheckState(
                    Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
                )

    def checked_ids(self) -> list[int]:
        return [
            p.id
            for row, p in enumerate(self.people)
            if cell(self, row, self.COL_NAME).checkState() == Qt.CheckState.Checked
        ]

    def all_checked(self) -> bool:
        return len(self.checked_ids()) == len(self.people)

    def person_ids(self) -> list[int] | None:
        """The ticked people for a service; None when it is everybody shown."""
        return None if self.all_checked() else self.checked_ids()

    def set_bed_options(
        self,
        options: Sequence[tuple[int, str]],
        proposal: dict[int, int],
        *,
        structure_chosen: bool = True,
    ) -> None:
        """Fill each person's bed list with the free beds; preselect the proposed ones."""
        checked = set(self.checked_ids())
        for pid, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            if pid not in checked or not structure_chosen:
                combo.addItem("—" if structure_chosen else _("choose the structure"), None)
                combo.setEnabled(False)
            else:
                combo.setEnabled(bool(options))
                combo.addItem(_("— choose a bed —") if options else _("no free bed"), None)
                for bed_id, label in options:
                    combo.addItem(label, bed_id)
                wanted = proposal.get(pid)
                idx = combo.findData(wanted) if wanted is not None else -1
                combo.setCurrentIndex(max(idx, 0))
            combo.blockSignals(False)

    def chosen_beds(self) -> dict[int, int]:
        out = {}
        for pid in self.checked_ids():
            combo = self.combos.get(pid)
            if combo is not None and combo.currentData() is not None:
                out[pid] = int(combo.currentData())
        return out

    def beds_for_service(self, missing_message: str) -> dict[int, int] | None:
        """The chosen beds for the service; None when there was nothing to choose from
        (the service then proposes beds or explains why not). A bed chosen for only some
        of the ticked people is refused with ``missing_message``."""
        beds = self.chosen_beds()
        if not beds:
            return None
        if len(beds) != len(self.checked_ids()):
            raise ValidationError(missing_message)
        return beds
