"""Correct a person's details (name, alias, sex, birth date, citizenship, legal status).

The change is kept in the audit trail; a change made meanwhile on another PC is detected
(version counter) and the dialog asks to reload instead of overwriting it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from models.errors import ValidationError
from models.formatting import format_short_date
from models.i18n import _
from models.labels import LEGAL_STATUSES, SEXES

from .common import WARNING_COLOUR, WorkflowDialog, age_on, age_text, parse_date, person_name


class EditPersonDialog(WorkflowDialog):
    def __init__(
        self,
        backend: Any,
        parent: QWidget | None = None,
        *,
        day: dt.date,
        person_id: int,
        household_id: int | None = None,
    ) -> None:
        super().__init__(
            backend, parent, day=day, title=_("Correct a person's details"), ok_text=_("Save")
        )
        self.person = self._load(person_id, household_id)
        p = self.person
        form = QFormLayout()
        self.first_name = QLineEdit(p.first_name)
        self.first_name.setObjectName("firstName")
        form.addRow(_("&First name:"), self.first_name)
        self.last_name = QLineEdit(p.last_name)
        self.last_name.setObjectName("lastName")
        form.addRow(_("&Last name:"), self.last_name)
        self.alias = QLineEdit(p.alias)
        self.alias.setObjectName("alias")
        form.addRow(_("&Alias:"), self.alias)
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        for code, label in SEXES.items():
            self.sex.addItem(_(label), code)
        self.sex.setCurrentIndex(max(0, self.sex.findData(p.sex)))
        form.addRow(_("&Sex:"), self.sex)
        self.gender_identity = QLineEdit(p.gender_identity)
        self.gender_identity.setObjectName("genderIdentity")
        form.addRow(_("&Gender identity:"), self.gender_identity)
        self.birth_date = QLineEdit(format_short_date(p.birth_date))
        self.birth_date.setObjectName("birthDate")
        self.birth_date.setPlaceholderText(_("dd/mm/yyyy"))
        self.age = QLabel()
        form.addRow(_("&Birth date:"), self.birth_date)
        form.addRow("", self.age)
        self.citizenship = QLineEdit(p.citizenship)
        self.citizenship.setObjectName("citizenship")
        form.addRow(_("&Citizenship:"), self.citizenship)
        self.legal_status = QComboBox()
        self.legal_status.setObjectName("legalStatus")
        for code, label in LEGAL_STATUSES.items():
            self.legal_status.addItem(_(label), code)
        self.legal_status.setCurrentIndex(max(0, self.legal_status.findData(p.legal_status)))
        form.addRow(_("Legal s&tatus:"), self.legal_status)
        self.body.addWidget(
            QLabel(_("<b>{name}</b> — {code}").format(name=person_name(p), code=p.code))
        )
        self.body.addLayout(form)
        self.birth_date.textChanged.connect(self._update_age)
        self._update_age()
        self.resize(480, 360)
        self.first_name.setFocus()

    def _load(self, person_id: int, household_id: int | None) -> Any:
        if household_id is not None:
            for m in self.backend.queries.household(household_id).members:
                if m.person.id == person_id:
                    return m.person
        for p in self.backend.queries.search_people(f"P{person_id:06d}", limit=5):
            if p.id == person_id:
                return p
        raise ValidationError(_("The record no longer exists (it may have been removed)."))

    def _update_age(self) -> None:
        try:
            birth = parse_date(self.birth_date.text())
        except ValidationError:
            self.age.setText(_("not a date yet"))
            self.age.setStyleSheet("color: #777;")
            return
        self.age.setText(age_text(birth, self.day))
        minor = (age_on(birth, self.day) or 99) < 18
        self.age.setStyleSheet(
            f"color: {WARNING_COLOUR.name()}; font-weight: bold;" if minor else ""
        )

    def reload(self) -> None:
        p = self.person = self._load(self.person.id, self.person.household_id)
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

    def apply(self) -> Any:
        birth = parse_date(self.birth_date.text())
        if birth is not None and birth > self.backend.services.today():
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
        p = self.person
        changed = {k: v for k, v in fields.items() if getattr(p, k) != v}
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        return self.backend.services.update_person(p.id, p.version, **changed)
