"""Italian and English throughout: complete catalogues, the language of the system or
of the settings, Babel formats, the command line in both languages, Qt's own strings."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from desktop import i18n_build
from models import i18n
from models.formatting import format_date, format_number, format_percent
from models.i18n import _, ngettext

ROOT = Path(__file__).resolve().parent.parent
FIELD = re.compile(r"\{([^{}:!]*)[^{}]*\}|%\((\w+)\)[a-z]")


# -- the catalogues -----------------------------------------------------------------


def test_every_source_string_is_in_the_template_and_translated() -> None:
    """Extracts the sources afresh: a string added without updating the catalogues, or
    left untranslated or fuzzy in Italian or English, is listed here."""
    problems = i18n_build.problems()
    assert problems == [], "\n".join(
        problems[:40] + ["run: python -m desktop.i18n_build extract && ... update, then translate"]
    )


@pytest.mark.parametrize("lang", i18n_build.LANGUAGES)
def test_translations_keep_the_format_fields(lang: str) -> None:
    """A translation that drops or misspells {date} would break at run time."""
    with i18n_build.po_path(lang).open("rb") as fp:
        cat = read_po(fp, locale=lang)
    wrong = []
    for m in cat:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        allowed = {f for i in ids for f in _fields(i)}
        for s in strings:
            used = _fields(s)
            # A singular may say "ultimo mese" without {n}; no form may invent a field.
            if not used <= allowed or (not m.pluralizable and used != allowed):
                wrong.append((ids[0], s))
    assert wrong == []


def _fields(text: str) -> set[str]:
    return {a or b for a, b in FIELD.findall(text)}


def test_italian_vocabulary_of_the_domain() -> None:
    i18n.set_language("it")
    assert _("Occupancy sheet") == "Foglio di occupazione"
    assert _("Presence register") == "Registro presenze"
    assert _("Out of service") == "Fuori servizio"
    assert _("Places") == "Posti"
    assert _("Reserved") == "Prenotati"
    assert _("Confidential address") == "Indirizzo protetto"
    assert _("Holder") == "Ente titolare"
    assert _("single-parent families") == "nuclei monogenitoriali"
    assert ngettext("{n} person", "{n} people", 1).format(n=1) == "1 persona"
    assert ngettext("{n} person", "{n} people", 3).format(n=3) == "3 persone"


def test_english_reads_english() -> None:
    i18n.set_language("en")
    assert _("Occupancy sheet") == "Occupancy sheet"
    assert ngettext("{n} person", "{n} people", 2).format(n=2) == "2 people"


def test_a_catalogue_without_mo_is_compiled_from_the_po(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh checkout has no .mo files: the .po is used, never silent English."""
    folder = tmp_path / "it" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(i18n_build.po_path("it"), folder / "accoglienza.po")
    monkeypatch.setenv("ACCOGLIENZA_LOCALEDIR", str(tmp_path))
    i18n.set_language("it")
    assert _("Occupancy sheet") == "Foglio di occupazione"


