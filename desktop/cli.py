"""Command line: ``accoglienza`` starts the desktop; sub-commands work without a window.

Every error ends in one clear line on standard error and a non-zero exit code; no
traceback reaches the user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop import cli_users
from desktop.cli_options import (
    Parser,
    UsageError,
    database_option,
    parse_date,
    parse_province,
    principal_of,
)
from desktop.cli_users import open_as
from models import i18n
from models.entities import TargetGroup
from models.errors import DomainError
from models.i18n import _, ngettext

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def _top_level_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", metavar="URL", help=_("database URL or SQLite file path"))
    parser.add_argument("--language", choices=list(i18n.SUPPORTED), help=_("interface language"))
    parser.add_argument(
        "--user",
        metavar="LOGIN",
        help=_("who you are, on a database with users (or ACCOGLIENZA_USER)"),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="accoglienza", description=_("Occupancy of reception structures."))
    _top_level_options(parser)
    common = [database_option()]
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    demo = sub.add_parser(
        "demo",
        parents=common,
        help=_("fill an empty database with a demo network of fictitious people"),
    )
    demo.add_argument("--scale", choices=["coop", "region", "national"], default="coop")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--today", type=parse_date, default=None, help=argparse.SUPPRESS)

    occ = sub.add_parser("occupancy", parents=common, help=_("occupancy table at a date"))
    occ.add_argument("--date", type=parse_date, default=None)
    occ.add_argument("--province", type=parse_province)
    occ.add_argument("--programme")
    occ.add_argument("--json", action="store_true")

    imp = sub.add_parser(
        "import",
        parents=common,
        help=_("import a network from a spreadsheet (.xlsx, or .csv files) into an empty database"),
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument(
        "--check", action="store_true", help=_("only check the spreadsheet, import nothing")
    )
    exp = sub.add_parser(
        "export", parents=common, help=_("write the whole database to a spreadsheet (.xlsx)")
    )
    exp.add_argument("file", type=Path, metavar="FILE.xlsx")
    exp.add_argument(
        "--named",
        action="store_true",
        help=_("write names even for anti-trafficking programmes"),
    )

    free = sub.add_parser(
        "free",
        parents=common,
        help=_("structures that can take a household for a period, with the beds proposed"),
    )
    free.add_argument("--from", dest="start", type=parse_date, required=True, metavar="DATE")
    free.add_argument(
        "--to",
        dest="end",
        type=parse_date,
        required=True,
        metavar="DATE",
        help=_("the day they would leave (planned end): the last night is the one before"),
    )
    free.add_argument("--adults", type=int, default=1, metavar="N")
    free.add_argument("--minors", type=int, default=0, metavar="N")
    free.add_argument("--target", choices=[t.value for t in TargetGroup], metavar="GROUP")
    free.add_argument("--programme", metavar="CODE")
    free.add_argument("--province", type=parse_province, metavar="P")
    free.add_argument("--all", action="store_true", help=_("also the structures that cannot"))
    free.add_argument("--json", action="store_true")

    db = sub.add_parser("db", help=_("database maintenance"))
    dbsub = db.add_subparsers(dest="db_command", required=True, parser_class=Parser)
    upgrade = dbsub.add_parser(
        "upgrade", parents=common, help=_("bring the database to the current version")
    )
    upgrade.add_argument(
        "--create",
        action="store_true",
        help=_("create the local database file if it does not exist"),
    )
    dbsub.add_parser(
        "init", parents=common, help=_("prepare an empty database (a new shared server)")
    )
    dbsub.add_parser("check", parents=common, help=_("verify the integrity of the database"))
    copy = dbsub.add_parser(
        "copy", help=_("copy a whole database into an empty one (local file or shared server)")
    )
    copy.add_argument("--from", dest="source", metavar="URL", required=True)
    copy.add_argument("--to", dest="target", metavar="URL", required=True)
    backup = dbsub.add_parser("backup", parents=common, help=_("take an online backup"))
    backup.add_argument("path", type=Path)
    backup.add_argument(
        "--encrypt",
        action="store_true",
        help=_(
            "encrypt the backup with a passphrase (asked, or read from "
            "ACCOGLIENZA_BACKUP_PASSPHRASE)"
        ),
    )
    restore = dbsub.add_parser(
        "restore",
        parents=common,
        help=_("replace the database with a backup (the replaced one is kept as a copy)"),
    )
    restore.add_argument("backup", type=Path)

    from desktop import cli_print

    cli_print.add_parser(sub)
    cli_users.add_parser(sub)
    from desktop import cli_retention

    cli_retention.add_parser(sub)
    return parser


def cmd_demo(args: argparse.Namespace) -> int:
    from models import demo

    # Into the chosen database (the default local file unless told otherwise): the
    # generator refuses one that already holds data, so real records never mix with it.
    db = cli_users.open_signed_in(args, upgrade=True, create=True)
    summary = demo.generate(db, scale=args.scale, seed=args.seed, today=args.today)
    print(
        _(
            "Demo network ({scale}) written to {where} — programmes: {programmes}, structures: "
            "{structures}, beds: {beds}, people: {people}, bed stays: {stays}."
        ).format(scale=args.scale, where=db.url, **summary)
    )
    return 0


def cmd_occupancy(args: argparse.Namespace) -> int:
    from models.formatting import format_percent
    from models.occupancy import Occupancy

    db = open_as(args)
    if args.programme:
        from desktop.cli_print import _check_programme

        _check_programme(db, args.programme)
    day = args.date or dt.date.today()
    occupancy = Occupancy(db)
    rows = occupancy.at(day, province=args.province, programme_code=args.programme)
    total = occupancy.at(
        day, group_by="network", province=args.province, programme_code=args.programme
    )[0]
    if args.json:
        data = {
            "date": day.isoformat(),
            "structures": [
                {
                    "code": r.key,
                    "name": r.label,
                    "province": r.province,
                    "programme": r.programme_code,
                    "capacity": r.capacity,
                    "beds": r.beds,
                    "occupied": r.occupied,
                    "reserved": r.reserved,
                    "out_of_service": r.out_of_service,
                    "free": r.free,
                    "rate": round(r.rate, 4) if r.rate is not None else None,
                }
                for r in rows
            ],
            "total": {
                "structures": total.structures,
                "capacity": total.capacity,
                "beds": total.beds,
                "occupied": total.occupied,
                "reserved": total.reserved,
                "out_of_service": total.out_of_service,
                "free": total.free,
                "rate": round(total.rate, 4) if total.rate is not None else None,
            },
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    from models.formatting import format_date, format_number

    headers = [
        _("Code"),
        _("Structure"),
        _("Prov."),
        _("Programme"),
        _("Places"),
        _("Occupied"),
        _("Reserved"),
        _("Out of service"),
        _("Free"),
        _("Rate"),
    ]
    table = [
        [
            r.key,
            r.label[:40],
            r.province,
            r.programme_code,
            format_number(r.capacity),
            format_number(r.occupied),
            format_number(r.reserved),
            format_number(r.out_of_service),
            format_number(r.free),
            format_percent(r.rate),
        ]
        for r in rows
    ]
    table.append(
        [
            "",
            _("Total"),
            "",
            "",
            format_number(total.capacity),
            format_number(total.occupied),
            format_number(total.reserved),
            format_number(total.out_of_service),
            format_number(total.free),
            format_percent(total.rate),
        ]
    )
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    print(_("Occupancy on {date}").format(date=format_date(day, "long")))
    numeric = set(range(4, 10))

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(widths[i]) if i in numeric else c.ljust(widths[i]) for i, c in enumerate(cells)
        )

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in table[:-1]:
        print(line(row))
    print("  ".join("-" * w for w in widths))
    print(line(table[-1]))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from models.spreadsheet import ImportProblems
    from models.spreadsheet_import import check_file, import_files
    from models.unit_of_work import UnitOfWork

    try:
        if args.check:
            _rows, problems = check_file(args.files, dt.date.today())
            if problems:
                raise ImportProblems(problems)
            print(_("The spreadsheet has no problems: it can be imported."))
            return 0
        db = cli_users.open_signed_in(args, upgrade=True, create=True)
        work = UnitOfWork(db)
        work.principal = args.principal
        summary = import_files(work, args.files)
    except ImportProblems as exc:
        for problem in exc.problems:
            print(str(problem).replace("\n", " "), file=sys.stderr)
        print(_("accoglienza: {message}").format(message=exc), file=sys.stderr)
        return 1
    print(summary)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from models.errors import ValidationError
    from models.spreadsheet_export import export_network
    from models.visibility import check_named

    if args.file.suffix.lower() != ".xlsx":
        raise ValidationError(
            _("The export is an Excel workbook: give a file name ending in .xlsx.")
        )
    db = open_as(args)
    if args.named:
        check_named(principal_of(args), False)  # a reader: pseudonymised only
    try:
        counts = export_network(db, args.file, named=args.named)
    except OSError as exc:
        raise ValidationError(
            _("Cannot write {path}: {reason}").format(path=args.file, reason=exc.strerror or exc)
        ) from exc
    print(
        _("Written to {path}: {sheets}.").format(
            path=args.file, sheets=", ".join(f"{name} {n}" for name, n in counts.items())
        )
    )
    return 0


def cmd_free(args: argparse.Namespace) -> int:
    from models.finder import Finder
    from models.formatting import format_date

    db = open_as(args)
    if args.programme:
        from desktop.cli_print import _check_programme

        _check_programme(db, args.programme)
    answers = Finder(db).free(
        args.start,
        args.end,
        adults=args.adults,
        minors=args.minors,
        target=args.target,
        programme_code=args.programme,
        province=args.province,
    )
    shown = [a for a in answers if a.fits or args.all]
    if args.json:
        # Codes, never names: a confidential apartment's name can say where it is.
        data = [
            {
                "structure_code": a.structure_code,
                "programme_code": a.programme_code,
                "province": a.province,
                "fits": a.fits,
                "beds": [b.name for b in a.beds],
                "bed_ids": [b.id for b in a.beds],
                "reasons": list(a.reasons),
            }
            for a in shown
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    last = args.end - dt.timedelta(days=1)
    fitting = sum(a.fits for a in answers)
    print(
        ngettext(
            "From {start} to {last} (the last night), for {people} person: {count} "
            "structures can take them.",
            "From {start} to {last} (the last night), for {people} people: {count} structures "
            "can take them.",
            args.adults + args.minors,
        ).format(
            start=format_date(args.start),
            last=format_date(last),
            people=args.adults + args.minors,
            count=fitting,
        )
    )
    headers = [_("Code"), _("Prov."), _("Programme"), _("Beds proposed")]
    table = [
        [
            a.structure_code,
            a.province,
            a.programme_code,
            ", ".join(b.name for b in a.beds) if a.fits else "; ".join(a.reasons),
        ]
        for a in shown
    ]
    widths = [
        max(len(h), *(len(row[i]) for row in table)) if table else len(h)
        for i, h in enumerate(headers)
    ]
    print("  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in table:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from desktop.database_open import connect
    from models import schema
    from models.database import describe

    if args.db_command == "restore":
        return cmd_restore(args)
    # Only what was given here (--database, ACCOGLIENZA_DATABASE_URL) or the default file:
    # maintenance never falls back to a remembered database.
    if args.db_command == "copy":
        return _copy(args.source, args.target)
    db = connect(args.database, choose=False)
    if args.db_command == "init":
        prepared = schema.init(db)
        where = describe(db.url)
        if prepared.prepared:
            print(
                _("Database prepared: {where} (version {rev}).").format(
                    where=where, rev=prepared.revision
                )
            )
        else:
            print(
                _("The database is already prepared: {where} (version {rev}).").format(
                    where=where, rev=prepared.revision
                )
            )
        return 0
    if args.db_command == "upgrade":
        from models.database import sqlite_path
        from models.errors import DatabaseMissing
        from models.files import private_file, private_folder

        path = sqlite_path(db.url)
        if path is not None and not path.exists():
            if not args.create:
                raise DatabaseMissing(
                    _(
                        "There is no database file at {path}. Nothing was created: check "
                        "the path, or add --create to make a new empty database there."
                    ).format(path=path),
                    str(path),
                )
            private_folder(path.parent)
            private_file(path).close()
        before = schema.current_revision(db)
        backup = schema.upgrade(db)
        after = schema.current_revision(db)
        if before == after:
            print(_("The database is up to date (version {rev}).").format(rev=after))
        else:
            print(
                _("Database upgraded from version {old} to {new}.").format(
                    old=before or "-", new=after
                )
            )
        if backup:
            print(_("Backup taken before the upgrade: {path}").format(path=backup))
        return 0
    if args.db_command == "check":
        report = schema.check(db)
        if report.ok:
            print(_("The database is sound (version {rev}).").format(rev=report.revision))
            return 0
        for problem in report.problems:
            print(problem, file=sys.stderr)
        return 1
    if args.db_command == "backup":
        from desktop import site_profile
        from models import backup as backups

        encrypt = args.encrypt or site_profile.backups_encrypted()
        passphrase = _passphrase(confirm=True) if encrypt else None
        target = backups.take(db, args.path, passphrase)
        print(_("Backup written to {path}").format(path=target))
        return 0
    return 2


def _passphrase(*, confirm: bool) -> str:
    """The backup passphrase: ``ACCOGLIENZA_BACKUP_PASSPHRASE``, or asked on the terminal."""
    given = os.environ.get("ACCOGLIENZA_BACKUP_PASSPHRASE")
    if given:
        return given
    if not sys.stdin.isatty():
        raise UsageError(
            _("a passphrase is needed: run in a terminal or set ACCOGLIENZA_BACKUP_PASSPHRASE")
        )
    import getpass

    first = getpass.getpass(_("Backup passphrase: "))
    if confirm and getpass.getpass(_("The same passphrase again: ")) != first:
        raise UsageError(_("the two passphrases differ: nothing was written"))
    if not first:
        raise UsageError(_("a passphrase is needed"))
    return first


def cmd_restore(args: argparse.Namespace) -> int:
    from models import backup
    from models.database import resolve_url

    chosen = args.database or os.environ.get("ACCOGLIENZA_DATABASE_URL")
    if not chosen:
        raise UsageError(_("say which database to replace with --database"))
    url = resolve_url(chosen)
    passphrase = None
    if args.backup.is_file() and backup.is_encrypted(args.backup):
        passphrase = _passphrase(confirm=False)
    done = backup.restore(args.backup, url, passphrase)
    print(_("Backup restored into {target}.").format(target=done.target))
    if done.replaced_copy is not None:
        print(_("The database it replaced is kept in {path}").format(path=done.replaced_copy))
    return 0


def _copy(source_url: str, target_url: str) -> int:
    from desktop.database_open import connect
    from models.database_copy import copy_database, summary

    source = connect(source_url, choose=False)
    target = connect(target_url, choose=False)
    try:
        print(summary(copy_database(source, target), source, target))
    finally:
        source.dispose()
        target.dispose()
    return 0


COMMANDS.update(
    {
        "demo": cmd_demo,
        "occupancy": cmd_occupancy,
        "import": cmd_import,
        "export": cmd_export,
        "free": cmd_free,
        "db": cmd_db,
        "users": cli_users.run,
        "anonymise": lambda args: _retention(args),
    }
)


def _retention(args: argparse.Namespace) -> int:
    from desktop import cli_retention

    return cli_retention.run(args)


def _asking_password(command: Callable[[], int]) -> int:
    """Run ``command``; when a shared server wants a password (or refused the one kept)
    and someone is at the terminal, ask for it without echo and run the command again.
    A password that works is kept in the credential store, as the desktop does."""
    from models.errors import LoginRefused

    asked: dict[str, str] = {}
    for _attempt in range(3):
        try:
            code = command()
        except LoginRefused as exc:
            if not exc.address or not sys.stdin.isatty():
                raise
            import getpass

            from desktop import credentials

            print(str(exc), file=sys.stderr)
            login = credentials.login_of(exc.address) or exc.address
            password = getpass.getpass(_("Password of {login}: ").format(login=login))
            if not password:
                raise
            credentials.keep_for_this_run(exc.address, password)
            asked[exc.address] = password
            continue
        from desktop import credentials

        for address, password in asked.items():
            credentials.remember(address, password)
        return code
    return command()


def _desktop_start(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of the usual start, the desktop with at most ``--database`` and
    ``--language``, read without building the whole parser, whose sub-commands would delay
    the window. Anything else (a sub-command, help, a mistake) gives None, and the whole
    parser reads it and explains any error."""
    quick = Parser(prog="accoglienza", add_help=False)
    _top_level_options(quick)
    try:
        args, rest = quick.parse_known_args(argv)
    except UsageError:
        return None
    if rest:
        return None
    args.command = None
    return args


