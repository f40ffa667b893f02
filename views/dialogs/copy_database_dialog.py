"""Copia il database in…: the database in use copied whole into an empty one, a new
local file or a database prepared on the shared server (from local to shared, or back).
"""

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

from ..colours import error_style
from .buttons import ok_cancel


class CopyDatabaseDialog(QDialog):
    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Copy the database"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        in_use = QLabel(
            _("In use now: {database}").format(
                database=current.replace("/", "/\u200b").replace("\\", "\\\u200b")
            ),
            self,
        )
        in_use.setWordWrap(True)
        layout.addWidget(in_use)
        intro = QLabel(
            _(
                "Everything in the database in use — ids, history and audit trail included "
                "— is copied into an empty database, then checked table by table. A "
                "database that already holds data is refused."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        self.local = QRadioButton(_("A new local file on this PC"), self)
        self.local.setObjectName("localRadio")
        self.shared = QRadioButton(_("An empty database on the shared server"), self)
        self.shared.setObjectName("sharedRadio")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.shared)
        self.path = QLineEdit(self)
        self.path.setObjectName("pathEdit")
        self.path.setAccessibleName(_("Path of the new database file"))
        browse = QPushButton(_("Browse…"), self)
        browse.clicked.connect(self._browse)
        self.url = QLineEdit(self)
        self.url.setObjectName("urlEdit")
        self.url.setAccessibleName(_("Address of the shared database"))
        self.url.setPlaceholderText(
            "postgresql://utente@server/accoglienza?sslmode=verify-full&sslrootcert=ca.crt"
        )
        self.password = QLineEdit(self)
        self.password.setObjectName("passwordEdit")
        self.password.setAccessibleName(_("Password of the shared server"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            _("password (leave empty if it is already kept on this PC)")
        )
        grid.addWidget(self.local, 0, 0, 1, 2)
        grid.addWidget(self.path, 1, 0)
        grid.addWidget(browse, 1, 1)
        grid.addWidget(self.shared, 2, 0, 1, 2)
        grid.addWidget(self.url, 3, 0, 1, 2)
        grid.addWidget(self.password, 4, 0, 1, 2)
        layout.addLayout(grid)
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_style())
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, _("Copy")))
        self.shared.setChecked(True)
        self.local.toggled.connect(self._mode)
        self._mode()

    def _mode(self) -> None:
        self.path.setEnabled(self.local.isChecked())
        self.url.setEnabled(self.shared.isChecked())
        self.password.setEnabled(self.shared.isChecked())

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Copy the database"),
            self.path.text(),
            _("Accoglienza database (*.sqlite3 *.db);;All files (*)"),
        )
        if path:
            self.path.setText(path)

    def target(self) -> str:
        return self.path.text().strip() if self.local.isChecked() else self.url.text().strip()

    def typed_password(self) -> str | None:
        return (self.password.text() or None) if self.shared.isChecked() else None

    def accept(self) -> None:
        if not self.target():
            self.error.setText(_("Choose a file or type the address of the server."))
            return
        if self.shared.isChecked() and not self.target().startswith("postgres"):
            self.error.setText(_("The address of the server starts with postgresql://"))
            return
        super().accept()
