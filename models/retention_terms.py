"""The retention's numbers and results, without the database (the screens read them):
how many years by default, the range allowed, and what ``backend.retention`` returns.
Why ten years: see ``models/retention.py``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Years after the last exit before a person's record may be anonymised.
DEFAULT_YEARS = 10
MIN_YEARS = 1
MAX_YEARS = 100


@dataclass(frozen=True)
class RetentionSummary:
    """The people past their time at a cut-off (nobody named)."""

    years: int
    cut_off: dt.date  # last exits before this day
    people: int
    households: int
    placements: int
    # The last exit of the most recent of them (None when nobody).
    latest_exit: dt.date | None = None


@dataclass(frozen=True)
class AnonymisedResult:
    """What an anonymisation did (counts only)."""

    years: int
    cut_off: dt.date
    people: int
    households: int
    placements: int
    log_rows: int
