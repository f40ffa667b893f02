"""Register a person or a household (nucleo familiare): one row per member.

Exactly one row is the reference person (the round button); every other row says how
the member is related to them. Minors are recognised from the birth date as it is typed.
With ``household_id`` the dialog adds one member to an existing household instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QWidget,
)

from models.errors import ValidationError
from models.i18n import _
from models.labels import LEGAL_STATUSES, RELATIONSHIPS, SEXES
from models.results import Changes, HouseholdInfo, NewPerson

from .. import messages
from ..widgets import fit_on_screen
from .dates import parse_date, show_age
from .styles import hint
from .texts import age_text, person_name
from .workflow_dialog import WorkflowDialog, Write


@dataclass
class _Row:
    reference: QRadioButton
    first_name: QLineEdit
    last_name: QLineEdit
    alias: QLineEdit
    sex: QComboBox
    gender_identity: QLineEdit
    birth_date: QLineEdit
    age: QLabel
    citizenship: QLineEdit
    legal_status: QComboBox
    relationship: QComboBox
    remove: QPushButton

    def widgets(self) -> list[QWidget]:
        return [
            self.reference,
            self.first_name,
            self.last_name,
            self.alias,
            self.sex,
            self.gender_identity,
            self.birth_date,
            self.age,
            self.citizenship,
            self.legal_status,
            self.relationship,
            self.remove,
        ]


class RegisterHouseholdDialog(WorkflowDialog):
    HELP_ANCHOR = "register"  # its section of the manual (views.help)
    COLUMNS = 12

    def window_title(self) -> str:
        if self.household_id is not None:
            return _("Add a member to the household")
        return _("Register a person or a household")

    def ok_text(self) -> str:
        return _("Add member") if self.household_id is not None else _("Register")

    def build(self) -> None:
        household_id = self.household_id
        adding = household_id is not None
        self.household: HouseholdInfo | None = None
        # How the placement offered after a registration is run (tests answer for it).
        self.exec_follow_up: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.placement_dialog: QDialog | None = None
        # Adding a member: says which household once it is read.
        self.intro = hint(
            ""
            if adding
            else _(
                "One row per person. A person alone is a household of one. The round button marks the "
                "reference person; for the others choose how they are related to the reference person. "
                "Birth date as dd/mm/yyyy: minors are recognised from it."
            )
        )
        self.body.addWidget(self.intro)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self.headers = headers = [
            _("Ref."),
            _("First name"),
            _("Last name"),
            _("Alias"),
            _("Sex"),
            _("Gender identity"),
            _("Birth date"),
            _("Age"),
            _("Citizenship"),
            _("Legal status"),
            _("Relationship"),
            "",
        ]
        for col, text in enumerate(headers):
            label = QLabel(f"<b>{text}</b>")
            label.setVisible(not (adding and col == 0))  # the reference person is already chosen
            self.grid.addWidget(label, 0, col)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 2)
        self.grid.setRowStretch(99, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body.addWidget(scroll, 1)
        self.reference_group = QButtonGroup(self)
        self.rows: list[_Row] = []
        self.add_button = QPushButton(_("+ Add another member"))
        self.add_button.setObjectName("addMemberButton")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.add_button.setVisible(not adding)
        self.body.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_row()
        if household_id is not None:
            self.rows[0].relationship.setCurrentIndex(self.rows[0].relationship.findData("child"))
            self.ok_button.setEnabled(False)  # until the household is read
            backend = self.backend
            self.run(
                lambda: backend.directory.household(household_id),
                self._show_household,
                key="household",
            )
        fit_on_screen(self, 1320, 240 if adding else 360)
        self.rows[0].first_name.setFocus()

    def _show_household(self, household: HouseholdInfo) -> None:
        self.household = household
        ref = household.reference
        self.intro.setText(
            _("New member of household {code} (reference person: {name}).").format(
                code=household.code, name=person_name(ref) if ref else "—"
            )
        )
        if ref is not None:
            # A new member usually shares the family name and citizenship of the reference person.
            first = self.rows[0]
            for edit, value in (
                (first.last_name, ref.last_name),
                (first.citizenship, ref.citizenship),
            ):
                if not edit.text():
                    edit.setText(value)
        self.ok_button.setEnabled(True)

    # -- rows --
    def add_row(self, *, focus: bool = False) -> _Row:
        adding = self.household_id is not None
        first = not self.rows
        ref = QRadioButton()
        ref.setToolTip(_("Reference person of the household"))
        self.reference_group.addButton(ref)
        sex = QComboBox()
        sex.addItem(_("— choose —"), None)
        for code, label in SEXES.items():
            sex.addItem(_(label), code)
        legal = QComboBox()
        for code, label in LEGAL_STATUSES.items():
            legal.addItem(_(label), code)
        legal.setCurrentIndex(legal.findData("other"))
        rel = QComboBox()
        for code, label in RELATIONSHIPS.items():
            if code != "reference":
                rel.addItem(_(label), code)
        rel.addItem(_(RELATIONSHIPS["reference"]), "reference")
        birth = QLineEdit()
        birth.setPlaceholderText(_("dd/mm/yyyy"))
        row = _Row(
            ref,
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
            sex,
            QLineEdit(),
            birth,
            QLabel(),
            QLineEdit(),
            legal,
            rel,
            QPushButton("✕"),
        )
        # The age as it will read ("17 anni · minore", bold) sets its own column's width.
        bold = QFont(row.age.font())
        bold.setBold(True)
        age_width = (
            QFontMetrics(bold).horizontalAdvance(age_text(dt.date(2009, 1, 1), self.day)) + 12
        )
        widths = {
            row.first_name: 105,
            row.last_name: 105,
            row.alias: 70,
            row.sex: 105,
            row.gender_identity: 90,
            row.birth_date: 90,
            row.age: age_width,
            row.citizenship: 95,
            row.legal_status: 130,
            row.relationship: 150,
        }
        for w, width in widths.items():
            w.setMinimumWidth(width)
        row.remove.setToolTip(_("Remove this row"))
        row.remove.setFixedWidth(32)
        row.remove.setAutoDefault(False)
        row.remove.clicked.connect(lambda _c=False, r=row: self.remove_row(r))
        row.birth_date.textChanged.connect(lambda _t, r=row: self._update_age(r))
        ref.toggled.connect(lambda _on: self._update_references())
        if self.rows and not adding:
            # A new member usually shares the family name and citizenship of the reference person.
            base = self.rows[0]
            row.last_name.setText(base.last_name.text())
            row.citizenship.setText(base.citizenship.text())
            row.relationship.setCurrentIndex(row.relationship.findData("child"))
        r = len(self.rows) + 1
        for col, w in enumerate(row.widgets()):
            self.grid.addWidget(w, r, col)
            # A screen reader says which person and which field: "Birth date, person 2".
            header = self.headers[col] if col < len(self.headers) else ""
            w.setAccessibleName(
                _("{field}, person {n}").format(field=header or _("Remove this row"), n=r)
            )
        row.reference.setAccessibleName(_("Reference person: person {n}").format(n=r))
        self.rows.append(row)
        ref.setVisible(not adding)
        if first and not adding:
            ref.setChecked(True)
        self._update_references()
        self._update_tab_order()
        if focus:
            row.first_name.setFocus()
        return row

    def remove_row(self, row: _Row) -> None:
        if len(self.rows) <= 1:
            return
        was_ref = row.reference.isChecked()
        self.rows.remove(row)
        self.reference_group.removeButton(row.reference)
        for w in row.widgets():
            self.grid.removeWidget(w)
            w.deleteLater()
        if was_ref:
            self.rows[0].reference.setChecked(True)
        self._update_references()
        self._update_tab_order()

    def _update_references(self) -> None:
        adding = self.household_id is not None
        for row in self.rows:
            is_ref = row.reference.isChecked()
            if is_ref:
                row.relationship.setCurrentIndex(row.relationship.findData("reference"))
            elif row.relationship.currentData() == "reference" or (
                not adding and row.relationship.currentData() is None
            ):
                row.relationship.setCurrentIndex(row.relationship.findData("other"))
            row.relationship.setEnabled(not is_ref)
            # "reference person" is only chosen with the round button.
            view = row.relationship.view()
            assert isinstance(view, QListView)
            idx = row.relationship.findData("reference")
            view.setRowHidden(idx, not is_ref)
            row.remove.setEnabled(len(self.rows) > 1)

    def _update_tab_order(self) -> None:
        prev: QWidget | None = None
        for row in self.rows:
            for w in row.widgets():
                if w is row.age:
                    continue
                if prev is not None:
                    QWidget.setTabOrder(prev, w)
                prev = w
        if prev is not None:
            QWidget.setTabOrder(prev, self.add_button)
            QWidget.setTabOrder(self.add_button, self.ok_button)

    def _update_age(self, row: _Row) -> None:
        show_age(row.age, row.birth_date.text(), self.day)

    # -- apply --
    def people(self) -> list[NewPerson]:
        out = []
        for n, row in enumerate(self.rows, start=1):
            first, last, alias = (
                row.first_name.text().strip(),
                row.last_name.text().strip(),
                row.alias.text().strip(),
            )
            if not (first or last or alias):
                raise ValidationError(_("Row {n}: write a name or an alias.").format(n=n))
            if row.sex.currentData() is None:
                raise ValidationError(_("Row {n}: choose the sex.").format(n=n))
            try:
                birth = parse_date(row.birth_date.text())
            except ValidationError as exc:
                raise ValidationError(_("Row {n}: {problem}").format(n=n, problem=exc)) from exc
            if birth is not None and birth > self.backend.today():
                raise ValidationError(_("Row {n}: the birth date is in the future.").format(n=n))
            if birth is not None and birth.year < 1900:
                raise ValidationError(_("Row {n}: check the birth year.").format(n=n))
            out.append(
                NewPerson(
                    first_name=first,
                    last_name=last,
                    sex=row.sex.currentData(),
                    birth_date=birth,
                    relationship=row.relationship.currentData(),
                    alias=alias,
                    gender_identity=row.gender_identity.text().strip(),
                    citizenship=row.citizenship.text().strip(),
                    legal_status=row.legal_status.currentData(),
                )
            )
        if self.household_id is None and sum(p.relationship == "reference" for p in out) != 1:
            raise ValidationError(_("Mark exactly one reference person (the round button)."))
        return out

    def apply(self) -> Write:
        people = self.people()
        backend = self.backend
        if self.household_id is not None:
            if self.household is None:
                raise ValidationError(
                    _(
                        "These data no longer exist (perhaps removed on another PC): nothing was saved. Press F5 (View › Refresh) to read the data again."
                    )
                )
            hid, version = self.household_id, self.household.version
            return Write(
                lambda: backend.people.add_household_member(hid, version, people[0]),
                Changes(households=frozenset({hid})),
            )
        return Write(
            lambda: backend.people.register_household(people),
            changed_by=lambda h: Changes(households=frozenset({h.id})),
        )

    def confirmation(self, result: Any) -> str:
        if self.household_id is not None:
            return _("Person added to household {household}").format(household=result.code)
        return _("Household {household} registered").format(household=result.code)

    def _written(self, write: Write, result: Any, ok_enabled: bool) -> None:
        super()._written(write, result, ok_enabled)
        if self.household_id is None and isinstance(result, HouseholdInfo):
            self.offer_placement(result)

    def offer_placement(self, household: HouseholdInfo) -> None:
        """A household just registered usually needs a bed: offer to place it now (the
        placement dialog opens on it); what that changes is added to this dialog's."""
        text = _("Household {household} is registered. Place it in a structure now?").format(
            household=household.code
        )
        parent = self.parentWidget()
        if not messages.get().offer(text, _("Place now"), parent=parent):
            return
        from . import workflow_class

        dialog = workflow_class("placement")(self.context, parent, household_id=household.id)
        self.placement_dialog = dialog
        if self.exec_follow_up(dialog) == QDialog.DialogCode.Accepted:
            self.changes = self.changes | dialog.changes
