"""Correct a person's details (name, alias, sex, birth date, citizenship, legal status).

The change is kept in the audit trail; a change made meanwhile on another PC is detected
(version counter) and the dialog shows the record as it is now instead of overwriting it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from models.errors import NotFoundError, ValidationError
from models.formatting import format_short_date
from models.i18n import N_, _
from models.labels import LEGAL_STATUSES, SEXES
from models.results import Changes, HouseholdInfo, PersonInfo

from ..widgets import fit_on_screen
from .context import DialogContext
from .dates import parse_date, show_age
from .texts import person_name
from .workflow_dialog import WorkflowDialog, Write

if TYPE_CHECKING:
    from models.backend import Backend


def read_person(backend: Backend, person_id: int, household_id: int | None) -> PersonInfo:
    """Runs in a worker: the person as the household lists them (with their relationship),
    or as the search finds them by code."""
    if household_id is not None:
        household: HouseholdInfo = backend.directory.household(household_id)
        for m in household.members:
            if m.person.id == person_id:
                return m.person
    found: list[PersonInfo] = backend.directory.search_people(f"P{person_id:06d}", limit=5)
    for p in found:
        if p.id == person_id:
            return p
    raise NotFoundError(
        _(
            "These data no longer exist (perhaps removed on another PC): nothing was saved. Press F5 (View › Refresh) to read the data again."
        )
    )


class EditPersonDialog(WorkflowDialog):
    HELP_ANCHOR = "people"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("Correct a person's details"), N_("Save")

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        person_id: int,
        household_id: int | None = None,
    ) -> None:
        self.person_id = person_id  # read by build(), which the frame calls
        super().__init__(context, parent, household_id=household_id)

    def build(self) -> None:
        self.person: PersonInfo | None = None
        form = QFormLayout()
        self.first_name = QLineEdit()
        self.first_name.setObjectName("firstName")
        form.addRow(_("&First name:"), self.first_name)
        self.last_name = QLineEdit()
        self.last_name.setObjectName("lastName")
        form.addRow(_("&Last name:"), self.last_name)
        self.alias = QLineEdit()
        self.alias.setObjectName("alias")
        form.addRow(_("&Alias:"), self.alias)
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        for code, label in SEXES.items():
            self.sex.addItem(_(label), code)
        form.addRow(_("&Sex:"), self.sex)
        self.gender_identity = QLineEdit()
        self.gender_identity.setObjectName("genderIdentity")
        form.addRow(_("&Gender identity:"), self.gender_identity)
        self.birth_date = QLineEdit()
        self.birth_date.setObjectName("birthDate")
        self.birth_date.setPlaceholderText(_("dd/mm/yyyy"))
        self.age = QLabel()
        form.addRow(_("&Birth date:"), self.birth_date)
        form.addRow("", self.age)
        self.citizenship = QLineEdit()
        self.citizenship.setObjectName("citizenship")
        form.addRow(_("&Citizenship:"), self.citizenship)
        self.legal_status = QComboBox()
        self.legal_status.setObjectName("legalStatus")
        for code, label in LEGAL_STATUSES.items():
            self.legal_status.addItem(_(label), code)
        form.addRow(_("Legal s&tatus:"), self.legal_status)
        self.title = QLabel()
        self.body.addWidget(self.title)
        self.body.addLayout(form)
        self.birth_date.textChanged.connect(self._update_age)
        fit_on_screen(self, 480, 360)
        self.first_name.setFocus()
        self.ok_button.setEnabled(False)  # until the person is read
        self.reload()

    def reload(self) -> None:
        """Read the person and show their details as they are now."""
        backend, pid, hid = self.backend, self.person_id, self.household_id
        self.run(lambda: read_person(backend, pid, hid), self._show_person, key="person")

    def _show_person(self, p: PersonInfo) -> None:
        self.person = p
        self.title.setText(_("<b>{name}</b> — {code}").format(name=person_name(p), code=p.code))
        for edit, value in (
            (self.first_name, p.first_name),
            (self.last_name, p.last_name),
            (self.alias, p.alias),
            (self.gender_identity, p.gender_identity),
            (self.citizenship, p.citizenship),
            (self.birth_date, format_short_date(p.birth_date)),
        ):
            edit.setText(value)
        self.sex.setCurrentIndex(max(0, self.sex.findData(p.sex)))
        self.legal_status.setCurrentIndex(max(0, self.legal_status.findData(p.legal_status)))
        self._update_age()
        self.ok_button.setEnabled(True)

    def _update_age(self) -> None:
        show_age(self.age, self.birth_date.text(), self.day)

    def apply(self) -> Write:
        p = self.person
        if p is None:
            raise ValidationError(
                _(
                    "These data no longer exist (perhaps removed on another PC): nothing was saved. Press F5 (View › Refresh) to read the data again."
                )
            )
        birth = parse_date(self.birth_date.text())
        if birth is not None and birth > self.backend.today():
            raise ValidationError(_("The birth date is in the future."))
        fields = {
            "first_name": self.first_name.text().strip(),
            "last_name": self.last_name.text().strip(),
            "alias": self.alias.text().strip(),
            "sex": self.sex.currentData(),
            "gender_identity": self.gender_identity.text().strip(),
            "birth_date": birth,
            "citizenship": self.citizenship.text().strip(),
            "legal_status": self.legal_status.currentData(),
        }
        changed = {k: v for k, v in fields.items() if getattr(p, k) != v}
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        backend = self.backend
        household = p.household_id if p.household_id is not None else self.household_id
        return Write(
            lambda: backend.people.update_person(p.id, p.version, **changed),
            Changes(households=frozenset({household} if household is not None else ())),
        )

    def confirmation(self, result: Any) -> str:
        return _("Saved: person {person}").format(person=result.code)
