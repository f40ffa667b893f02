"""Colours taken from the palette, so that a dark theme or Windows' high contrast stays
readable.

The meaning of a colour is kept (a refusal is red, a warning orange, a good answer green,
a caption grey, a reserved bed yellow), but its lightness follows the palette: text is
moved towards black on a light background and towards white on a dark one until it
reaches the contrast the Web Content Accessibility Guidelines ask of text (4.5:1), and a
tinted background is a little of the colour mixed into the palette's own base, light
enough (or dark enough) for the palette's text to stay readable over it.

Everything here reads the application's palette when called: call it where a colour is
used, not once at import.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor, QGuiApplication, QPalette

TEXT_CONTRAST = 4.5  # WCAG 2.x, AA, normal text
GRAPHIC_CONTRAST = 3.0  # WCAG 2.x, non-text (bars, borders)

# The hues, as they look on a white page.
RED = QColor("#b00020")
ORANGE = QColor("#b35c00")
GREEN = QColor("#1b7f3b")
BLUE = QColor("#4a90c2")
YELLOW = QColor("#f2c230")
GREY = QColor("#808080")

Role = QPalette.ColorRole


def palette() -> QPalette:
    return QGuiApplication.palette()


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2.x)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """Contrast ratio of two colours, 1 to 21 (WCAG 2.x)."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` with ``amount`` (0..1) of ``b`` mixed in."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
        1.0,
    )


def is_dark(background: QColor) -> bool:
    return luminance(background) < 0.18


def readable(colour: QColor, *backgrounds: QColor, ratio: float = TEXT_CONTRAST) -> QColor:
    """``colour``, lightened or darkened just enough to reach ``ratio`` against every
    background (black or white at worst)."""
    if not backgrounds:
        return QColor(colour)
    # Asked again for every coloured cell a table paints: worked out once per colour,
    # backgrounds and ratio (a new palette asks anew).
    found = _readable(_rgbf(colour), tuple(_rgbf(b) for b in backgrounds), ratio)
    return QColor.fromRgbF(*found)


def _rgbf(colour: QColor) -> tuple[float, float, float, float]:
    return colour.redF(), colour.greenF(), colour.blueF(), colour.alphaF()


@lru_cache(maxsize=256)
def _readable(
    rgbf: tuple[float, ...], backgrounds_rgbf: tuple[tuple[float, ...], ...], ratio: float
) -> tuple[float, ...]:
    colour = QColor.fromRgbF(*rgbf)
    backgrounds = [QColor.fromRgbF(*b) for b in backgrounds_rgbf]
    dark = sum(luminance(b) for b in backgrounds) / len(backgrounds) < 0.18
    towards = QColor("#ffffff") if dark else QColor("#000000")
    for step in range(21):
        candidate = mix(colour, towards, step / 20)
        if all(contrast(candidate, b) >= ratio for b in backgrounds):
            return _rgbf(candidate)
    return _rgbf(towards)


def text_backgrounds(pal: QPalette | None = None) -> tuple[QColor, QColor, QColor]:
    """Where coloured text appears: on the window, in a table's rows and alternate rows."""
    pal = pal or palette()
    return pal.color(Role.Window), pal.color(Role.Base), pal.color(Role.AlternateBase)


def bad() -> QColor:
    """A refusal, an error, a full structure, a cancelled stay."""
    return readable(RED, *text_backgrounds())


def warning() -> QColor:
    """A minor, an end close at hand, an exception to a rule."""
    return readable(ORANGE, *text_backgrounds())


def good() -> QColor:
    """Free places, a structure that fits."""
    return readable(GREEN, *text_backgrounds())


def muted(*backgrounds: QColor) -> QColor:
    """Grey text for captions and what no longer counts (a closed structure)."""
    pal = palette()
    grey = mix(pal.color(Role.WindowText), pal.color(Role.Window), 0.4)
    return readable(grey, *(backgrounds or text_backgrounds(pal)))


def tint(hue: QColor, amount: float = 0.22) -> QColor:
    """A background with a little of ``hue`` in the palette's base, over which the
    palette's text stays readable."""
    pal = palette()
    base, text = pal.color(Role.Base), pal.color(Role.Text)
    while amount > 0:
        candidate = mix(base, hue, amount)
        if contrast(candidate, text) >= TEXT_CONTRAST:
            return candidate
        amount -= 0.02
    return base


def error_style() -> str:
    """The style sheet of an error message."""
    return f"color: {bad().name()}; font-weight: bold;"


def colour_style(colour: QColor, *, bold: bool = False) -> str:
    return f"color: {colour.name()};" + (" font-weight: bold;" if bold else "")


def note_style(hue: QColor) -> str:
    """A note on a tinted panel (the history of a structure, an empty network)."""
    pal = palette()
    return (
        f"background: {tint(hue).name()}; color: {pal.color(Role.Text).name()};"
        f" border: 1px solid {readable(hue, pal.color(Role.Base), ratio=GRAPHIC_CONTRAST).name()};"
    )
