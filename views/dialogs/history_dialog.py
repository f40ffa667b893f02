"""Cronologia…: who changed what and when, for the placement, a member of the household
or the structure selected, as the database's change log recorded it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from models import labels
from models.formatting import format_short_date
from models.i18n import N_, _
from models.results import HistoryEntry, HouseholdInfo

from ..widgets import fit_on_screen
from .context import DialogContext
from .tables import ro_item, setup_table

# The change log's tables, as a coordinator names them.
RECORDS = {
    "programme": N_("programme"),
    "structure": N_("structure"),
    "capacity_period": N_("places from a date"),
    "structure_move": N_("move to another programme"),
    "room": N_("room"),
    "bed": N_("bed"),
    "bed_outage": N_("bed out of service"),
    "person": N_("person"),
    "household": N_("household"),
    "household_member": N_("household member"),
    "placement": N_("placement"),
    "extension": N_("extension"),
    "bed_stay": N_("stay in a bed"),
    "reservation": N_("reservation"),
    "reservation_bed": N_("reserved bed"),
    "placement_request": N_("request on the waiting list"),
}
OPERATIONS = {"I": N_("Added"), "U": N_("Changed"), "D": N_("Removed")}
# The fields most changed, by the names of the screens; any other keeps its own.
FIELDS = {
    "code": N_("code"),
    "name": N_("name"),
    "first_name": N_("first name"),
    "last_name": N_("last name"),
    "alias": N_("alias"),
    "sex": N_("sex"),
    "birth_date": N_("birth date"),
    "citizenship": N_("citizenship"),
    "legal_status": N_("legal status"),
    "relationship": N_("relationship"),
    "entry_date": N_("entry"),
    "planned_end": N_("planned end"),
    "exit_date": N_("exit"),
    "exit_reason": N_("reason for leaving"),
    "exit_destination": N_("destination"),
    "status": N_("status"),
    "start_date": N_("from"),
    "end_date": N_("to"),
    "cancelled": N_("cancelled"),
    "override_reason": N_("reason"),
    "reason": N_("reason"),
    "note": N_("note"),
    "places": N_("places"),
    "valid_from": N_("from"),
    "address": N_("address"),
    "comune": N_("comune"),
    "province": N_("province"),
    "confidential": N_("protected address"),
    "opened_on": N_("opened on"),
    "closed_on": N_("closed on"),
    "label": N_("bed"),
    "bed_id": N_("bed (number)"),
    "person_id": N_("person (number)"),
    "new_planned_end": N_("new planned end"),
    "previous_planned_end": N_("previous planned end"),
}


# Codes shown by their labels, as the screens show them.
CODES = {
    "status": labels.placement_status_label,
    "exit_reason": labels.exit_reason_label,
    "relationship": labels.relationship_label,
    "sex": labels.sex_label,
    "legal_status": labels.legal_status_label,
    "kind": labels.programme_kind_label,
    "sai_category": labels.sai_category_label,
}
YES_NO = {"cancelled", "confidential"}


def describe_changes(entry: HistoryEntry) -> list[str]:
    """The fields of one change, "field: before → after", in the interface's language.
    A record added or removed shows its filled fields; the numbers that link records
    show only where they changed (a stay moved to another bed)."""
    parts = []
    for change in entry.changes:
        if entry.operation != "U" and change.name.endswith("_id"):
            continue
        name = _(FIELDS[change.name]) if change.name in FIELDS else change.name
        before, after = _value(change.name, change.before), _value(change.name, change.after)
        if entry.operation == "I" and after and not (change.name in YES_NO and after == _("no")):
            parts.append(f"{name}: {after}")
        elif entry.operation == "D" and before:
            parts.append(f"{name}: {before}")
        elif entry.operation == "U":
            parts.append(f"{name}: {before or '—'} → {after or '—'}")
    return parts


def _value(name: str, text: str) -> str:
    if not text:
        return ""
    if name in CODES:
        return CODES[name](text)
    if name in YES_NO:
        return _("yes") if text in ("1", "true", "✓") else _("no")
    try:
        return format_short_date(dt.date.fromisoformat(text)) if len(text) == 10 else text
    except ValueError:
        return text


class HistoryDialog(QDialog):
    """Read only: a record chosen from what is selected, its changes oldest first."""

    HELP_ANCHOR = "history"

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        household_id: int | None = None,
        placement_id: int | None = None,
        structure_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("History"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.record = QComboBox(self)
        self.record.setObjectName("historyRecord")
        self.record.setAccessibleName(_("Record whose history is shown"))
        form.addRow(_("&Record:"), self.record)
        layout.addLayout(form)
        self.table = QTableWidget(self)
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName(_("Changes of the record, oldest first"))
        setup_table(self.table, [_("When"), _("Who"), _("What"), _("Changes")])
        self.table.setWordWrap(False)  # one line a change; the whole of it in its tooltip
        layout.addWidget(self.table)
        self.message = QLabel(self)
        self.message.setObjectName("historyMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if placement_id is not None:
            self.record.addItem(_("The placement selected"), ("placement", placement_id))
        if structure_id is not None:
            self.record.addItem(_("The structure selected"), ("structure", structure_id))
        self.record.currentIndexChanged.connect(self._load)
        fit_on_screen(self, 900, 520)
        if household_id is not None:
            context.run(
                self,
                lambda: context.backend.directory.household(household_id),
                on_success=self._members,
                key="history-household",
            )
        if self.record.count():
            self._load()
        elif household_id is None:
            self.message.setText(
                _("Choose a person, a placement or a structure first: its history is shown here.")
            )

    def _members(self, household: HouseholdInfo) -> None:
        had = self.record.count()
        for member in household.members:
            p = member.person
            label = _("Person: {name} ({code})").format(
                name=f"{p.first_name} {p.last_name}", code=p.code
            )
            self.record.addItem(label, ("person", p.id))
        if not had and self.record.count():
            self._load()

    def _load(self) -> None:
        data = self.record.currentData()
        if data is None:
            return
        kind, record_id = data
        self.context.run(
            self,
            lambda: self.context.backend.history.of(kind, record_id),
            on_success=self._show,
            on_failure=lambda exc: self.message.setText(str(exc)),
            key="history",
        )

    def _show(self, entries: list[HistoryEntry]) -> None:
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            when = entry.at.replace(tzinfo=dt.UTC).astimezone()
            what = f"{_(OPERATIONS[entry.operation])}: {_(RECORDS.get(entry.table, entry.table))}"
            changes = describe_changes(entry)
            for column, text in enumerate(
                (
                    f"{format_short_date(when.date())} {when:%H:%M}",
                    entry.user,
                    what,
                    "; ".join(changes),
                )
            ):
                item = ro_item(text)
                if column == 3:
                    item.setToolTip("\n".join(changes))
                self.table.setItem(row, column, item)
        self.message.setText(
            _("No change recorded for this record.")
            if not entries
            else _("Every change is recorded by the database itself, with the user who made it.")
        )
