"""Problemi del foglio di calcolo: every problem an import found, one a row, with its
sheet, row and column, to correct in the spreadsheet before importing it again. Nothing
was imported. The list can be copied (to paste it into an e-mail or beside the file)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.i18n import _
from models.spreadsheet import Problem

from ..widgets import fit_on_screen


class ImportProblemsDialog(QDialog):
    HELP_ANCHOR = "import"  # its section of the manual (views.help)

    def __init__(
        self, summary: str, problems: Sequence[Problem], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importProblemsDialog")
        self.setWindowTitle(_("Problems in the spreadsheet"))
        self.problems = list(problems)
        layout = QVBoxLayout(self)
        head = QLabel(summary, self)
        head.setObjectName("importProblemsSummary")
        head.setWordWrap(True)
        font = head.font()
        font.setBold(True)
        head.setFont(font)
        layout.addWidget(head)
        hint = QLabel(
            _(
                "Correct each problem in the spreadsheet, save it, and import it again. The "
                "rows are numbered as the spreadsheet shows them."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(len(self.problems), 4, self)
        self.table.setObjectName("importProblemsTable")
        self.table.setAccessibleName(_("Problems found in the spreadsheet"))
        self.table.setHorizontalHeaderLabels([_("Sheet"), _("Row"), _("Column"), _("Problem")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        for r, p in enumerate(self.problems):
            column = f"{p.column} ({p.letter})" if p.column and p.letter else p.column
            for c, text in enumerate((p.sheet, str(p.row) if p.row else "", column, p.message)):
                item = QTableWidgetItem(text)
                item.setToolTip(text if c == 3 else "")
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        for c in range(3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Rows as tall as their wrapped text at the width the problem column really has.
        header.sectionResized.connect(lambda *_a: self.table.resizeRowsToContents())
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.copy_button = QPushButton(_("Copy the list"), self)
        self.copy_button.setObjectName("copyProblemsButton")
        self.copy_button.setToolTip(_("Copy every problem, one a line, to paste it elsewhere"))
        self.copy_button.clicked.connect(self.copy_list)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        fit_on_screen(self, 960, 560)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def text(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def copy_list(self) -> None:
        QApplication.clipboard().setText(self.text())
