"""``accoglienza users ...`` and signing in on the command line.

    accoglienza users add LOGIN --role ROLE [--programme CODE]... [--name "Full Name"]
    accoglienza users list
    accoglienza users disable LOGIN | enable LOGIN | password LOGIN
    accoglienza users change LOGIN [--role ROLE] [--programme CODE]... [--name "Full Name"]

A new password is read from the terminal, twice and without echo, or from
``ACCOGLIENZA_NEW_PASSWORD`` for scripts; never from an argument, which other users of
the PC could read in the list of processes.

Once a local file has users, every command that reads or changes its records says who
runs it: ``--user LOGIN`` (or ``ACCOGLIENZA_USER``) and the password from
``ACCOGLIENZA_PASSWORD`` or asked on the terminal (``open_signed_in``). On the shared
server the login is the connection's own (the server checked its password). A database
without users is worked on as before, with every right. The database maintenance
commands (``db ...``) work on the file or the server as such and ask no application
user: whoever can read the file can copy it anyway.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from desktop.cli_options import Parser, UsageError, database_option, principal_of
from models.i18n import _

if TYPE_CHECKING:
    from models.access import Principal
    from models.backend import Backend
    from models.database import Database
    from models.users import UserInfo

ROLES = ["administrator", "coordinator", "operator", "reader"]


def add_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    common = [database_option()]
    users = sub.add_parser("users", help=_("users who may sign in, with their role"))
    usub = users.add_subparsers(dest="users_command", required=True, parser_class=Parser)

    add = usub.add_parser(
        "add",
        parents=common,
        help=_("add a user (the password is asked twice, or read from ACCOGLIENZA_NEW_PASSWORD)"),
    )
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--role", choices=ROLES, required=True, help=_("what the user may do"))
    _programme_and_name(add)

    usub.add_parser("list", parents=common, help=_("the users, their role and programmes"))
    for name, text in (
        ("disable", _("stop a user from signing in (their records stay)")),
        ("enable", _("let a disabled user sign in again")),
        ("password", _("set a new password for a user")),
    ):
        one = usub.add_parser(name, parents=common, help=text)
        one.add_argument("login", metavar="LOGIN")
    change = usub.add_parser(
        "change", parents=common, help=_("change a user's role, programmes or name")
    )
    change.add_argument("login", metavar="LOGIN")
    change.add_argument("--role", choices=ROLES, help=_("what the user may do"))
    _programme_and_name(change)


def _programme_and_name(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--programme",
        action="append",
        metavar="CODE",
        help=_("a programme the user works on (repeat for several)"),
    )
    parser.add_argument("--name", metavar="NAME", help=_("the user's full name"))


def _secret(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise UsageError(
            _("a password is needed: run in a terminal or set {variable}").format(
                variable="ACCOGLIENZA_NEW_PASSWORD"
            )
        )
    import getpass

    return getpass.getpass(prompt)


def new_password(login: str) -> str:
    """The new password: ``ACCOGLIENZA_NEW_PASSWORD``, or asked twice on the terminal."""
    given = os.environ.get("ACCOGLIENZA_NEW_PASSWORD")
    if given:
        return given
    first = _secret(_("New password of {login}: ").format(login=login))
    if _secret(_("The same password again: ")) != first:
        raise UsageError(_("the two passwords differ: nothing was changed"))
    return first


def sign_in(db: Database, args: argparse.Namespace) -> Principal:
    """Who runs this command (see the module's docstring); a refusal raises a
    ``DomainError`` or ``UsageError`` with one line to show."""
    from models import change_log
    from models.access import OWNER
    from models.backend import Backend

    users = Backend(db).users
    if not db.is_sqlite:
        principal = users.server_principal()
    elif not users.any_active():
        return OWNER
    else:
        login = getattr(args, "user", None) or os.environ.get("ACCOGLIENZA_USER")
        if not login:
            raise UsageError(
                _(
                    "this database has users: say who you are with --user LOGIN (or "
                    "ACCOGLIENZA_USER); the password is asked, or read from "
                    "ACCOGLIENZA_PASSWORD"
                )
            )
        password = os.environ.get("ACCOGLIENZA_PASSWORD")
        if not password:
            if not sys.stdin.isatty():
                raise UsageError(
                    _("a password is needed: run in a terminal or set {variable}").format(
                        variable="ACCOGLIENZA_PASSWORD"
                    )
                )
            import getpass

            password = getpass.getpass(_("Password of {login}: ").format(login=login))
        principal = users.authenticate(login, password)
    change_log.sign_in(principal.login or None)
    return principal


def open_signed_in(
    args: argparse.Namespace, *, upgrade: bool = True, create: bool = False
) -> Database:
    """The command's database (``desktop.database_open.open_database``), with who runs
    the command signed in: ``args.principal``."""
    from desktop.database_open import open_database

    db = open_database(args.database, upgrade=upgrade, create=create)
    args.principal = sign_in(db, args)
    return db


def open_as(args: argparse.Namespace, *, upgrade: bool = False) -> Database:
    """The database of ``args``, its reads limited to what the user may see
    (``models.visibility``)."""
    from models.visibility import see_as

    db = open_signed_in(args, upgrade=upgrade)  # sets args.principal
    see_as(db, principal_of(args))
    return db


def backend_of(db: Database, args: argparse.Namespace) -> Backend:
    from models.access import OWNER
    from models.backend import Backend

    return Backend(db, principal=getattr(args, "principal", OWNER))


def run(args: argparse.Namespace) -> int:
    db = open_signed_in(args, upgrade=False)
    try:
        users = backend_of(db, args).users
        command = args.users_command
        if command == "list":
            _print_list(users.list())
            return 0
        if command == "add":
            password = new_password(args.login)
            done = users.add(
                args.login,
                args.role,
                programmes=args.programme or (),
                password=password,
                full_name=args.name or "",
            )
            print(_("User {login} added.").format(login=done.login))
        elif command == "disable":
            print(_("User {login} disabled.").format(login=users.disable(args.login).login))
        elif command == "enable":
            print(_("User {login} enabled.").format(login=users.enable(args.login).login))
        elif command == "password":
            users.user(args.login)  # an unknown login is said before the password is asked
            done = users.set_password(args.login, new_password(args.login))
            print(_("Password of {login} changed.").format(login=done.login))
        elif command == "change":
            done = users.change(
                args.login, role=args.role, programmes=args.programme, full_name=args.name
            )
            print(_("User {login} changed.").format(login=done.login))
        return 0
    finally:
        db.dispose()


def _print_list(users: list[UserInfo]) -> None:
    if not users:
        print(_("No users: anyone who opens this database works on everything."))
        return
    headers = [_("Login"), _("Name"), _("Role"), _("Programmes"), _("State")]
    rows = []
    for u in users:
        if u.disabled:
            state = _("disabled")
        elif u.locked():
            state = _("locked until {time}").format(time=u.locked_until_shown)
        else:
            state = _("active")
        programmes = ", ".join(u.programme_codes) if u.programme_codes else "—"
        if u.role.value == "administrator":
            programmes = _("every programme")
        rows.append([u.login, u.full_name, u.role_label, programmes, state])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
