"""The command line's parser and the options its sub-commands share (``desktop.cli`` and
``desktop.cli_print`` both build sub-commands with them)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import NoReturn

from models.access import OWNER, Principal
from models.i18n import _


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """A mistake on the command line raises ``UsageError``: ``cli.main`` prints it in one
    line and exits with 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


# Dates the command line takes: the records' history and a long future, never the
# calendar's edges (9999-12 has no following month to end its register).
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _out_of_range(text: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(
        _("{text} is out of range: use a year from {first} to {last}").format(
            text=text, first=FIRST_YEAR, last=LAST_YEAR
        )
    )


def parse_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a valid date: {text} (use YYYY-MM-DD)").format(text=text)
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _out_of_range(text)
    return day


def parse_month(text: str) -> tuple[int, int]:
    try:
        d = dt.datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a valid month: {text} (use YYYY-MM)").format(text=text)
        ) from None
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise _out_of_range(text)
    return d.year, d.month


def parse_province(text: str) -> str:
    """A province's two-letter code (SO, MI...), in capitals; anything else is refused."""
    from models.limits import is_province

    if not is_province(text):
        raise argparse.ArgumentTypeError(
            _("unknown province: {text} (use its two-letter code, for example MI)").format(
                text=text[:20]
            )
        )
    return text.strip().upper()


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
    common.add_argument(
        "--user",
        metavar="LOGIN",
        default=argparse.SUPPRESS,
        help=_("who you are, on a database with users (or ACCOGLIENZA_USER)"),
    )
    return common


def principal_of(args: argparse.Namespace) -> Principal:
    """Who runs the command: the user signed in (``args.principal``, set by the sign-in
    of the commands), or the owner of a database without users."""
    principal = getattr(args, "principal", None)
    return principal if isinstance(principal, Principal) else OWNER
