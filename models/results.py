"""Plain results returned by the use cases and the reads: frozen dataclasses, no lazy loads.

Nothing here imports SQLAlchemy, so views use these types at run time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProgrammeInfo:
    id: int
    code: str
    name: str
    kind: str
    sai_category: str | None
    holder: str
    managing_partner: str
    start_date: dt.date
    end_date: dt.date | None
    version: int
    provinces: tuple[str, ...] = ()


@dataclass(frozen=True)
class StructureInfo:
    id: int
    code: str
    name: str
    programme_id: int
    programme_code: str
    programme_name: str
    programme_kind: str
    holder: str
    address: str
    comune: str
    province: str
    targets: frozenset[str]
    confidential: bool
    opened_on: dt.date
    closed_on: dt.date | None
    version: int


@dataclass(frozen=True)
class CapacityInfo:
    id: int
    structure_id: int
    valid_from: dt.date
    places: int
    note: str


@dataclass(frozen=True)
class BedInfo:
    id: int
    label: str
    room_id: int
    room_name: str
    structure_id: int
    retired_on: dt.date | None = None
    version: int = 1

    def in_service_on(self, day: dt.date) -> bool:
        """Not yet retired on the night of ``day``."""
        return self.retired_on is None or day < self.retired_on


@dataclass(frozen=True)
class RoomInfo:
    """A room (stanza) with all its beds, retired ones included."""

    id: int
    name: str
    structure_id: int
    version: int
    beds: tuple[BedInfo, ...] = ()


@dataclass(frozen=True)
class StructureMoveInfo:
    """A structure passed from one programme to another on ``moved_on``."""

    structure_id: int
    from_programme_code: str
    to_programme_code: str
    moved_on: dt.date


@dataclass(frozen=True)
class OutageInfo:
    id: int
    bed_id: int
    start_date: dt.date
    end_date: dt.date | None
    reason: str


@dataclass(frozen=True)
class PersonInfo:
    id: int
    code: str
    first_name: str
    last_name: str
    alias: str
    sex: str
    gender_identity: str
    birth_date: dt.date | None
    citizenship: str
    legal_status: str
    version: int
    household_id: int | None = None
    household_code: str | None = None
    relationship: str | None = None
    # The code of the structure the person sleeps in on the search's day (people search).
    structure_code: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def search_key(self) -> tuple[int, str, str, int]:
        """Where the person comes in a search's list (``Directory.search_people``):
        reference persons and people on their own first, then other members."""
        rank = 0 if self.relationship in (None, "reference") else 1
        return (rank, self.last_name, self.first_name, self.id)

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def is_minor_on(self, day: dt.date) -> bool:
        age = self.age_on(day)
        return age is not None and age < 18


@dataclass(frozen=True)
class MemberInfo:
    person: PersonInfo
    relationship: str


@dataclass(frozen=True)
class HouseholdInfo:
    id: int
    code: str
    members: tuple[MemberInfo, ...]
    version: int

    @property
    def reference(self) -> PersonInfo | None:
        for m in self.members:
            if m.relationship == "reference":
                return m.person
        return self.members[0].person if self.members else None


@dataclass(frozen=True)
class ExtensionInfo:
    id: int
    previous_planned_end: dt.date | None
    new_planned_end: dt.date
    reason: str
    authorised_by: str
    granted_on: dt.date
    beyond_terms: bool = False  # beyond the SAI terms (six months, then six more)


@dataclass(frozen=True)
class PlacementInfo:
    id: int
    household_id: int
    household_code: str
    programme_id: int
    programme_code: str
    entry_date: dt.date
    planned_end: dt.date | None
    exit_date: dt.date | None
    exit_reason: str | None
    exit_destination: str
    status: str
    version: int
    extensions: tuple[ExtensionInfo, ...] = ()
    sai_terms: bool = False  # the ordinary SAI terms apply (six months, then six more)

    @property
    def exit_scheduled(self) -> bool:
        """An exit (or transfer to another programme) recorded for a later date: the
        placement runs until then (uscita programmata)."""
        return self.status == "active" and self.exit_date is not None


@dataclass(frozen=True)
class StayInfo:
    id: int
    placement_id: int
    person_id: int
    person_code: str
    person_name: str
    bed_id: int
    bed_label: str
    room_name: str
    structure_id: int
    structure_code: str
    structure_name: str
    programme_code: str
    start_date: dt.date
    end_date: dt.date | None
    cancelled: bool
    override_reason: str = ""
    # The version of the stay's placement: a change of any of its stays changes it, so a
    # correction made from an older copy is refused.
    placement_version: int = 0


@dataclass(frozen=True)
class ReservationInfo:
    id: int
    household_id: int
    household_code: str
    programme_id: int
    structure_id: int
    structure_code: str
    held_from: dt.date
    expected_on: dt.date
    closed_on: dt.date | None
    status: str
    bed_ids: tuple[int, ...]
    person_ids: tuple[int | None, ...]
    note: str
    version: int


@dataclass(frozen=True)
class FitReport:
    """Whether a household fits a structure on a date, and why not."""

    structure_id: int
    fits: bool
    reasons: tuple[str, ...]
    target_group_problem: bool
    proposed_beds: dict[int, int] = field(default_factory=dict)  # person_id -> bed_id


@dataclass(frozen=True)
class OccupancyRow:
    """Occupancy of a group (structure, province, programme or the network) on a date."""

    key: str
    label: str
    capacity: int
    beds: int
    occupied: int
    reserved: int
    out_of_service: int
    free: int
    structures: int = 1
    province: str = ""
    programme_code: str = ""
    structure_id: int | None = None

    @property
    def rate(self) -> float | None:
        return self.occupied / self.capacity if self.capacity else None


@dataclass
class OccupancyTotals:
    """Running totals of occupancy rows (a group of structures, a subtotal of a report)."""

    capacity: int = 0
    beds: int = 0
    occupied: int = 0
    reserved: int = 0
    out_of_service: int = 0
    free: int = 0
    structures: int = 0

    @property
    def rate(self) -> float | None:
        return self.occupied / self.capacity if self.capacity else None

    def add(self, other: OccupancyTotals | OccupancyRow) -> None:
        # Spelled out: called once per structure and group, 8,000 structures nationally.
        self.capacity += other.capacity
        self.beds += other.beds
        self.occupied += other.occupied
        self.reserved += other.reserved
        self.out_of_service += other.out_of_service
        self.free += other.free
        self.structures += other.structures


@dataclass(frozen=True)
class PresenceRow:
    """Someone sleeping in a bed on a date, with what the sheets show."""

    stay_id: int
    person_id: int
    person_code: str
    first_name: str
    last_name: str
    alias: str
    sex: str
    birth_date: dt.date | None
    citizenship: str
    minor: bool
    household_id: int
    household_code: str
    relationship: str | None
    placement_id: int
    entry_date: dt.date
    planned_end: dt.date | None
    stay_start: dt.date
    stay_end: dt.date | None
    bed_id: int
    bed_label: str
    room_name: str
    structure_id: int
    structure_code: str
    structure_name: str
    province: str
    programme_code: str


@dataclass(frozen=True)
class BedLine:
    """One bed of a structure on a date, for the structure page and the occupancy sheet."""

    bed_id: int
    room_name: str
    bed_label: str
    status: str  # occupied | reserved | out_of_service | free
    occupant: PresenceRow | None
    note: str = ""


@dataclass(frozen=True)
class StructureSheet:
    structure_id: int
    code: str
    name: str
    address: str
    comune: str
    province: str
    confidential: bool
    targets: frozenset[str]
    programme_code: str
    programme_name: str
    programme_kind: str
    holder: str
    day: dt.date
    beds: tuple[BedLine, ...]
    capacity: int
    occupied: int
    reserved: int
    out_of_service: int
    free: int


@dataclass(frozen=True)
class StructurePage:
    """Everything the structure page shows, read in one transaction."""

    sheet: StructureSheet
    capacity: list[CapacityInfo]  # oldest first
    outages: list[BedOutageRow]  # latest first
    info: StructureInfo


@dataclass(frozen=True)
class PresenceDays:
    """Nights of presence of one person in a month (in one structure or programme)."""

    person_id: int
    person_code: str
    first_name: str
    last_name: str
    alias: str
    structure_codes: tuple[str, ...]
    days: frozenset[int] = field(default_factory=frozenset)

    @property
    def total(self) -> int:
        return len(self.days)


@dataclass(frozen=True)
class ExpiringPlacement:
    placement_id: int
    household_id: int
    household_code: str
    reference_name: str
    reference_code: str
    programme_code: str
    structure_code: str
    structure_name: str
    entry_date: dt.date
    planned_end: dt.date  # the end in sight: the planned end, or a scheduled exit or transfer
    days_left: int
    people: int
    kind: str = "planned_end"  # or "exit", "transfer": recorded ahead of the date


@dataclass(frozen=True)
class ComingOfAge:
    """Someone placed in an MSNA programme as a minor who turns 18 soon, or has turned 18
    and is still there (neomaggiorenne), with the end the SAI rules give: six months after
    the birthday, unless the placement was extended."""

    person_id: int
    person_code: str
    name: str
    birth_date: dt.date
    eighteenth: dt.date
    placement_id: int
    household_id: int
    household_code: str
    programme_code: str
    structure_code: str
    structure_name: str
    planned_end: dt.date | None
    rule_end: dt.date
    extended: bool

    def adult_on(self, day: dt.date) -> bool:
        """Neomaggiorenne on ``day``: 18 already."""
        return self.eighteenth <= day

    @property
    def beyond_rule(self) -> bool:
        """The stay is planned past the rules' end, and no extension was granted."""
        return not self.extended and (self.planned_end is None or self.planned_end > self.rule_end)


