"""The field's own words hold in both catalogues (translations/GLOSSARY.md): one term per
concept and none of the words it replaces, distinct accelerators in every menu and
dialog, plural forms wherever a count comes before a noun, no shell command shown to a
coordinator, and dates in sentences as an Italian writes them (l'8, dall'11, 1°)."""

from __future__ import annotations

import ast
import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import MagicMock

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from desktop import i18n_build
from models import i18n
from models.formatting import date_phrase, format_date, format_short_date, italian_elision
from models.i18n import _, ngettext

ROOT = Path(__file__).resolve().parent.parent
TERMS = tomllib.loads((ROOT / "translations" / "glossary_terms.toml").read_text("utf-8"))["term"]
LANGUAGES = i18n_build.LANGUAGES


def _catalogue(lang: str) -> Catalog:
    with i18n_build.po_path(lang).open("rb") as fp:
        return read_po(fp, locale=lang)


def _messages(lang: str) -> Iterator[Message]:
    return (m for m in _catalogue(lang) if m.id)


def _strings(m: Message) -> tuple[str, ...]:
    return m.string if isinstance(m.string, tuple) else (m.string,)


def _ids(m: Message) -> tuple[str, ...]:
    return m.id if isinstance(m.id, tuple) else (m.id,)


@pytest.fixture(autouse=True)
def _italian_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("it")


# -- one term per concept --------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rejected_words_appear_in_no_translation(lang: str) -> None:
    found = []
    for term in TERMS:
        for pattern in term.get(f"rejected_{lang}", []):
            rx = re.compile(pattern, re.IGNORECASE)
            found += [
                f"{term['concept']}: {pattern!r} in {s!r}"
                for m in _messages(lang)
                for s in _strings(m)
                if rx.search(s)
            ]
    assert found == []


def test_every_glossary_term_is_used_for_its_concept() -> None:
    cat = _catalogue("it")
    wrong = []
    for term in TERMS:
        for msgid, word in term.get("uses_it", {}).items():
            m = cat.get(msgid)
            if m is None:
                wrong.append(f"{msgid!r}: not in the catalogue")
                continue
            if not any(word.casefold() in s.replace("&", "").casefold() for s in _strings(m)):
                wrong.append(f"{msgid!r} -> {m.string!r}: should say {word!r}")
    assert wrong == []


def test_words_that_agree_with_different_nouns_have_a_context() -> None:
    """ "cancelled" is annullato for a placement, annullata for a bed stay."""
    i18n.set_language("it")
    assert _("cancelled") == "annullato"
    assert i18n.pgettext("bed stay", "cancelled") == "annullata"
    assert i18n.pgettext("bed stay", "valid") == "valida"


# -- counts -------------------------------------------------------------------------------

