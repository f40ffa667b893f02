"""The free-bed finder's answer as a table (``models.finder``): the structures that can
take the household first, with the beds they would give, then the others with why not.
Used by the finder's dialog and by the waiting list."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableView

from models.i18n import N_, _, ngettext
from models.results import FreeBedAnswer

from . import colours
from .table_models import BOOL, INT, Column, RowTableModel


def answer_text(a: FreeBedAnswer) -> str:
    """The beds proposed, or why the structure cannot take the household."""
    if a.fits:
        return ", ".join(b.name for b in a.beds)
    return " ".join(a.reasons)


class FreeBedsModel(RowTableModel):
    """Rows: ``FreeBedAnswer``."""

    COLUMNS = (
        Column(N_("Fits"), "fits", kind=BOOL),
        Column(N_("Code"), "structure_code"),
        Column(N_("Structure"), "structure_name"),
        Column(N_("Prov."), "province"),
        Column(N_("Programme"), "programme_code"),
        Column(N_("Beds"), lambda a: len(a.beds), kind=INT),
        Column(N_("Beds proposed, or why not"), answer_text),
    )
    FITS, CODE, NAME, PROVINCE, PROGRAMME, BEDS, ANSWER = range(7)

    def row_foreground(self, row: FreeBedAnswer) -> QColor | None:
        return colours.good() if row.fits else None

    def row_tooltip(self, row: FreeBedAnswer, column: int) -> str:
        if column == self.ANSWER or not row.fits:
            return "\n".join(row.reasons) or answer_text(row)
        return ""


def fitting_count_text(answers: list[FreeBedAnswer]) -> str:
    fitting = sum(a.fits for a in answers)
    if not answers:
        return _("No structure in this selection.")
    return ngettext(
        "{fitting} of {total} structure can take them.",
        "{fitting} of {total} structures can take them.",
        len(answers),
    ).format(fitting=fitting, total=len(answers))


def unsorted(view: QTableView) -> None:
    """The finder's own order (those that fit first), until a header is clicked."""
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    model = view.model()
    if isinstance(model, QSortFilterProxyModel):
        model.sort(-1)
