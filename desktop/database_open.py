"""Opening a database, the same for the desktop start and the command line.

``chosen_database`` says which one; ``open_database`` opens it: the URL resolved, a
SQLite file on a network share refused, a backup before an upgrade, the migrations, a
database written by a newer version refused. A database that cannot be used raises
``DatabaseProblem`` with one clear message (a connection error too), never a traceback.
The steps are those of ``models.database`` and ``models.schema``; this module decides
which of them each start runs.

The desktop imports this module before its window is painted: the models are imported
inside the functions, when a database is opened.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.database import Database


def chosen_database(explicit: str | None, saved: Mapping[str, object] | None = None) -> str | None:
    """The database the desktop and the command line work on, the first that is given of:
    ``--database``, ``ACCOGLIENZA_DATABASE_URL``, the one last opened in the desktop, the
    site profile's shared server. None means the default local file."""
    explicit = explicit or os.environ.get("ACCOGLIENZA_DATABASE_URL")
    if explicit:
        return str(explicit)
    if saved is None:
        from desktop import settings

        saved = settings.load()
    remembered = saved.get("database")
    if isinstance(remembered, str) and remembered:
        return remembered
    from desktop import site_profile

    return site_profile.default_database_url()


def connect(url: str | None, *, password: str | None = None, choose: bool = True) -> Database:
    """The database at ``url`` (chosen as ``chosen_database`` says; with ``choose=False``
    only ``url``, ``ACCOGLIENZA_DATABASE_URL`` or the default file), not yet read.

    The password of a shared server is the one given, else one written in the address
    (taken out of it), else the one kept in the credential store (``desktop.credentials``);
    with none, the PostgreSQL client's own means apply (``PGPASSWORD``, a password file,
    a certificate)."""
    from models.database import Database, resolve_url, without_password

    address, in_address = without_password(resolve_url(chosen_database(url) if choose else url))
    password = password or in_address
    if password is None and address.startswith("postgresql"):
        from desktop import credentials

        password = credentials.saved_password(address)
    return Database(address, password=password)


def open_database(
    url: str | None,
    *,
    upgrade: bool = True,
    password: str | None = None,
    create: bool = False,
) -> Database:
    """The chosen database, upgraded (after a backup) or, with ``upgrade=False``, refused
    unless it is at the current version. A local file that does not exist is created
    (empty, readable by its owner only) only with ``create``; otherwise
    ``DatabaseMissing`` says so, and the desktop asks."""
    from models import schema
    from models.database import sqlite_path
    from models.errors import DatabaseMissing
    from models.files import private_file, private_folder, restrict
    from models.i18n import _

    db = connect(url, password=password)
    path = sqlite_path(db.url)
    if path is not None:
        if not path.exists():
            if not create:
                raise DatabaseMissing(
                    _(
                        "There is no database file at {path}. Nothing was created: check "
                        "the path, or create a new empty database there."
                    ).format(path=path),
                    str(path),
                )
            private_folder(path.parent)
            private_file(path).close()
        else:
            restrict(path)
    if upgrade:
        schema.upgrade(db)
    else:
        schema.ensure_current(db)
    return db
