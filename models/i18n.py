"""One place for translated strings: ``_``, ``N_`` and ``ngettext``.

Source strings are English; the Italian catalogue is the default language of the
interface. Compiled catalogues (``.mo``) are produced from ``translations/`` by the
setup and build steps (``pybabel compile``), never edited by hand.
"""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

DOMAIN = "accoglienza"
SUPPORTED = ("it", "en")
DEFAULT_LANGUAGE = "it"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def locale_dir() -> Path:
    """Folder with ``<lang>/LC_MESSAGES/accoglienza.mo`` (also inside a frozen build)."""
    env = os.environ.get("ACCOGLIENZA_LOCALEDIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "translations"


def system_language() -> str:
    """The language of the system if we support it, Italian otherwise."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            code = value.split(":")[0].split(".")[0].split("_")[0].lower()
            if code in SUPPORTED:
                return code
            if code not in ("c", "posix", ""):
                return "en"
    try:
        loc = locale.getlocale()[0]
    except ValueError:
        loc = None
    if loc:
        code = loc.split("_")[0].lower()
        return code if code in SUPPORTED else "en"
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Install the catalogue for ``language`` (None: follow the system). Returns the code."""
    global _translations, _language
    code = (language or system_language()).split("_")[0].lower()
    if code not in SUPPORTED:
        code = "en"
    _translations = gettext.translation(
        DOMAIN, localedir=str(locale_dir()), languages=[code], fallback=True
    )
    _language = code
    return code


def current_language() -> str:
    return _language


def babel_locale() -> str:
    """Locale name for Babel formatting."""
    return {"it": "it_IT", "en": "en_GB"}.get(_language, "it_IT")


def _(message: str) -> str:
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with ``_``."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)
