"""Dates, numbers and percentages formatted with Babel in the user's language.

Babel is imported at the first call, not with this module: the desktop shows its
window before anything needs a formatted figure (cold start, see desktop/app.py).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .i18n import babel_locale


def format_date(day: dt.date | None, fmt: str = "long") -> str:
    """A date for a sentence or a title: "8 dicembre 2026", "1° luglio 2026" (Italian
    writes the first of the month as an ordinal), "8 December 2026". Fields and table
    cells use ``format_short_date`` instead."""
    if day is None:
        return "—"
    return _long_date(day, fmt, babel_locale())


def format_short_date(day: dt.date | None) -> str:
    """dd/mm/yyyy in Italian, the office's usual way of writing a date."""
    if day is None:
        return ""
    return _date(day, "dd/MM/yyyy", babel_locale())


# "1 luglio" -> "1° luglio": a day 1 followed by a month's name (not "11", not "1/7").
_FIRST = re.compile(r"(?<![\d/])1 (?=[^\W\d_])")

# The Italian months (full and abbreviated), to recognise a date after a preposition.
_MONTHS = (
    "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|"
    "dicembre|gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic"
)
# "il 8 dicembre" -> "l'8 dicembre", "dal 11/03/2026" -> "dall'11/03/2026": the articulated
# prepositions before a day read "otto" or "undici" lose their vowel, as an Italian writes.
_ELIDE = re.compile(
    r"\b(il|Il|dal|Dal|al|Al|del|Del|nel|Nel|sul|Sul) (?=(?:8|08|11)(?: (?:"
    + _MONTHS
    + r")\b|/\d))"
)
_ELIDED = {"il": "l'", "Il": "L'"}


def _first_of_month(text: str) -> str:
    return _FIRST.sub("1° ", text)


def italian_elision(text: str) -> str:
    """``text`` with every "il 8 …", "dal 11 …" before a date written "l'8 …", "dall'11 …".

    The messages say "il {date}", "dal {date}" as a translator naturally writes them;
    ``_().format()`` (models/i18n.py) passes every formatted message through here, so the
    article agrees with the day whatever date fills the field."""
    # Every preposition elided ends in "l": without "l 8", "l 08" or "l 11" there is
    # nothing to change (most messages: thousands of them in one list).
    if "l 8" not in text and "l 08" not in text and "l 11" not in text:
        return text
    return _ELIDE.sub(lambda m: _ELIDED.get(m.group(1), m.group(1) + "l'"), text)


def date_phrase(preposition: str, day: dt.date, fmt: str = "long") -> str:
    """A preposition and a date as a sentence says them: ``date_phrase("dal", 11 Mar)`` is
    "dall'11 marzo 2026", ``date_phrase("il", 1 Jul)`` "il 1° luglio 2026"; in English
    ``date_phrase("on", …)`` "on 1 July 2026"."""
    return italian_elision(f"{preposition} {format_date(day, fmt)}")


# Tables show the same dates over and over (a sorted column asks for every row's text).
@lru_cache(maxsize=8192)
def _long_date(day: dt.date, fmt: str, locale: str) -> str:
    """``format_date``'s text, the first of the month written as Italian does."""
    text = _date(day, fmt, locale)
    return _first_of_month(text) if locale.startswith("it") else text


@lru_cache(maxsize=8192)
def _date(day: dt.date, fmt: str, locale: str) -> str:
    from babel.dates import format_date as _format_date

    return _format_date(day, format=fmt, locale=locale)


def format_percent(value: float | None) -> str:
    if value is None:
        return "—"
    return _percent(value, babel_locale())


def format_number(value: int | float) -> str:
    return _number(value, babel_locale())


# Reports format the same few numbers thousands of times (8,000 structures nationally),
# and Babel parses its pattern at every call: the results are kept per locale.
@lru_cache(maxsize=8192)
def _number(value: int | float, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)


@lru_cache(maxsize=8192)
def _percent(value: float, locale: str) -> str:
    from babel.numbers import format_percent as _format_percent

    return _format_percent(value, format="#,##0.0 %", locale=locale)


def format_month(day: dt.date, fmt: str = "LLLL yyyy") -> str:
    """A month in the user's language ("gennaio 2024", "gen"), with a Babel pattern."""
    return _date(day, fmt, babel_locale())
