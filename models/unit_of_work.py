"""The unit of work every use case runs in: one transaction, its audit entries, the
version check of the records it changes, and database refusals turned into messages.

A use case is a method of a ``UseCases`` subclass (one per area: ``structures``,
``people``, ``placements``, ``reservations``, ``corrections``)::

    with self.work.transaction() as s:
        pl = get(s, e.Placement, placement_id)
        check_version(pl, version)
        ...
        self.work.audit(s, "exit", "placement", pl.id, day=day)

Refusals raise a ``DomainError`` whose message is for the coordinator; when one is
raised, the transaction is rolled back and nothing has changed.

Who may change what is checked here, in one place, for every use case: a reader's
transaction is refused before it starts, and each use case says which right it needs on
the records it touches (``self.work.require(s, Right.PLACE, e.Placement, placement_id)``);
the programme of those records decides (``models.access``). A refusal is a
``NotAllowedError`` with ``access.NOT_ALLOWED``: nothing is changed.
"""

from __future__ import annotations

import datetime as dt
import enum
import getpass
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import event, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from . import entities as e
from . import limits, live
from .access import NOT_ALLOWED, OWNER, Principal, Role
from .database import Database
from .errors import (
    BedOccupiedError,
    ConcurrentEditError,
    DatabaseProblem,
    DomainError,
    NotAllowedError,
    NotFoundError,
    PersonAlreadyPlacedError,
    StructureBusyError,
    ValidationError,
)
from .i18n import N_, _

T = TypeVar("T")

# PostgreSQL's codes for a lock waited on longer than lock_timeout and for a statement
# stopped by statement_timeout (models.database.SessionTimeouts).
LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"
INSUFFICIENT_PRIVILEGE = "42501"
BUSY_MESSAGE = N_(
    "Another PC is saving in this structure: try again in a few seconds. Nothing was saved."
)
SLOW_MESSAGE = N_(
    "The shared server took too long to answer, and nothing was saved. Try again in a "
    "moment; if it happens again, tell whoever looks after the server."
)
STALE_MESSAGE = N_(
    "Someone else changed these data on another PC in the meantime: nothing was saved. "
    "Press F5 (View › Refresh) to read them again, then repeat the change."
)


class Right(enum.Enum):
    """What a use case needs the signed-in user's role to allow (``models.access``)."""

    PROGRAMMES = "programmes"  # create, edit, close programmes; import a whole network
    NETWORK = "network"  # structures, rooms, beds, capacity of a programme
    PLACE = "place"  # placements, transfers, exits, reservations, the waiting list, people
    USERS = "users"  # add, change, disable users


