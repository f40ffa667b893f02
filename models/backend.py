"""What the views are handed: the services (writes) and the queries (reads) of one database.

Views receive a ``Backend`` in their constructor and never touch the ORM or SQLAlchemy:
``backend.services.place(...)``, ``backend.queries.occupancy(day, group_by="province")``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from . import queries as _queries
from .database import Database, describe
from .services import Services


class BoundQueries:
    """The functions of ``models.queries`` with the database already given.

    ``BoundQueries(db).occupancy(day)`` is ``queries.occupancy(db, day)``.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def __getattr__(self, name: str) -> Callable[..., Any]:
        fn = getattr(_queries, name, None)
        if fn is None or name.startswith("_") or not callable(fn):
            raise AttributeError(name)
        bound = functools.partial(fn, self._db)
        setattr(self, name, bound)
        return bound


class Backend:
    def __init__(self, db: Database, *, actor: str | None = None) -> None:
        self.db = db
        self.services = Services(db, actor=actor)
        self.queries = BoundQueries(db)

    @property
    def description(self) -> str:
        """The database in use, as the status bar shows it."""
        return describe(self.db.url)

    @property
    def is_shared(self) -> bool:
        return not self.db.is_sqlite
