"""Chiudi: the structure selected closes, or the programme selected ends, on a date (its
last day open, as people say it: "operativo fino al 28 febbraio 2024").

Refused, with the reason, while someone sleeps in the structure (or a bed is held) after
that day, or while a structure of the programme stays open after it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel

from models.errors import ValidationError
from models.formatting import format_date
from models.i18n import N_, _
from models.results import Changes, ProgrammeInfo, StructureInfo

from ..widgets import fit_on_screen
from .dates import DateEdit, date_row
from .texts import date_text
from .workflow_dialog import WorkflowDialog, Write


class CloseDialog(WorkflowDialog):
    HELP_ANCHOR = "network"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("Close"), N_("Close it")

    def build(self) -> None:
        self.structure: StructureInfo | None = None
        self.programme: ProgrammeInfo | None = None
        self.summary = QLabel(_("Choose a structure or a programme in the navigation on the left."))
        self.summary.setObjectName("closeSummary")
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        form = QFormLayout()
        self.last_day = DateEdit(self.day)
        self.last_day.setObjectName("closeLastDay")
        self.last_day.setAccessibleName(_("Last day open"))
        self.last_day_label = QLabel(_("&Last day open:"))
        self.last_day_label.setBuddy(self.last_day)
        form.addRow(self.last_day_label, date_row(self.last_day))
        self.body.addLayout(form)
        note = QLabel(
            _("Nothing is deleted: the history stays, and the figures count it up to that day.")
        )
        note.setWordWrap(True)
        self.body.addWidget(note)
        self.body.addStretch(1)
        fit_on_screen(self, 540, 240)
        self.ok_button.setEnabled(False)
        self.reload()

    def reload(self) -> None:
        backend = self.backend
        sid, code = self.structure_id, self.context.selection.programme_code
        if sid is not None:
            self.run(lambda: backend.structures.structure(sid), self._show_structure, key="what")
        elif code:
            self.run(
                lambda: next((p for p in backend.directory.programmes() if p.code == code), None),
                self._show_programme,
                key="what",
            )

    def _show_structure(self, st: StructureInfo) -> None:
        self.structure = st
        self.setWindowTitle(_("Close a structure"))
        self.summary.setText(
            _("Structure {code} · {name} (programme {programme}), open since {date}.").format(
                code=st.code,
                name=st.name,
                programme=st.programme_code,
                date=format_date(st.opened_on),
            )
        )
        if st.closed_on is not None:
            self.last_day.set_value(st.closed_on)
        self.ok_button.setEnabled(True)

    def _show_programme(self, p: ProgrammeInfo | None) -> None:
        if p is None:
            return
        self.programme = p
        self.setWindowTitle(_("End a programme"))
        self.last_day_label.setText(_("Last &day running:"))
        self.last_day.setAccessibleName(_("Last day running"))
        self.ok_button.setText(_("End it"))
        self.summary.setText(
            _("Programme {code} · {name}, running since {date}.").format(
                code=p.code, name=p.name, date=format_date(p.start_date)
            )
        )
        if p.end_date is not None:
            self.last_day.set_value(p.end_date)
        self.ok_button.setEnabled(True)

    def apply(self) -> Write:
        day, backend = self.last_day.value(), self.backend
        st, p = self.structure, self.programme
        if st is not None:
            return Write(
                lambda: backend.structures.close_structure(st.id, st.version, day),
                Changes(structures=frozenset({st.id}), network=True),
            )
        if p is not None:
            return Write(
                lambda: backend.structures.close_programme(p.id, p.version, day),
                Changes(network=True),
            )
        raise ValidationError(_("Choose a structure or a programme in the navigation on the left."))

    def confirmation(self, result: Any) -> str:
        return _("Saved: {code} open until {date}").format(
            code=result.code, date=date_text(self.last_day.value())
        )
