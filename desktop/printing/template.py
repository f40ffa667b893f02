"""The page every printed document shares: A4, header, footer, "Pagina 1 di 3".

Header: the site name, the document's title and its subject on the right. Footer: the
printed-on date and time, the pseudonymised marker when it applies, and the page
number out of the total, drawn after the last page is known (the NumberedCanvas
pattern: every page is kept until ``save`` and numbered then).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from models.formatting import format_short_date
from models.i18n import _, current_language

from .fonts import BOLD, REGULAR, register_fonts

Progress = Callable[[int, int], None]
# A ReportLab table style command: ("FONT", (col, row), (col, row), name, size)...
StyleCommand = tuple[object, ...]

INK = colors.HexColor("#1F2A33")
MUTED = colors.HexColor("#5B6670")
RULE = colors.HexColor("#9AA5AE")
HEADER_FILL = colors.HexColor("#E3E8EC")
BAND_FILL = colors.HexColor("#F3F5F7")
SUBTOTAL_FILL = colors.HexColor("#EDF1F4")
WEEKEND_FILL = colors.HexColor("#EEF0F2")

MARGIN_X = 14 * mm
MARGIN_TOP = 26 * mm
MARGIN_BOTTOM = 18 * mm


def default_site_name() -> str:
    """The site's name from the settings ("site_name"), or the application's name."""
    try:
        from desktop.settings import load

        value = load().get("site_name")
    except Exception:  # noqa: BLE001 - unreadable settings never stop a print
        value = None
    return value if isinstance(value, str) and value.strip() else "Accoglienza"


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle(
        "base", fontName=REGULAR, fontSize=8.5, leading=10.5, textColor=INK, alignment=TA_LEFT
    )
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9),
        "muted": ParagraphStyle("muted", parent=base, fontSize=7.5, leading=9, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=9.5),
        "cell_small": ParagraphStyle("cell_small", parent=base, fontSize=7, leading=8.5),
        "cell_muted": ParagraphStyle(
            "cell_muted", parent=base, fontSize=8, leading=9.5, textColor=MUTED
        ),
        "label": ParagraphStyle("label", parent=base, fontSize=7, leading=8.5, textColor=MUTED),
        "value": ParagraphStyle("value", parent=base, fontName=BOLD, fontSize=9, leading=11),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=10, leading=13, spaceBefore=8, spaceAfter=4
        ),
        "note": ParagraphStyle(
            "note", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED, spaceBefore=4
        ),
    }


def esc(text: str) -> str:
    """Text for a Paragraph (which reads a little markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def grid_style(
    *, header_rows: int = 1, numeric_from: int | None = None, font_size: float = 8
) -> list[StyleCommand]:
    """A sober table: shaded header, thin horizontal rules, numbers right-aligned."""
    cmds: list[StyleCommand] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, font_size),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("FONT", (0, 0), (-1, header_rows - 1), BOLD, font_size - 0.5),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, INK),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if numeric_from is not None:
        cmds.append(("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"))
    return cmds


def key_values(pairs: Sequence[tuple[str, str]], width: float, columns: int = 2) -> Table:
    """The block of facts under the title (programme, holder, structure, address...)."""
    st = styles()
    cells = [
        [Paragraph(esc(label), st["label"]), Paragraph(esc(value) or "—", st["value"])]
        for label, value in pairs
    ]
    rows = []
    for i in range(0, len(cells), columns):
        row: list[str | Flowable] = []
        for pair in cells[i : i + columns]:
            row.extend(pair)
        while len(row) < 2 * columns:
            row.append("")
        rows.append(row)
    label_w = 27 * mm
    value_w = width / columns - label_w
    table = Table(rows, colWidths=[label_w, value_w] * columns, hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (1, 0), 1.5),
            ]
        )
    )
    return table


