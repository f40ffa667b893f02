"""Riepilogo occupazione: one line per structure, subtotals per province and programme.

Built for the whole national network (8,000 structures): every row has the same
height, so the rows are cut into one table per page beforehand and ReportLab never
has to split a long table (which costs time proportional to its length per page).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table
from reportlab.platypus.tables import CellStyle

from models.database import Database
from models.directory import Directory
from models.formatting import format_date, format_number, format_percent
from models.i18n import _, ngettext
from models.occupancy import Occupancy
from models.results import OccupancyRow, OccupancyTotals

from .common import confidential_text, resolve_pseudonymised
from .fonts import BOLD, REGULAR
from .template import (
    BAND_FILL,
    HEADER_FILL,
    INK,
    RULE,
    SUBTOTAL_FILL,
    PageInfo,
    Progress,
    StyleCommand,
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

ROW_H = 11.5
HEAD_H = 21
FONT = 7.5
NUMERIC = ("capacity", "occupied", "reserved", "out_of_service", "free")


def _cells(totals: OccupancyTotals) -> list[str]:
    return [format_number(getattr(totals, n)) for n in NUMERIC] + [format_percent(totals.rate)]


@dataclass
class _Line:
    kind: str  # band | programme | structure | subtotal | province_total | grand
    cells: list[str]


def _headers() -> list[str]:
    return [
        _("Code"),
        _("Structure"),
        _("Places"),
        _("Occupied"),
        _("Reserved"),
        _("Out of service"),
        _("Free"),
        _("Rate"),
    ]


def _col_widths(width: float, first: float = 22 * mm, extra: int = 0) -> list[float]:
    """Code, name, ``extra`` numeric columns (the recaps' structure count), the figures."""
    fixed = [first, 0] + [17 * mm] * extra + [16.5 * mm] * 5 + [15 * mm]
    fixed[1] = width - sum(fixed)
    return fixed


def occupancy_summary(
    db: Database,
    day: dt.date,
    *,
    province: str | None = None,
    programme_code: str | None = None,
    pseudonymised: bool | None = None,
    progress: Progress | None = None,
    site_name: str | None = None,
    output: str | Path | None = None,
) -> bytes:
    """The occupancy summary of the network, a province or a programme on ``day``."""
    # Its three reads together: one round trip to the shared server.
    directory = Directory(db)
    rows, programme_list, structures = db.read_together(
        Occupancy(db).at_reading(day, province=province, programme_code=programme_code),
        directory.programmes_reading(),
        directory.structures_reading(province=province),
    )
    programmes = {p.code: p for p in programme_list}
    kind = (
        programmes[programme_code].kind if programme_code and programme_code in programmes else None
    )
    pseudo = resolve_pseudonymised(pseudonymised, kind)
    # Names of protected apartments can point to where they are: a summary, named or
    # not, goes further than the apartment's own staff, so it gives their codes only.
    confidential = {s.id for s in structures if s.confidential}
    total = len(rows)
    if progress is not None:
        progress(0, total)

    width = content_width()
    widths = _col_widths(width)
    name_w = widths[1] - 6
    lines: list[_Line] = []
    grand = OccupancyTotals()
    by_programme: dict[str, OccupancyTotals] = defaultdict(OccupancyTotals)
    by_province: dict[str, OccupancyTotals] = defaultdict(OccupancyTotals)

    def group(
        items: Iterable[OccupancyRow], key: Callable[[OccupancyRow], str]
    ) -> dict[str, list[OccupancyRow]]:
        out: dict[str, list[OccupancyRow]] = {}
        for item in items:
            out.setdefault(key(item), []).append(item)
        return out

    blank = [""] * (len(widths) - 2)
    for prov, prov_rows in group(rows, lambda r: r.province).items():
        lines.append(_Line("band", ["", _("Province {code}").format(code=prov), *blank]))
        prov_tot = by_province[prov]
        per_prog = group(prov_rows, lambda r: r.programme_code)
        for prog, prog_rows in per_prog.items():
            prog_name = programmes[prog].name if prog in programmes else ""
            heading = f"{prog} — {prog_name}" if prog_name else prog
            lines.append(
                _Line(
                    "programme", ["", fit_text(heading, width - widths[0] - 6, BOLD, FONT), *blank]
                )
            )
            prog_tot = OccupancyTotals()
            for r in prog_rows:
                name = confidential_text() if r.structure_id in confidential else r.label
                rate = r.occupied / r.capacity if r.capacity else None
                lines.append(
                    _Line(
                        "structure",
                        [
                            fit_text(r.key, widths[0] - 6, REGULAR, FONT),
                            fit_text(name, name_w, REGULAR, FONT),
                            *(format_number(getattr(r, n)) for n in NUMERIC),
                            format_percent(rate),
                        ],
                    )
                )
                prog_tot.add(r)
            if len(per_prog) > 1:
                lines.append(
                    _Line(
                        "subtotal",
                        [
                            "",
                            fit_text(
                                ngettext(
                                    "Subtotal {programme} ({n} structure)",
                                    "Subtotal {programme} ({n} structures)",
                                    prog_tot.structures,
                                ).format(programme=prog, n=prog_tot.structures),
                                name_w,
                                BOLD,
                                FONT,
                            ),
                            *_cells(prog_tot),
                        ],
                    )
                )
            by_programme[prog].add(prog_tot)
            prov_tot.add(prog_tot)
        lines.append(
            _Line(
                "province_total",
                [
                    "",
                    fit_text(
                        ngettext(
                            "Total province {province} ({n} structure)",
                            "Total province {province} ({n} structures)",
                            prov_tot.structures,
                        ).format(province=prov, n=prov_tot.structures),
                        name_w,
                        BOLD,
                        FONT,
                    ),
                    *_cells(prov_tot),
                ],
            )
        )
        grand.add(prov_tot)
    lines.append(
        _Line(
            "grand",
            [
                "",
                ngettext(
                    "Grand total ({n} structure)",
                    "Grand total ({n} structures)",
                    grand.structures,
                ).format(n=grand.structures),
                *_cells(grand),
            ],
        )
    )

    st = styles()
    if programme_code:
        chosen = programmes.get(programme_code)
        scope = f"{programme_code} — {chosen.name}" if chosen else programme_code
        scope_label = _("Programme")
    elif province:
        scope, scope_label = province.upper(), _("Province")
    else:
        scope, scope_label = _("whole network"), _("Scope")
    facts = [(scope_label, scope), (_("Situation on"), format_date(day, "long"))]
    if programme_code and programme_code in programmes:
        facts.append((_("Holder"), programmes[programme_code].holder or "—"))
    facts.append((_("Structures"), format_number(grand.structures)))
    intro: list[Flowable] = [key_values(facts, width), Spacer(1, 4 * mm)]
    if not rows:
        intro.append(Paragraph(esc(_("No structure open on this date.")), st["base"]))

    frame_h = _frame_height()
    first_h = frame_h - sum(f.wrap(width, frame_h)[1] for f in intro)
    story: list[Flowable] = list(intro)
    story.extend(_paged_tables(lines, widths, first_h, frame_h))

    # Recap per programme and per province, each on as many pages as it takes.
    # Recap per programme and per province (short: one table each, split by ReportLab).
    recap_widths = _col_widths(width, first=34 * mm, extra=1)
    recap_name_w = recap_widths[1] - 6
    recap_prog = [
        [
            fit_text(code, recap_widths[0] - 6, REGULAR, FONT),
            fit_text(
                programmes[code].name if code in programmes else code, recap_name_w, REGULAR, FONT
            ),
            format_number(t.structures),
            *_cells(t),
        ]
        for code, t in sorted(by_programme.items())
    ]
    recap_prov = [
        [code, _("Province {code}").format(code=code), format_number(t.structures), *_cells(t)]
        for code, t in sorted(by_province.items())
    ]
    for title, label, body in (
        (_("Totals by programme"), _("Programme"), recap_prog),
        (_("Totals by province"), _("Province"), recap_prov),
    ):
        story.append(CondPageBreak(50 * mm))
        story.append(Paragraph(esc(title), st["h2"]))
        story.append(
            _recap_table(
                body, grand, recap_widths, [_("Code"), label, _("Structures"), *_headers()[2:]]
            )
        )

    info = PageInfo(
        title=_("Occupancy summary"),
        subject=_("{scope} — situation on {date}").format(
            scope=scope, date=format_date(day, "long")
        ),
        site_name=site_name or default_site_name(),
        pseudonymised=pseudo,
    )
    return render(story, info, progress=progress, total_rows=total, output=output)


def _header_cells(headers: list[str], numeric_from: int) -> list[Paragraph]:
    """Header cells that wrap on two lines when a translation is long."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    left = ParagraphStyle(
        "head", fontName=BOLD, fontSize=FONT - 0.5, leading=FONT + 1, textColor=INK
    )
    right = ParagraphStyle("head_r", parent=left, alignment=TA_RIGHT)
    return [Paragraph(esc(h), right if i >= numeric_from else left) for i, h in enumerate(headers)]


def _recap_table(
    body: list[list[str]], grand: OccupancyTotals, widths: list[float], headers: list[str]
) -> Table:
    rows = [
        _header_cells(headers, 2),
        *body,
        ["", _("Grand total"), format_number(grand.structures), *_cells(grand)],
    ]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    cmds = grid_style(numeric_from=2, font_size=FONT)
    cmds += [
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("FONT", (0, -1), (-1, -1), BOLD, FONT + 0.5),
        ("LINEABOVE", (0, -1), (-1, -1), 1.2, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 1.2, INK),
    ]
    table.setStyle(table_style(cmds))
    return table


def _frame_height() -> float:
    from reportlab.lib.pagesizes import A4

    from .template import MARGIN_BOTTOM, MARGIN_TOP

    # SimpleDocTemplate's frame, less its own 6-point paddings (see template.render).
    height: float = A4[1] - (MARGIN_TOP - 6) - (MARGIN_BOTTOM - 6) - 12
    return height


# Every body cell of a kind of line looks the same: one shared ReportLab CellStyle per
# kind and column, handed to each Table, instead of style commands that ReportLab applies
# cell by cell. Only backgrounds, spans and rules, which ReportLab keeps as lists, are
# given as commands.
_BOLD_KINDS = {
    "band": FONT + 0.5,
    "programme": FONT,
    "subtotal": FONT,
    "province_total": FONT,
    "grand": FONT + 0.5,
}


def _cell_styles(columns: int, numeric_from: int) -> dict[str, list[CellStyle]]:
    def style(name: str, font: str, size: float, align: str, valign: str = "MIDDLE") -> CellStyle:
        cs = CellStyle(name)
        cs.fontname, cs.fontsize, cs.leading = font, size, size * 1.2
        cs.color, cs.alignment, cs.valign = INK, align, valign
        cs.leftPadding = cs.rightPadding = 3
        cs.topPadding, cs.bottomPadding = 1, 2
        return cs

    def row(kind: str, font: str, size: float, valign: str = "MIDDLE") -> list[CellStyle]:
        left, right = (
            style(f"{kind}-l", font, size, "LEFT", valign),
            style(f"{kind}-r", font, size, "RIGHT", valign),
        )
        return [left if c < numeric_from else right for c in range(columns)]

    out = {
        "head": row("head", BOLD, FONT - 0.5, "BOTTOM"),
        "structure": row("structure", REGULAR, FONT),
    }
    out.update({kind: row(kind, BOLD, size) for kind, size in _BOLD_KINDS.items()})
    return out


def _paged_tables(
    lines: list[_Line], widths: list[float], first_h: float, page_h: float
) -> list[Flowable]:
    """Cut ``lines`` into one table per page, each with the column header."""
    out: list[Flowable] = []
    start = 0
    avail = first_h
    head = _header_cells(_headers(), 2)
    cell_styles = _cell_styles(len(widths), 2)
    while start < len(lines):
        fit = max(1, int((avail - HEAD_H - 2) // ROW_H))
        chunk = lines[start : start + fit]
        table = Table(
            [head] + [ln.cells for ln in chunk],
            colWidths=widths,
            rowHeights=[HEAD_H] + [ROW_H] * len(chunk),
            hAlign="LEFT",
            cellStyles=[cell_styles["head"]] + [cell_styles[ln.kind] for ln in chunk],
        )
        cmds: list[StyleCommand] = [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ]
        for i, ln in enumerate(chunk, start=1):
            if ln.kind == "band":
                cmds += [
                    ("SPAN", (1, i), (-1, i)),
                    ("BACKGROUND", (0, i), (-1, i), BAND_FILL),
                    ("LINEABOVE", (0, i), (-1, i), 0.6, INK),
                ]
            elif ln.kind == "programme":
                cmds.append(("SPAN", (1, i), (-1, i)))
            elif ln.kind in ("subtotal", "province_total"):
                cmds.append(("BACKGROUND", (0, i), (-1, i), SUBTOTAL_FILL))
                if ln.kind == "province_total":
                    cmds.append(("LINEABOVE", (0, i), (-1, i), 0.6, INK))
            elif ln.kind == "grand":
                cmds += [
                    ("LINEABOVE", (0, i), (-1, i), 1.2, INK),
                    ("LINEBELOW", (0, i), (-1, i), 1.2, INK),
                ]
        table.setStyle(table_style(cmds))
        table.progress_rows = sum(1 for ln in chunk if ln.kind == "structure")
        out.append(table)
        start += fit
        avail = page_h
    return out