def ensure_standard_streams() -> None:
    """A windowed program (``Accoglienza.exe``) has no standard output or error: Python
    sets ``sys.stdout`` and ``sys.stderr`` to None. What would have been printed goes
    nowhere instead of failing the command after its work is done (a scheduled backup
    run by the windowed program succeeds and says so by its exit code)."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the whole run


def main(argv: Sequence[str] | None = None) -> int:
    ensure_standard_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    # The language is chosen before the parser is built, so that its help is translated.
    lang = None
    for i, a in enumerate(argv):
        if a == "--language" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif a.startswith("--language="):
            lang = a.split("=", 1)[1]
    if lang is None:
        from desktop.settings import saved_language

        lang = saved_language()
    if lang is None:
        from desktop import site_profile

        lang = site_profile.language()  # the site's language, below the user's own choice
    i18n.set_language(lang)
    from desktop import argparse_i18n

    argparse_i18n.install()
    try:
        args = _desktop_start(argv)
        if args is None:
            args = build_parser().parse_args(argv)
        if args.command is None:
            from desktop.app import run_desktop

            return run_desktop(args)
        if args.command == "print":
            from desktop import cli_print

            return _asking_password(lambda: cli_print.run(args))
        code = _asking_password(lambda: COMMANDS[args.command](args))
        sys.stdout.flush()  # a closed pipe shows here, where it is handled below
        return code
    except UsageError as exc:
        print(_("accoglienza: {message}").format(message=exc), file=sys.stderr)
        return 2
    except DomainError as exc:
        print(_("accoglienza: {message}").format(message=exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``accoglienza occupancy | head``): nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        from models.database import failure_message

        known = failure_message(exc)
        if known is not None:
            print(_("accoglienza: {message}").format(message=known), file=sys.stderr)
            return 1
        from desktop.crash import report_unexpected

        print(_("accoglienza: {message}").format(message=report_unexpected(exc)), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
