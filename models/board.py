"""The planning board's plain results and the arithmetic on them: the rows (beds), the
bars (stays), reservations, outages and each structure's places per night; Italian public
holidays. No database here: the views import it (``models.planning`` reads).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .places import free_places

ANTI_TRAFFICKING = "anti_trafficking"
ONE_DAY = dt.timedelta(days=1)


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key reading numbers as numbers: "Casa 5" < "Casa 39" < "Casa 50" (the
    navigation tree's order)."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", text.casefold())
        if part
    )


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One bed of the board, with its room, structure and programme."""

    bed_id: int
    bed_label: str
    room_id: int
    room_name: str
    structure_id: int
    structure_code: str
    structure_name: str
    province: str
    programme_code: str
    programme_name: str
    programme_kind: str
    opened_on: dt.date
    closed_on: dt.date | None
    programme_start: dt.date
    programme_end: dt.date | None
    confidential: bool = False  # a protected apartment: its name is not printed pseudonymised

    @property
    def pseudonymised(self) -> bool:
        """Anti-trafficking programmes show the person's code, never the name."""
        return self.programme_kind == ANTI_TRAFFICKING


@dataclass(frozen=True, slots=True)
class BoardBar:
    """One stay (assegnazione letto) on a bed: ``[start, end)``, ``end`` None when open."""

    stay_id: int
    bed_id: int
    person_id: int
    person_code: str
    label: str  # the person's name, or code in an anti-trafficking programme
    minor: bool
    placement_id: int
    household_id: int
    household_code: str
    start: dt.date
    end: dt.date | None
    entry_date: dt.date
    planned_end: dt.date | None
    # The placement's exit, when it is recorded (for a later date: scheduled).
    exit_date: dt.date | None
    # The stay ends on a day after today while the placement goes on: a transfer (or a
    # member's exit) recorded ahead of its date.
    scheduled_move: dt.date | None

    def covers(self, night: dt.date) -> bool:
        return self.start <= night and (self.end is None or night < self.end)


@dataclass(frozen=True, slots=True)
class BoardReservation:
    """A bed held for a household (prenotazione) over ``[start, end)``."""

    reservation_id: int
    bed_id: int
    household_id: int
    household_code: str
    start: dt.date
    end: dt.date | None
    expected_on: dt.date
    note: str

    def covers(self, night: dt.date) -> bool:
        return self.start <= night and (self.end is None or night < self.end)


@dataclass(frozen=True, slots=True)
class BoardOutage:
    """A bed out of service over ``[start, end)``."""

    outage_id: int
    bed_id: int
    start: dt.date
    end: dt.date | None
    reason: str

    def covers(self, night: dt.date) -> bool:
        return self.start <= night and (self.end is None or night < self.end)


@dataclass(frozen=True, slots=True)
class StructureNight:
    """A structure's figures on one night of the window."""

    places: int
    beds: int  # in service
    occupied: int
    reserved: int
    out: int
    free: int
    taking: bool = True  # open, in a programme running then

    @property
    def short_of_places(self) -> bool:
        """Open with fewer places than beds in service: some empty beds are not free."""
        return self.taking and self.places < self.beds


@dataclass(frozen=True)
class BoardWindow:
    """What lies on the rows over ``[start, stop)``: bars, reservations, outages and, per
    structure, its places on each night (``places``, one value per night)."""

    start: dt.date
    stop: dt.date
    bars: list[BoardBar] = field(default_factory=list)
    reservations: list[BoardReservation] = field(default_factory=list)
    outages: list[BoardOutage] = field(default_factory=list)
    places: dict[int, list[int]] = field(default_factory=dict)

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.stop - self.start).days)]

    def bars_of(self, bed_id: int) -> list[BoardBar]:
        return [b for b in self.bars if b.bed_id == bed_id]


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    window: BoardWindow

    def nights(self, structure_id: int) -> list[StructureNight]:
        return structure_nights(self.rows, self.window, structure_id)


def structure_nights(
    rows: Sequence[BoardRow], window: BoardWindow, structure_id: int
) -> list[StructureNight]:
    """A structure's places, beds in service, occupied, reserved, out of service and free
    places on every night of ``window`` (the definitions of ``occupancy_counts``)."""
    return all_structure_nights([r for r in rows if r.structure_id == structure_id], window).get(
        structure_id, []
    )


