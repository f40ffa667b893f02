"""DejaVu Sans embedded in every PDF: it covers names beyond Latin-1 (Ğ, Ł, Ș, Đ, ı, ...).

The standard PDF fonts (Helvetica and friends) only know Latin-1, so a name such as
"Ğülşen" would print as black boxes; the TTF files are subset and embedded instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

_registered = False


def fonts_dir() -> Path:
    """``resources/fonts`` in the repository, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidate = Path(bundle) / "resources" / "fonts"
        if candidate.is_dir():
            return candidate
    return Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"


def register_fonts() -> None:
    """Register the two faces once per process (ReportLab keeps a global registry)."""
    global _registered
    if _registered:
        return
    folder = fonts_dir()
    pdfmetrics.registerFont(TTFont(REGULAR, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    # <b> inside a Paragraph switches to the bold face; there is no italic face, so
    # italic falls back on the upright ones.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    _registered = True
