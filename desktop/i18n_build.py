"""Extract, update and compile the message catalogues with Babel.

    python -m desktop.i18n_build extract   # sources -> translations/accoglienza.pot
    python -m desktop.i18n_build update    # .pot -> translations/<lang>/LC_MESSAGES/*.po
    python -m desktop.i18n_build compile   # .po -> .mo (done by setup and the installer)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "accoglienza.pot"
DOMAIN = "accoglienza"
SOURCES = ["desktop", "models", "views"]


def _babel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> None:
    _babel(
        "extract", "--no-location", "--sort-output", "--project=Accoglienza",
        "-k", "_", "-k", "N_", "-k", "ngettext:1,2", "-k", "pgettext:1c,2",
        "-o", str(POT), *[str(ROOT / s) for s in SOURCES],
    )


def update() -> None:
    for lang in ("it", "en"):
        po = TRANSLATIONS / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.exists():
            _babel("update", "--no-fuzzy-matching", "-i", str(POT), "-o", str(po), "-l", lang, "-D", DOMAIN)
        else:
            po.parent.mkdir(parents=True, exist_ok=True)
            _babel("init", "-i", str(POT), "-o", str(po), "-l", lang, "-D", DOMAIN)


def compile_catalogues() -> None:
    for po in sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        _babel("compile", "-i", str(po), "-o", str(po.with_suffix(".mo")), "-D", DOMAIN, "--use-fuzzy")


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    action = args[0] if args else "compile"
    {"extract": extract, "update": update, "compile": compile_catalogues}[action]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
