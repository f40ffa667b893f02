"""Live refresh: what a write touched, told to the other PCs the moment it is committed.

On PostgreSQL each write transaction ends with one ``pg_notify`` on the channel
``accoglienza_changes`` (sent by the server only if the transaction commits), whose
payload names the structures and households touched (``Changes``) and the writer's
token. Every window listens on a dedicated connection in a background thread
(``ChangeListener``) and hands the changes on; its own are skipped.

On SQLite there is no notification: the desktop polls the audit trail (``AuditWatch``)
by the last id seen and with a window behind it, so an entry committed after a larger
id was already seen is still caught; entries this program wrote itself are skipped.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from . import entities as e
from .database import Database
from .results import Changes

CHANNEL = "accoglienza_changes"
# Past this many ids a notification says only "something changed": every page reads
# again (a payload is limited to 8000 bytes).
MOST_IDS = 400


@dataclass
class Touched:
    """The rows a transaction touched, by what they say about structures and households."""

    structures: set[int] = field(default_factory=set)
    households: set[int] = field(default_factory=set)
    beds: set[int] = field(default_factory=set)
    rooms: set[int] = field(default_factory=set)
    persons: set[int] = field(default_factory=set)
    placements: set[int] = field(default_factory=set)
    network: bool = False
    audit_ids: set[int] = field(default_factory=set)

    def collect(self, session: Session, _context: object = None) -> None:
        """``after_flush``: the objects flushed (new, changed, deleted)."""
        for obj in (*session.new, *session.dirty, *session.deleted):
            self.add(obj)

    def add(self, obj: Any) -> None:
        if isinstance(obj, e.AuditEntry):
            if obj.id is not None:
                self.audit_ids.add(obj.id)
        elif isinstance(obj, e.Programme):
            self.network = True
        elif isinstance(obj, e.Structure):
            self.network = True
            self._add(self.structures, obj.id)
        elif isinstance(obj, e.Room | e.StructureMove):
            self.network = True
            self._add(self.structures, obj.structure_id)
        elif isinstance(obj, e.Bed):
            self.network = True
            self._add(self.rooms, obj.room_id)
        elif isinstance(obj, e.CapacityPeriod | e.Reservation):
            self._add(self.structures, obj.structure_id)
            if isinstance(obj, e.Reservation):
                self._add(self.households, obj.household_id)
        elif isinstance(obj, e.BedOutage):
            self._add(self.beds, obj.bed_id)
        elif isinstance(obj, e.BedStay):
            self._add(self.beds, obj.bed_id)
            self._add(self.placements, obj.placement_id)
        elif isinstance(obj, e.ReservationBed):
            self._add(self.beds, obj.bed_id)
        elif isinstance(obj, e.Placement | e.HouseholdMember):
            self._add(self.households, obj.household_id)
            if isinstance(obj, e.Placement):
                self._add(self.placements, obj.id)
        elif isinstance(obj, e.Household):
            self._add(self.households, obj.id)
        elif isinstance(obj, e.Person):
            self._add(self.persons, obj.id)

    @staticmethod
    def _add(ids: set[int], value: int | None) -> None:
        if value is not None:
            ids.add(value)

    def __bool__(self) -> bool:
        return bool(
            self.structures
            or self.households
            or self.beds
            or self.rooms
            or self.persons
            or self.placements
            or self.network
        )

    def size(self) -> int:
        return sum(
            len(s)
            for s in (
                self.structures,
                self.households,
                self.beds,
                self.rooms,
                self.persons,
                self.placements,
            )
        )


# One statement: the structures and households behind the rows touched, into the
# notification, sent by the server when (and only if) the transaction commits.
NOTIFY = text(
    """
