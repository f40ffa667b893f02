"""The frame of the workflows on one placement (transfer, exit, extension): the placement
given, or the household's active one, with its household and who of it sleeps where.

The placement, its household and who of it has a bed on the dates shown are read once
when the dialog opens (and again after a change made elsewhere), in one round trip with
whatever else the dialog needs at once (``opening_readings``: the transfer dialog's
programmes); who has a bed on another date is read once per date, so moving the date
back and forth reads nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from models.errors import ValidationError
from models.formatting import format_date
from models.results import HouseholdInfo, PlacementInfo, PresenceRow

from .household_picker import HouseholdPicker, choose_household_text
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
    backend: Backend,
    placement_id: int | None,
    household_id: int | None,
    days: Sequence[dt.date] = (),
    *readings: Any,
) -> tuple[PlacementAtHand | None, Rows, list[Any]]:
    """Runs in a worker: the placement given, or the household's latest active one, with
    its household (None when there is none), who of it has a bed on each of ``days``, and
    the results of the other ``readings`` (``Backend.read_together``): all of it in one
    round trip, the statements that need the placement naming it by SQL."""
    d = backend.directory
    at = d.placement_id_expression(placement_id, household_id)
    placement, household, rows, *others = backend.read_together(
        d.placement_reading(placement_id, household_id),
        d.household_reading(None if placement_id is not None else household_id, placement_id),
        backend.presence.who_is_where_reading(days, placement_id=at),
        *readings,
    )
    if placement is None or household is None:
        return None, {}, others
    return PlacementAtHand(placement, household), rows, others


def read_rows(backend: Backend, placement: PlacementInfo, days: Sequence[dt.date]) -> Rows:
    """Runs in a worker: for each day, the people of the placement in a bed that night."""
    rows: Rows = backend.read_together(
        backend.presence.who_is_where_reading(days, placement_id=placement.id)
    )[0]
    return rows


class PlacementWorkflowDialog(WorkflowDialog):
    """A workflow dialog on one placement. Subclasses build their fields below the summary
    (``build_fields``), say which dates they show (``dates_shown``) and what to say when
    there is no placement, and show the placement in ``show_placement``, called once it
    is read and whenever a date's rows come."""

    def build(self) -> None:
        self.placement: PlacementInfo | None = None
        self.household: HouseholdInfo | None = None
        self._rows: Rows = {}
        # Opened with nobody chosen (from the toolbar or the dashboard): whose placement
        # it is comes first, searched like the placement dialog's household.
        self.picker: HouseholdPicker | None = None
        if self.placement_id is None and self.household_id is None:
            self.picker = HouseholdPicker(self.context, on_failure=self.show_failure)
            self.picker.household_changed.connect(self._household_picked)
            self.body.addWidget(self.picker)
        self.summary = QLabel()
        self.summary.setObjectName("placementSummary")
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.ok_button.setEnabled(False)  # until the placement is read
        # The dialog's own fields, in a box of their own: with a household to choose,
        # they show once its placement is read (never another household's left over).
        self.fields = QWidget()
        inner = QVBoxLayout(self.fields)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(self.body.spacing())
        body, self.body = self.body, inner
        try:
            self.build_fields()
        finally:
            self.body = body
        self.body.addWidget(self.fields, 1)
        if self.picker is None:
            self.load_placement(self.placement_id, self.household_id)
        else:
            # While the fields are hidden, the search and the summary stay at the top.
            self.body.addStretch(0)
            self._show_fields(False)
            self.summary.setText(choose_household_text())
            self.picker.setFocus()

    def _show_fields(self, shown: bool) -> None:
        self.fields.setVisible(shown)
        if self.picker is not None:
            self.body.setStretch(self.body.count() - 1, 0 if shown else 1)

    def _household_picked(self, household: HouseholdInfo | None) -> None:
        if household is not None:
            self.load_placement(None, household.id)
            return
        # "Choose another household": nothing to record until one is chosen.
        self.placement = self.household = None
        self._rows = {}
        self.ok_button.setEnabled(False)
        self._show_fields(False)
        self.summary.setText(choose_household_text())

    # -- what subclasses say --
    def build_fields(self) -> None:  # pragma: no cover - every dialog builds its own
        raise NotImplementedError

    def dates_shown(self) -> list[dt.date]:
        return [self.day]

    def no_placement_text(self) -> str:  # pragma: no cover - every dialog says its own
        raise NotImplementedError

    def show_placement(self) -> None:
        """Show ``self.placement`` and the rows of ``dates_shown()``."""

    def opening_readings(self) -> list[Any]:
        """Other reads (``*_reading``) to send with the placement's, in its round trip;
        their results go to ``opening_read``, after the placement is shown."""
        return []

    def opening_read(self, results: list[Any]) -> None:
        """The results of ``opening_readings``, in their order."""

    # -- reading --
    def load_placement(self, placement_id: int | None, household_id: int | None) -> None:
        """Read the placement, its household and the rows of the dates shown now."""
        backend, days, readings = self.backend, self.dates_shown(), self.opening_readings()
        self.run(
            lambda: read_placement(backend, placement_id, household_id, days, *readings),
            self._placement_read,
            key="placement",
        )

    def _placement_read(self, result: tuple[PlacementAtHand | None, Rows, list[Any]]) -> None:
        at_hand, rows, others = result
        self._rows = rows
        if at_hand is None:
            self.placement = self.household = None
            self.summary.setText(self.no_placement_text())
            self.ok_button.setEnabled(False)
            if self.picker is not None:
                self._show_fields(False)
        else:
            self.placement, self.household = at_hand.placement, at_hand.household
            self.ok_button.setEnabled(True)
            self._show_fields(True)
            self.show_dates()
        self.opening_read(others)

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
