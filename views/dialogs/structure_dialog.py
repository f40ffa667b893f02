"""Nuova struttura, Modifica struttura: a structure's programme, code, name, province,
comune, address, target groups, protected flag, opening and closing dates, and (new
only) its places from the opening day (Rete › Nuova struttura…).

A new structure of an anti-trafficking programme starts protected (its name and address
never shown); the coordinator can still change it. Passing a structure to another
programme is a dialog of its own (``move_structure_dialog``), since it happens from a
date.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
)

from models.errors import ValidationError
from models.i18n import N_, _
from models.labels import TARGET_GROUPS, target_group_label
from models.results import Changes, ProgrammeInfo, StructureInfo

from ..widgets import fit_on_screen
from .dates import DateEdit, OptionalDateEdit, date_row
from .workflow_dialog import WorkflowDialog, Write


class StructureDialog(WorkflowDialog):
    """A new structure, in the programme selected in the navigation unless chosen."""

    HELP_ANCHOR = "network"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("New structure"), N_("Create")

    def build(self) -> None:
        self.structure: StructureInfo | None = None
        self._programmes: list[ProgrammeInfo] = []
        # The protected flag follows the programme's kind until the coordinator ticks it.
        self._confidential_touched = False
        form = QFormLayout()
        self.programme = QComboBox()
        self.programme.setObjectName("structureProgrammeChooser")
        self.programme.setAccessibleName(_("Programme"))
        form.addRow(_("Pro&gramme:"), self.programme)
        self.code = QLineEdit()
        self.code.setObjectName("structureCode")
        self.code.setAccessibleName(_("Code"))
        self.code.setMaxLength(40)
        self.code.setPlaceholderText(_("For example SO-12"))
        form.addRow(_("&Code:"), self.code)
        self.name = QLineEdit()
        self.name.setObjectName("structureName")
        self.name.setAccessibleName(_("Name"))
        self.name.setMaxLength(200)
        form.addRow(_("&Name:"), self.name)
        self.province = QLineEdit()
        self.province.setObjectName("structureProvince")
        self.province.setAccessibleName(_("Province"))
        self.province.setMaxLength(2)
        self.province.setPlaceholderText(_("For example MI"))
        form.addRow(_("Pro&vince:"), self.province)
        self.comune = QLineEdit()
        self.comune.setObjectName("structureComune")
        self.comune.setAccessibleName(_("Comune"))
        self.comune.setMaxLength(120)
        form.addRow(_("Co&mune:"), self.comune)
        self.address = QLineEdit()
        self.address.setObjectName("structureAddressEdit")
        self.address.setAccessibleName(_("Address"))
        self.address.setMaxLength(300)
        form.addRow(_("&Address:"), self.address)
        targets_box = QGroupBox(_("Target groups"))
        grid = QGridLayout(targets_box)
        self.targets: dict[str, QCheckBox] = {}
        for i, code in enumerate(TARGET_GROUPS):
            box = QCheckBox(target_group_label(code))
            box.setObjectName(f"target_{code}")
            grid.addWidget(box, i // 3, i % 3)
            self.targets[code] = box
        form.addRow(targets_box)
        self.confidential = QCheckBox(_("Protected apartment (name and address never shown)"))
        self.confidential.setObjectName("structureConfidential")
        self.confidential.clicked.connect(self._confidential_clicked)
        form.addRow(self.confidential)
        self.opened = DateEdit(self.day)
        self.opened.setObjectName("structureOpened")
        self.opened.setAccessibleName(_("Opening date"))
        form.addRow(_("&Opened on:"), date_row(self.opened))
        self.closed = OptionalDateEdit(None, _("still open"))
        self.closed.setObjectName("structureClosed")
        self.closed.edit.setAccessibleName(_("Closing date (last day open)"))
        self.closed.none.setAccessibleName(_("Still open"))
        form.addRow(_("C&losed on (last day open):"), self.closed)
        self.places = QSpinBox()
        self.places.setObjectName("structurePlaces")
        self.places.setAccessibleName(_("Places from the opening day"))
        self.places.setRange(0, 10_000)
        self.places_label = _("&Places from the opening day:")
        form.addRow(self.places_label, self.places)
        self.form = form
        self.body.addLayout(form)
        self.body.addStretch(1)
        self.programme.currentIndexChanged.connect(lambda _i: self._programme_chosen())
        fit_on_screen(self, 640, 560)
        self.prepare()
        self.reload()

    def prepare(self) -> None:
        """What only a new structure or only an edit shows."""
        self.code.setFocus()

    def _confidential_clicked(self) -> None:
        self._confidential_touched = True

    def reload(self) -> None:
        backend = self.backend
        self.run(backend.directory.programmes, self._show_programmes, key="programmes")

    def wanted_programme(self) -> str | None:
        return self.context.selection.programme_code

    def _show_programmes(self, programmes: list[ProgrammeInfo]) -> None:
        wanted = self.wanted_programme()
        self._programmes = programmes
        self.programme.blockSignals(True)
        self.programme.clear()
        for p in programmes:
            self.programme.addItem(f"{p.code} · {p.name}", p.id)
        index = next((i for i, p in enumerate(programmes) if p.code == wanted), 0)
        self.programme.setCurrentIndex(index if programmes else -1)
        self.programme.blockSignals(False)
        self._programme_chosen()

    def chosen_programme(self) -> ProgrammeInfo | None:
        index = self.programme.currentIndex()
        return self._programmes[index] if 0 <= index < len(self._programmes) else None

    def _programme_chosen(self) -> None:
        p = self.chosen_programme()
        if p is None or self._confidential_touched:
            return
        self.confidential.setChecked(p.kind == "anti_trafficking")
        if len(p.provinces) == 1 and not self.province.text().strip():
            self.province.setText(p.provinces[0])

    def values(self) -> dict[str, Any]:
        code, name = self.code.text().strip(), self.name.text().strip()
        if not code or not name:
            (self.code if not code else self.name).setFocus()
            raise ValidationError(_("A structure needs a code and a name."))
        if not self.province.text().strip():
            self.province.setFocus()
            raise ValidationError(_("Write the province's two-letter code (for example MI)."))
        return {
            "code": code,
            "name": name,
            "province": self.province.text().strip(),
            "comune": self.comune.text().strip(),
            "address": self.address.text().strip(),
            "targets": [code for code, box in self.targets.items() if box.isChecked()],
            "confidential": self.confidential.isChecked(),
            "opened_on": self.opened.value(),
            "closed_on": self.closed.value(),
        }

    def apply(self) -> Write:
        p = self.chosen_programme()
        if p is None:
            raise ValidationError(_("Create a programme first: a structure belongs to one."))
        v = self.values()
        places = self.places.value()
        backend = self.backend
        return Write(
            lambda: backend.structures.create_structure(
                p.id,
                v["code"],
                v["name"],
                v["province"],
                v["opened_on"],
                address=v["address"],
                comune=v["comune"],
                targets=v["targets"],
                confidential=v["confidential"],
                places=places,
                closed_on=v["closed_on"],
            ),
            Changes(network=True),
            changed_by=lambda st: Changes(structures=frozenset({st.id})),
        )

    def confirmation(self, result: Any) -> str:
        return _("Structure saved: {code}").format(code=result.code)


class EditStructureDialog(StructureDialog):
    """The details of the structure selected."""

    TITLE, OK_TEXT = N_("Edit structure"), N_("Save")

    def prepare(self) -> None:
        # Another programme from a date: Rete › Move to another programme…
        self.programme.setEnabled(False)
        self._confidential_touched = True
        self.places.hide()
        label = self.form.labelForField(self.places)
        if label is not None:
            label.hide()
        self.name.setFocus()
        if self.structure_id is None:
            self.ok_button.setEnabled(False)
            self.show_error(_("Choose a structure in the navigation on the left."))

    def wanted_programme(self) -> str | None:
        return self.structure.programme_code if self.structure is not None else None

    def reload(self) -> None:
        sid = self.structure_id
        if sid is None:
            return
        backend = self.backend
        self.run(
            lambda: (backend.structures.structure(sid), backend.directory.programmes()),
            self._show_structure,
            key="structure",
        )

    def _show_structure(self, loaded: tuple[StructureInfo, list[ProgrammeInfo]]) -> None:
        st, programmes = loaded
        self.structure = st
        self._show_programmes(programmes)
        self.code.setText(st.code)
        self.name.setText(st.name)
        self.province.setText(st.province)
        self.comune.setText(st.comune)
        self.address.setText(st.address)
        for code, box in self.targets.items():
            box.setChecked(code in st.targets)
        self.confidential.setChecked(st.confidential)
        self.opened.set_value(st.opened_on)
        self.closed.set_value(st.closed_on)

    def apply(self) -> Write:
        st = self.structure
        if st is None:
            raise ValidationError(_("Choose a structure in the navigation on the left."))
        v = self.values()
        backend = self.backend
        return Write(
            lambda: backend.structures.update_structure(st.id, st.version, **v),
            Changes(structures=frozenset({st.id}), network=True),
        )
