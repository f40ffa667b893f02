"""Qt's own strings in the user's language.

Our messages come from gettext (models/i18n.py); the texts Qt writes itself — standard
buttons (OK, Annulla, Sì), the file and print dialogs, the context menu of a line edit —
come from the translations shipped with Qt (``qtbase_it.qm``, ``qt_it.qm``). The Qt
locale is set too, so that date editors and calendars show Italian month names.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from models import i18n

# Qt locale of each language: the same as Babel's (models.i18n.babel_locale).
QT_LOCALES = {
    "it": (QLocale.Language.Italian, QLocale.Country.Italy),
    "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom),
}

# A QTranslator stops working when Python collects it: keep every installed one here.
_installed: list[QTranslator] = []


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def install_translators(app: QCoreApplication, language: str | None = None) -> list[str]:
    """Install Qt's translations for ``language`` (None: the current gettext language).

    Returns the catalogue names loaded (e.g. ``["qtbase_it", "qt_it"]``); English needs
    none, since Qt's source strings are English. Earlier translators are removed first,
    so this can be called again after a change of language.
    """
    code = i18n.normalize(language) if language else i18n.current_language()
    remove_translators(app)
    language_enum, country = QT_LOCALES.get(code, QT_LOCALES["en"])
    QLocale.setDefault(QLocale(language_enum, country))
    loaded: list[str] = []
    if code == "en":
        return loaded
    folder = qt_translations_dir()
    for name in (f"qtbase_{code}", f"qt_{code}"):
        translator = QTranslator(app)
        if translator.load(name, folder) and app.installTranslator(translator):
            _installed.append(translator)
            loaded.append(name)
    return loaded


def remove_translators(app: QCoreApplication) -> None:
    while _installed:
        app.removeTranslator(_installed.pop())
