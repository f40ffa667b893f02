"""The command line's parser and the options its sub-commands share (``desktop.cli`` and
``desktop.cli_print`` both build sub-commands with them)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import NoReturn

from models.i18n import _


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """A mistake on the command line raises ``UsageError``: ``cli.main`` prints it in one
    line and exits with 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a valid date: {text} (use YYYY-MM-DD)").format(text=text)
        ) from None


def parse_month(text: str) -> tuple[int, int]:
    try:
        d = dt.datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a valid month: {text} (use YYYY-MM)").format(text=text)
        ) from None
    return d.year, d.month


def database_option() -> Parser:
    """``--database`` for every sub-command too (``accoglienza demo --database X`` works
    like ``accoglienza --database X demo``); SUPPRESS keeps the top-level value when absent."""
    common = Parser(add_help=False)
    common.add_argument(
        "--database",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=_("database URL or SQLite file path"),
    )
    return common
