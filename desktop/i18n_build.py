"""Extract, update, compile and check the message catalogues with Babel.

    python -m desktop.i18n_build extract   # sources -> translations/accoglienza.pot
    python -m desktop.i18n_build update    # .pot -> translations/<lang>/LC_MESSAGES/*.po
    python -m desktop.i18n_build compile   # .po -> .mo (done by setup and the installer)
    python -m desktop.i18n_build stats     # translated / fuzzy / untranslated per language
    python -m desktop.i18n_build check     # fails if the template is stale or a catalogue incomplete

Keywords: ``_``, ``N_``, ``ngettext`` and ``pgettext`` (see models/i18n.py). A comment
starting with ``Translators:`` just above a string reaches the translator.
"""

from __future__ import annotations

import functools
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "accoglienza.pot"
DOMAIN = "accoglienza"
LANGUAGES = ("it", "en")
SOURCES = ["desktop", "models", "views"]
KEYWORDS = ["_", "N_", "ngettext:1,2", "pgettext:1c,2"]


def _babel(*args: str) -> None:
    # Babel's command line class has no annotations.
    run = cast(Callable[[list[str]], object], CommandLineInterface().run)
    run(["pybabel", "-q", *args])


_DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*$', re.MULTILINE)


def _keeping_dates(path: Path, write: Callable[[], None]) -> None:
    """Run ``write``; if only the header dates of ``path`` changed, keep the old file, so
    that an extraction with no new string leaves nothing to commit."""
    old = path.read_text(encoding="utf-8") if path.exists() else None
    write()
    if old is not None and _DATES.sub("", old) == _DATES.sub("", path.read_text(encoding="utf-8")):
        path.write_text(old, encoding="utf-8")


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract(output: Path = POT) -> Path:
    keywords: list[str] = []
    for k in KEYWORDS:
        keywords += ["-k", k]
    _keeping_dates(
        output,
        lambda: _babel(
            "extract",
            "--no-default-keywords",
            *keywords,
            "--no-location",
            "--sort-output",
            "--add-comments=Translators:",
            "--project=Accoglienza",
            "--copyright-holder=Accoglienza",
            "-o",
            str(output),
            *[str(ROOT / s) for s in SOURCES],
        ),
    )
    return output


def update() -> None:
    for lang in LANGUAGES:
        po = po_path(lang)
        if po.exists():
            _keeping_dates(
                po,
                functools.partial(
                    _babel,
                    "update",
                    "--no-fuzzy-matching",
                    "--ignore-obsolete",
                    "-i",
                    str(POT),
                    "-o",
                    str(po),
                    "-l",
                    lang,
                    "-D",
                    DOMAIN,
                ),
            )
        else:
            po.parent.mkdir(parents=True, exist_ok=True)
            _babel("init", "-i", str(POT), "-o", str(po), "-l", lang, "-D", DOMAIN)


def compile_catalogues() -> None:
    # Fuzzy entries are left out on purpose: a guess must not reach the user.
    for lang in LANGUAGES:
        po = po_path(lang)
        if po.exists():
            _babel("compile", "-i", str(po), "-o", str(po.with_suffix(".mo")), "-D", DOMAIN)


@dataclass(frozen=True)
class Stats:
    language: str
    translated: int
    fuzzy: int
    untranslated: int
    untranslated_ids: tuple[str, ...]
    fuzzy_ids: tuple[str, ...]


def _msgid(message: Message) -> str:
    mid = message.id  # a str, or a (singular, plural) tuple
    return mid if isinstance(mid, str) else mid[0]


def read_catalogue(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN)


def stats(lang: str) -> Stats:
    cat = read_catalogue(po_path(lang), lang)
    translated, fuzzy, untranslated = [], [], []
    for m in cat:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy:
            fuzzy.append(_msgid(m))
        elif all(strings) and len(strings) == (cat.num_plurals if m.pluralizable else 1):
            translated.append(_msgid(m))
        else:
            untranslated.append(_msgid(m))
    return Stats(
        lang, len(translated), len(fuzzy), len(untranslated), tuple(untranslated), tuple(fuzzy)
    )


def source_msgids() -> set[tuple[str, str | None]]:
    """(msgid, context) of every marked string in the sources, extracted afresh."""
    with tempfile.TemporaryDirectory() as tmp:
        cat = read_catalogue(extract(Path(tmp) / "fresh.pot"))
    return {(_msgid(m), m.context) for m in cat if m.id}


def catalogue_msgids(path: Path) -> set[tuple[str, str | None]]:
    return {(_msgid(m), m.context) for m in read_catalogue(path) if m.id}


def problems() -> list[str]:
    """Everything that keeps the catalogues from being complete, one line each."""
    out: list[str] = []
    fresh = source_msgids()
    template = catalogue_msgids(POT) if POT.exists() else set()
    out += [f"missing from the template: {mid!r}" for mid, _ in sorted(fresh - template)]
    for lang in LANGUAGES:
        po = po_path(lang)
        if not po.exists():
            out.append(f"{lang}: no catalogue")
            continue
        out += [f"{lang}: missing {mid!r}" for mid, _ in sorted(fresh - catalogue_msgids(po))]
        s = stats(lang)
        out += [f"{lang}: untranslated {mid!r}" for mid in s.untranslated_ids]
        out += [f"{lang}: fuzzy {mid!r}" for mid in s.fuzzy_ids]
    return out


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    action = args[0] if args else "compile"
    if action == "stats":
        for lang in LANGUAGES:
            s = stats(lang)
            print(
                f"{lang}: {s.translated} translated, {s.fuzzy} fuzzy, {s.untranslated} untranslated"
            )
        return 0
    if action == "check":
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    actions: dict[str, Callable[[], object]] = {
        "extract": extract,
        "update": update,
        "compile": compile_catalogues,
    }
    if action not in actions:
        print(
            f"usage: python -m desktop.i18n_build {{{'|'.join([*actions, 'stats', 'check'])}}}",
            file=sys.stderr,
        )
        return 2
    actions[action]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
