"""What the views are handed: the use cases (writes) and the reads of one database,
one attribute per area.

Views receive a ``Backend`` in their constructor, call it only inside the task runner,
and never touch the ORM or SQLAlchemy::

    backend.placements.transfer(placement_id, day, structure_id)
    backend.occupancy.overview(day, province="SO")

Writes (each one transaction, ``models.unit_of_work``): ``structures``, ``people``,
``placements``, ``reservations``, ``corrections``. Reads: ``occupancy``, ``presence``,
``sheets``, ``directory``. Every result is a plain object of ``models.results``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .corrections import Corrections
from .database import Database, describe
from .directory import Directory
from .occupancy import Occupancy
from .people import People
from .placements import Placements
from .presence import Presence
from .reservations import Reservations
from .sheets import Sheets
from .structures import Structures
from .unit_of_work import UnitOfWork


class Backend:
    """The use cases and reads of one database, by area."""

    def __init__(
        self,
        db: Database,
        *,
        actor: str | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        self.db = db
        self.work = UnitOfWork(db, actor=actor, today=today)
        # writes
        self.structures = Structures(self.work)
        self.people = People(self.work)
        self.placements = Placements(self.work)
        self.reservations = Reservations(self.work)
        self.corrections = Corrections(self.work)
        # reads
        self.occupancy = Occupancy(db)
        self.presence = Presence(db)
        self.sheets = Sheets(db)
        self.directory = Directory(db)

    def today(self) -> dt.date:
        return self.work.today()

    @property
    def description(self) -> str:
        """The database in use, as the status bar shows it."""
        return describe(self.db.url)

    @property
    def is_shared(self) -> bool:
        return not self.db.is_sqlite


class _LegacyNames:
    """Old ``backend.services.X`` / ``backend.queries.X`` names while the views move to
    the areas (to be removed)."""

    def __init__(self, backend: Backend, names: dict[str, tuple[str, str]]) -> None:
        self._backend = backend
        self._names = names

    def __getattr__(self, name: str) -> object:
        if name == "today":
            return self._backend.today
        area, new = self._names[name]
        return getattr(getattr(self._backend, area), new)


SERVICES = {}
for area, names in {
    "structures": "create_programme update_programme create_structure update_structure set_capacity capacity_warning add_room add_bed put_bed_out_of_service end_bed_outage",
    "people": "register_household update_person add_household_member set_relationship",
    "placements": "check_fit place transfer record_exit extend extension_capacity_warning",
    "reservations": "reserve confirm_reservation cancel_reservation",
    "corrections": "correct_stay cancel_stay cancel_placement",
}.items():
    for n in names.split():
        SERVICES[n] = (area, n)
QUERIES = {
    "occupancy": ("occupancy", "at"),
    "occupancy_rate": ("occupancy", "rate"),
    "monthly_occupancy": ("occupancy", "monthly"),
    "occupancy_overview": ("occupancy", "overview"),
    "free_beds_by_target": ("occupancy", "free_by_target"),
    "structure_counts": ("occupancy", "structure_counts"),
    "who_is_where": ("presence", "who_is_where"),
    "presence_days": ("presence", "month_nights"),
    "expiring_placements": ("presence", "expiring"),
    "structure_sheet": ("sheets", "sheet"),
    "structure_page": ("sheets", "page"),
    "structure_beds": ("sheets", "beds"),
    "bed_outages": ("sheets", "outages"),
    "capacity_history": ("sheets", "capacity_history"),
    "reservations": ("sheets", "reservations"),
    "list_programmes": ("directory", "programmes"),
    "list_structures": ("directory", "structures"),
    "provinces": ("directory", "provinces"),
    "structure_by_code": ("directory", "structure_by_code"),
    "programmes_with_open_structures": ("directory", "programmes_with_open_structures"),
    "search_people": ("directory", "search_people"),
    "household": ("directory", "household"),
    "person_history": ("directory", "person_history"),
    "placements_of_household": ("directory", "placements_of_household"),
    "stays_of_household": ("directory", "stays_of_household"),
    "placement": ("directory", "placement"),
    "change_marker": ("directory", "change_marker"),
}
_CLASSES = {
    "occupancy": "Occupancy",
    "presence": "Presence",
    "sheets": "Sheets",
    "directory": "Directory",
}


def _legacy_services(self: Backend) -> _LegacyNames:
    return _LegacyNames(self, SERVICES)


def _legacy_queries(self: Backend) -> _LegacyNames:
    return _LegacyNames(self, QUERIES)


Backend.services = property(_legacy_services)  # type: ignore[attr-defined]
Backend.queries = property(_legacy_queries)  # type: ignore[attr-defined]
