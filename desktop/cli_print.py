"""``accoglienza print ...``: the printed documents from the command line.

Filled in by the printing work (occupancy sheet, summary, presence register).
"""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:  # type: ignore[no-untyped-def]
    pass


def run(args: argparse.Namespace) -> int:
    return 2
