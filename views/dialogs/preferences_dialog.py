"""Preferences (Preferenze): the language of the interface and the site's name on
printed documents.

Saved in the user's settings (keys ``language``, ``site_name``, ``backup_keep_days``,
how long the daily backups are kept, and ``idle_lock_minutes``, the screen's lock after a
while without use when users sign in: ``views.idle_lock``). A new language
takes effect at the next start: the open windows were built in the old one, and a
screen half in one language and half in the other would be worse than waiting.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models import i18n
from models.i18n import _

SYSTEM = ""  # the combo's value for "follow the system"


class SettingsStore(Protocol):
    def load(self) -> dict[str, Any]: ...

    def save(self, values: dict[str, Any]) -> None: ...


DEFAULT_KEEP_DAYS = 14


def _keep_days(values: dict[str, Any]) -> int:
    value = values.get("backup_keep_days")
    return value if isinstance(value, int) and 1 <= value <= 365 else DEFAULT_KEEP_DAYS


class PreferencesDialog(QDialog):
    """Language (Italiano, English, or as the system) and the site's name."""

    HELP_ANCHOR = "preferences"  # its section of the manual (views.help)

    def __init__(self, parent: QWidget | None = None, *, store: SettingsStore) -> None:
        super().__init__(parent)
        self.store = store
        values = self.store.load()
        self._initial_language = values.get("language") or SYSTEM
        self.setWindowTitle(_("Preferences"))

        self.language = QComboBox()
        system = i18n.LANGUAGE_NAMES[i18n.system_language()]
        self.language.addItem(_("Same as the system ({language})").format(language=system), SYSTEM)
        for code in i18n.SUPPORTED:
            # Each language is written in itself, so anyone can find their own.
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        index = self.language.findData(self._initial_language)
        self.language.setCurrentIndex(max(index, 0))
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)

        language_box = QGroupBox(_("Language"))
        form = QFormLayout(language_box)
        form.addRow(_("&Interface language:"), self.language)
        form.addRow(self.language_note)

        self.site_name = QLineEdit(str(values.get("site_name") or ""))
        self.site_name.setPlaceholderText(_("e.g. Cooperativa sociale — SAI Sondrio"))
        self.site_name.setMaxLength(120)
        site_hint = QLabel(_("Printed at the top of every occupancy sheet and register."))
        site_hint.setWordWrap(True)
        printing_box = QGroupBox(_("Printed documents"))
        form2 = QFormLayout(printing_box)
        form2.addRow(_("&Site name:"), self.site_name)
        form2.addRow(site_hint)

        self.keep_days = QSpinBox()
        self.keep_days.setObjectName("keepDaysSpin")
        self.keep_days.setRange(1, 365)
        self.keep_days.setSuffix(" " + _("days"))
        self.keep_days.setValue(_keep_days(values))
        backup_hint = QLabel(
            _(
                "At the first start of each day a copy of the local database is kept in "
                "the backups folder beside it; older copies, and those made before an "
                "update, are removed after this many days."
            )
        )
        backup_hint.setWordWrap(True)
        backup_box = QGroupBox(_("Daily backups"))
        form3 = QFormLayout(backup_box)
        form3.addRow(_("&Keep for:"), self.keep_days)
        form3.addRow(backup_hint)

        from ..idle_lock import lock_minutes

        self.lock_minutes = QSpinBox()
        self.lock_minutes.setObjectName("lockMinutesSpin")
        self.lock_minutes.setRange(1, 240)
        self.lock_minutes.setSuffix(" " + _("minutes"))
        self.lock_minutes.setValue(lock_minutes(values))
        lock_hint = QLabel(
            _(
                "When users sign in, the screen is hidden and the password asked again "
                "after this long without use. It takes effect at the next sign-in."
            )
        )
        lock_hint.setWordWrap(True)
        lock_box = QGroupBox(_("Screen lock"))
        form4 = QFormLayout(lock_box)
        form4.addRow(_("&Lock after:"), self.lock_minutes)
        form4.addRow(lock_hint)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.addWidget(language_box)
        layout.addWidget(printing_box)
        layout.addWidget(backup_box)
        layout.addWidget(lock_box)
        layout.addStretch(1)
        layout.addWidget(buttons)

        self.language.currentIndexChanged.connect(self._update_note)
        self._update_note()
        self.setMinimumWidth(460)

    def chosen_language(self) -> str | None:
        """The chosen code, or None to follow the system."""
        value = self.language.currentData()
        return value or None

    def language_changed(self) -> bool:
        return (self.chosen_language() or SYSTEM) != self._initial_language

    def _update_note(self) -> None:
        if self.language_changed():
            self.language_note.setText(
                _("The new language is used from the next time Accoglienza starts.")
            )
        else:
            self.language_note.setText(_("Also used for printed documents and the command line."))

    def accept(self) -> None:
        self.store.save(
            {
                "language": self.chosen_language(),
                "site_name": self.site_name.text().strip(),
                "backup_keep_days": self.keep_days.value(),
                "idle_lock_minutes": self.lock_minutes.value(),
            }
        )
        super().accept()
