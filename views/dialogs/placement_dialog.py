"""New placement (inserimento): household, programme and structure, beds, dates.

Each structure of the programme says whether the household fits on the entry date and,
when it does not, why (target group, no free beds, closed). Free beds are proposed and
can be changed person by person. A structure of another target group can be chosen only
with a reason, which is recorded with the stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from models.errors import ValidationError
from models.formatting import format_date
from models.i18n import N_, _
from models.results import (
    Changes,
    HouseholdInfo,
    PlacementInfo,
    PresenceRow,
    ReservationInfo,
)

from ..colours import warning
from ..widgets import fit_on_screen
from .dates import DateEdit, OptionalDateEdit, add_months, date_row
from .destination import Destination
from .household_picker import HouseholdPicker
from .members_table import MembersTable, household_people
from .override_reason import OverrideReasonEdit
from .structure_chooser import StructureChooser
from .texts import date_text
from .workflow_dialog import WorkflowDialog, Write

DEFAULT_MONTHS = 6  # an ordinary SAI placement lasts six months, then extensions

Hints = tuple[list[PresenceRow], list[ReservationInfo]]


class PlacementDialog(WorkflowDialog):
    HELP_ANCHOR = "placement"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("New placement"), N_("Place")

    def build(self) -> None:
        day = self.day
        columns = QHBoxLayout()
        self.body.addLayout(columns, 1)

        who = QGroupBox(_("Who"))
        who_lay = QVBoxLayout(who)
        self.picker = HouseholdPicker(self.context, on_failure=self.show_failure)
        who_lay.addWidget(self.picker)
        self.members = MembersTable(with_beds=True)
        who_lay.addWidget(
            QLabel(_("People to place (untick anyone who is not coming) and their beds:"))
        )
        who_lay.addWidget(self.members, 1)
        self.reservation_hint = QLabel()
        self.reservation_hint.setObjectName("reservationHint")
        self.reservation_hint.setWordWrap(True)
        self.reservation_hint.setStyleSheet(f"color: {warning().name()};")
        self.reservation_hint.hide()
        who_lay.addWidget(self.reservation_hint)
        columns.addWidget(who, 4)

        where = QGroupBox(_("Where"))
        where_lay = QVBoxLayout(where)
        self.chooser = StructureChooser(
            self.context, structure_id=self.structure_id, on_failure=self.show_failure
        )
        where_lay.addWidget(self.chooser)
        columns.addWidget(where, 5)

        when = QGroupBox(_("When"))
        form = QFormLayout(when)
        self.entry_date = DateEdit(day)
        self.entry_date.setObjectName("entryDate")
        form.addRow(_("&Entry date:"), date_row(self.entry_date))
        self.planned_end = OptionalDateEdit(add_months(day, DEFAULT_MONTHS), _("no planned end"))
        self.planned_end.setObjectName("plannedEnd")
        form.addRow(_("Planned en&d:"), self.planned_end)
        self.override = OverrideReasonEdit(
            _("Reason for the e&xception (required):"),
            _(
                "This structure is not meant for these people. To place them anyway, write the reason "
                "for the exception; otherwise choose another structure."
            ),
            placeholder=_("Why they are placed outside the structure's target group"),
        )
        self.override.add_to(form)
        self.note = QLineEdit()
        self.note.setObjectName("placementNote")
        form.addRow(_("&Note:"), self.note)
        self.body.addWidget(when)
        self.destination = Destination(
            self.context, self.chooser, self.members, self.override, on_failure=self.show_failure
        )

        self._end_touched = False
        self.fit_timer = QTimer(self)
        self.fit_timer.setSingleShot(True)
        self.fit_timer.setInterval(200)
        self.fit_timer.timeout.connect(self.refresh_fit)
        self.picker.household_changed.connect(self._household_changed)
        self.members.selection_changed.connect(self.fit_timer.start)
        self.entry_date.dateChanged.connect(self._entry_changed)
        self.planned_end.changed.connect(self._end_changed)
        self.chooser.structure_changed.connect(self._structure_changed)

        if self.household_id is not None:
            self.picker.set_household(self.household_id)  # then the fit is checked for it
        else:
            self.refresh_fit()
        fit_on_screen(self, 1200, 660)
        (self.chooser.table if self.household_id is not None else self.picker).setFocus()

    # -- reactions --
    def _household_changed(self, h: HouseholdInfo | None) -> None:
        self.members.set_people(
            household_people(h) if h is not None else [], self.entry_date.value()
        )
        if h is not None:
            self.chooser.prefer_programme_of(h.id)
        self.refresh_fit()

    def _update_hints(self) -> None:
        """Say when the household already has beds on the entry date, or beds held for it."""
        h = self.picker.household
        if h is None:
            self._show_hints(None)
            return
        backend, hid, day = self.backend, h.id, self.entry_date.value()
        self.run(
            lambda: (
                backend.presence.who_is_where(day, household_id=hid),
                backend.sheets.reservations(household_id=hid),
            ),
            self._show_hints,
            key="hints",
        )

    def _show_hints(self, found: Hints | None) -> None:
        hints = []
        if found is not None:
            placed_rows, held = found
            placed = {r.structure_name for r in placed_rows}
            if placed:
                hints.append(
                    _(
                        "On {date} this household already has beds in {structures}: to move it, use Transfer."
                    ).format(
                        date=format_date(self.entry_date.value()),
                        structures=", ".join(sorted(placed)),
                    )
                )
            if held:
                hints.append(
                    _(
                        "Beds are held for this household in {structure} from {date}: when they arrive, confirm the "
                        "reservation (Reservations, held reservations) so that the held beds are freed."
                    ).format(
                        structure=held[0].structure_code, date=format_date(held[0].expected_on)
                    )
                )
        self.reservation_hint.setText("\n".join(hints))
        self.reservation_hint.setVisible(bool(hints))

    def _entry_changed(self) -> None:
        if not self._end_touched:
            self.planned_end.blockSignals(True)
            self.planned_end.edit.set_value(add_months(self.entry_date.value(), DEFAULT_MONTHS))
            self.planned_end.blockSignals(False)
        self.fit_timer.start()

    def _end_changed(self) -> None:
        self._end_touched = True
        self.fit_timer.start()  # the places are checked up to the planned end

    def refresh_fit(self) -> None:
        self.fit_timer.stop()
        self._update_hints()
        h = self.picker.household
        self.chooser.set_context(
            h.id if h else None,
            self.members.person_ids(),
            self.entry_date.value(),
            self.planned_end.value(),
        )

    def _structure_changed(self) -> None:
        h = self.picker.household
        self.destination.show(h.id if h else None, h.code if h else None, self.entry_date.value())

    # -- apply --
    def apply(self) -> Write:
        if self.fit_timer.isActive():
            self.refresh_fit()
        h = self.picker.household
        if h is None:
            raise ValidationError(_("Choose the household to place: search it by name above."))
        if not self.members.checked_ids():
            raise ValidationError(_("Tick at least one person to place."))
        sid = self.chooser.structure_id()
        if sid is None:
            raise ValidationError(_("Choose the structure from the list."))
        entry = self.entry_date.value()
        end = self.planned_end.value()
        if end is not None and end <= entry:
            raise ValidationError(_("The planned end must come after the entry date."))
        reason = self.override.reason(self.chooser.report())
        beds = self.members.beds_for_service(_("Choose a bed for each person to place."))
        hid, person_ids, note = h.id, self.members.person_ids(), self.note.text().strip()
        place = self.place_call()
        return Write(
            lambda: place(
                hid,
                sid,
                entry,
                planned_end=end,
                beds=beds,
                person_ids=person_ids,
                override_reason=reason,
                note=note,
            ),
            Changes(structures=frozenset({sid}), households=frozenset({hid})),
        )

    def place_call(self) -> Callable[..., PlacementInfo]:
        """The service OK calls (placing from the waiting list also closes the request)."""
        return self.backend.placements.place

    def reload(self) -> None:
        self.destination.forget()
        self.refresh_fit()

    def confirmation(self, result: Any) -> str:
        st = self.chooser.structure()
        return _("Placement recorded: household {household} in {structure}, from {date}").format(
            household=result.household_code,
            structure=st.code if st is not None else "",
            date=date_text(result.entry_date),
        )