def test_compiled_catalogues_translate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the installer ships: .mo files compiled by Babel."""
    from babel.messages.mofile import write_mo

    for lang in i18n_build.LANGUAGES:
        folder = tmp_path / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with i18n_build.po_path(lang).open("rb") as fp:
            cat = read_po(fp, locale=lang)
        with (folder / "accoglienza.mo").open("wb") as out:
            write_mo(out, cat)
    monkeypatch.setenv("ACCOGLIENZA_LOCALEDIR", str(tmp_path))
    i18n.set_language("it")
    assert _("Presence register") == "Registro presenze"
    i18n.set_language("en")
    assert _("Presence register") == "Presence register"


# -- the language: system or settings ------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "it_IT.UTF-8"}, "it"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),  # anyone else reads English
        ({"LANG": "C"}, "it"),
        ({"LANG": "C.UTF-8"}, "it"),
        ({}, "it"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "it_IT.UTF-8"}, "it"),  # LC_ALL wins
        ({"LANG": "it_IT.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8", "LANGUAGE": "de:it"}, "it"),
    ],
)
def test_language_follows_the_system(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.system_language() == expected
    assert i18n.set_language(None) == expected


def test_a_chosen_language_wins_over_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert i18n.set_language("it") == "it"
    assert _("Total") == "Totale"


# -- formats --------------------------------------------------------------------------


def test_dates_numbers_and_percentages_follow_the_language() -> None:
    i18n.set_language("it")
    assert format_date(dt.date(2023, 6, 1), "long") == "1° giugno 2023"
    assert format_percent(0.875) == "87,5\xa0%" or format_percent(0.875) == "87,5 %"
    assert format_number(40000) == "40.000"
    i18n.set_language("en")
    assert format_date(dt.date(2023, 6, 1), "long") == "1 June 2023"
    assert format_percent(0.875).replace("\xa0", " ") == "87.5 %"
    assert format_number(40000) == "40,000"


# -- the command line -------------------------------------------------------------------


def _cli(
    args: list[str], lang: str, home: Path, *, settings: dict | None = None
) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "ACCOGLIENZA_LANGUAGE")
    }
    env.update(
        LANG=lang,
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        HOME=str(home),
    )
    if settings is not None:
        folder = home / "config" / "Accoglienza"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_line_speaks_the_language_of_the_system(
    db_url: str, backend, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import scenario

    scenario(backend)
    it = _cli(["--database", db_url, "occupancy", "--date", "2023-06-01"], "it_IT.UTF-8", tmp_path)
    assert it.returncode == 0, it.stderr
    assert it.stdout.splitlines()[0] == "Occupazione al 1° giugno 2023"
    assert "Posti" in it.stdout and "Fuori servizio" in it.stdout and "Totale" in it.stdout
    assert re.search(r"\d,\d\s%", it.stdout)  # decimal comma

    en = _cli(["--database", db_url, "occupancy", "--date", "2023-06-01"], "en_US.UTF-8", tmp_path)
    assert en.returncode == 0, en.stderr
    assert en.stdout.splitlines()[0] == "Occupancy on 1 June 2023"
    assert "Places" in en.stdout and "Out of service" in en.stdout and "Total" in en.stdout
    assert re.search(r"\d\.\d\s%", en.stdout)


def test_command_line_errors_in_both_languages(tmp_path: Path) -> None:
    it = _cli(["occupancy", "--date", "2023-13-01"], "it_IT.UTF-8", tmp_path)
    assert it.returncode == 2
    assert (
        it.stderr.strip()
        == "accoglienza: argomento --date: data non valida: 2023-13-01 (usa AAAA-MM-GG)"
    )
    en = _cli(["occupancy", "--date", "2023-13-01"], "en_US.UTF-8", tmp_path)
    assert en.returncode == 2
    assert (
        en.stderr.strip()
        == "accoglienza: argument --date: not a valid date: 2023-13-01 (use YYYY-MM-DD)"
    )
    help_it = _cli(["occupancy", "--help"], "it_IT.UTF-8", tmp_path)
    assert help_it.stdout.startswith("uso: accoglienza occupancy") and "opzioni:" in help_it.stdout


def test_command_line_keeps_the_chosen_language(tmp_path: Path) -> None:
    """A language saved in the settings wins over the system's."""
    res = _cli(
        ["occupancy", "--date", "nope"], "it_IT.UTF-8", tmp_path, settings={"language": "en"}
    )
    assert "not a valid date" in res.stderr
    res = _cli(
        ["occupancy", "--date", "nope"], "en_US.UTF-8", tmp_path, settings={"language": "it"}
    )
    assert "data non valida" in res.stderr


# -- Qt's own strings -------------------------------------------------------------------


def test_qt_standard_buttons_are_translated(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QDate, QLocale
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.qt_i18n import install_translators

    Std = QDialogButtonBox.StandardButton
    try:
        assert "qtbase_it" in install_translators(qapp, "it")
        box = QDialogButtonBox(Std.Ok | Std.Cancel | Std.Save | Std.Close)
        assert box.button(Std.Cancel).text() == "Annulla"
        assert box.button(Std.Save).text() == "Salva"
        assert box.button(Std.Close).text() == "Chiudi"
        assert QLocale().toString(QDate(2023, 6, 1), "d MMMM yyyy") == "1 giugno 2023"
        install_translators(qapp, "en")
        box = QDialogButtonBox(Std.Cancel)
        assert box.button(Std.Cancel).text() == "Cancel"
        assert QLocale().toString(QDate(2023, 6, 1), "d MMMM yyyy") == "1 June 2023"
    finally:
        install_translators(qapp, "it")


# -- strings that escape the catalogues ---------------------------------------------------

QT_TEXT_METHODS = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setPlaceholderText",
    "setStatusTip",
    "setTitle",
    "addTab",
    "setTabText",
    "addMenu",
    "addRow",
    "showMessage",
    "setLabelText",
    "setWhatsThis",
}
QT_TEXT_CLASSES = {
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QAction",
    "QToolButton",
    "QMenu",
}
GETTEXT = {"_", "N_", "ngettext", "pgettext"}


def _literal(node: object) -> str | None:
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return None


def test_visible_texts_go_through_gettext() -> None:
    """A word written straight into a label, button or title would stay English (or
    Italian) whatever the language; an f-string inside _() is never found in a catalogue."""
    import ast

    found = []
    for path in sorted([*ROOT.glob("views/**/*.py"), *ROOT.glob("desktop/**/*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = (
                f.attr
                if isinstance(f, ast.Attribute)
                else f.id
                if isinstance(f, ast.Name)
                else None
            )
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name in QT_TEXT_METHODS or name in QT_TEXT_CLASSES:
                args = node.args[1:2] if name in ("addTab", "setTabText") else node.args[:1]
                for arg in args:
                    text = _literal(arg)
                    # Words need a translation; symbols (◀, ✕) and addresses (postgresql://) do not.
                    if text and re.search(r"[A-Za-z]{2,}", text) and not re.match(r"^\w+://", text):
                        found.append(f"{where}: {name}({text!r})")
            if (
                name in GETTEXT
                and node.args
                and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp))
            ):
                found.append(
                    f"{where}: {name}() of a computed string: use a literal with {{fields}}"
                )
    assert found == []
