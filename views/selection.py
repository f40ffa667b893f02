"""What the coordinator is looking at: the whole network, a programme, a province of a
programme, or one structure (``Selection``), chosen in the navigation and shown by every
page at the window's date; and what a print of it needs to know (``PrintScope``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.i18n import _

NETWORK, PROGRAMME, PROVINCE, STRUCTURE = "network", "programme", "province", "structure"


@dataclass(frozen=True, slots=True)
class Selection:
    kind: str = NETWORK
    label: str = ""
    programme_code: str | None = None
    province: str | None = None
    structure_id: int | None = None

    def chosen_structure(self) -> int | None:
        """The structure chosen, when the selection is one structure."""
        return self.structure_id if self.kind == STRUCTURE else None

    def title(self) -> str:
        return self.label or _("All network")


@dataclass(frozen=True, slots=True)
class PrintScope:
    """What File › Print... prints: the selection at the window's date, with what the
    print needs to name it and to decide whether to hide people's names (protected
    programmes are printed pseudonymised by default). Built from what the navigation has
    already loaded, so that opening the print choice reads nothing."""

    selection: Selection
    day: dt.date
    structure_code: str | None = None
    programme_kind: str | None = None

    def is_named(self) -> bool:
        """Whether the structure's code and the programme's kind are known (the navigation
        may not list a structure yet); the print reads them when they are not."""
        if self.selection.chosen_structure() is not None:
            return self.structure_code is not None and self.programme_kind is not None
        return self.programme_kind is not None or not self.selection.programme_code
