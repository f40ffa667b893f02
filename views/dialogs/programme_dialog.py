"""Nuovo progetto, Modifica progetto: a programme's code, name, kind, ente titolare,
provinces and dates (Rete › Nuovo progetto…, Rete › Modifica la selezione…).

The kind is one choice among the five a site runs: SAI ordinary, SAI unaccompanied
minors (MSNA), SAI mental health / disability (DM-DS), anti-trafficking (art. 18),
other. The edit form starts from the programme selected in the navigation and reads it
again when another PC changed it meanwhile.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from models.errors import ValidationError
from models.i18n import N_, _
from models.labels import programme_kind_label, sai_category_label
from models.results import Changes, ProgrammeInfo

from ..widgets import fit_on_screen
from .dates import DateEdit, OptionalDateEdit, date_row
from .workflow_dialog import WorkflowDialog, Write

# (kind, SAI category) of each choice, in the order a site meets them.
KINDS: tuple[tuple[str, str | None], ...] = (
    ("sai", "ord"),
    ("sai", "msna"),
    ("sai", "dm_ds"),
    ("anti_trafficking", None),
    ("other", None),
)


def kind_text(kind: str, category: str | None) -> str:
    """ "SAI, ordinary", "anti-trafficking (art. 18)"..."""
    if kind == "sai" and category:
        # Translators: a kind of programme and its SAI category: "SAI, ordinari".
        return _("SAI, {category}").format(category=sai_category_label(category))
    return programme_kind_label(kind)


def kind_key(kind: str, category: str | None) -> str:
    """The kind's choice as the list keeps it: "sai/ord", "anti_trafficking/"."""
    return f"{kind}/{category or ''}"


def provinces_list(text: str) -> list[str]:
    """The province codes written in a field, separated by commas or spaces."""
    return [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]


class ProgrammeDialog(WorkflowDialog):
    """A new programme."""

    HELP_ANCHOR = "network"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("New programme"), N_("Create")

    def build(self) -> None:
        self.programme: ProgrammeInfo | None = None
        self.form = QFormLayout()
        self.build_chooser()
        self.code = QLineEdit()
        self.code.setObjectName("programmeCode")
        self.code.setAccessibleName(_("Code"))
        self.code.setMaxLength(40)
        self.code.setPlaceholderText(_("For example SAI-SONDRIO"))
        self.form.addRow(_("&Code:"), self.code)
        self.name = QLineEdit()
        self.name.setObjectName("programmeName")
        self.name.setAccessibleName(_("Name"))
        self.name.setMaxLength(200)
        self.form.addRow(_("&Name:"), self.name)
        self.kind = QComboBox()
        self.kind.setObjectName("programmeKind")
        self.kind.setAccessibleName(_("Kind of programme"))
        for kind, category in KINDS:
            self.kind.addItem(kind_text(kind, category), kind_key(kind, category))
        self.form.addRow(_("&Kind:"), self.kind)
        self.holder = QLineEdit()
        self.holder.setObjectName("programmeHolder")
        self.holder.setAccessibleName(_("Holder body"))
        self.holder.setMaxLength(200)
        self.holder.setPlaceholderText(_("For example Comune di Cinisello Balsamo"))
        self.form.addRow(_("&Holder body:"), self.holder)
        self.partner = QLineEdit()
        self.partner.setObjectName("programmePartner")
        self.partner.setAccessibleName(_("Managing partner"))
        self.partner.setMaxLength(200)
        self.form.addRow(_("&Managing partner:"), self.partner)
        self.provinces = QLineEdit()
        self.provinces.setObjectName("programmeProvinces")
        self.provinces.setAccessibleName(_("Provinces"))
        self.provinces.setPlaceholderText(_("Two-letter codes, for example MI, SO"))
        self.form.addRow(_("&Provinces:"), self.provinces)
        self.start = DateEdit(self.day)
        self.start.setObjectName("programmeStart")
        self.start.setAccessibleName(_("Start date"))
        self.form.addRow(_("&Start:"), date_row(self.start))
        self.end = OptionalDateEdit(None, _("no end date"))
        self.end.setObjectName("programmeEnd")
        self.end.edit.setAccessibleName(_("End date (last day running)"))
        self.end.none.setAccessibleName(_("No end date"))
        self.form.addRow(_("&End (last day running):"), self.end)
        self.body.addLayout(self.form)
        self.body.addStretch(1)
        fit_on_screen(self, 560, 380)
        self.focus_first()
        self.reload()  # the edit form reads its programmes

    def build_chooser(self) -> None:
        """The edit form chooses the programme first; a new one has nothing to choose."""

    def focus_first(self) -> None:
        self.code.setFocus()

    def values(self) -> dict[str, Any]:
        code, name = self.code.text().strip(), self.name.text().strip()
        if not code:
            self.code.setFocus()
            raise ValidationError(_("A programme needs a code and a name."))
        if not name:
            self.name.setFocus()
            raise ValidationError(_("A programme needs a code and a name."))
        kind, category = KINDS[max(0, self.kind.currentIndex())]
        return {
            "code": code,
            "name": name,
            "kind": kind,
            "sai_category": category,
            "holder": self.holder.text().strip(),
            "managing_partner": self.partner.text().strip(),
            "provinces": provinces_list(self.provinces.text()),
            "start_date": self.start.value(),
            "end_date": self.end.value(),
        }

    def apply(self) -> Write:
        v = self.values()
        backend = self.backend
        return Write(
            lambda: backend.structures.create_programme(
                v["code"],
                v["name"],
                v["kind"],
                v["start_date"],
                sai_category=v["sai_category"],
                holder=v["holder"],
                managing_partner=v["managing_partner"],
                end_date=v["end_date"],
                provinces=v["provinces"],
            ),
            Changes(network=True),
        )

    def confirmation(self, result: Any) -> str:
        return _("Programme saved: {code}").format(code=result.code)


