"""Palettes the screens must stay readable with: the light one of the Fusion style, a
dark theme, and a high-contrast theme like Windows' (black, white and yellow)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStyleFactory

Role = QPalette.ColorRole


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    return style.standardPalette()


def _palette(colours: dict[QPalette.ColorRole, str]) -> QPalette:
    pal = QPalette()
    for role, value in colours.items():
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            pal.setColor(group, role, QColor(value))
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(value).darker(150))
    return pal


def dark_palette() -> QPalette:
    return _palette(
        {
            Role.Window: "#2d2d30",
            Role.WindowText: "#e6e6e6",
            Role.Base: "#1e1e1e",
            Role.AlternateBase: "#262629",
            Role.Text: "#e6e6e6",
            Role.Button: "#3a3a3d",
            Role.ButtonText: "#e6e6e6",
            Role.Highlight: "#2f6fb0",
            Role.HighlightedText: "#ffffff",
            Role.ToolTipBase: "#3a3a3d",
            Role.ToolTipText: "#e6e6e6",
            Role.PlaceholderText: "#9a9a9a",
            Role.Light: "#505055",
            Role.Midlight: "#404045",
            Role.Mid: "#2a2a2d",
            Role.Dark: "#151517",
            Role.Shadow: "#000000",
            Role.BrightText: "#ffffff",
            Role.Link: "#6fb3ff",
        }
    )


def high_contrast_palette() -> QPalette:
    return _palette(
        {
            Role.Window: "#000000",
            Role.WindowText: "#ffffff",
            Role.Base: "#000000",
            Role.AlternateBase: "#000000",
            Role.Text: "#ffffff",
            Role.Button: "#000000",
            Role.ButtonText: "#ffffff",
            Role.Highlight: "#1aebff",
            Role.HighlightedText: "#000000",
            Role.ToolTipBase: "#000000",
            Role.ToolTipText: "#ffffff",
            Role.PlaceholderText: "#c0c0c0",
            Role.Light: "#ffffff",
            Role.Midlight: "#c0c0c0",
            Role.Mid: "#808080",
            Role.Dark: "#404040",
            Role.Shadow: "#000000",
            Role.BrightText: "#ffff00",
            Role.Link: "#ffff00",
        }
    )


PALETTES = {"light": light_palette, "dark": dark_palette, "high contrast": high_contrast_palette}
