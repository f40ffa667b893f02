"""The main window's status bar: the database in use, the date shown, and a busy
indicator while the task runner works."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from models.access import ROLE_LABELS
from models.formatting import format_date
from models.i18n import _

from .colours import bad, colour_style

if TYPE_CHECKING:
    from models.backend import Backend


SAVED_MESSAGE_MS = 15_000


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.database_label = QLabel(self)
        self.database_label.setObjectName("databaseLabel")
        self.date_label = QLabel(self)
        self.date_label.setObjectName("statusDateLabel")
        self.busy_label = QLabel(self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("busyBar")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(14)
        self.busy_label.hide()
        self.busy_bar.hide()
        self.addWidget(self.busy_label)
        self.addWidget(self.busy_bar)
        self.link_label = QLabel(self)
        self.link_label.setObjectName("linkLabel")
        self.link_label.setStyleSheet(colour_style(bad()))
        self.link_label.hide()
        self.addPermanentWidget(self.link_label)
        self.addPermanentWidget(self.date_label)
        self.addPermanentWidget(self.database_label)

    def show_database(self, backend: Backend | None) -> None:
        if backend is None:
            self.database_label.setText(_("Opening the database…"))
            self.database_label.setToolTip("")
            return
        who = backend.principal
        if who.login:  # someone signed in: who, and with which role
            self.database_label.setText(
                _("{database} — {user} ({role})").format(
                    database=backend.description, user=who.login, role=_(ROLE_LABELS[who.role])
                )
            )
        else:
            self.database_label.setText(backend.description)
        self.database_label.setToolTip(
            _("Several PCs work on this database together.")
            if backend.is_shared
            else _("The data are on this PC only.")
        )

    def show_link(self, live: bool) -> None:
        """Whether the shared server tells this PC of the others' changes as they happen;
        while it does not, the window checks every few seconds and says so."""
        self.link_label.setText(_("Link to the server interrupted: checking every 2 seconds"))
        self.link_label.setToolTip(
            _(
                "Other PCs' changes are found by checking the server every 2 seconds until "
                "the link is back; then everything is read again."
            )
        )
        self.link_label.setVisible(not live)

    def show_day(self, day: dt.date) -> None:
        self.date_label.setText(_("Date: {date}").format(date=format_date(day, "full")))

    def show_saved(self, text: str) -> None:
        """The confirmation of a save, for long enough to be read."""
        self.showMessage(text, SAVED_MESSAGE_MS)

    def show_busy(self, busy: bool, label: str) -> None:
        self.busy_label.setText(label)
        self.busy_label.setVisible(busy)
        self.busy_bar.setVisible(busy)
