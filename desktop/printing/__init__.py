"""Printed documents (ReportLab, A4): occupancy sheet, occupancy summary, presence register,
planning board.

The PDF builders never import Qt: the command line, the tests and the desktop all call
them the same way and get PDF bytes. The preview dialog lives in views/; the wiring
that hands it a closure over the database is in ``desktop.printing.preview``.
"""

from __future__ import annotations

from .common import pseudonymise_by_default
from .occupancy_sheet import occupancy_sheet
from .occupancy_summary import occupancy_summary
from .planning_board import planning_board
from .presence_register import presence_register

__all__ = [
    "occupancy_sheet",
    "occupancy_summary",
    "planning_board",
    "presence_register",
    "pseudonymise_by_default",
]