COUNT_FIELDS = (
    "n|count|occupied|free|capacity|places|programmes|structures|beds|people|stays|"
    "households|minors|days"
)
COUNT_BEFORE_NOUN = re.compile(r"\{(?:" + COUNT_FIELDS + r")\}\s+[^\W\d_]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_count_before_a_noun_without_plural_forms(lang: str) -> None:
    """ "1 posti", "1 persone": a count before a noun goes through ngettext; a figure
    shown as a label puts the noun first ("nuclei: 2")."""
    found = [
        s
        for m in _messages(lang)
        if not m.pluralizable
        for s in (*_ids(m), *_strings(m))
        if COUNT_BEFORE_NOUN.search(s)
    ]
    assert found == []


def test_counts_read_singular_and_plural() -> None:
    i18n.set_language("it")
    full = ngettext(
        "Structure {structure} is full on {date}: {occupied} of {capacity} place is taken.",
        "Structure {structure} is full on {date}: {occupied} of {capacity} places are taken.",
        1,
    ).format(
        structure="Casa Glicine", date=format_date(dt.date(2026, 12, 8)), occupied=1, capacity=1
    )
    assert full == "La struttura Casa Glicine è piena l'8 dicembre 2026: 1 posto occupato su 1."
    assert ngettext("{n} place", "{n} places", 1).format(n=1) == "1 posto"
    assert ngettext("{n} place", "{n} places", 6).format(n=6) == "6 posti"


# -- shell commands -------------------------------------------------------------------------

SHELL = re.compile(
    r"\./dev\.sh|\baccoglienza (?:db|demo|print|occupancy)\b|\b(?:run|esegui|execute)\s*[«“'\"]"
    r"|\bpip install\b|\bpython -m\b|--demo\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_shows_a_shell_command(lang: str) -> None:
    """What to do next is a menu path or a key, never a command to type."""
    found = [s for m in _messages(lang) for s in (*_ids(m), *_strings(m)) if SHELL.search(s)]
    assert found == []


# -- accelerators ---------------------------------------------------------------------------


def _accelerator(text: str) -> str | None:
    m = re.search(r"&([^&\s])", text.replace("&&", ""))
    return m.group(1).casefold() if m else None


def _marked(path: Path) -> list[str]:
    """The strings with an accelerator that ``path`` marks for translation."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "N_")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and _accelerator(node.args[0].value)
        ):
            found.append(node.args[0].value)
    return found


def _local_imports(path: Path) -> set[Path]:
    """The modules of views/dialogs that ``path`` imports (its fields and base class)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            target = path.parent / f"{node.module}.py"
            if target.exists():
                out.add(target)
    return out


def _dialog_groups() -> dict[str, list[str]]:
    """Each dialog (one per file) with the widgets and base classes it is built from."""
    groups = {}
    for path in sorted((ROOT / "views" / "dialogs").glob("*_dialog.py")):
        seen, todo = {path}, [path]
        while todo:
            for dep in _local_imports(todo.pop()) - seen:
                seen.add(dep)
                todo.append(dep)
        groups[path.stem] = [s for p in sorted(seen) for s in _marked(p)]
    return groups


def _menu_bar_titles() -> list[str]:
    tree = ast.parse((ROOT / "views" / "main_actions.py").read_text("utf-8"))
    return [
        node.args[0].args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "addMenu"
        and isinstance(node.args[0], ast.Call)
        and isinstance(node.args[0].args[0], ast.Constant)
    ]


def _page_groups() -> dict[str, list[str]]:
    """A page of the main window shares its keys with the menu bar above it."""
    titles = _menu_bar_titles()
    return {
        path.stem: titles + _marked(path)
        for path in sorted((ROOT / "views").glob("*.py"))
        if path.stem != "main_actions" and _marked(path)
    } or {"menu bar": titles}


def _duplicates(texts: list[str]) -> dict[str, list[str]]:
    by_letter: dict[str, list[str]] = {}
    for text in dict.fromkeys(texts):
        letter = _accelerator(text)
        if letter:
            by_letter.setdefault(letter, []).append(text)
    return {k: v for k, v in by_letter.items() if len(v) > 1}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_accelerators_are_distinct_in_every_dialog_and_page(lang: str) -> None:
    cat = _catalogue(lang)

    def tr(msgid: str) -> str:
        m = cat.get(msgid)
        return m.string if m is not None and m.string else msgid

    clashes = {}
    for name, msgids in {**_dialog_groups(), **_page_groups()}.items():
        dup = _duplicates([tr(i) for i in msgids])
        if dup:
            clashes[name] = dup
    assert clashes == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_accelerators_are_distinct_in_every_menu(qapp, lang: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow

    from views.main_actions import MainActions

    i18n.set_language(lang)
    window = QMainWindow()
    try:
        MainActions(window, MagicMock()).build_menus()
        menus = [a for a in window.menuBar().actions() if a.menu() is not None]
        groups = {"menu bar": [a.text() for a in menus]}
        for a in menus:
            items = [x.text() for x in a.menu().actions() if not x.isSeparator()]
            assert all(_accelerator(t) for t in items), f"{a.text()}: {items}"
            groups[a.text()] = items
        clashes = {k: d for k, v in groups.items() if (d := _duplicates(v))}
        assert clashes == {}
    finally:
        window.deleteLater()


# -- dates in sentences -----------------------------------------------------------------------

MONTHS_IT = (
    "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre"
)
UNELIDED = re.compile(r"\b(?:il|dal|al|del|nel|sul) 0?(?:8|11)\b", re.IGNORECASE)
FIRST_WITHOUT_DEGREE = re.compile(r"(?<![\d/])1 (?:" + MONTHS_IT + r")\b")
DATE_FIELDS = {"date", "start", "end", "entry"}
FIELD = re.compile(r"\{(\w+)[^{}]*\}")


def test_the_date_helpers_write_dates_as_italian_does() -> None:
    i18n.set_language("it")
    D = dt.date
    assert format_date(D(2026, 7, 1)) == "1° luglio 2026"
    assert format_date(D(2026, 12, 8)) == "8 dicembre 2026"
    assert format_date(D(2026, 12, 11), "full") == "venerdì 11 dicembre 2026"
    assert format_short_date(D(2026, 7, 1)) == "01/07/2026"
    assert date_phrase("il", D(2026, 12, 8)) == "l'8 dicembre 2026"
    assert date_phrase("dal", D(2026, 3, 11)) == "dall'11 marzo 2026"
    assert date_phrase("al", D(2026, 7, 1)) == "al 1° luglio 2026"
    assert date_phrase("nel", D(2026, 7, 18)) == "nel 18 luglio 2026"
    assert italian_elision("Il 08/12/2026") == "L'08/12/2026"
    assert italian_elision("il 8 posti") == "il 8 posti"  # not a date: left alone
    i18n.set_language("en")
    assert format_date(D(2026, 7, 1)) == "1 July 2026"
    assert date_phrase("on", D(2026, 12, 8)) == "on 8 December 2026"


@pytest.mark.parametrize(
    ("day", "occupancy", "period"),
    [
        (1, "Occupazione al 1° dicembre 2026", "dal 1° dicembre 2026 al 1° dicembre 2026"),
        (8, "Occupazione all'8 dicembre 2026", "dall'8 dicembre 2026 all'8 dicembre 2026"),
        (11, "Occupazione all'11 dicembre 2026", "dall'11 dicembre 2026 all'11 dicembre 2026"),
    ],
)
def test_date_phrases_for_the_1st_8th_and_11th(day: int, occupancy: str, period: str) -> None:
    i18n.set_language("it")
    date = format_date(dt.date(2026, 12, day))
    assert _("Occupancy on {date}").format(date=date) == occupancy
    assert _("from {start} to {end}").format(start=date, end=date) == period
    article = "il 1°" if day == 1 else f"l'{day}"
    assert _("Bed {bed} is already occupied on {date}.").format(bed="A1", date=date) == (
        f"Il posto letto A1 è già occupato {article} dicembre 2026."
    )


@pytest.mark.parametrize("day", [1, 8, 11])
def test_every_message_with_a_date_reads_right(day: int) -> None:
    """Each Italian message with a date, filled with the 1st, the 8th or the 11th, written
    out or as dd/mm/yyyy: never "il 8", "dal 11" or "1 dicembre"."""
    i18n.set_language("it")
    day_ = dt.date(2026, 12, day)
    wrong = []
    for m in _messages("it"):
        for s in _strings(m):
            fields = set(FIELD.findall(s))
            if not fields & DATE_FIELDS:
                continue
            for fmt in (format_date, format_short_date):
                values = {f: fmt(day_) if f in DATE_FIELDS else "X" for f in fields}
                text = i18n.Text(s).format(**values)
                if UNELIDED.search(text) or FIRST_WITHOUT_DEGREE.search(text):
                    wrong.append(text)
    assert wrong == []
