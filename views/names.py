"""How lists name a structure, for the pages the main window shows at start (the dialogs'
texts, ``views.dialogs.texts``, are loaded with the first dialog)."""

from __future__ import annotations


def structure_text(code: str, name: str, sep: str = " · ") -> str:
    """A structure as lists name it: code and name; the code alone when the name is
    hidden (a confidential structure the user may not identify is read with its code
    for a name, models.visibility)."""
    return code if not name or name == code else f"{code}{sep}{name}"
