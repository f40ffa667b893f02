"""Apri database: a local file on this PC, or the shared server of the office."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models.i18n import _

from ..colours import colour_style, error_style, muted
from .buttons import ok_cancel


class OpenDatabaseDialog(QDialog):
    HELP_ANCHOR = "database"  # its section of the manual (views.help)

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Open database"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        # A path has no spaces to wrap at: a zero-width space after each separator lets a
        # file deep in folders wrap there instead of stretching the dialog off the screen.
        breakable = current.replace("/", "/\u200b").replace("\\", "\\\u200b")
        in_use = QLabel(_("In use now: {database}").format(database=breakable), self)
        in_use.setObjectName("currentDatabase")
        in_use.setWordWrap(True)
        in_use.setToolTip(current)
        layout.addWidget(in_use)
        grid = QGridLayout()
        self.local = QRadioButton(_("&Local file on this PC"), self)
        self.local.setObjectName("localRadio")
        self.shared = QRadioButton(_("&Shared server of the office"), self)
        self.shared.setObjectName("sharedRadio")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.shared)
        self.path = QLineEdit(self)
        self.path.setObjectName("pathEdit")
        self.path.setAccessibleName(_("Path of the database file"))
        self.path.setPlaceholderText(_("e.g. C:\\Accoglienza\\accoglienza.sqlite3"))
        browse = QPushButton(_("&Browse…"), self)
        browse.clicked.connect(self._browse)
        self.url = QLineEdit(self)
        self.url.setObjectName("urlEdit")
        self.url.setAccessibleName(_("Address of the shared database"))
        self.url.setPlaceholderText("postgresql://utente@server/accoglienza")
        grid.addWidget(self.local, 0, 0, 1, 2)
        grid.addWidget(self.path, 1, 0)
        grid.addWidget(browse, 1, 1)
        grid.addWidget(self.shared, 2, 0, 1, 2)
        grid.addWidget(self.url, 3, 0, 1, 2)
        layout.addLayout(grid)
        note = QLabel(
            _(
                "A local file must be on this PC, not on a network folder: "
                "to work together, use the shared server."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet(colour_style(muted()))
        layout.addWidget(note)
        self.error = QLabel(self)
        self.error.setStyleSheet(error_style())
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, _("Open")))
        self.local.setChecked(True)
        self.local.toggled.connect(self._mode)
        self._mode()

    def _mode(self) -> None:
        self.path.setEnabled(self.local.isChecked())
        self.url.setEnabled(self.shared.isChecked())

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Open database"),
            self.path.text(),
            _("Accoglienza database (*.sqlite3 *.db);;All files (*)"),
        )
        if path:
            self.path.setText(path)

    def target(self) -> str:
        """A file path (local) or a database URL (shared server)."""
        return self.path.text().strip() if self.local.isChecked() else self.url.text().strip()

    def accept(self) -> None:
        if not self.target():
            self.error.setText(_("Choose a file or type the address of the server."))
            return
        if self.shared.isChecked() and "://" not in self.target():
            self.error.setText(_("The address of the server starts with postgresql://"))
            return
        super().accept()