class EditProgrammeDialog(ProgrammeDialog):
    """A programme's details, from the one selected in the navigation."""

    TITLE, OK_TEXT = N_("Edit programme"), N_("Save")

    def build_chooser(self) -> None:
        self.chooser = QComboBox()
        self.chooser.setObjectName("programmeChooser")
        self.chooser.setAccessibleName(_("Programme"))
        self.form.addRow(_("Pro&gramme:"), self.chooser)
        self.chooser.currentIndexChanged.connect(lambda _i: self._show_chosen())
        self._programmes: list[ProgrammeInfo] = []

    def focus_first(self) -> None:
        self.name.setFocus()

    def reload(self) -> None:
        backend = self.backend
        self.run(backend.directory.programmes, self._show_programmes, key="programmes")

    def _show_programmes(self, programmes: list[ProgrammeInfo]) -> None:
        wanted = (
            self.programme.code
            if self.programme is not None
            else self.context.selection.programme_code
        )
        self._programmes = programmes
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for p in programmes:
            self.chooser.addItem(f"{p.code} · {p.name}", p.id)
        index = next((i for i, p in enumerate(programmes) if p.code == wanted), 0)
        self.chooser.setCurrentIndex(index)
        self.chooser.blockSignals(False)
        self._show_chosen()

    def _show_chosen(self) -> None:
        index = self.chooser.currentIndex()
        if index < 0 or index >= len(self._programmes):
            self.programme = None
            self.ok_button.setEnabled(False)
            return
        p = self._programmes[index]
        self.programme = p
        self.ok_button.setEnabled(True)
        self.code.setText(p.code)
        self.name.setText(p.name)
        self.kind.setCurrentIndex(
            next(
                (i for i, kc in enumerate(KINDS) if kc == (p.kind, p.sai_category)),
                next(i for i, kc in enumerate(KINDS) if kc[0] == p.kind),
            )
        )
        self.holder.setText(p.holder)
        self.partner.setText(p.managing_partner)
        self.provinces.setText(", ".join(p.provinces))
        self.start.set_value(p.start_date)
        self.end.set_value(p.end_date)

    def apply(self) -> Write:
        p = self.programme
        if p is None:
            raise ValidationError(_("Choose a programme."))
        v = self.values()
        backend = self.backend
        return Write(
            lambda: backend.structures.update_programme(p.id, p.version, **v),
            Changes(network=True),
        )
