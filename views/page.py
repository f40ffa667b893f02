"""What the main window asks of each of its pages (dashboard, structure page, people page).

The window tells every page the date and the selection, asks the page it shows to read
its data (``refresh``), and hands every write's ``Changes`` to the pages, each of which
decides whether what it shows is concerned. A page that is not shown reads nothing: the
window calls it when it is shown again. After a change whose extent is not known (another
PC's, or a dialog that does not say), the window refreshes every page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from models.results import Changes

from .selection import Selection

if TYPE_CHECKING:
    from models.backend import Backend


class Page(Protocol):
    def set_backend(self, backend: Backend) -> None:
        """Read another database from now on (nothing is read until ``refresh``)."""
        ...

    def set_day(self, day: dt.date) -> None:
        """Show the situation on ``day`` (nothing is read until ``refresh``)."""
        ...

    def set_selection(self, selection: Selection) -> None:
        """Show ``selection`` (nothing is read until ``refresh``)."""
        ...

    def refresh(self) -> None:
        """Read again, in the task runner, everything the page shows."""
        ...

    def apply_changes(self, changes: Changes) -> None:
        """After a write: read again what ``changes`` concern, and only that."""
        ...

    def selected_household_id(self) -> int | None:
        """The household a workflow opened now starts from, if the page has one chosen."""
        ...

    def selected_placement_id(self) -> int | None:
        """The placement a workflow opened now starts from, if the page has one chosen."""
        ...