def signature_block(width: float) -> Table:
    """Lines for the coordinator to date and sign the printed sheet."""
    st = styles()
    col = min(75 * mm, width / 2 - 10 * mm)
    table = Table(
        [
            ["", "", ""],
            [
                Paragraph(esc(_("Place and date")), st["muted"]),
                "",
                Paragraph(esc(_("The coordinator")), st["muted"]),
            ],
        ],
        colWidths=[col, width - 2 * col, col],
        rowHeights=[14 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(
        table_style(
            [
                ("LINEBELOW", (0, 0), (0, 0), 0.6, INK),
                ("LINEBELOW", (2, 0), (2, 0), 0.6, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 2),
            ]
        )
    )
    return table


def fit_text(text: str, width: float, font: str = REGULAR, size: float = 8) -> str:
    """Cut ``text`` with an ellipsis so that it fits in ``width`` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def table_style(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose cells draw in our embedded font.

    ReportLab's cells set their own font before drawing, Helvetica unless told: without
    this, every table would name a font the PDF does not carry.
    """
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


@dataclass
class PageInfo:
    """What the header and footer of every page show."""

    title: str
    subject: str
    site_name: str
    pseudonymised: bool = False
    printed_at: dt.datetime | None = None


def _numbered_canvas_class(info: PageInfo) -> type[rl_canvas.Canvas]:
    page_label = _("Page {page} of {pages}")

    class NumberedCanvas(rl_canvas.Canvas):
        """Keeps every page until ``save`` so that it can print "Page n of N"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._kept_pages: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._kept_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._kept_pages)
            for state in self._kept_pages:
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.setFont(REGULAR, 7.5)
                self.setFillColor(MUTED)
                self.drawRightString(
                    width - MARGIN_X,
                    MARGIN_BOTTOM - 9 * mm,
                    page_label.format(page=self._pageNumber, pages=total),
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_frame(info: PageInfo) -> Callable[[rl_canvas.Canvas, SimpleDocTemplate], None]:
    printed_at = info.printed_at or dt.datetime.now()
    printed = _("Printed on {date} at {time}").format(
        date=format_short_date(printed_at.date()), time=printed_at.strftime("%H:%M")
    )
    marker = _("Pseudonymised document: codes instead of names") if info.pseudonymised else ""

    def draw(c: rl_canvas.Canvas, doc: SimpleDocTemplate) -> None:
        width, height = doc.pagesize
        c.saveState()
        top = height - 11 * mm
        c.setFillColor(MUTED)
        c.setFont(REGULAR, 8)
        c.drawString(MARGIN_X, top, fit_text(info.site_name, width / 2, REGULAR, 8))
        c.setFillColor(INK)
        c.setFont(BOLD, 13)
        c.drawString(MARGIN_X, top - 6.2 * mm, info.title)
        c.setFont(REGULAR, 9)
        c.setFillColor(INK)
        title_w = c.stringWidth(info.title, BOLD, 13)
        c.drawRightString(
            width - MARGIN_X,
            top - 6.2 * mm,
            fit_text(info.subject, width - 2 * MARGIN_X - title_w - 10 * mm, REGULAR, 9),
        )
        c.setStrokeColor(INK)
        c.setLineWidth(0.8)
        c.line(MARGIN_X, top - 9 * mm, width - MARGIN_X, top - 9 * mm)
        # footer
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.line(MARGIN_X, MARGIN_BOTTOM - 6 * mm, width - MARGIN_X, MARGIN_BOTTOM - 6 * mm)
        c.setFont(REGULAR, 7.5)
        c.setFillColor(MUTED)
        c.drawString(MARGIN_X, MARGIN_BOTTOM - 9 * mm, printed)
        if marker:
            c.setFont(BOLD, 7.5)
            c.drawCentredString(width / 2, MARGIN_BOTTOM - 9 * mm, marker)
        c.restoreState()

    return draw


class _Doc(SimpleDocTemplate):
    """Calls ``progress`` as flowables are laid out (tables carry a ``rows`` count)."""

    def __init__(
        self, *args: Any, progress: Progress | None = None, total_rows: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._progress = progress
        self._total_rows = total_rows
        self._done_rows = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        rows = getattr(flowable, "progress_rows", 0)
        if rows and self._progress is not None:
            self._done_rows += rows
            self._progress(min(self._done_rows, self._total_rows), self._total_rows)


def render(
    story: list[Flowable],
    info: PageInfo,
    *,
    landscape_page: bool = False,
    progress: Progress | None = None,
    total_rows: int = 0,
    output: str | Path | None = None,
) -> bytes:
    """Lay out ``story`` on the shared page and return the PDF (also written to ``output``)."""
    register_fonts()
    buffer = io.BytesIO()
    pagesize = landscape(A4) if landscape_page else A4
    doc = _Doc(
        # The frame pads its content by 6 points: the margins are moved out by as much so that
        # the text lines up with the header and footer drawn at MARGIN_X.
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN_X - 6,
        rightMargin=MARGIN_X - 6,
        topMargin=MARGIN_TOP - 6,
        bottomMargin=MARGIN_BOTTOM - 6,
        title=f"{info.title} — {info.subject}",
        author=info.site_name,
        creator="Accoglienza",
        subject=info.subject,
        # Without these the canvas starts in Helvetica, named in the file but not embedded:
        # every font a printout names is one of ours, embedded, so the PDF is self-contained.
        initialFontName=REGULAR,
        initialFontSize=8.5,
        lang=current_language(),
        progress=progress,
        total_rows=total_rows,
    )
    frame = _draw_frame(info)
    doc.build(
        story, onFirstPage=frame, onLaterPages=frame, canvasmaker=_numbered_canvas_class(info)
    )
    data = buffer.getvalue()
    if output is not None:
        Path(output).write_bytes(data)
    return data


def content_width(landscape_page: bool = False) -> float:
    pagesize = landscape(A4) if landscape_page else A4
    width: float = pagesize[0] - 2 * MARGIN_X
    return width
