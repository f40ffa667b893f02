"""Passwords of the shared server, kept in the operating system's credential store
(Windows Credential Manager, the macOS keychain, the Secret Service on Linux) through
``keyring``: asked once, never written in settings, addresses, command lines or logs.

A password is filed under the server's login (``user@host:port/database``). Without a
usable credential store the password is kept for this run only.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SERVICE = "Accoglienza"
_this_run: dict[str, str] = {}


def login_of(url: str) -> str | None:
    """Who logs in where (``user@host:port/database``), or None for a local file or an
    address that cannot be read (opening it says why)."""
    try:
        u = make_url(url)
    except (ArgumentError, ValueError):
        return None
    if u.get_backend_name() != "postgresql":
        return None
    return f"{u.username or ''}@{u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"


def saved_password(url: str) -> str | None:
    login = login_of(url)
    if login is None:
        return None
    if login in _this_run:
        return _this_run[login]
    try:
        import keyring

        return keyring.get_password(SERVICE, login)
    except Exception:  # noqa: BLE001 - no credential store: the password is asked for
        return None


def remember(url: str, password: str) -> None:
    """Keep the password that just logged in to ``url``."""
    login = login_of(url)
    if login is None:
        return
    try:
        import keyring

        keyring.set_password(SERVICE, login, password)
        _this_run.pop(login, None)
    except Exception:  # noqa: BLE001 - no credential store: kept until the program ends
        _this_run[login] = password


def forget(url: str) -> None:
    """Drop a password the server refused."""
    login = login_of(url)
    if login is None:
        return
    _this_run.pop(login, None)
    try:
        import keyring

        keyring.delete_password(SERVICE, login)
    except Exception:  # noqa: BLE001 - nothing was stored
        pass


def keep_for_this_run(url: str, password: str) -> None:
    """Use ``password`` for ``url`` until the program ends (before it is known to be right)."""
    login = login_of(url)
    if login is not None:
        _this_run[login] = password