@dataclass(frozen=True)
class TargetFreeRow:
    """Free beds on a date among the structures open to one target group."""

    target: str
    structures: int
    capacity: int
    occupied: int
    free: int


@dataclass(frozen=True)
class BedOutageRow:
    """A period in which a bed of a structure is out of service."""

    outage_id: int
    bed_id: int
    room_name: str
    bed_label: str
    start_date: dt.date
    end_date: dt.date | None
    reason: str


@dataclass(frozen=True)
class StructureOccupancyRow:
    """One structure of the dashboard's *Strutture* table: its figures on a date, the
    target groups it welcomes and the nearest end in sight among its placements (a
    planned end, or an exit or transfer recorded for a later date)."""

    structure_id: int
    code: str
    name: str
    province: str
    programme_code: str
    target_groups: tuple[str, ...]
    capacity: int
    occupied: int
    reserved: int
    out_of_service: int
    free: int
    next_end: dt.date | None = None


@dataclass(frozen=True)
class OccupancyOverview:
    """Everything the dashboard counts at a date, from one pass over the structures."""

    total: OccupancyRow
    provinces: list[OccupancyRow]
    programmes: list[OccupancyRow]
    targets: list[TargetFreeRow]
    structures: list[StructureOccupancyRow] = field(default_factory=list)


