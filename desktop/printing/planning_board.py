"""Tabellone: the planning board printed, one structure a page, A4 landscape.

Each page lists a structure's beds by room against the nights of the period: each stay
is a band with the person (the code when pseudonymised, always in anti-trafficking
programmes), the beds held and out of service are marked, weekends and holidays shaded,
and the line above the beds gives the free places of every night (underlined where the
structure has fewer places than beds). Plain ReportLab (no Qt).
"""

from __future__ import annotations

import colorsys
import datetime as dt
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from models.board import (
    ANTI_TRAFFICKING,
    BoardRow,
    all_structure_nights,
    italian_holidays,
)
from models.database import Database
from models.formatting import format_date, format_short_date
from models.i18n import _
from models.planning import Planning

from .common import confidential_text, resolve_pseudonymised
from .fonts import BOLD, REGULAR
from .template import (
    INK,
    WEEKEND_FILL,
    PageInfo,
    content_width,
    default_site_name,
    esc,
    fit_text,
    grid_style,
    key_values,
    render,
    styles,
    table_style,
)

DAYS = 28  # four weeks a page: eight millimetres a night on A4 landscape
FONT = 6.5
HELD_FILL = colors.HexColor("#DCE7F5")
OUT_FILL = colors.HexColor("#C9CDD1")
SHORT_LINE = colors.HexColor("#B5651D")


def _household_fill(household_id: int) -> colors.Color:
    """A light colour per household, as on the screen (members share it)."""
    hue = ((household_id * 137) % 360) / 360
    r, g, b = colorsys.hls_to_rgb(hue, 0.85, 0.55)
    return colors.Color(r, g, b)


