"""Dates, numbers and percentages formatted with Babel in the user's language."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as _format_date
from babel.numbers import format_decimal
from babel.numbers import format_percent as _format_percent

from .i18n import babel_locale


def format_date(day: dt.date | None, fmt: str = "medium") -> str:
    if day is None:
        return "—"
    return _format_date(day, format=fmt, locale=babel_locale())


def format_short_date(day: dt.date | None) -> str:
    """dd/mm/yyyy in Italian, the office's usual way of writing a date."""
    if day is None:
        return ""
    return _format_date(day, format="dd/MM/yyyy", locale=babel_locale())


def format_percent(value: float | None) -> str:
    if value is None:
        return "—"
    return _format_percent(value, format="#,##0.0 %", locale=babel_locale())


def format_number(value: int | float) -> str:
    return format_decimal(value, locale=babel_locale())
