"""Sposta in un altro progetto: a structure passes to another programme from a date.

Its earlier nights still count under the programme it had then; from the date on it
counts under the new one. Whoever sleeps there on that night or later must have their
exit or transfer recorded first (a placement belongs to a programme), and the dialog
says so when the move is refused.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel

from models.errors import ValidationError
from models.formatting import format_date
from models.i18n import N_, _
from models.results import Changes, ProgrammeInfo, StructureInfo

from ..widgets import fit_on_screen
from .dates import DateEdit, date_row
from .texts import date_text
from .workflow_dialog import WorkflowDialog, Write


class MoveStructureDialog(WorkflowDialog):
    HELP_ANCHOR = "network"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("Move a structure to another programme"), N_("Move")

    def build(self) -> None:
        self.structure: StructureInfo | None = None
        self._programmes: list[ProgrammeInfo] = []
        self.summary = QLabel(_("Choose a structure in the navigation on the left."))
        self.summary.setObjectName("moveSummary")
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        form = QFormLayout()
        self.target = QComboBox()
        self.target.setObjectName("moveProgramme")
        self.target.setAccessibleName(_("New programme"))
        form.addRow(_("&New programme:"), self.target)
        self.from_date = DateEdit(self.day)
        self.from_date.setObjectName("moveFrom")
        self.from_date.setAccessibleName(_("From (its first night in the new programme)"))
        form.addRow(_("&From (first night there):"), date_row(self.from_date))
        self.body.addLayout(form)
        note = QLabel(
            _(
                "Until the night before, the structure counts under its present programme; "
                "its history stays as it was."
            )
        )
        note.setWordWrap(True)
        self.body.addWidget(note)
        self.body.addStretch(1)
        fit_on_screen(self, 560, 260)
        self.ok_button.setEnabled(False)
        self.reload()

    def reload(self) -> None:
        sid = self.structure_id
        if sid is None:
            return
        backend = self.backend
        self.run(
            lambda: (backend.structures.structure(sid), backend.directory.programmes()),
            self._show,
            key="structure",
        )

    def _show(self, loaded: tuple[StructureInfo, list[ProgrammeInfo]]) -> None:
        st, programmes = loaded
        self.structure = st
        self.summary.setText(
            _("Structure {code} · {name}, now in programme {programme}, open since {date}.").format(
                code=st.code,
                name=st.name,
                programme=st.programme_code,
                date=format_date(st.opened_on),
            )
        )
        self._programmes = [p for p in programmes if p.id != st.programme_id]
        self.target.clear()
        for p in self._programmes:
            self.target.addItem(f"{p.code} · {p.name}", p.id)
        self.ok_button.setEnabled(bool(self._programmes))
        if not self._programmes:
            self.show_error(
                _("There is no other programme: create it first (Network › New programme…).")
            )

    def apply(self) -> Write:
        st = self.structure
        index = self.target.currentIndex()
        if st is None or not 0 <= index < len(self._programmes):
            raise ValidationError(_("Choose the new programme."))
        target, day = self._programmes[index], self.from_date.value()
        backend = self.backend
        return Write(
            lambda: backend.structures.move_structure(st.id, st.version, target.id, day),
            Changes(structures=frozenset({st.id}), network=True),
        )

    def confirmation(self, result: Any) -> str:
        return _("Structure {code} moved to programme {programme} from {date}").format(
            code=result.code,
            programme=result.programme_code,
            date=date_text(self.from_date.value()),
        )