SELECT pg_notify(:channel, json_build_object(
  'w', CAST(:writer AS text),
  'n', CAST(:network AS boolean),
  'all', CAST(:everything AS boolean),
  's', ARRAY(
    SELECT unnest(CAST(:structures AS integer[]))
    UNION SELECT r.structure_id FROM room r WHERE r.id = ANY(CAST(:rooms AS integer[]))
    UNION SELECT r.structure_id FROM bed b JOIN room r ON r.id = b.room_id
          WHERE b.id = ANY(CAST(:beds AS integer[]))),
  'h', ARRAY(
    SELECT unnest(CAST(:households AS integer[]))
    UNION SELECT m.household_id FROM household_member m
          WHERE m.person_id = ANY(CAST(:persons AS integer[]))
    UNION SELECT p.household_id FROM placement p WHERE p.id = ANY(CAST(:placements AS integer[])))
)::text)
"""
)


def notify(session: Session, touched: Touched, writer: str) -> None:
    """Tell the listening PCs what this transaction touched (PostgreSQL only)."""
    everything = touched.size() > MOST_IDS

    def ids(values: set[int]) -> list[int]:
        return [] if everything else sorted(values)

    session.execute(
        NOTIFY,
        {
            "channel": CHANNEL,
            "writer": writer,
            "network": touched.network,
            "everything": everything,
            "structures": ids(touched.structures),
            "rooms": ids(touched.rooms),
            "beds": ids(touched.beds),
            "households": ids(touched.households),
            "persons": ids(touched.persons),
            "placements": ids(touched.placements),
        },
    )


@dataclass(frozen=True)
class Heard:
    """One notification: what another PC changed; ``everything`` when it did not say."""

    changes: Changes
    everything: bool = False


def parse(payload: str) -> tuple[str, Heard]:
    """The writer's token and what it changed."""
    try:
        data = json.loads(payload)
        changes = Changes(
            structures=frozenset(int(i) for i in data.get("s") or ()),
            households=frozenset(int(i) for i in data.get("h") or ()),
            network=bool(data.get("n")),
        )
        return str(data.get("w", "")), Heard(changes, everything=bool(data.get("all")))
    except (ValueError, TypeError, AttributeError):
        return "", Heard(Changes(), everything=True)


def new_writer_token() -> str:
    return uuid.uuid4().hex


class ChangeListener:
    """Listens for other PCs' changes on a dedicated connection, in a background thread.

    ``on_change(heard)`` is called from that thread for each notification not sent by
    ``own_token``; ``on_state(listening)`` each time it starts listening (True: after a
    loss what was missed is unknown, so the caller reads everything again) and when the
    connection is lost (False: the caller polls meanwhile). A lost connection is tried
    again every ``retry_s`` seconds.
    """

    def __init__(
        self,
        db: Database,
        own_token: str,
        on_change: Callable[[Heard], None],
        on_state: Callable[[bool], None] | None = None,
        *,
        retry_s: float = 3.0,
    ) -> None:
        self.db = db
        self.own_token = own_token
        self.on_change = on_change
        self.on_state = on_state or (lambda _listening: None)
        self.retry_s = retry_s
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="accoglienza-listen", daemon=True)

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        lost = False
        while not self._stop.is_set():
            try:
                conn = self.db.dedicated_connection()
            except Exception:  # noqa: BLE001 - the server is away: try again later
                if not lost:
                    lost = True
                    self.on_state(False)
                self._stop.wait(self.retry_s)
                continue
            try:
                conn.execute(f"LISTEN {CHANNEL}")
                self.listening.set()
                lost = False
                self.on_state(True)
                while not self._stop.is_set():
                    for note in conn.notifies(timeout=0.5):
                        writer, heard = parse(note.payload)
                        if writer != self.own_token:
                            self.on_change(heard)
            except Exception:  # noqa: BLE001 - connection lost: poll until it is back
                self.listening.clear()
                if not lost:
                    lost = True
                    self.on_state(False)
                self._stop.wait(self.retry_s)
            finally:
                with contextlib.suppress(Exception):  # already gone
                    conn.close()


# How far behind the last id seen the audit trail is read again: an entry whose
# transaction committed after a later one was seen (its id is smaller) is still found.
AUDIT_WINDOW = 200


class AuditWatch:
    """Polls the audit trail for entries written by others (SQLite, and PostgreSQL while
    its listener is away). ``start`` is the last id when the data on screen were read;
    ``own`` the ids this program wrote itself."""

    def __init__(self, start: int, own: Callable[[], Iterable[int]]) -> None:
        self.last = start
        self.seen: set[int] = set()
        self._own = own
        self._primed = False

    def after(self) -> int:
        """Read the ids above this one."""
        return max(0, self.last - AUDIT_WINDOW)

    def news(self, ids: Iterable[int]) -> bool:
        """The ids read (above ``after()``): True when one of them is somebody else's
        change not seen before. The first answer only learns which of the ids up to
        ``start`` were already on screen."""
        ids = set(ids)
        if not self._primed:
            self._primed = True
            self.seen |= {i for i in ids if i <= self.last}
        fresh = ids - self.seen - set(self._own())
        if ids:
            self.last = max(self.last, max(ids))
        floor = self.after()
        self.seen = {i for i in self.seen | ids if i > floor}
        return bool(fresh)
