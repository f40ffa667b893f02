"""Plain results returned by services and queries: frozen dataclasses, no lazy loads."""

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

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip()

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
