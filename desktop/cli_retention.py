"""``accoglienza anonymise --older-than YEARS [--yes]``: the people whose last placement
ended more than YEARS years ago, anonymised in one step (``models.retention``).

It says how many people it would anonymise and asks for confirmation unless ``--yes``
is given (without a terminal, ``--yes`` is required). Administrators only: on a local
file without users the owner is one.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli_options import UsageError, database_option, parse_date
from models.access import NOT_ALLOWED, OWNER, Principal
from models.errors import NotAllowedError
from models.formatting import format_date
from models.i18n import _, ngettext


def add_parser(sub: Any) -> None:
    anon = sub.add_parser(
        "anonymise",
        parents=[database_option()],
        help=_(
            "anonymise the people whose last placement ended more than YEARS years ago "
            "(administrators; it cannot be undone)"
        ),
    )
    anon.add_argument("--older-than", dest="years", type=_years, required=True, metavar="YEARS")
    anon.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    anon.add_argument("--today", type=parse_date, default=None, help=argparse.SUPPRESS)


def _years(text: str) -> int:
    from models.retention_terms import MAX_YEARS, MIN_YEARS

    try:
        years = int(text)
    except ValueError:
        years = 0
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise argparse.ArgumentTypeError(
            _("not a number of years from {low} to {high}: {text}").format(
                low=MIN_YEARS, high=MAX_YEARS, text=text
            )
        )
    return years


def principal_of(db: Any, args: argparse.Namespace) -> Principal:
    """Who runs the command: the principal the sign-in of the command line set, else,
    on a database nobody has added users to, its owner."""
    given = getattr(args, "principal", None)
    if given is not None:
        return given
    from sqlalchemy import func, select

    from models import entities as e

    with db.read() as s:
        users = s.execute(
            select(func.count(e.AppUser.id)).where(e.AppUser.disabled.is_(False))
        ).scalar_one()
    if users:
        raise UsageError(_("this database has users: only an administrator may anonymise"))
    return OWNER


def run(args: argparse.Namespace) -> int:
    from desktop.cli_users import open_signed_in
    from models.backend import Backend

    db = open_signed_in(args, upgrade=False)
    try:
        principal = principal_of(db, args)
        if not principal.may_anonymise:
            raise NotAllowedError(_(NOT_ALLOWED))
        today = args.today
        backend = Backend(db, principal=principal, today=(lambda: today) if today else None)
        found = backend.retention.candidates(args.years)
        before = format_date(found.cut_off, "long")
        if not found.people:
            print(
                _("Nobody's last placement ended before {date}: nothing to anonymise.").format(
                    date=before
                )
            )
            return 0
        print(
            ngettext(
                "{n} person whose last placement ended before {date} will be anonymised: "
                "name, alias, birth date, citizenship and notes are removed for good, "
                "figures stay the same.",
                "{n} people whose last placement ended before {date} will be anonymised: "
                "names, aliases, birth dates, citizenships and notes are removed for good, "
                "figures stay the same.",
                found.people,
            ).format(n=found.people, date=before)
        )
        if not args.yes:
            _confirm()
        done = backend.retention.anonymise(args.years)
        print(
            ngettext("{n} person anonymised.", "{n} people anonymised.", done.people).format(
                n=done.people
            )
        )
        return 0
    finally:
        db.dispose()


def _confirm() -> None:
    if not sys.stdin.isatty():
        raise UsageError(_("nothing was changed: add --yes to confirm without a terminal"))
    answer = input(_("This cannot be undone. Anonymise them? [y/N] ")).strip().lower()
    if answer not in {_("y"), _("yes"), "y", "yes"}:
        raise UsageError(_("nothing was changed"))
