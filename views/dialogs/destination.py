"""Where the ticked people go, once a structure is chosen: the beds each may take there
and, when the structure is for another target group, the reason field.

Shared by the placement, reservation and transfer dialogs. The beds of a structure on a
date are read once (or come with the fit, when the structure was asked for before:
``StructureChooser.sheet_read``); choosing the same structure again (the fit is checked
again when a member is ticked) reads nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject

from models.i18n import _
from models.results import StructureSheet

from .context import DialogContext
from .members_table import MembersTable
from .override_reason import OverrideReasonEdit
from .structure_chooser import StructureChooser

BedOptions = list[tuple[int, str]]  # bed id, "room / bed"


def bed_options(sheet: StructureSheet, household_id: int, household_code: str | None) -> BedOptions:
    """Beds of a structure that the household can take on the sheet's date: free, held for
    it, or its own."""
    out = []
    for b in sheet.beds:
        own = (
            b.status == "occupied"
            and b.occupant is not None
            and b.occupant.household_id == household_id
        ) or (b.status == "reserved" and household_code is not None and b.note == household_code)
        if b.status == "free" or own:
            out.append(
                (b.bed_id, _("{room} / bed {bed}").format(room=b.room_name, bed=b.bed_label))
            )
    return out


class Destination(QObject):
    """Links the structure chooser, the members with their beds and the reason field."""

    def __init__(
        self,
        context: DialogContext,
        chooser: StructureChooser,
        members: MembersTable,
        override: OverrideReasonEdit,
        *,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        super().__init__(chooser)
        self.context = context
        self.chooser = chooser
        self.members = members
        self.override = override
        self.on_failure = on_failure
        self._shown: tuple[int, dt.date, int] | None = None  # structure, date, household
        self._read: tuple[tuple[int, dt.date, int], BedOptions] | None = None
        # Beds asked for before the dialog opened (person id -> bed id), preselected
        # instead of the proposed ones when the structure offers them.
        self.wanted: dict[int, int] = {}

    def show(self, household_id: int | None, household_code: str | None, day: dt.date) -> None:
        """After a structure is chosen (or its fit checked again): each ticked person's bed
        list, the proposed bed preselected, and the reason field when it is needed."""
        sid = self.chooser.structure_id()
        rep = self.chooser.report()
        self.override.set_needed(bool(rep and rep.target_group_problem))
        if household_id is None or sid is None:
            self._shown = None
            self.members.set_bed_options([], {}, structure_chosen=False)
            return
        wanted = self._shown = (sid, day, household_id)
        if self._read is not None and self._read[0] == wanted:
            self._offer(self._read[1])
            return
        sheet = self.chooser.sheet_read(sid, day)  # came with the fit
        if sheet is not None:
            self._arrived(wanted, bed_options(sheet, household_id, household_code))
            return
        backend = self.context.backend
        self.context.run(
            self,
            lambda: bed_options(backend.sheets.sheet(sid, day), household_id, household_code),
            on_success=lambda options: self._arrived(wanted, options),
            on_failure=self.on_failure,
            key="beds",
        )

    def forget(self) -> None:
        """The beds may have changed (a refusal, a change elsewhere): read them again."""
        self._read = None

    def _arrived(self, wanted: tuple[int, dt.date, int], options: BedOptions) -> None:
        self._read = (wanted, options)
        if wanted == self._shown:
            self._offer(options)

    def _offer(self, options: BedOptions) -> None:
        rep = self.chooser.report()
        proposal = dict(rep.proposed_beds) if rep else {}
        offered = {bed_id for bed_id, _label in options}
        for person_id, bed_id in self.wanted.items():
            if bed_id not in offered:
                continue
            # Whoever the bed was proposed for takes the bed proposed for this person.
            for other, proposed in list(proposal.items()):
                if proposed == bed_id and other != person_id:
                    if person_id in proposal:
                        proposal[other] = proposal[person_id]
                    else:
                        del proposal[other]
            proposal[person_id] = bed_id
        self.members.set_bed_options(options, proposal)
