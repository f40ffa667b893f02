"""Limits on what a record may hold, in one place, the same on both engines.

Every text a coordinator types is checked before it reaches the database, whatever use
case writes it (``check_session`` runs before each flush of a unit of work): no longer
than its column (names and aliases 120 characters, so that every sheet and register
prints), no NUL and no control characters (line breaks and tabs only in notes and
reasons). Birth dates lie between 1900 and today; a province is one of Italy's codes.
A text over its limit is refused with one message naming the field: nothing is cut
and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from .demo_data import PROVINCES
from .errors import ValidationError
from .i18n import N_, _

NAME_MAX = 120
TEXT_MAX = 2000  # unbounded columns (a placement's note)
EARLIEST_BIRTH = dt.date(1900, 1, 1)
SEARCH_MAX = 200

# Columns that may hold several lines; everywhere else a control character is refused.
MULTILINE = {"note", "reason", "override_reason"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")

LABELS: dict[str, str] = {
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "alias": N_("Alias"),
    "gender_identity": N_("Gender identity"),
    "citizenship": N_("Citizenship"),
    "code": N_("Code"),
    "name": N_("Name"),
    "address": N_("Address"),
    "comune": N_("Comune"),
    "province": N_("Province"),
    "holder": N_("Holder"),
    "managing_partner": N_("Managing partner"),
    "label": N_("Bed"),
    "note": N_("Note"),
    "reason": N_("Reason"),
    "override_reason": N_("Reason"),
    "authorised_by": N_("Authorised by"),
    "exit_destination": N_("Destination"),
}

_columns_cache: dict[type, list[tuple[str, int]]] = {}


def _text_columns(cls: type) -> list[tuple[str, int]]:
    """The text attributes of an entity and their limits."""
    found = _columns_cache.get(cls)
    if found is None:
        found = []
        mapper: Any = sa_inspect(cls)
        for attr in mapper.column_attrs:
            column = attr.columns[0]
            if isinstance(column.type, String):
                length = column.type.length
                if length is None or isinstance(column.type, Text):
                    length = TEXT_MAX
                found.append((attr.key, length))
        _columns_cache[cls] = found
    return found


def field_label(key: str) -> str:
    return _(LABELS.get(key, N_("Text")))


def check_text(key: str, value: str, limit: int) -> None:
    """Refuse a text over ``limit`` characters or holding control characters."""
    if len(value) > limit:
        raise ValidationError(
            _(
                "{field} is too long ({length} characters; at most {limit}). Nothing was "
                "saved: shorten it and try again."
            ).format(field=field_label(key), length=len(value), limit=limit)
        )
    pattern = _CONTROL if key in MULTILINE else _CONTROL_SINGLE_LINE
    if pattern.search(value):
        raise ValidationError(
            _(
                "{field} holds a control character (an invisible character, such as a "
                "line break or a NUL, often pasted by mistake). Nothing was saved: type "
                "it again."
            ).format(field=field_label(key))
        )


def check_object(obj: Any, *, changed_only: bool) -> None:
    state = sa_inspect(obj)
    for key, limit in _text_columns(type(obj)):
        if changed_only and not state.attrs[key].history.has_changes():
            continue
        value = getattr(obj, key)
        if isinstance(value, str):
            check_text(key, value, limit)


def check_session(session: Session, _context: Any = None, _instances: Any = None) -> None:
    """Every new text and every changed one of a flush within its limits (the
    ``before_flush`` hook of a unit of work)."""
    from . import entities as e

    for obj in session.new:
        if not isinstance(obj, e.AuditEntry):
            check_object(obj, changed_only=False)
    for obj in session.dirty:
        check_object(obj, changed_only=True)


def check_birth_date(day: dt.date | None, today: dt.date) -> None:
    if day is None:
        return
    if day > today:
        raise ValidationError(_("The birth date is in the future."))
    if day < EARLIEST_BIRTH:
        raise ValidationError(
            _("The birth date {date} is before 1900: check the year. Nothing was saved.").format(
                date=day.isoformat()
            )
        )


def province(value: str) -> str:
    """The province's code in capitals, or a refusal if Italy has no such province."""
    code = str(value).strip().upper()
    if code not in PROVINCES:
        raise ValidationError(
            _("Unknown province: {code}. Use its two-letter code (for example MI).").format(
                code=code[:10]
            )
        )
    return code


def is_province(value: str) -> bool:
    return str(value).strip().upper() in PROVINCES


def search_words(text: str) -> list[str]:
    """The words of a search: control characters dropped, words made only of wildcard
    characters left out (they would find everyone), at most ``SEARCH_MAX`` characters."""
    cleaned = _CONTROL_SINGLE_LINE.sub(" ", text[:SEARCH_MAX]).lower()
    return [w for w in cleaned.split() if w.strip("%_*?")]
