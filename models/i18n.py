"""One place for translated strings: ``_``, ``N_``, ``ngettext`` and ``pgettext``.

Source strings are English; the Italian catalogue is the default language of the
interface. Compiled catalogues (``.mo``) are produced from ``translations/`` by the
setup and build steps (``python -m desktop.i18n_build compile``), never edited by
hand. When a ``.mo`` is missing or older than its ``.po`` (a fresh checkout, a
catalogue just edited) the ``.po`` is compiled in memory, so the interface is never
shown half in English by accident.

The language follows the system (``LC_ALL``, ``LC_MESSAGES``, ``LANG``; on Windows the
user's display language) unless one is chosen in the settings; a system in the C
locale, or with no language at all, gets Italian.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import sys
from pathlib import Path

DOMAIN = "accoglienza"
SUPPORTED = ("it", "en")
DEFAULT_LANGUAGE = "it"
# What a language is called in its own language (menus and the preferences dialog).
LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def locale_dir() -> Path:
    """Folder with ``<lang>/LC_MESSAGES/accoglienza.mo`` (also inside a frozen build)."""
    env = os.environ.get("ACCOGLIENZA_LOCALEDIR")
    if env:
        return Path(env)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "translations"
    return Path(__file__).resolve().parent.parent / "translations"


def _code(value: str | None) -> str | None:
    """``it_IT.UTF-8`` -> ``it``; None for an empty, C or POSIX locale."""
    if not value:
        return None
    code = value.split(":")[0].split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    if code in ("", "c", "posix"):
        return None
    return code


def _windows_language() -> str | None:
    try:
        import ctypes
        import locale

        lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
        return _code(locale.windows_locale.get(lcid))
    except Exception:  # noqa: BLE001 - no language information: use the default
        return None


def system_language() -> str:
    """The language of the system if we support it, English for any other language,
    Italian when the system names none (unset, C or POSIX locale)."""
    # The same precedence as gettext: LC_ALL, then LC_MESSAGES, then LANG.
    code = None
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            code = _code(value)
            break
    if code is None and sys.platform == "win32":
        code = _windows_language()
    if code is None:
        return DEFAULT_LANGUAGE
    # GNU LANGUAGE is a list of preferences, honoured only when a real locale is set.
    for item in os.environ.get("LANGUAGE", "").split(":"):
        preferred = _code(item)
        if preferred in SUPPORTED:
            return preferred
    return code if code in SUPPORTED else "en"


def normalize(language: str | None) -> str:
    """A supported code for ``language`` (None or empty: follow the system)."""
    code = _code(language) if language else None
    if code is None:
        return system_language()
    return code if code in SUPPORTED else "en"


def catalogue(code: str) -> gettext.NullTranslations:
    """The translations of ``code``: the compiled ``.mo``, or the ``.po`` compiled in memory."""
    folder = locale_dir() / code / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    try:
        if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as fp:
                return gettext.GNUTranslations(fp)
        if po.exists():
            return _compile_in_memory(po, code)
    except (OSError, ValueError):
        pass
    return gettext.NullTranslations()


def _compile_in_memory(po: Path, code: str) -> gettext.NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fp:
        cat = read_po(fp, locale=code, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def set_language(language: str | None) -> str:
    """Install the catalogue for ``language`` (None: follow the system). Returns the code."""
    code = normalize(language)
    install(catalogue(code), code)
    return code


def install(translations: gettext.NullTranslations, code: str) -> None:
    """Use ``translations`` from now on (tests install a pseudo-translation this way)."""
    global _translations, _language
    _translations = translations
    _language = code


def current_language() -> str:
    return _language


def babel_locale() -> str:
    """Locale name for Babel formatting."""
    return {"it": "it_IT", "en": "en_GB"}.get(_language, "it_IT")


class Text(str):
    """A translated message. Its ``format`` writes the article before a date as Italian
    does ("l'8 dicembre", "dall'11 marzo"; see ``formatting.italian_elision``), so that
    a translation can say "il {date}" whatever day fills it."""

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> str:
        from .formatting import italian_elision

        return italian_elision(str.format(self, *args, **kwargs))


def _(message: str) -> str:
    return Text(_translations.gettext(message))


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with ``_``."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return Text(_translations.ngettext(singular, plural, n))


def pgettext(context: str, message: str) -> str:
    return Text(_translations.pgettext(context, message))


# --- pseudo-translation: every string longer and accented, to test layouts -------------

# Parts of a string that must survive unchanged: format fields, printf fields, markup,
# entities, escaped ampersands and the mnemonic letter after "&".
_KEEP = re.compile(r"\{[^{}]*\}|%\([^)]*\)[a-z]|%[sdif%]|<[^>]*>|&[a-zA-Z]+;|&&|&\w")
_ACCENTS = str.maketrans("aeiouAEIOUcnCN", "áéíóúÁÉÍÓÚçñÇÑ")


def pseudo(text: str, stretch: float = 0.4) -> str:
    """``text`` accented and about ``stretch`` longer, with format fields left intact."""
    out: list[str] = []
    pos = 0
    debt = [0.5]  # letters owed (rounded), carried from one segment to the next
    for m in _KEEP.finditer(text):
        out.append(_stretch(text[pos : m.start()], stretch, debt))
        out.append(m.group(0))
        pos = m.end()
    out.append(_stretch(text[pos:], stretch, debt))
    return "".join(out)


def _stretch(segment: str, stretch: float, debt: list[float]) -> str:
    out = []
    for ch in segment:
        out.append(ch.translate(_ACCENTS))
        if ch.isalnum():
            debt[0] += stretch
            while debt[0] >= 1:
                out.append(ch.translate(_ACCENTS) if ch.isalpha() else "~")
                debt[0] -= 1
        elif ch == " ":
            # Spaces count too, so that the whole string grows by ``stretch``.
            debt[0] += stretch
    return "".join(out)


class PseudoTranslations(gettext.NullTranslations):
    """Every message stretched by ``stretch`` (0.4: 40% longer) and accented."""

    def __init__(self, stretch: float = 0.4) -> None:
        super().__init__()
        self.stretch = stretch

    def gettext(self, message: str) -> str:
        return pseudo(message, self.stretch)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2, self.stretch)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message, self.stretch)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2, self.stretch)


def install_pseudo(stretch: float = 0.4) -> None:
    """Install the pseudo-translation (formats stay English)."""
    install(PseudoTranslations(stretch), "en")
