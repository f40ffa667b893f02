"""Anonimizza i dati vecchi (File menu, administrators): the people whose last placement
ended more than a number of years ago lose their names and every identifying detail for
good, here and in the history; every figure stays (``backend.retention``).

The dialog shows the years (10 unless the administrator chose otherwise last time: the
window remembers them), the day the last exits must come before, how many people that
is, and that it cannot be undone; the button works only once the administrator has
ticked that they understand.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QSpinBox

from models.formatting import format_date, format_number
from models.i18n import N_, _, ngettext
from models.retention_terms import DEFAULT_YEARS, MAX_YEARS, MIN_YEARS, RetentionSummary

from ..colours import error_style
from ..widgets import fit_on_screen
from .workflow_dialog import WorkflowDialog, Write


class AnonymiseDialog(WorkflowDialog):
    HELP_ANCHOR = "retention"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("Anonymise old records"), N_("&Anonymise")

    def __init__(self, *args: Any, years: int | None = None, **kwargs: Any) -> None:
        self._initial_years = (
            years if isinstance(years, int) and MIN_YEARS <= years <= MAX_YEARS else DEFAULT_YEARS
        )
        self.summary: RetentionSummary | None = None
        super().__init__(*args, **kwargs)

    def build(self) -> None:
        intro = QLabel(
            _(
                "The people whose last placement ended more than the years below ago, with "
                "nothing of their household still open, lose their names, alias, "
                "citizenship, gender identity and the notes about them, also in the "
                "history; they stay as “Anonimo” and their code. The birth date keeps only "
                "whether they were minors. Occupancy, presence days, places and rates "
                "stay the same."
            )
        )
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        form = QFormLayout()
        self.years = QSpinBox()
        self.years.setObjectName("retentionYears")
        self.years.setRange(MIN_YEARS, MAX_YEARS)
        self.years.setValue(self._initial_years)
        self.years.setSuffix(" " + _("years"))
        self.years.setMaximumWidth(160)
        self.years.setAccessibleName(_("Last placement ended more than"))
        years_label = QLabel(_("Last placement ended more &than:"))
        years_label.setBuddy(self.years)
        form.addRow(years_label, self.years)
        self.cut_off = QLabel("…")
        self.cut_off.setObjectName("retentionCutOff")
        form.addRow(_("Last exits before:"), self.cut_off)
        self.count = QLabel("…")
        self.count.setObjectName("retentionCount")
        self.count.setWordWrap(True)
        form.addRow(_("People:"), self.count)
        self.body.addLayout(form)
        warning = QLabel(
            _(
                "This cannot be undone: the names are removed from the database for good. "
                "Back up the database first (File › Back up the database…) if a copy must "
                "be kept."
            )
        )
        warning.setObjectName("retentionWarning")
        warning.setStyleSheet(error_style())
        warning.setWordWrap(True)
        self.body.addWidget(warning)
        self.understood = QCheckBox(_("I &understand that this cannot be undone"))
        self.understood.setObjectName("retentionUnderstood")
        self.body.addWidget(self.understood)
        self.body.addStretch(1)
        self.years.valueChanged.connect(lambda _v: self.reload())
        self.understood.toggled.connect(lambda _on: self._enable())
        fit_on_screen(self, 560, 360)
        self.ok_button.setDefault(False)
        self.cancel_button.setDefault(True)
        self.reload()

    def chosen_years(self) -> int:
        return int(self.years.value())

    def reload(self) -> None:
        retention, years = self.backend.retention, self.chosen_years()
        self.summary = None
        self._enable()
        self.run(lambda: retention.candidates(years), self._show, key="candidates")

    def _show(self, found: RetentionSummary) -> None:
        if found.years != self.chosen_years():
            return
        self.summary = found
        self.cut_off.setText(format_date(found.cut_off, "long"))
        if found.people:
            self.count.setText(
                ngettext("{n} person", "{n} people", found.people).format(
                    n=format_number(found.people)
                )
                + " · "
                + ngettext("{n} household", "{n} households", found.households).format(
                    n=format_number(found.households)
                )
            )
        else:
            self.count.setText(_("nobody: there is nothing to anonymise"))
        self._enable()

    def _enable(self) -> None:
        found = self.summary
        self.ok_button.setEnabled(
            found is not None and found.people > 0 and self.understood.isChecked()
        )

    def apply(self) -> Write:
        retention, years = self.backend.retention, self.chosen_years()
        return Write(lambda: retention.anonymise(years))

    def confirmation(self, result: Any) -> str:
        return ngettext("Anonymised: {n} person", "Anonymised: {n} people", result.people).format(
            n=format_number(result.people)
        )
