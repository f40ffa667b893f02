"""Dates, numbers and percentages formatted with Babel in the user's language.

Babel is imported at the first call, not with this module: the desktop shows its
window before anything needs a formatted figure (cold start, see desktop/app.py).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from .i18n import babel_locale


def format_date(day: dt.date | None, fmt: str = "medium") -> str:
    if day is None:
        return "—"
    return _date(day, fmt, babel_locale())


def format_short_date(day: dt.date | None) -> str:
    """dd/mm/yyyy in Italian, the office's usual way of writing a date."""
    if day is None:
        return ""
    return _date(day, "dd/MM/yyyy", babel_locale())


# Tables show the same dates over and over (a sorted column asks for every row's text).
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
