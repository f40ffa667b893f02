"""``accoglienza print ...``: the printed documents from the command line.

    accoglienza print occupancy --structure CODE [--date D] -o FILE.pdf
    accoglienza print summary [--province P | --programme CODE] [--date D] -o FILE.pdf
    accoglienza print register (--structure CODE | --programme CODE) --month YYYY-MM -o FILE.pdf

Each takes ``--pseudonymised`` (codes instead of names, no address) or ``--named``;
without either the programme's default applies (pseudonymised for anti-trafficking).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli_options import (
    Parser,
    database_option,
    parse_date,
    parse_month,
    parse_province,
    principal_of,
)
from desktop.cli_users import open_as
from models.errors import DomainError
from models.i18n import _
from models.visibility import check_named

if TYPE_CHECKING:
    from models.database import Database


class PrintError(DomainError):
    """A document cannot be printed as asked (unknown structure or programme...)."""


def _variant_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--pseudonymised",
        dest="pseudonymised",
        action="store_const",
        const=True,
        default=None,
        help=_("codes instead of names, no birth date or address"),
    )
    group.add_argument(
        "--named",
        dest="pseudonymised",
        action="store_const",
        const=False,
        help=_("print names even for anti-trafficking programmes"),
    )
    parser.add_argument("--site-name", help=_("site name printed on every page"))
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE.pdf",
        help=_("where to write the PDF"),
    )


def add_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    common = [database_option()]

    printing = sub.add_parser(
        "print", help=_("print occupancy sheets, summaries and presence registers to PDF")
    )
    psub = printing.add_subparsers(dest="document", required=True, parser_class=Parser)

    occ = psub.add_parser("occupancy", parents=common, help=_("occupancy sheet of a structure"))
    occ.add_argument("--structure", required=True, metavar="CODE", help=_("structure code"))
    occ.add_argument("--date", type=parse_date, default=None, help=_("date (default: today)"))
    _variant_options(occ)

    summary = psub.add_parser(
        "summary",
        parents=common,
        help=_("occupancy summary of the network, a province or a programme"),
    )
    scope = summary.add_mutually_exclusive_group()
    scope.add_argument(
        "--province", metavar="P", type=parse_province, help=_("province code, e.g. SO")
    )
    scope.add_argument("--programme", metavar="CODE", help=_("programme code"))
    summary.add_argument("--date", type=parse_date, default=None, help=_("date (default: today)"))
    _variant_options(summary)

    reg = psub.add_parser(
        "register",
        parents=common,
        help=_("monthly presence register of a structure or a programme"),
    )
    who = reg.add_mutually_exclusive_group(required=True)
    who.add_argument("--structure", metavar="CODE", help=_("structure code"))
    who.add_argument("--programme", metavar="CODE", help=_("programme code"))
    reg.add_argument("--month", type=parse_month, required=True, metavar="YYYY-MM", help=_("month"))
    _variant_options(reg)


def _structure_id(db: Database, code: str) -> int:
    from models.directory import Directory

    info = Directory(db).structure_by_code(code)
    if info is None:
        raise PrintError(_("No structure with code {code}.").format(code=code))
    return int(info.id)


def _check_programme(db: Database, code: str) -> None:
    from models.directory import Directory

    if not any(p.code == code for p in Directory(db).programmes()):
        raise PrintError(_("No programme with code {code}.").format(code=code))


def _progress_printer() -> Callable[[int, int], None] | None:
    """Percentages on standard error while a long document is built (only on a terminal)."""
    if not sys.stderr.isatty():
        return None
    last = [-1]

    def report(done: int, total: int) -> None:
        pct = 100 * done // total if total else 100
        if pct != last[0]:
            last[0] = pct
            print(f"\r{_('Preparing the document...')} {pct}%", end="", file=sys.stderr, flush=True)
            if done >= total:
                print(file=sys.stderr)

    return report


def run(args: argparse.Namespace) -> int:
    from desktop.printing import occupancy_sheet, occupancy_summary, presence_register

    output: Path = args.output
    if output.parent and not output.parent.exists():
        raise PrintError(_("The folder {folder} does not exist.").format(folder=output.parent))
    db = open_as(args)
    check_named(principal_of(args), args.pseudonymised)  # a reader: pseudonymised only
    if not principal_of(args).may_print_named:
        args.pseudonymised = True
    try:
        if args.document == "occupancy":
            sid = _structure_id(db, args.structure)
            data = occupancy_sheet(
                db,
                sid,
                args.date or dt.date.today(),
                pseudonymised=args.pseudonymised,
                site_name=args.site_name,
            )
        elif args.document == "summary":
            if args.programme:
                _check_programme(db, args.programme)
            data = occupancy_summary(
                db,
                args.date or dt.date.today(),
                province=args.province,
                programme_code=args.programme,
                pseudonymised=args.pseudonymised,
                site_name=args.site_name,
                progress=_progress_printer(),
            )
        elif args.document == "register":
            year, month = args.month
            if args.structure:
                data = presence_register(
                    db,
                    year,
                    month,
                    structure_id=_structure_id(db, args.structure),
                    pseudonymised=args.pseudonymised,
                    site_name=args.site_name,
                )
            else:
                _check_programme(db, args.programme)
                data = presence_register(
                    db,
                    year,
                    month,
                    programme_code=args.programme,
                    pseudonymised=args.pseudonymised,
                    site_name=args.site_name,
                    progress=_progress_printer(),
                )
        else:  # pragma: no cover - argparse requires a document
            return 2
    finally:
        db.dispose()
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise PrintError(
            _("Cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc)
        ) from None
    print(_("Written {path}").format(path=output))
    return 0
