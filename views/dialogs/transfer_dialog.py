"""Transfer (trasferimento): the whole household or chosen members move to other beds on a date.

The old stays end on the date and the new ones start on it, in one transaction. The
destination can be another structure, of the same programme or of another one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from models.errors import ValidationError
from models.formatting import format_date
from models.i18n import N_, _
from models.results import Changes

from ..widgets import fit_on_screen
from .context import DialogContext
from .dates import DateEdit, date_row
from .destination import Destination
from .members_table import MembersTable, household_people
from .override_reason import OverrideReasonEdit
from .placement_workflow_dialog import PlacementWorkflowDialog
from .structure_chooser import StructureChooser
from .texts import date_text
from .workflow_dialog import Write


class TransferDialog(PlacementWorkflowDialog):
    HELP_ANCHOR = "transfer"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("Transfer"), N_("Transfer")

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        to_structure: int | None = None,
        to_beds: dict[int, int] | None = None,
        **ids: Any,
    ) -> None:
        # Prefilled from the planning board: the destination structure, and the bed of the
        # person whose bar was dropped there (the others get the beds proposed).
        self.to_structure = to_structure
        self.to_beds = dict(to_beds or {})
        super().__init__(context, parent, **ids)

    def build_fields(self) -> None:
        form = QFormLayout()
        self.date = DateEdit(self.day)
        self.date.setObjectName("transferDate")
        form.addRow(_("Transfer &date:"), date_row(self.date))
        self.body.addLayout(form)
        columns = QHBoxLayout()
        who = QGroupBox(_("Who moves"))
        who_lay = QVBoxLayout(who)
        who_lay.addWidget(
            QLabel(_("Untick anyone who stays where they are. New bed of each person:"))
        )
        self.members = MembersTable(with_beds=True)
        who_lay.addWidget(self.members, 1)
        columns.addWidget(who, 4)
        where = QGroupBox(_("Destination"))
        where_lay = QVBoxLayout(where)
        # The structure the dialog was opened from is the one they leave, not a destination.
        # Its programmes are read with the placement (``opening_readings``).
        self.chooser = StructureChooser(
            self.context,
            structure_id=self.to_structure,
            on_failure=self.show_failure,
            programmes_from_opener=True,
        )
        self.chooser.propose_first_fit = True
        self.chooser.leaving = self.structure_id
        where_lay.addWidget(self.chooser)
        columns.addWidget(where, 5)
        self.body.addLayout(columns, 1)
        extra = QFormLayout()
        self.override = OverrideReasonEdit(
            _("Reason for the e&xception (required):"),
            _(
                "This structure is not meant for these people. To move them anyway, write the reason "
                "for the exception; otherwise choose another structure."
            ),
            placeholder=_("Why they move outside the structure's target group"),
        )
        self.override.add_to(extra)
        self.body.addLayout(extra)
        self.destination = Destination(
            self.context, self.chooser, self.members, self.override, on_failure=self.show_failure
        )
        self.destination.wanted = self.to_beds

        self._first_shown = True
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.refresh)
        self.date.dateChanged.connect(self.timer.start)
        self.members.selection_changed.connect(self._members_changed)
        self.chooser.structure_changed.connect(self._structure_changed)
        fit_on_screen(self, 1200, 620)
        self.chooser.table.setFocus()

    def no_placement_text(self) -> str:
        return _("This household has no active placement: there is nobody to transfer.")

    def opening_readings(self) -> list[Any]:
        """The chooser's programmes come with the placement (until they have come)."""
        return [] if self.chooser.programmes_shown else self.chooser.programmes_readings()

    def opening_read(self, results: list[Any]) -> None:
        # After the placement is shown: the programme preferred and the people asked
        # about are known, and the first read of the structures is their fit.
        if results:
            self.chooser.programmes_read(results)

    def dates_shown(self) -> list[dt.date]:
        return [self.date.value()]

    def refresh(self) -> None:
        """Show who has a bed on the date (read once per date) and the fit of each destination."""
        self.timer.stop()
        self.show_dates()

    def show_placement(self) -> None:
        assert self.placement is not None and self.household is not None
        day = self.date.value()
        rows = self.rows_on(day)
        self.summary.setText(self.summary_on(day))
        if rows and self.chooser.leaving is None:
            self.chooser.leaving = rows[0].structure_id
        if self._first_shown:
            self._first_shown = False
            if rows:  # the usual move is within the programme
                self.chooser.prefer_programme(self.placement.programme_id)
        # Announces the ticked members: the destinations are checked again.
        self.members.show_people(household_people(self.household, {r.person_id for r in rows}), day)

    def _members_changed(self) -> None:
        if self.placement is None:
            return
        self.chooser.set_context(
            self.placement.household_id,
            self.members.checked_ids(),
            self.date.value(),
            self.placement.planned_end,
            until_programme=self.placement.programme_id,
        )

    def _structure_changed(self) -> None:
        p = self.placement
        self.destination.show(
            p.household_id if p else None, p.household_code if p else None, self.date.value()
        )

    def reload(self) -> None:
        self.destination.forget()
        super().reload()

    def apply(self) -> Write:
        if self.timer.isActive():
            self.refresh()
        day = self.date.value()
        p = self.placement_for(day, _("The transfer date must come after the entry date ({date})."))
        if not self.members.people:
            raise ValidationError(
                _("Nobody of this placement has a bed on {date}.").format(date=format_date(day))
            )
        ids = self.members.checked_ids()
        if not ids:
            raise ValidationError(_("Tick at least one person to transfer."))
        sid = self.chooser.structure_id()
        if sid is None:
            raise ValidationError(_("Choose the destination structure from the list."))
        reason = self.override.reason(self.chooser.report())
        beds = self.members.beds_for_service(_("Choose a bed for each person who moves."))
        person_ids = self.members.person_ids()
        backend = self.backend
        return Write(
            lambda: backend.placements.transfer(
                p.id,
                day,
                sid,
                person_ids=person_ids,
                beds=beds,
                override_reason=reason,
                version=p.version,
            ),
            Changes(
                structures=self.structures_on([day], set(ids)) | {sid},
                households=frozenset({p.household_id}),
            ),
        )

    def confirmation(self, result: Any) -> str:
        st = self.chooser.structure()
        return _("Transfer recorded: household {household} to {structure}, {date}").format(
            household=result.household_code,
            structure=st.code if st is not None else "",
            date=date_text(self.date.value()),
        )
