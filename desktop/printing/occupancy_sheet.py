"""Foglio di occupazione: every bed of one structure on a date, with its occupant.

Plain ReportLab (no Qt): usable from the command line, the tests and the desktop.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from models.database import Database
from models.formatting import format_date, format_percent, format_short_date
from models.i18n import _
from models.labels import programme_kind_label, relationship_label, target_group_label
from models.sheets import Sheets

from .common import confidential_text, person_name, resolve_pseudonymised, structure_title
from .fonts import BOLD
from .template import (
    BAND_FILL,
    INK,
    MUTED,
    RULE,
    PageInfo,
    content_width,
    esc,
    grid_style,
    key_values,
    render,
    signature_block,
    styles,
    table_style,
)


def occupancy_sheet(
    db: Database,
    structure_id: int,
    day: dt.date,
    *,
    pseudonymised: bool | None = None,
    site_name: str | None = None,
    output: str | Path | None = None,
) -> bytes:
    """The occupancy sheet of a structure on ``day`` as PDF bytes.

    ``pseudonymised`` None means the programme's default (codes for anti-trafficking).
    """
    sheet = Sheets(db).sheet(structure_id, day)
    pseudo = resolve_pseudonymised(pseudonymised, sheet.programme_kind)
    from .template import default_site_name

    st = styles()
    width = content_width()

    if pseudo:
        address = None
    elif sheet.confidential:
        address = confidential_text()
    else:
        parts = [sheet.address, sheet.comune]
        address = ", ".join(p for p in parts if p)
        if sheet.province:
            address = f"{address} ({sheet.province})" if address else sheet.province
    facts = [
        (_("Programme"), f"{sheet.programme_code} — {sheet.programme_name}"),
        (_("Holder"), sheet.holder or "—"),
        (
            _("Structure"),
            structure_title(
                sheet.code, sheet.name, confidential=sheet.confidential, pseudonymised=pseudo
            ),
        ),
    ]
    facts.append(
        (_("Address"), address) if address is not None else (_("Province"), sheet.province)
    )
    facts.append((_("Kind"), programme_kind_label(sheet.programme_kind)))
    facts.append(
        (_("Target groups"), ", ".join(sorted(target_group_label(t) for t in sheet.targets)) or "—")
    )
    story: list[Flowable] = [key_values(facts, width), Spacer(1, 5 * mm)]

    if pseudo:
        headers = [
            _("Room"),
            _("Bed"),
            _("Person code"),
            _("Household"),
            _("Relationship"),
            _("Minor"),
            _("Entry"),
            _("Planned end"),
        ]
        widths: list[float] = [22, 18, 32, 22, 26, 14, 21, 22]
    else:
        headers = [
            _("Room"),
            _("Bed"),
            _("Person"),
            _("Born"),
            _("Household"),
            _("Relationship"),
            _("Minor"),
            _("Entry"),
            _("Planned end"),
        ]
        widths = [18, 18, 32, 17.5, 17.5, 24.5, 12, 18.5, 22]
    scale = width / (sum(widths) * mm)
    col_widths = [w * mm * scale for w in widths]
    person_col = 2
    minor_col = headers.index(_("Minor"))
    rows: list[list[str | Flowable]] = [headers]
    cmds = grid_style(font_size=8)
    cmds.append(("ALIGN", (minor_col, 0), (minor_col, -1), "CENTER"))
    last_room = None
    for line in sheet.beds:
        # The room is written on every row (a page may break inside a room), in bold on
        # its first bed and in grey on the others.
        room = line.room_name
        if line.room_name == last_room:
            cmds.append(("TEXTCOLOR", (0, len(rows)), (0, len(rows)), MUTED))
        else:
            cmds.append(("FONT", (0, len(rows)), (0, len(rows)), BOLD, 8))
        r = len(rows)
        if line.room_name != last_room and last_room is not None:
            cmds.append(("LINEABOVE", (0, r), (-1, r), 0.6, MUTED))
        last_room = line.room_name
        o = line.occupant
        if o is not None:
            rel = (
                Paragraph(esc(relationship_label(o.relationship)), st["cell_small"])
                if o.relationship
                else ""
            )
            minor = _("yes") if o.minor else ""
            if pseudo:
                who = o.person_code
                rows.append(
                    [
                        room,
                        line.bed_label,
                        who,
                        o.household_code,
                        rel,
                        minor,
                        format_short_date(o.entry_date),
                        format_short_date(o.planned_end) or "—",
                    ]
                )
            else:
                name = person_name(o.last_name, o.first_name)
                rows.append(
                    [
                        room,
                        line.bed_label,
                        Paragraph(esc(name), st["cell"]),
                        format_short_date(o.birth_date),
                        o.household_code,
                        rel,
                        minor,
                        format_short_date(o.entry_date),
                        format_short_date(o.planned_end) or "—",
                    ]
                )
        else:
            if line.status == "reserved":
                text = (
                    _("reserved for household {code}").format(code=line.note)
                    if line.note
                    else _("reserved")
                )
            elif line.status == "out_of_service":
                text = _("out of service") + (f": {line.note}" if line.note else "")
            elif line.status == "no_place":
                text = _("no place") + (f": {line.note}" if line.note else "")
            else:
                text = _("free")
            row = [room, line.bed_label, Paragraph(esc(text), st["cell_muted"])] + [""] * (
                len(headers) - 3
            )
            rows.append(row)
            cmds.append(("SPAN", (person_col, r), (len(headers) - 1, r)))
            cmds.append(("BACKGROUND", (person_col, r), (-1, r), BAND_FILL))
    if len(rows) == 1:
        rows.append(
            [Paragraph(esc(_("This structure has no beds.")), st["cell_muted"])]
            + [""] * (len(headers) - 1)
        )
        cmds.append(("SPAN", (0, 1), (-1, 1)))
    # Roomy rows: the office adds notes by hand on the printed sheet.
    cmds.append(("TOPPADDING", (0, 1), (-1, -1), 4.2))
    cmds.append(("BOTTOMPADDING", (0, 1), (-1, -1), 4.2))
    table = Table(rows, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style(cmds))
    story.append(table)
    story.append(Spacer(1, 5 * mm))

    totals_head = [
        _("Places"),
        _("Beds"),
        _("Occupied"),
        _("Reserved"),
        _("Out of service"),
        _("Free"),
        _("Occupancy rate"),
    ]
    rate = sheet.occupied / sheet.capacity if sheet.capacity else None
    totals = [
        str(sheet.capacity),
        str(len(sheet.beds)),
        str(sheet.occupied),
        str(sheet.reserved),
        str(sheet.out_of_service),
        str(sheet.free),
        format_percent(rate),
    ]
    head_style = ParagraphStyle(
        "tot_head", fontName=BOLD, fontSize=8, leading=9.5, alignment=TA_CENTER, textColor=INK
    )
    tot = Table(
        [[Paragraph(esc(h), head_style) for h in totals_head], totals],
        colWidths=[width / 7] * 7,
        hAlign="LEFT",
    )
    tot_style = grid_style(font_size=9)
    tot_style += [
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("FONT", (0, 1), (-1, 1), BOLD, 10),
        ("LINEBELOW", (0, 1), (-1, 1), 0.8, INK),
        ("TOPPADDING", (0, 1), (-1, 1), 4),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 4),
        ("LINEAFTER", (0, 0), (-2, -1), 0.25, RULE),
    ]
    tot.setStyle(table_style(tot_style))
    people = sum(1 for b in sheet.beds if b.occupant is not None)
    minors = sum(1 for b in sheet.beds if b.occupant is not None and b.occupant.minor)
    households = len({b.occupant.household_code for b in sheet.beds if b.occupant is not None})
    note = Paragraph(
        esc(
            _("People: {people} · households: {households} · minors: {minors}").format(
                people=people, households=households, minors=minors
            )
        ),
        st["note"],
    )
    # The totals and the signature stay together: a signature alone on a page signs nothing.
    story.append(KeepTogether([tot, note, Spacer(1, 8 * mm), signature_block(width)]))

    info = PageInfo(
        title=_("Occupancy sheet"),
        subject=_("{code} — situation on {date}").format(
            code=sheet.code, date=format_date(day, "long")
        ),
        site_name=site_name or default_site_name(),
        pseudonymised=pseudo,
    )
    return render(story, info, output=output)