def all_structure_nights(
    rows: Sequence[BoardRow], window: BoardWindow
) -> dict[int, list[StructureNight]]:
    """``structure_nights`` of every structure of ``rows`` that the window read."""
    beds_of: dict[int, set[int]] = defaultdict(set)
    first_row: dict[int, BoardRow] = {}
    structure_of: dict[int, int] = {}
    for r in rows:
        if r.structure_id in window.places:
            beds_of[r.structure_id].add(r.bed_id)
            first_row.setdefault(r.structure_id, r)
            structure_of[r.bed_id] = r.structure_id
    items: dict[int, tuple[list[BoardBar], list[BoardReservation], list[BoardOutage]]] = {
        sid: ([], [], []) for sid in beds_of
    }
    for b in window.bars:
        if b.bed_id in structure_of:
            items[structure_of[b.bed_id]][0].append(b)
    for h in window.reservations:
        if h.bed_id in structure_of:
            items[structure_of[h.bed_id]][1].append(h)
    for o in window.outages:
        if o.bed_id in structure_of:
            items[structure_of[o.bed_id]][2].append(o)
    days = window.days
    found: dict[int, list[StructureNight]] = {}
    for sid, beds in beds_of.items():
        first = first_row[sid]
        bars, held, outs = items[sid]
        places = window.places.get(sid, [])
        nights = []
        for i, night in enumerate(days):
            occupied_beds = {b.bed_id for b in bars if b.covers(night)}
            held_beds = {h.bed_id for h in held if h.covers(night)} - occupied_beds
            out_beds = {o.bed_id for o in outs if o.covers(night)} - occupied_beds
            capacity = places[i] if i < len(places) else 0
            taking = (
                first.opened_on <= night
                and (first.closed_on is None or first.closed_on >= night)
                and first.programme_start <= night
                and (first.programme_end is None or first.programme_end >= night)
            )
            n_out = len(out_beds)
            n_held = len(held_beds - out_beds)
            nights.append(
                StructureNight(
                    places=capacity if taking else 0,
                    beds=len(beds) - n_out,
                    occupied=len(occupied_beds),
                    reserved=n_held,
                    out=n_out,
                    free=free_places(
                        capacity, len(beds), len(occupied_beds), n_held, n_out, taking
                    ),
                    taking=taking,
                )
            )
        found[sid] = nights
    return found


def easter(year: int) -> dt.date:
    """Easter Sunday (the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e_ = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e_ + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month = (h + m - 7 * n + 114) // 31
    day = (h + m - 7 * n + 114) % 31 + 1
    return dt.date(year, month, day)


def italian_holidays(year: int) -> set[dt.date]:
    """The national public holidays of Italy in ``year``, Easter Monday included."""
    fixed = [(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)]
    sunday = easter(year)
    return {dt.date(year, m, d) for m, d in fixed} | {sunday, sunday + ONE_DAY}


STAY, HELD, OUT = "stay", "held", "out"


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """One thing on the board as a flat row (for export): a stay, a bed held or a bed out
    of service, with its bed and dates."""

    kind: str  # STAY, HELD or OUT
    programme_code: str
    structure_code: str
    room_name: str
    bed_label: str
    who: str  # the person (name or code), the household held for, or the outage's reason
    household_code: str
    start: dt.date
    end: dt.date | None
    planned_end: dt.date | None = None


def board_entries(rows: Sequence[BoardRow], window: BoardWindow) -> list[BoardEntry]:
    """Every stay, held bed and outage of ``window`` on the beds of ``rows``, in the
    board's order (bed by bed, then by date)."""
    by_bed: dict[int, list[BoardEntry]] = defaultdict(list)
    row_of = {r.bed_id: r for r in rows}
    for b in window.bars:
        r = row_of.get(b.bed_id)
        if r is not None:
            by_bed[b.bed_id].append(
                BoardEntry(
                    STAY,
                    r.programme_code,
                    r.structure_code,
                    r.room_name,
                    r.bed_label,
                    b.label,
                    b.household_code,
                    b.start,
                    b.end,
                    b.planned_end,
                )
            )
    for h in window.reservations:
        r = row_of.get(h.bed_id)
        if r is not None:
            by_bed[h.bed_id].append(
                BoardEntry(
                    HELD,
                    r.programme_code,
                    r.structure_code,
                    r.room_name,
                    r.bed_label,
                    h.household_code,
                    h.household_code,
                    h.start,
                    h.end,
                )
            )
    for o in window.outages:
        r = row_of.get(o.bed_id)
        if r is not None:
            by_bed[o.bed_id].append(
                BoardEntry(
                    OUT,
                    r.programme_code,
                    r.structure_code,
                    r.room_name,
                    r.bed_label,
                    o.reason,
                    "",
                    o.start,
                    o.end,
                )
            )
    out: list[BoardEntry] = []
    for r in rows:
        out.extend(sorted(by_bed.get(r.bed_id, []), key=lambda x: x.start))
    return out
