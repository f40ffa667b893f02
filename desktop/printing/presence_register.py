"""Registro presenze: a month grid, one row per person, one column per night.

Landscape A4. A mark means the person slept in the structure that night (the nights
covered by a bed stay, as ``Presence.month_nights`` counts them); the last column is
the person's days of presence and the last row the people present each night. Nights
that have not passed on the printing day are blank: the register attests, never plans.
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from models.database import Database
from models.directory import Directory
from models.formatting import format_date, format_number, format_short_date
from models.i18n import _
from models.presence import Presence
from models.sheets import Sheets

from .common import person_name, resolve_pseudonymised, structure_title
from .fonts import BOLD, REGULAR
from .template import (
    INK,
    SUBTOTAL_FILL,
    WEEKEND_FILL,
    PageInfo,
    Progress,
    content_width,
    default_site_name,
    esc,
    fit_text,
    grid_style,
    key_values,
    render,
    signature_block,
    styles,
    table_style,
)

MARK = "●"
FONT = 7


def presence_register(
    db: Database,
    year: int,
    month: int,
    *,
    structure_id: int | None = None,
    programme_code: str | None = None,
    pseudonymised: bool | None = None,
    site_name: str | None = None,
    progress: Progress | None = None,
    output: str | Path | None = None,
    printed_on: dt.date | None = None,
) -> bytes:
    """The presence register of a structure or a programme for one month.

    It attests nights that have passed: the nights from ``printed_on`` (today) on are
    left blank and counted nowhere, and the legend says so."""
    printed_on = printed_on or dt.date.today()
    if structure_id is None and not programme_code:
        raise ValueError("a structure or a programme is required")
    first = dt.date(year, month, 1)
    ndays = calendar.monthrange(year, month)[1]
    last = dt.date(year, month, ndays)
    facts: list[tuple[str, str]] = []
    kind: str | None
    if structure_id is not None:
        sheet = Sheets(db).sheet(structure_id, last)
        kind = sheet.programme_kind
        scope = structure_title(
            sheet.code,
            sheet.name,
            confidential=sheet.confidential,
            pseudonymised=resolve_pseudonymised(pseudonymised, kind),
        )
        facts += [
            (_("Programme"), f"{sheet.programme_code} — {sheet.programme_name}"),
            (_("Holder"), sheet.holder or "—"),
            (_("Structure"), scope),
        ]
        subject_scope = sheet.code
    else:
        programmes = {p.code: p for p in Directory(db).programmes()}
        prog = programmes.get(programme_code or "")
        kind = prog.kind if prog else None
        scope = f"{programme_code} — {prog.name}" if prog else str(programme_code)
        facts += [(_("Programme"), scope), (_("Holder"), (prog.holder if prog else "") or "—")]
        subject_scope = str(programme_code)
    pseudo = resolve_pseudonymised(pseudonymised, kind)
    month_name = format_date(first, "LLLL yyyy")
    facts += [
        (_("Month"), month_name),
        (
            _("Period"),
            _("from {start} to {end}").format(
                start=format_short_date(first), end=format_short_date(last)
            ),
        ),
    ]

    people = Presence(db).month_nights(
        year, month, structure_id=structure_id, programme_code=programme_code
    )
    # The night of a day has passed once the next morning has come; someone who only
    # arrives later is not on the register yet.
    passed = {d for d in range(1, ndays + 1) if dt.date(year, month, d) < printed_on}
    people = [p for p in people if not p.days.isdisjoint(passed)]
    if progress is not None:
        progress(0, len(people))
    if pseudo:
        people = sorted(people, key=lambda p: p.person_code)

    st = styles()
    width = content_width(landscape_page=True)
    show_structure = structure_id is None
    fixed = [7 * mm, 19 * mm]
    if not pseudo:
        fixed.append(40 * mm)
    if show_structure:
        fixed.append(23 * mm)
    total_w = 13 * mm
    day_w = (width - sum(fixed) - total_w) / ndays
    widths = fixed + [day_w] * ndays + [total_w]
    first_day_col = len(fixed)

    head1: list[str] = ["#", _("Code")]
    head2: list[str] = ["", ""]
    if not pseudo:
        head1.append(_("Person"))
        head2.append("")
    if show_structure:
        head1.append(_("Structure"))
        head2.append("")
    weekend_cols = []
    for d in range(1, ndays + 1):
        day = dt.date(year, month, d)
        head1.append(str(d))
        head2.append(format_date(day, "EEEEE").upper())
        if day.weekday() >= 5:
            weekend_cols.append(first_day_col + d - 1)
    head1.append(_("Days"))
    head2.append("")

    rows: list[list[str]] = [head1, head2]
    per_night = [0] * (ndays + 1)
    grand = 0
    name_w = 40 * mm - 6
    for i, p in enumerate(people, start=1):
        row: list[str] = [str(i), p.person_code]
        if not pseudo:
            row.append(fit_text(person_name(p.last_name, p.first_name), name_w, REGULAR, FONT))
        if show_structure:
            row.append(fit_text(", ".join(p.structure_codes), 23 * mm - 6, REGULAR, FONT))
        total = 0
        for d in range(1, ndays + 1):
            if d in p.days and d in passed:
                row.append(MARK)
                per_night[d] += 1
                total += 1
            else:
                row.append("")
        row.append(format_number(total))
        grand += total
        rows.append(row)
    if not people:
        rows.append([""] * len(widths))
    totals: list[str] = [""] * first_day_col
    totals[1] = _("Present")
    totals += [str(per_night[d]) if d in passed else "" for d in range(1, ndays + 1)]
    totals.append(format_number(grand))
    rows.append(totals)

    cmds = grid_style(header_rows=2, font_size=FONT)
    cmds += [
        ("ALIGN", (first_day_col, 0), (-1, -1), "CENTER"),
        ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 0), (0, -1), "RIGHT"),
        ("FONT", (0, 1), (-1, 1), REGULAR, FONT - 1),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LEFTPADDING", (first_day_col, 0), (-2, -1), 0),
        ("RIGHTPADDING", (first_day_col, 0), (-2, -1), 0),
        ("LINEBELOW", (0, 0), (-1, 0), 0, INK),
        ("LINEBEFORE", (first_day_col, 0), (-1, -1), 0.25, "#B8C0C7"),
        ("FONT", (-1, 2), (-1, -1), BOLD, FONT),
        ("SPAN", (1, -1), (first_day_col - 1, -1)),
        ("FONT", (0, -1), (-1, -1), BOLD, FONT),
        ("BACKGROUND", (0, -1), (-1, -1), SUBTOTAL_FILL),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, INK),
    ]
    for c in weekend_cols:
        cmds.append(("BACKGROUND", (c, 0), (c, -2), WEEKEND_FILL))
    for c in [*range(first_day_col), len(widths) - 1]:
        cmds.append(("SPAN", (c, 0), (c, 1)))
        cmds.append(("VALIGN", (c, 0), (c, 1), "MIDDLE"))
    table = Table(rows, colWidths=widths, repeatRows=2, hAlign="LEFT")
    table.setStyle(table_style(cmds))
    table.progress_rows = len(people)

    story: list[Flowable] = [key_values(facts, width, columns=3), Spacer(1, 4 * mm), table]
    story.append(
        Paragraph(
            esc(
                _("People: {people} · days of presence in the month: {days}").format(
                    people=format_number(len(people)), days=format_number(grand)
                )
            ),
            st["note"],
        )
    )
    story.append(
        Paragraph(
            esc(
                _(
                    "{mark} = present that night (nights from the entry date up to the night before the exit)."
                ).format(mark=MARK)
            ),
            st["note"],
        )
    )
    if len(passed) < ndays:
        story.append(
            Paragraph(
                esc(
                    _(
                        "Printed on {date}: the nights from that day on have not passed yet and are left blank."
                    ).format(date=format_date(printed_on))
                ),
                st["note"],
            )
        )
    story.append(Spacer(1, 6 * mm))
    story.append(signature_block(width))

    info = PageInfo(
        title=_("Presence register"),
        subject=_("{scope} — {month}").format(scope=subject_scope, month=month_name),
        site_name=site_name or default_site_name(),
        pseudonymised=pseudo,
    )
    return render(
        story, info, landscape_page=True, progress=progress, total_rows=len(people), output=output
    )
