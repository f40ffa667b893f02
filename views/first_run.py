"""The first page of an empty database (no programme yet): three ways in, never a blank
dashboard with nothing to click.

- create the first programme and structure by hand (the network's dialogs);
- import a spreadsheet (``import_requested``: the window connects it to the import);
- open the demo network, in a file of its own, never mixed with real data.

The panel only asks; the main window does each of them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from models.i18n import _


class FirstRunPanel(QWidget):
    create_requested = Signal()
    import_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunPanel")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 30, 40, 30)
        outer.addStretch(1)
        title = QLabel(_("Welcome to Accoglienza"))
        title.setObjectName("firstRunTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        outer.addWidget(title)
        intro = QLabel(
            _(
                "This database is still empty: it has no programme and no structure yet. "
                "Choose how to begin."
            )
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        outer.addSpacing(12)
        self.create_button = self._choice(
            outer,
            "firstRunCreate",
            _("Create the first programme and structure…"),
            _(
                "Type the programme (code, name, kind, holder body), then its structures, "
                "rooms and beds. Later: the Network menu, or right-click on the left."
            ),
        )
        self.create_button.clicked.connect(self.create_requested)
        self.import_button = self._choice(
            outer,
            "firstRunImport",
            _("Import a spreadsheet…"),
            _(
                "Bring in programmes, structures, rooms and beds, people and stays from an "
                "Excel or LibreOffice file filled in on the template."
            ),
        )
        self.import_button.clicked.connect(self.import_requested)
        self.demo_button = self._choice(
            outer,
            "firstRunDemo",
            _("Open the demo network"),
            _(
                "A network of fictitious people to try everything out, kept in a file of its "
                "own: your data are never mixed with it. File › Open database… comes back."
            ),
        )
        self.demo_button.clicked.connect(self.demo_requested)
        outer.addStretch(2)

    def _choice(self, layout: QVBoxLayout, name: str, text: str, detail: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setMinimumHeight(40)
        button.setAccessibleDescription(detail)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        note = QLabel(detail, self)
        note.setWordWrap(True)
        note.setContentsMargins(4, 0, 0, 10)
        layout.addWidget(note)
        return button
