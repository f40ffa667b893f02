"""The frame of the workflows on one placement (transfer, exit, extension): the placement
given, or the household's active one, with its household and who of it sleeps where.

The placement and its household are read once when the dialog opens (and again after a
change made elsewhere); who has a bed on a date is read once per date the dialog shows,
so moving the date back and forth reads nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from models.errors import ValidationError
from models.formatting import format_date
from models.results import HouseholdInfo, PlacementInfo, PresenceRow

from .texts import placement_summary
from .workflow_dialog import WorkflowDialog

if TYPE_CHECKING:
    from models.backend import Backend

Rows = dict[dt.date, list[PresenceRow]]


@dataclass(frozen=True)
class PlacementAtHand:
    placement: PlacementInfo
    household: HouseholdInfo


def read_placement(
    backend: Backend, placement_id: int | None, household_id: int | None
) -> PlacementAtHand | None:
    """Runs in a worker: the placement given, or the household's latest active one, with
    its household; None when there is none."""
    placement: PlacementInfo | None = None
    if placement_id is not None:
        placement = backend.directory.placement(placement_id)
    elif household_id is not None:
        active = [
            p
            for p in backend.directory.placements_of_household(household_id)
            if p.status == "active"
        ]
        placement = active[-1] if active else None
    if placement is None:
        return None
    return PlacementAtHand(placement, backend.directory.household(placement.household_id))


def read_rows(backend: Backend, placement: PlacementInfo, days: Sequence[dt.date]) -> Rows:
    """Runs in a worker: for each day, the people of the placement in a bed that night."""
    return {
        day: [
            r
            for r in backend.presence.who_is_where(day, household_id=placement.household_id)
            if r.placement_id == placement.id
        ]
        for day in days
    }


class PlacementWorkflowDialog(WorkflowDialog):
    """A workflow dialog on one placement. Subclasses build their fields below the summary
    (``build_fields``), say which dates they show (``dates_shown``) and what to say when
    there is no placement, and show the placement in ``show_placement``, called once it
    is read and whenever a date's rows come."""

    def build(self) -> None:
        self.placement: PlacementInfo | None = None
        self.household: HouseholdInfo | None = None
        self._rows: Rows = {}
        self.summary = QLabel()
        self.summary.setObjectName("placementSummary")
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.ok_button.setEnabled(False)  # until the placement is read
        self.build_fields()
        self.load_placement(self.placement_id, self.household_id)

    # -- what subclasses say --
    def build_fields(self) -> None:  # pragma: no cover - every dialog builds its own
        raise NotImplementedError

    def dates_shown(self) -> list[dt.date]:
        return [self.day]

    def no_placement_text(self) -> str:  # pragma: no cover - every dialog says its own
        raise NotImplementedError

    def show_placement(self) -> None:
        """Show ``self.placement`` and the rows of ``dates_shown()``."""

    # -- reading --
    def load_placement(self, placement_id: int | None, household_id: int | None) -> None:
        """Read the placement, its household and the rows of the dates shown now."""
        backend, days = self.backend, self.dates_shown()

        def work() -> tuple[PlacementAtHand | None, Rows]:
            at_hand = read_placement(backend, placement_id, household_id)
            return at_hand, read_rows(backend, at_hand.placement, days) if at_hand else {}

        self.run(work, self._placement_read, key="placement")

    def _placement_read(self, result: tuple[PlacementAtHand | None, Rows]) -> None:
        at_hand, rows = result
        self._rows = rows
        if at_hand is None:
            self.placement = self.household = None
            self.summary.setText(self.no_placement_text())
            self.ok_button.setEnabled(False)
            return
        self.placement, self.household = at_hand.placement, at_hand.household
        self.ok_button.setEnabled(True)
        self.show_dates()

    def show_dates(self) -> None:
        """Show the placement on the dates of the dialog, reading those not read yet."""
        placement = self.placement
        if placement is None:
            return
        missing = [d for d in self.dates_shown() if d not in self._rows]
        if not missing:
            self.show_placement()
            return
        backend = self.backend
        self.run(lambda: read_rows(backend, placement, missing), self._rows_read, key="rows")

    def _rows_read(self, rows: Rows) -> None:
        self._rows.update(rows)
        if all(d in self._rows for d in self.dates_shown()):
            self.show_placement()

    def reload(self) -> None:
        if self.placement is not None:
            self._rows = {}
            self.load_placement(self.placement.id, None)

    # -- what was read --
    def placement_for(self, day: dt.date, too_early: str) -> PlacementInfo:
        """The placement a write is about. Refused when there is none, or when ``day``
        does not come after its entry (``too_early``, which may name the entry {date})."""
        p = self.placement
        if p is None:
            raise ValidationError(self.no_placement_text())
        if day <= p.entry_date:
            raise ValidationError(too_early.format(date=format_date(p.entry_date)))
        return p

    def rows_on(self, day: dt.date) -> list[PresenceRow]:
        return self._rows.get(day, [])

    def structures_on(
        self, days: Sequence[dt.date], people: set[int] | None = None
    ) -> frozenset[int]:
        """The structures where the placement's people (or some of them) sleep on ``days``."""
        return frozenset(
            r.structure_id
            for d in days
            for r in self.rows_on(d)
            if people is None or r.person_id in people
        )

    def summary_on(self, day: dt.date) -> str:
        assert self.placement is not None and self.household is not None
        return placement_summary(self.placement, self.household, self.rows_on(day), day)