class UnitOfWork:
    """The database, who is working (for the audit trail) and what day it is."""

    def __init__(
        self,
        db: Database,
        *,
        actor: str | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        self.db = db
        try:
            self.actor = actor or getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name on some systems
            self.actor = ""
        self._today = today or dt.date.today
        # Who is signed in (models.access); the Backend sets it.
        self.principal: Principal = OWNER
        # Told to the other PCs with each write (models.live), so they skip their own.
        self.writer = live.new_writer_token()
        # Audit entries this program wrote: the polling of the audit trail skips them.
        self.own_audit_ids: set[int] = set()

    def today(self) -> dt.date:
        return self._today()

    def refuse(self) -> NotAllowedError:
        return NotAllowedError(_(NOT_ALLOWED))

    def require(
        self, s: Session | None, right: Right, of: type[Any] | None = None, id_: int | None = None
    ) -> None:
        """Refuse the change unless the signed-in user's role allows ``right`` on the
        record ``of`` with id ``id_`` (a programme, structure, room, bed, outage,
        placement, stay, reservation, request, household or person), found by its
        programme. Without a record, the right itself (a new household belongs to no
        programme yet). An administrator passes without a query."""
        who = self.principal
        if who.role is Role.ADMINISTRATOR:
            return
        if right is Right.PROGRAMMES or right is Right.USERS or not who.writes:
            raise self.refuse()
        if right is Right.NETWORK and who.role is not Role.COORDINATOR:
            raise self.refuse()
        if of is None or id_ is None or s is None:
            return
        programmes = programmes_of(s, of, id_)
        if not programmes:  # a household never placed, a request with no programme
            return
        may = who.may_edit_network if right is Right.NETWORK else who.may_place
        if not any(may(p) for p in programmes):
            raise self.refuse()

    @contextmanager
    def transaction(self, *, signing_in: bool = False) -> Iterator[Session]:
        """One write transaction; database errors become domain errors. A reader's is
        refused before it starts (but a sign-in's, which counts failed attempts)."""
        if not signing_in and not self.principal.writes:
            raise self.refuse()
        try:
            with self.db.write() as session:
                event.listen(session, "before_flush", limits.check_session)
                # What the ORM flushes is collected by itself; a write made with a Core
                # statement adds what it touched to session.info["touched"].
                touched = session.info["touched"] = live.Touched()
                event.listen(session, "after_flush", touched.collect)
                session.info["audit"] = []
                session.info["with_commit"] = []
                yield session
                session.flush()
                self._finish(session, touched)
        except DomainError:
            raise
        except StaleDataError as exc:
            raise ConcurrentEditError(_(STALE_MESSAGE)) from exc
        except IntegrityError as exc:
            raise translate_integrity_error(exc) from exc
        except ProgrammingError as exc:
            if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
                # The shared server refused what the user's role may not write
                # (models/pg_security.py).
                raise NotAllowedError(_(NOT_ALLOWED)) from exc
            raise
        except OperationalError as exc:
            code = getattr(exc.orig, "sqlstate", None)
            if code == LOCK_NOT_AVAILABLE:
                raise StructureBusyError(_(BUSY_MESSAGE)) from exc
            if code == QUERY_CANCELED:
                raise DatabaseProblem(_(SLOW_MESSAGE)) from exc
            text = str(exc.orig).lower()
            # A deadlock's detail says "blocked by process": it is read before "locked".
            if "deadlock" in text or "could not serialize" in text:
                raise ConcurrentEditError(
                    _(
                        "Someone else was changing the same data at the same moment: nothing "
                        "was saved. Repeat the operation."
                    )
                ) from exc
            if "locked" in text or "busy" in text:
                raise DatabaseProblem(
                    _(
                        "The database is busy with another change: nothing was saved. "
                        "Wait a moment, then repeat the operation."
                    )
                ) from exc
            if "deadlock" in text or "could not serialize" in text:
                raise ConcurrentEditError(
                    _(
                        "Someone else was changing the same data at the same moment: nothing "
                        "was saved. Repeat the operation."
                    )
                ) from exc
            raise DatabaseProblem(
                _(
                    "The database could not complete the operation: nothing was saved. Repeat "
                    "it; if it fails again, tell whoever looks after Accoglienza in your office."
                )
            ) from exc

    def _finish(self, session: Session, touched: live.Touched) -> None:
        """The transaction's last statements: its audit entries and, on PostgreSQL, the
        notification of what it touched, sent with the COMMIT (one round trip)."""
        entries = session.info.pop("audit", [])
        statements: list[tuple[Any, Any]] = list(session.info.pop("with_commit", []))
        at = len(statements)
        if entries:
            statements.append(
                (insert(e.AuditEntry).values(entries).returning(e.AuditEntry.id), None)
            )
        if touched and not self.db.is_sqlite:
            statements.append(live.notify(touched, self.writer))
        if not statements:
            return
        found = self.db.commit_with(session, statements)
        if entries:
            self.own_audit_ids.update(int(row[0]) for row in found[at])

    def with_commit(self, s: Session, statement: Any, params: Any = None) -> None:
        """Send ``statement`` (a Core insert or update whose result is not needed) with
        the transaction's last statements, in the round trip of its COMMIT, in the order
        given. What it touches must be added to ``s.info["touched"]`` by the caller."""
        s.info["with_commit"].append((statement, params))

    def audit(
        self, s: Session, action: str, entity: str, entity_id: int | None, **details: Any
    ) -> None:
        """Record the change in the audit trail, in the same transaction (written with
        its last statements)."""
        # Ids, dates and reasons only: never names, addresses or documents.
        s.info["audit"].append(
            {
                "actor": self.actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "details": json.dumps(details, default=str, sort_keys=True),
            }
        )


class UseCases:
    """Base of the use cases of one area: each public method is one transaction and
    returns plain results (``models.results``)."""

    def __init__(self, work: UnitOfWork) -> None:
        self.work = work
        self.db = work.db


def get(
    s: Session, cls: type[T], id_: int, *, lock: bool = False, options: Sequence[Any] = ()
) -> T:
    """The row (with the related rows ``options`` load), or a clear refusal when it no
    longer exists."""
    obj = s.get(cls, id_, with_for_update=lock or None, options=options)
    if obj is None:
        raise NotFoundError(
            _(
                "These data no longer exist (perhaps removed on another PC): nothing was saved. Press F5 (View › Refresh) to read the data again."
            )
        )
    return obj


def programmes_of(s: Session, of: type[Any], id_: int) -> set[int]:
    """The programmes a record belongs to, for ``UnitOfWork.require``: one for the
    network and placements; for a household or a person, those of every placement of
    theirs (none for people never placed)."""
    structure_of: dict[type[Any], Any] = {
        e.Structure: select(e.Structure.programme_id).where(e.Structure.id == id_),
        e.Room: select(e.Structure.programme_id)
        .join(e.Room, e.Room.structure_id == e.Structure.id)
        .where(e.Room.id == id_),
        e.Bed: select(e.Structure.programme_id)
        .join(e.Room, e.Room.structure_id == e.Structure.id)
        .join(e.Bed, e.Bed.room_id == e.Room.id)
        .where(e.Bed.id == id_),
        e.BedOutage: select(e.Structure.programme_id)
        .join(e.Room, e.Room.structure_id == e.Structure.id)
        .join(e.Bed, e.Bed.room_id == e.Room.id)
        .join(e.BedOutage, e.BedOutage.bed_id == e.Bed.id)
        .where(e.BedOutage.id == id_),
        e.Placement: select(e.Placement.programme_id).where(e.Placement.id == id_),
        e.BedStay: select(e.Placement.programme_id)
        .join(e.BedStay, e.BedStay.placement_id == e.Placement.id)
        .where(e.BedStay.id == id_),
        e.Reservation: select(e.Reservation.programme_id).where(e.Reservation.id == id_),
        e.PlacementRequest: select(e.PlacementRequest.programme_id).where(
            e.PlacementRequest.id == id_
        ),
        e.Household: select(e.Placement.programme_id).where(e.Placement.household_id == id_),
        e.Person: select(e.Placement.programme_id)
        .join(e.HouseholdMember, e.HouseholdMember.household_id == e.Placement.household_id)
        .where(e.HouseholdMember.person_id == id_),
    }
    if of is e.Programme:
        return {id_}
    return {p for p in s.scalars(structure_of[of]) if p is not None}


def lock_row(s: Session, cls: type[Any], id_: int) -> None:
    """Lock one row until the end of the transaction, before it is read with what it
    holds: FOR UPDATE cannot go with the outer joins that read its related rows."""
    found = s.execute(lock_row_statement(cls, id_)).first()
    if found is None:
        raise NotFoundError(
            _(
                "These data no longer exist (perhaps removed on another PC): nothing was saved. Press F5 (View › Refresh) to read the data again."
            )
        )


def lock_row_statement(cls: type[Any], id_: int) -> Any:
    """The statement of ``lock_row`` (to be sent ahead with others: ``Database.prefetch``)."""
    return select(cls.id).where(cls.id == id_).with_for_update()


def lock_structure_statement(structure_id: int) -> Any:
    """The statement of ``lock_structure`` (to be sent ahead with others)."""
    return (
        select(e.Structure)
        .where(e.Structure.id == structure_id)
        .options(joinedload(e.Structure.programme, innerjoin=True))
        .with_for_update(of=e.Structure)
        .execution_options(populate_existing=True)
    )


def lock_structure(s: Session, structure_id: int) -> e.Structure:
    """The structure, locked until the end of the transaction."""
    # Serialises placements into one structure across PCs (PostgreSQL), so the capacity
    # check cannot be passed by two at once. SQLite is already serial.
    # Its programme comes in the same statement; only the structure's row is locked.
    st: e.Structure | None = (
        s.execute(lock_structure_statement(structure_id)).unique().scalar_one_or_none()
    )
    if st is None:
        raise NotFoundError(
            _(
                "These data no longer exist (perhaps removed on another PC): nothing was saved. Press F5 (View › Refresh) to read the data again."
            )
        )
    return st


def touch(obj: Any) -> None:
    """Count a change made through child rows as a change of ``obj``: the next flush
    updates its row, so the mapper bumps its version and stale copies are refused."""
    mapper = sa_inspect(obj).mapper
    key = next(a.key for a in mapper.column_attrs if a.key not in ("id", "version"))
    flag_modified(obj, key)


def check_version(obj: Any, version: int | None) -> None:
    """Refuse a change made from a stale copy of the record."""
    if version is not None and obj.version != version:
        raise ConcurrentEditError(_(STALE_MESSAGE))


def translate_integrity_error(exc: IntegrityError) -> DomainError:
    """Map a database refusal to the domain's message."""
    orig = exc.orig
    text = str(orig)
    name = getattr(getattr(orig, "diag", None), "constraint_name", None) or text
    if "ex_bed_stay_bed_overlap" in name:
        return BedOccupiedError(_("The bed is already occupied on those dates."))
    if "ex_bed_stay_person_overlap" in name:
        return PersonAlreadyPlacedError(_("The person already has a bed on those dates."))
    if "unique" in text.lower() or "uq_" in name:
        return ValidationError(_("A record with the same code already exists."))
    if "foreign key" in text.lower() or "fk_" in name:
        return ValidationError(
            _(
                "Something chosen in the form (a bed, a structure, a person) no longer exists "
                "in the database: nothing was saved. Press F5 (View › Refresh) and choose again."
            )
        )
    return ValidationError(
        _(
            "The database refused the data because they contradict what it already holds: "
            "nothing was saved. Press F5 (View › Refresh), check the data and repeat the operation."
        )
    )
