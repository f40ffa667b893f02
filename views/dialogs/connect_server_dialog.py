"""Connetti al server condiviso: the office's PostgreSQL server, field by field.

Server, port, database, user, the secure connection's mode (``verify-full`` by default,
with the site's certificate authority file) and the password. The address it makes
holds no password: the password is handed over separately, and the desktop keeps it in
the operating system's credential store once the server has accepted it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlencode, urlsplit

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.i18n import _

from ..colours import error_style
from .buttons import ok_cancel

# libpq's sslmode values, safest first.
TLS_MODES = ("verify-full", "verify-ca", "require", "prefer", "disable")


def tls_mode_label(mode: str) -> str:
    return {
        "verify-full": _("Encrypted, server name and certificate verified (recommended)"),
        "verify-ca": _("Encrypted, certificate verified"),
        "require": _("Encrypted, nothing verified"),
        "prefer": _("Encrypted if the server can"),
        "disable": _("Not encrypted"),
    }[mode]


class ConnectServerDialog(QDialog):
    def __init__(self, address: str = "", error: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Connect to the shared server"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "The office's shared server, as given by whoever looks after it. The "
                "password is asked once and kept in this PC's credential store."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.host = QLineEdit(self)
        self.host.setObjectName("hostEdit")
        self.host.setPlaceholderText(_("e.g. server.cooperativa.local"))
        self.port = QSpinBox(self)
        self.port.setObjectName("portSpin")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("accoglienza", self)
        self.database.setObjectName("databaseEdit")
        self.user = QLineEdit(self)
        self.user.setObjectName("userEdit")
        self.tls = QComboBox(self)
        self.tls.setObjectName("tlsCombo")
        for mode in TLS_MODES:
            self.tls.addItem(tls_mode_label(mode), mode)
        self.ca_file = QLineEdit(self)
        self.ca_file.setObjectName("caFileEdit")
        self.ca_file.setPlaceholderText(_("the site's CA file (.crt, .pem)"))
        browse = QPushButton(_("Browse…"), self)
        browse.setObjectName("caBrowse")
        browse.clicked.connect(self._browse)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(browse)
        self.password = QLineEdit(self)
        self.password.setObjectName("passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("leave empty if it is already kept on this PC"))
        form.addRow(_("&Server:"), self.host)
        form.addRow(_("&Port:"), self.port)
        form.addRow(_("&Database:"), self.database)
        form.addRow(_("&User:"), self.user)
        form.addRow(_("Secure co&nnection:"), self.tls)
        ca_label = QLabel(_("&Certificate authority:"), self)
        ca_label.setBuddy(self.ca_file)  # a row of two widgets: the mnemonic needs its buddy
        form.addRow(ca_label, ca_row)
        form.addRow(_("Pass&word:"), self.password)
        layout.addLayout(form)
        self.error = QLabel(error, self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_style())
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, _("Connect")))
        self.tls.currentIndexChanged.connect(self._mode)
        self._fill(address)
        self._mode()

    def _fill(self, address: str) -> None:
        """Start from the server in use (or the one last tried)."""
        if not address.startswith("postgres"):
            return
        parts = urlsplit(address)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.host.setText(parts.hostname or "")
        self.port.setValue(parts.port or 5432)
        self.database.setText(parts.path.lstrip("/"))
        self.user.setText(parts.username or "")
        mode = query.get("sslmode", "verify-full")
        if mode in TLS_MODES:
            self.tls.setCurrentIndex(TLS_MODES.index(mode))
        self.ca_file.setText(query.get("sslrootcert", ""))

    def _mode(self) -> None:
        self.ca_file.setEnabled(self.tls_mode() in ("verify-full", "verify-ca"))

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Certificate authority"),
            self.ca_file.text(),
            _("Certificates (*.crt *.pem *.cer);;All files (*)"),
        )
        if path:
            self.ca_file.setText(path)

    def tls_mode(self) -> str:
        return str(self.tls.currentData())

    def address(self) -> str:
        """The server's address, never with the password."""
        query = {"sslmode": self.tls_mode()}
        if self.ca_file.text().strip() and self.tls_mode() in ("verify-full", "verify-ca"):
            query["sslrootcert"] = self.ca_file.text().strip()
        host = self.host.text().strip()
        if ":" in host:  # an IPv6 address
            host = f"[{host}]"
        return (
            f"postgresql://{quote(self.user.text().strip(), safe='')}@{host}:"
            f"{self.port.value()}/{quote(self.database.text().strip(), safe='')}?"
            + urlencode(query)
        )

    def typed_password(self) -> str | None:
        return self.password.text() or None

    def accept(self) -> None:
        missing = [
            label
            for label, field in (
                (_("server"), self.host),
                (_("database"), self.database),
                (_("user"), self.user),
            )
            if not field.text().strip()
        ]
        if missing:
            self.error.setText(_("Fill in: {fields}.").format(fields=", ".join(missing)))
            return
        super().accept()