@dataclass(frozen=True)
class NewPerson:
    """A person to register, with their relationship to the household's reference person."""

    first_name: str
    last_name: str
    sex: str
    birth_date: dt.date | None = None
    relationship: str = "reference"
    alias: str = ""
    gender_identity: str = ""
    citizenship: str = ""
    legal_status: str = "other"


@dataclass(frozen=True)
class Changes:
    """What a write changed, so that each page decides what to reload.

    ``structures`` and ``households`` name the records whose figures or members changed;
    ``network`` is set when programmes, structures, rooms or beds themselves changed (the
    navigation reloads). ``message`` says what was saved, as the status bar shows it
    (codes and dates, no names); it takes no part in comparisons.
    """

    structures: frozenset[int] = frozenset()
    households: frozenset[int] = frozenset()
    network: bool = False
    message: str = field(default="", compare=False)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.structures | other.structures,
            self.households | other.households,
            self.network or other.network,
            " · ".join(m for m in (self.message, other.message) if m),
        )


@dataclass(frozen=True)
class FieldChange:
    """One field of a record in a change: its value before and after, as text."""

    name: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a record or of one of its parts, as the database logged it."""

    at: dt.datetime  # UTC
    user: str
    table: str
    row_id: int
    operation: str  # I (added), U (changed), D (removed)
    changes: list[FieldChange]


@dataclass(frozen=True)
class ProposedBed:
    id: int
    name: str  # "room / label"


@dataclass(frozen=True)
class FreeBedAnswer:
    """The free-bed finder's answer for one structure (cerca posti liberi): whether the
    household fits every night of the period, the beds it would be given, or why not."""

    structure_id: int
    structure_code: str
    structure_name: str
    province: str
    programme_id: int
    programme_code: str
    confidential: bool
    fits: bool
    reasons: tuple[str, ...]
    beds: tuple[ProposedBed, ...] = ()


@dataclass(frozen=True)
class NewRequest:
    """What a referral says (richiesta di inserimento), to put it on the waiting list."""

    referral_date: dt.date
    adults: int = 1
    minors: int = 0
    referral_code: str = ""
    referring_body: str = ""
    target_group: str | None = None
    needs: frozenset[str] = frozenset()
    priority: int = 3  # 1 urgent, 2 high, 3 normal
    province: str = ""
    programme_id: int | None = None
    stay_days: int = 180
    household_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class RequestInfo:
    """A request on the waiting list, with how long it has waited (until today, or until
    it was closed)."""

    id: int
    referral_code: str
    referral_date: dt.date
    referring_body: str
    target_group: str | None
    adults: int
    minors: int
    needs: frozenset[str]
    priority: int
    province: str
    programme_id: int | None
    programme_code: str
    stay_days: int
    household_id: int | None
    household_code: str
    notes: str
    status: str
    closed_on: dt.date | None
    close_reason: str
    placement_id: int | None
    days_waited: int
    version: int

    @property
    def placed_on(self) -> dt.date | None:
        return self.closed_on if self.status == "placed" else None

    @property
    def waiting(self) -> bool:
        return self.status == "waiting"


@dataclass(frozen=True)
class WaitingGroupRow:
    """The dashboard's line of the waiting list for one target group: requests waiting,
    their median wait so far, and the median wait of those placed in the last year."""

    target_group: str | None
    waiting: int
    median_days_waiting: float | None
    placed: int
    median_days_to_place: float | None
