"""The SAI terms of a placement (six months, then six more), without the database: the
extension dialog and the rules ask the same question."""

from __future__ import annotations

import datetime as dt

# The SAI terms: a placement lasts six months, and can be extended by six more; an
# extension beyond them needs its own reason and is marked.
SAI_TERM_MONTHS = 6
SAI_EXTENSION_MONTHS = 6


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


def sai_terms_end(entry_date: dt.date) -> dt.date:
    """The last planned end the SAI terms allow: six months, then six more."""
    return months_later(entry_date, SAI_TERM_MONTHS + SAI_EXTENSION_MONTHS)


def sai_terms_apply(programme_kind: str, sai_category: str | None) -> bool:
    """The terms are those of the ordinary SAI reception: unaccompanied minors (MSNA) and
    the mental-health and disability projects follow their own rules."""
    return programme_kind == "sai" and sai_category in (None, "", "ord")


def beyond_sai_terms(applies: bool, entry_date: dt.date, planned_end: dt.date) -> bool:
    """Whether ``planned_end`` goes beyond the SAI terms, where they ``apply``."""
    return applies and planned_end > sai_terms_end(entry_date)
