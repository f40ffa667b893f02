"""A request of placement (richiesta di inserimento) for the waiting list: what the
referral says, the household not registered yet; or the correction of one still waiting.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from models.i18n import N_, _
from models.labels import PRIORITIES, REQUEST_NEEDS, TARGET_GROUPS
from models.results import Changes, NewRequest, RequestInfo

from ..date_edit import DateEdit
from ..widgets import fit_on_screen
from .context import DialogContext
from .dates import date_row
from .styles import hint
from .workflow_dialog import WorkflowDialog, Write


class RequestDialog(WorkflowDialog):
    """A new request on the waiting list, or the correction of one still waiting."""

    TITLE, OK_TEXT = N_("Request of placement"), N_("Save")

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        request: RequestInfo | None = None,
        **ids: Any,
    ) -> None:
        self.request = request
        super().__init__(context, parent, **ids)

    def build(self) -> None:
        q = self.request
        form = QFormLayout()
        self.body.addWidget(hint(_("What the referral says: the household is not registered yet.")))
        self.body.addLayout(form)
        self.code = QLineEdit(q.referral_code if q else "")
        self.code.setObjectName("requestCode")
        self.code.setAccessibleName(_("Referral code"))
        form.addRow(_("Referral &code:"), self.code)
        self.referred = DateEdit(q.referral_date if q else self.day)
        self.referred.setObjectName("requestDate")
        self.referred.line.setAccessibleName(_("Referred on"))
        form.addRow(_("&Referred on:"), date_row(self.referred))
        self.body_name = QLineEdit(q.referring_body if q else "")
        self.body_name.setObjectName("requestBody")
        self.body_name.setAccessibleName(_("Referring body"))
        self.body_name.setPlaceholderText(
            _("e.g. SAI central service, prefecture, social services")
        )
        form.addRow(_("Referring &body:"), self.body_name)
        self.target = QComboBox()
        self.target.setObjectName("requestTarget")
        self.target.setAccessibleName(_("Target group"))
        self.target.addItem(_("not given"), None)
        for code, label in TARGET_GROUPS.items():
            self.target.addItem(_(label), code)
        if q and q.target_group:
            self.target.setCurrentIndex(self.target.findData(q.target_group))
        form.addRow(_("Target &group:"), self.target)
        people = QHBoxLayout()
        self.adults = QSpinBox()
        self.adults.setObjectName("requestAdults")
        self.adults.setRange(0, 30)
        self.adults.setValue(q.adults if q else 1)
        self.adults.setAccessibleName(_("Adults"))
        self.minors = QSpinBox()
        self.minors.setObjectName("requestMinors")
        self.minors.setRange(0, 30)
        self.minors.setValue(q.minors if q else 0)
        self.minors.setAccessibleName(_("Minors"))
        people.addWidget(self.adults)
        people.addWidget(QLabel(_("adults")))
        people.addWidget(self.minors)
        people.addWidget(QLabel(_("minors")))
        people.addStretch(1)
        people_label = QLabel(_("&People:"))
        people_label.setBuddy(self.adults)
        form.addRow(people_label, people)
        needs = QHBoxLayout()
        self.needs: dict[str, QCheckBox] = {}
        for code, label in REQUEST_NEEDS.items():
            box = QCheckBox(_(label))
            box.setObjectName(f"need_{code}")
            box.setChecked(bool(q and code in q.needs))
            self.needs[code] = box
            needs.addWidget(box)
        needs.addStretch(1)
        form.addRow(_("Needs:"), needs)
        self.priority = QComboBox()
        self.priority.setObjectName("requestPriority")
        self.priority.setAccessibleName(_("Priority"))
        for value, label in PRIORITIES.items():
            self.priority.addItem(_(label), value)
        self.priority.setCurrentIndex(self.priority.findData(q.priority if q else 3))
        form.addRow(_("Pr&iority:"), self.priority)
        self.province = QLineEdit(q.province if q else "")
        self.province.setObjectName("requestProvince")
        self.province.setMaxLength(2)
        self.province.setPlaceholderText(_("any"))
        self.province.setAccessibleName(_("Province"))
        form.addRow(_("Pro&vince wanted:"), self.province)
        self.programme = QComboBox()
        self.programme.setObjectName("requestProgramme")
        self.programme.setAccessibleName(_("Programme"))
        self.programme.addItem(_("any programme"), None)
        form.addRow(_("Progra&mme wanted:"), self.programme)
        self.stay = QSpinBox()
        self.stay.setObjectName("requestStay")
        self.stay.setRange(1, 3 * 366)
        self.stay.setValue(q.stay_days if q else 180)
        self.stay.setSuffix(" " + _("days"))
        self.stay.setAccessibleName(_("Expected stay"))
        form.addRow(_("E&xpected stay:"), self.stay)
        self.notes = QPlainTextEdit(q.notes if q else "")
        self.notes.setObjectName("requestNotes")
        self.notes.setAccessibleName(_("Notes"))
        self.notes.setFixedHeight(70)
        form.addRow(_("&Notes:"), self.notes)
        self.body.addStretch(1)
        self.run(self.backend.directory.programmes, self._programmes, key="programmes")
        fit_on_screen(self, 620, 560)

    def _programmes(self, programmes: list[Any]) -> None:
        for p in programmes:
            self.programme.addItem(f"{p.code} — {p.name}", p.id)
        if self.request and self.request.programme_id:
            self.programme.setCurrentIndex(
                max(self.programme.findData(self.request.programme_id), 0)
            )

    def new_request(self) -> NewRequest:
        return NewRequest(
            referral_date=self.referred.value(),
            adults=self.adults.value(),
            minors=self.minors.value(),
            referral_code=self.code.text(),
            referring_body=self.body_name.text(),
            target_group=self.target.currentData(),
            needs=frozenset(code for code, box in self.needs.items() if box.isChecked()),
            priority=int(self.priority.currentData()),
            province=self.province.text(),
            programme_id=self.programme.currentData(),
            stay_days=self.stay.value(),
            household_id=self.request.household_id if self.request else None,
            notes=self.notes.toPlainText(),
        )

    def apply(self) -> Write:
        new = self.new_request()
        wl = self.backend.waiting_list
        q = self.request
        if q is None:
            return Write(
                lambda: wl.add(new), Changes(message=_("Request added to the waiting list"))
            )
        rid, version = q.id, q.version
        return Write(
            lambda: wl.change(rid, new, version=version), Changes(message=_("Request saved"))
        )
