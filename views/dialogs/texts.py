"""The words the dialogs (and the people page) write about people, dates, structures and
placements: "Diallo Fatoumata “Fatou”", "8 years · minor", "women, families"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from models.formatting import format_short_date
from models.i18n import _, ngettext
from models.labels import target_group_label
from models.results import (
    FitReport,
    HouseholdInfo,
    PersonInfo,
    PlacementInfo,
    PresenceRow,
    StructureInfo,
)


def age_on(birth: dt.date | None, day: dt.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_text(birth: dt.date | None, day: dt.date) -> str:
    """ "34 years" or "8 years · minor"; empty when the birth date is unknown."""
    age = age_on(birth, day)
    if age is None:
        return ""
    text = ngettext("{n} year", "{n} years", age).format(n=age)
    if age < 18:
        text += " · " + _("minor")
    return text


def person_name(p: PersonInfo) -> str:
    name = f"{p.last_name} {p.first_name}".strip()
    if p.alias:
        name = f"{name} “{p.alias}”".strip() if name else f"“{p.alias}”"
    return name


def targets_text(targets: Iterable[str]) -> str:
    return ", ".join(sorted(target_group_label(t) for t in targets)) or _("anyone")


def date_text(day: dt.date | None) -> str:
    return format_short_date(day) if day else "—"


def scheduled_exit_text(exit_reason: str | None, day: dt.date) -> str:
    """ "exit scheduled on 15/01/2027" (uscita prevista il ...), or a transfer's."""
    if exit_reason == "transfer_other_project":
        return _("transfer scheduled on {date}").format(date=date_text(day))
    return _("exit scheduled on {date}").format(date=date_text(day))


def short_reason(
    rep: FitReport, st: StructureInfo | None = None, day: dt.date | None = None
) -> str:
    """A few words for the list of structures; the full reasons are shown below it."""
    parts = []
    closed = (
        st is not None
        and day is not None
        and (day < st.opened_on or (st.closed_on is not None and day > st.closed_on))
    )
    if closed:
        parts.append(_("closed on that date"))
    if rep.target_group_problem:
        parts.append(_("other target group"))
    others = len(rep.reasons) - int(rep.target_group_problem) - int(closed)
    if others > 0:
        parts.append(_("not enough free beds") if not closed else _("not available"))
    return ", ".join(parts) or _("does not fit")


def placement_summary(
    placement: PlacementInfo,
    household: HouseholdInfo,
    rows: Sequence[PresenceRow],
    day: dt.date,
) -> str:
    """One rich-text line: who, which programme, since when, where they sleep on ``day``
    (``rows``: the placement's people in a bed that night)."""
    ref = household.reference
    where = sorted({r.structure_name for r in rows})
    text = _("<b>{name}</b> — household {code}, {programme} since {entry}").format(
        name=person_name(ref) if ref else "",
        code=household.code,
        programme=placement.programme_code,
        entry=date_text(placement.entry_date),
    )
    if placement.planned_end:
        text += ", " + _("planned end {date}").format(date=date_text(placement.planned_end))
    if where:
        text += "<br>" + _("On {date} in: {structures}").format(
            date=date_text(day), structures=", ".join(where)
        )
    return text