def planning_board(
    db: Database,
    start: dt.date,
    *,
    days: int = DAYS,
    programme_code: str | None = None,
    province: str | None = None,
    structure_id: int | None = None,
    pseudonymised: bool | None = None,
    site_name: str | None = None,
    output: str | Path | None = None,
) -> bytes:
    """The board of the selection over the nights ``[start, start + days)`` as PDF bytes.

    ``pseudonymised`` None means each programme's default (codes for anti-trafficking)."""
    stop = start + dt.timedelta(days=days)
    planning = Planning(db)
    board = planning.board(
        start, stop, programme_code=programme_code, province=province, structure_id=structure_id
    )
    nights_of = all_structure_nights(board.rows, board.window)
    holidays = italian_holidays(start.year) | italian_holidays(stop.year)
    nights = board.window.days
    st = styles()
    width = content_width(landscape_page=True)
    label_w = 34 * mm
    day_w = (width - label_w) / days
    by_structure: dict[int, list[BoardRow]] = {}
    for r in board.rows:
        by_structure.setdefault(r.structure_id, []).append(r)
    any_named = False
    story: list[Flowable] = []
    for n, (sid, beds) in enumerate(by_structure.items()):
        first = beds[0]
        pseudo = resolve_pseudonymised(pseudonymised, first.programme_kind)
        pseudo = pseudo or first.programme_kind == ANTI_TRAFFICKING
        any_named = any_named or not pseudo
        if n:
            story.append(PageBreak())
        # A protected apartment's name is not printed with the codes (as the summary).
        name = confidential_text() if pseudo and first.confidential else first.structure_name
        facts = [
            (_("Programme"), f"{first.programme_code} — {first.programme_name}"),
            (_("Structure"), f"{first.structure_code} — {name}"),
            (_("Province"), first.province),
            (
                _("Period"),
                _("from {start} to {end}").format(
                    start=format_short_date(start), end=format_short_date(stop - dt.timedelta(1))
                ),
            ),
        ]
        story += [key_values(facts, width, columns=2), Spacer(1, 3 * mm)]
        head = [_("Room · bed")] + [str(d.day) for d in nights]
        weekday = [""] + [format_date(d, "EEEEE").upper() for d in nights]
        per_night = nights_of.get(sid, [])
        free_row = [_("Free places")] + [str(x.free) for x in per_night]
        rows: list[list[str]] = [head, weekday, free_row]
        cmds = grid_style(header_rows=2, font_size=FONT)
        cmds += [
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (1, 0), (-1, -1), 1),
            ("RIGHTPADDING", (1, 0), (-1, -1), 1),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("FONT", (0, 2), (-1, 2), BOLD, FONT),
            ("LINEBEFORE", (1, 0), (-1, -1), 0.25, "#B8C0C7"),
        ]
        for k, day in enumerate(nights):
            if day.weekday() >= 5 or day in holidays:
                cmds.append(("BACKGROUND", (k + 1, 0), (k + 1, -1), WEEKEND_FILL))
            if k < len(per_night) and per_night[k].short_of_places:
                cmds.append(("LINEBELOW", (k + 1, 2), (k + 1, 2), 1.5, SHORT_LINE))
        for i, bed in enumerate(beds):
            y = i + 3
            row = [fit_text(f"{bed.room_name} · {bed.bed_label}", label_w - 6, REGULAR, FONT)]
            row += [""] * days
            for o in board.window.outages:
                if o.bed_id != bed.bed_id:
                    continue
                ks = [k for k, d in enumerate(nights) if o.covers(d)]
                if ks:
                    cmds.append(("BACKGROUND", (ks[0] + 1, y), (ks[-1] + 1, y), OUT_FILL))
                    row[ks[0] + 1] = "×"
            for h in board.window.reservations:
                if h.bed_id != bed.bed_id:
                    continue
                ks = [k for k, d in enumerate(nights) if h.covers(d)]
                if ks:
                    a, b = ks[0] + 1, ks[-1] + 1
                    cmds.append(("BACKGROUND", (a, y), (b, y), HELD_FILL))
                    cmds.append(("SPAN", (a, y), (b, y)))
                    cmds.append(("ALIGN", (a, y), (a, y), "LEFT"))
                    text = _("held: {household}").format(household=h.household_code)
                    row[a] = fit_text(text, day_w * (b - a + 1) - 2, REGULAR, FONT)
            for bar in board.window.bars:
                if bar.bed_id != bed.bed_id:
                    continue
                ks = [k for k, d in enumerate(nights) if bar.covers(d)]
                if not ks:
                    continue
                a, b = ks[0] + 1, ks[-1] + 1
                cmds.append(("BACKGROUND", (a, y), (b, y), _household_fill(bar.household_id)))
                cmds.append(("SPAN", (a, y), (b, y)))
                cmds.append(("ALIGN", (a, y), (a, y), "LEFT"))
                label = bar.person_code if pseudo else bar.label
                row[a] = fit_text(
                    f"{label} · {bar.household_code}", day_w * (b - a + 1) - 2, REGULAR, FONT
                )
                if bar.planned_end is not None and start <= bar.planned_end < stop:
                    k = (bar.planned_end - start).days + 1
                    cmds.append(("LINEBEFORE", (k, y), (k, y), 1.5, colors.HexColor("#B22222")))
            rows.append(row)
        table = Table(rows, colWidths=[label_w] + [day_w] * days, repeatRows=3, hAlign="LEFT")
        cmds.append(("LINEBELOW", (0, 2), (-1, 2), 0.6, INK))
        table.setStyle(table_style(cmds))
        story.append(table)
        story.append(
            Paragraph(
                esc(
                    _(
                        "Coloured band: a stay (one colour per household); “held”: a bed held "
                        "for a household; ×: out of service; red line: planned end; "
                        "underlined number: fewer places than beds that night."
                    )
                ),
                st["note"],
            )
        )
    if not story:
        story.append(Paragraph(esc(_("No beds in this selection.")), st["base"]))
    scope = (
        by_structure[next(iter(by_structure))][0].structure_code
        if structure_id is not None and by_structure
        else programme_code or province or _("network")
    )
    info = PageInfo(
        title=_("Planning board"),
        subject=_("{scope} — from {date}").format(scope=scope, date=format_short_date(start)),
        site_name=site_name or default_site_name(),
        pseudonymised=not any_named,
    )
    return render(story, info, landscape_page=True, output=output)
