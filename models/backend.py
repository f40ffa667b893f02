"""What the views are handed: the use cases (writes) and the reads of one database,
one attribute per area.

Views receive a ``Backend`` in their constructor, call it only inside the task runner,
and never touch the ORM or SQLAlchemy::

    backend.placements.transfer(placement_id, day, structure_id)
    backend.occupancy.overview(day, province="SO")

Writes (each one transaction, ``models.unit_of_work``): ``structures``, ``people``,
``placements``, ``reservations``, ``corrections``, ``waiting_list``; ``spreadsheets``
(File › Import from a spreadsheet); ``backups`` (File > Back up, Restore); ``users``
(who may sign in, and signing in on a local file); ``retention`` (File › Anonymise old
records, administrators). ``principal`` is who is signed in.
Reads: ``occupancy``, ``presence``, ``finder`` (free beds for a household),
``sheets``, ``directory``, ``history`` (the change log), ``planning`` (the planning
board). Every result is a plain object of ``models.results``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .access import OWNER, Principal
from .backup import Backups
from .corrections import Corrections
from .database import Database, describe
from .directory import Directory
from .finder import Finder
from .history import History
from .live import AuditWatch, ChangeListener, Heard
from .occupancy import Occupancy
from .people import People
from .placements import Placements
from .planning import Planning
from .presence import Presence
from .reservations import Reservations
from .retention import Retention
from .sheets import Sheets
from .spreadsheet_import import Spreadsheets
from .structures import Structures
from .unit_of_work import UnitOfWork
from .users import Users
from .visibility import Masks, see_as
from .waiting_list import WaitingList


class Backend:
    """The use cases and reads of one database, by area."""

    def __init__(
        self,
        db: Database,
        *,
        actor: str | None = None,
        today: Callable[[], dt.date] | None = None,
        principal: Principal = OWNER,
    ) -> None:
        self.db = db
        # Who is signed in: what their role lets them see and change (models.access).
        self.principal = principal
        # What the principal may not see is hidden by the reads themselves
        # (models.visibility): every screen, print, export and command alike.
        masks = Masks.of(principal, rows_limited=not db.is_sqlite)
        see_as(db, principal)
        self.work = UnitOfWork(db, actor=actor or principal.login or None, today=today)
        self.work.principal = principal
        # writes
        self.structures = Structures(self.work)
        self.people = People(self.work)
        self.placements = Placements(self.work)
        self.reservations = Reservations(self.work)
        self.corrections = Corrections(self.work)
        self.spreadsheets = Spreadsheets(self.work)
        self.backups = Backups(db)
        self.users = Users(self.work)
        # anonymisation of the records past their time (administrators)
        self.retention = Retention(self.work)
        # reads
        self.occupancy = Occupancy(db)
        self.presence = Presence(db)
        self.sheets = Sheets(db)
        self.directory = Directory(db, self.work.today, masks, actor=self.work.actor or "")
        self.history = History(db, masks)
        self.finder = Finder(db)
        # the waiting list: writes, and reads that ask the finder
        self.waiting_list = WaitingList(self.work, self.finder)
        self.planning = Planning(db, self.work.today)
        # The last audit entry when the database was opened, before any page read it (the
        # desktop reads it then): where the polling of other PCs' changes starts.
        self.changes_seen_at_open: int | None = None
        # A local file with users: someone signs in before any page reads (the desktop
        # asks, then ``sign_in``); set when the database is opened.
        self.needs_sign_in = False

    def sign_in(self, principal: Principal) -> None:
        """Work as ``principal`` from now on (signed in after the database was opened):
        what their role allows, and their login in the audit trail."""
        self.principal = principal
        self.work.principal = principal
        self.needs_sign_in = False
        # The reads hide from now on what this principal may not see (models.visibility).
        masks = Masks.of(principal, rows_limited=not self.db.is_sqlite)
        see_as(self.db, principal)
        self.directory.masks = masks
        self.history._masks = masks
        if principal.login:
            self.work.actor = principal.login
            self.directory.actor = principal.login
            if self.db.is_sqlite:  # who the local file's change log records
                from . import change_log

                change_log.sign_in(principal.login)

    def who_signs_in(self) -> None:
        """When the database is opened (off the UI thread): on the shared server, who
        the connection's login is (``users.server_principal``); on a local file, whether
        someone must sign in (``needs_sign_in``)."""
        if self.db.is_sqlite:
            self.needs_sign_in = self.users.any_active()
        else:
            self.sign_in(self.users.server_principal())

    def listen_for_changes(
        self, on_change: Callable[[Heard], None], on_state: Callable[[bool], None]
    ) -> ChangeListener | None:
        """On the shared server, start listening for other PCs' changes (``models.live``);
        None on a local file, which is polled instead."""
        if self.db.is_sqlite:
            return None
        return ChangeListener(self.db, self.work.writer, on_change, on_state).start()

    def audit_watch(self, start: int) -> AuditWatch:
        """The polling of the audit trail from ``start``, skipping this program's writes."""
        return AuditWatch(start, lambda: list(self.work.own_audit_ids))

    def today(self) -> dt.date:
        return self.work.today()

    def read_together(self, *readings: Any) -> list[Any]:
        """Several reads (the ``*_reading`` methods of the reads) at once: on the shared
        server their statements go in one round trip. Their results, in order."""
        return self.db.read_together(*readings)

    @property
    def description(self) -> str:
        """The database in use, as the status bar shows it."""
        return describe(self.db.url)

    @property
    def address(self) -> str:
        """The database's address as a user writes it; never with a password."""
        return self.db.url.replace("postgresql+psycopg://", "postgresql://", 1)

    @property
    def is_shared(self) -> bool:
        return not self.db.is_sqlite
