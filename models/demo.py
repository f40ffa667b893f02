"""Demo networks with fictitious people (``accoglienza demo``).

- ``coop``: the cooperative's real network (DESIGN.md, "The real network"): its
  programmes, structures, places and their history, with invented addresses, plus two
  clearly fictitious SAI programmes of Lombardy to reach the cooperative scale.
- ``region`` and ``national``: synthetic networks of the sizes in DESIGN.md "Scales".
- ``tiny``: a small synthetic network, for tests.

Every person is invented. The history is simulated in memory, day by day per
structure, so that the rules hold by construction (one person per bed per night, one
bed per person per night, households together, occupancy within the capacity in
force); then everything is written in one transaction with bulk inserts (``COPY`` on
PostgreSQL), with the database's own overlap rules switched on, so the database
itself vouches for the result. The same seed always gives the same network.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Table, func, select

from . import change_log
from . import demo_data as data
from . import entities as e
from .database import Database
from .errors import ValidationError
from .i18n import _
from .people import search_text

if TYPE_CHECKING:
    import psycopg

BIG = dt.date(9999, 12, 31).toordinal()
D = dt.date
T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    programmes: int
    structures: int
    beds: int
    years: int
    provinces: tuple[str, ...]
    mean_gap: float  # days a freed bed waits before the next household comes


SCALES: dict[str, Scale] = {
    "tiny": Scale(4, 14, 60, 2, ("MI", "SO", "VA"), 25.0),
    "region": Scale(100, 1000, 5000, 10, data.LOMBARDY, 38.0),
    "national": Scale(1000, 8000, 40000, 10, tuple(data.PROVINCES), 38.0),
}
PUBLIC_SCALES = ("coop", "region", "national")


# -- the network -------------------------------------------------------------------


@dataclass
class StructureSpec:
    code: str
    name: str
    comune: str
    province: str
    targets: tuple[str, ...]
    opened_on: dt.date
    capacity: list[tuple[dt.date, int]]  # (valid from, places), oldest first
    beds: int
    address: str = ""
    confidential: bool = False
    closed_on: dt.date | None = None
    capacity_notes: dict[dt.date, str] = field(default_factory=dict)


@dataclass
class ProgrammeSpec:
    code: str
    name: str
    kind: str
    start: dt.date
    holder: str
    sai_category: str | None = None
    managing_partner: str = ""
    end: dt.date | None = None
    structures: list[StructureSpec] = field(default_factory=list)


def _address(rng: random.Random) -> str:
    return f"{rng.choice(data.STREETS)} {rng.randint(1, 140)}"


def _coop_network(rng: random.Random) -> list[ProgrammeSpec]:
    """The cooperative's programmes as DESIGN.md describes them; addresses invented."""

    def st(
        code: str,
        name: str,
        comune: str,
        prov: str,
        targets: str,
        opened: dt.date,
        places: int,
        beds: int | None = None,
        **kw: Any,
    ) -> StructureSpec:
        return StructureSpec(
            code,
            name,
            comune,
            prov,
            tuple(sorted(targets.split())),
            opened,
            [(opened, places)],
            beds or places,
            address=_address(rng),
            **kw,
        )

    sondrio = ProgrammeSpec(
        "SAI-SONDRIO",
        "SAI Sondrio",
        "sai",
        D(2014, 2, 1),
        "Provincia di Sondrio",
        sai_category="ord",
    )
    so_start = D(2014, 2, 1)
    tirano = D(2017, 1, 1)  # the SAI of Tirano merged into Sondrio
    rows = [  # code, house, comune, targets, opened, places
        ("SO-01", "Adda", "Sondrio", "men", so_start, 6),
        ("SO-02", "Mallero", "Sondrio", "men", so_start, 5),
        ("SO-03", "Masino", "Sondrio", "families single_parent", so_start, 4),
        ("SO-04", "Bernina", "Sondrio", "women single_parent", so_start, 4),
        ("SO-05", "Stelvio", "Tirano", "men", tirano, 4),
        ("SO-06", "Poschiavino", "Tirano", "families single_parent", tirano, 4),
        ("SO-07", "Bitto", "Morbegno", "men", D(2015, 6, 1), 4),
        ("SO-08", "Tartano", "Morbegno", "families single_parent", D(2015, 6, 1), 4),
        ("SO-09", "Mera", "Chiavenna", "families single_parent women", D(2016, 3, 1), 4),
        ("SO-10", "Spluga", "Chiavenna", "men", D(2016, 3, 1), 4),
        ("SO-11", "Scerscen", "Ponte in Valtellina", "families single_parent", D(2018, 5, 1), 4),
    ]
    for code, house, comune, targets, opened, places in rows:
        sondrio.structures.append(st(code, f"Casa {house}", comune, "SO", targets, opened, places))
    # Two small changes of places over the years (history matters).
    s1 = sondrio.structures[0]
    s1.capacity = [(so_start, 5), (D(2019, 4, 1), 6)]
    s7 = sondrio.structures[6]
    s7.capacity = [(s7.opened_on, 3), (D(2020, 9, 1), 4)]

    novate = ProgrammeSpec(
        "SAI-NOVATE",
        "SAI Novate Milanese",
        "sai",
        D(2016, 9, 1),
        "Azienda Speciale Comuni Insieme",
        sai_category="ord",
    )
    for code, house, comune, targets, places in [
        ("NM-01", "Glicine", "Novate Milanese", "women", 3),
        ("NM-02", "Tiglio", "Novate Milanese", "families single_parent", 4),
        ("NM-03", "Gelso", "Bollate", "families single_parent", 3),
        ("NM-04", "Magnolia", "Cormano", "single_parent women", 3),
        ("NM-05", "Lavanda", "Paderno Dugnano", "families", 3),
    ]:
        novate.structures.append(
            st(code, f"Casa {house}", comune, "MI", targets, D(2016, 9, 1), places)
        )

    cinisello = ProgrammeSpec(
        "SAI-CINISELLO",
        "SAI Cinisello Balsamo",
        "sai",
        D(2018, 9, 1),
        "Comune di Cinisello Balsamo",
        sai_category="ord",
    )
    for code, house, targets, places in [
        ("CB-01", "Arcobaleno", "lgbtqia transgender", 3),
        ("CB-02", "Rondine", "women", 4),
        ("CB-03", "Ginestra", "families single_parent", 4),
        ("CB-04", "Airone", "families single_parent women", 4),
    ]:
        cinisello.structures.append(
            st(code, f"Casa {house}", "Cinisello Balsamo", "MI", targets, D(2018, 9, 1), places)
        )

    besozzo = ProgrammeSpec(
        "SAI-BESOZZO",
        "SAI Besozzo con Comerio",
        "sai",
        D(2018, 1, 1),
        "Comune di Besozzo",
        sai_category="ord",
    )
    cut = D(2021, 7, 1)
    note = "Riduzione dei posti del progetto (da 36 a 13)"
    for code, house, comune, targets, before, after in [
        ("BE-01", "Quercia", "Besozzo", "men", 16, 6),
        ("BE-02", "Larice", "Besozzo", "men", 12, 4),
        ("BE-03", "Salice", "Comerio", "families single_parent", 8, 3),
    ]:
        spec = st(code, f"Casa {house}", comune, "VA", targets, D(2018, 1, 1), before)
        spec.capacity = [(D(2018, 1, 1), before), (cut, after)]
        spec.capacity_notes = {cut: note}
        besozzo.structures.append(spec)  # the beds stay: only the authorised places change

    derive = ProgrammeSpec(
        "ART18-DERIVE",
        "Derive e Approdi",
        "anti_trafficking",
        D(2022, 10, 1),
        "Comune di Milano",
        end=D(2024, 2, 28),
    )
    for i, (comune, prov, targets, places) in enumerate(
        [
            ("Como", "CO", "women", 3),
            ("Milano", "MI", "women", 3),
            ("Milano", "MI", "transgender women", 2),
            ("Monza", "MB", "men", 3),
            ("Desio", "MB", "women", 2),
            ("Sondrio", "SO", "women", 2),
            ("Varese", "VA", "transgender", 2),
        ],
        start=1,
    ):
        derive.structures.append(
            st(
                f"DA-{i:02d}",
                f"Approdo {i}",
                comune,
                prov,
                targets,
                D(2022, 10, 1),
                places,
                confidential=True,
                closed_on=D(2024, 2, 28),
            )
        )

    ali = ProgrammeSpec(
        "ART18-ALI",
        "Mettiamo le ali (contatto e valutazione, Brescia)",
        "anti_trafficking",
        D(2021, 1, 1),
        "",
    )

    # Two clearly fictitious programmes, to reach the cooperative scale of DESIGN.md.
    lecco = ProgrammeSpec(
        "DEMO-SAI-LC-MSNA",
        "SAI minori Lecco (fittizio)",
        "sai",
        D(2019, 3, 1),
        "Comune di Lecco (fittizio)",
        sai_category="msna",
    )
    for i, (comune, places) in enumerate(
        [("Lecco", 4), ("Lecco", 4), ("Merate", 3), ("Valmadrera", 3)], 1
    ):
        lecco.structures.append(
            st(
                f"LC-X{i}",
                f"Casa {data.HOUSE_NAMES[i + 20]}",
                comune,
                "LC",
                "minors",
                D(2019, 3, 1),
                places,
            )
        )
    bergamo = ProgrammeSpec(
        "DEMO-SAI-BG-DMDS",
        "SAI disagio mentale Bergamo (fittizio)",
        "sai",
        D(2020, 2, 1),
        "Comune di Bergamo (fittizio)",
        sai_category="dm_ds",
    )
    for i, (comune, targets, places) in enumerate(
        [
            ("Bergamo", "men", 2),
            ("Bergamo", "women", 1),
            ("Seriate", "men", 2),
            ("Treviglio", "families", 2),
            ("Dalmine", "men", 1),
            ("Albino", "women single_parent", 2),
        ],
        1,
    ):
        bergamo.structures.append(
            st(
                f"BG-X{i}",
                f"Casa {data.HOUSE_NAMES[i + 26]}",
                comune,
                "BG",
                targets,
                D(2020, 2, 1),
                places,
            )
        )
    return [sondrio, novate, cinisello, besozzo, derive, ali, lecco, bergamo]


TARGET_PRESETS = {
    "ord": (
        (("men",), 40),
        (("women",), 12),
        (("families", "single_parent"), 30),
        (("single_parent", "women"), 10),
        (("lgbtqia", "transgender"), 2),
        (("families",), 6),
    ),
    "dm_ds": ((("men",), 5), (("women",), 3), (("families",), 2)),
    "msna": ((("minors",), 1),),
    "art18": ((("women",), 6), (("transgender", "women"), 2), (("men",), 2), (("transgender",), 1)),
}


def _weighted(rng: random.Random, items: Sequence[tuple[T, float]]) -> T:
    total = sum(w for _x, w in items)
    r = rng.random() * total
    for x, w in items:
        r -= w
        if r < 0:
            return x
    return items[-1][0]


def _split(rng: random.Random, total: int, parts: int, minimum: int = 1) -> list[int]:
    """``total`` split into ``parts`` uneven positive integers (lognormal weights)."""
    weights = [rng.lognormvariate(0, 0.8) for _ in range(parts)]
    scale = (total - minimum * parts) / sum(weights)
    sizes = [minimum + int(w * scale) for w in weights]
    for i in range(total - sum(sizes)):
        sizes[i % parts] += 1
    return sizes


def _synthetic_network(rng: random.Random, scale: Scale, today: dt.date) -> list[ProgrammeSpec]:
    window = today.toordinal() - scale.years * 365
    provinces = list(scale.provinces)
    weights = [(p, data.BIG_PROVINCES.get(p, 1.5)) for p in provinces]
    sizes = _split(rng, scale.structures, scale.programmes)
    mean_places = scale.beds / scale.structures
    counters: dict[str, int] = {}
    programmes = []
    for n, size in enumerate(sizes, 1):
        prov = _weighted(rng, weights)
        chief = data.PROVINCES[prov]
        art18 = rng.random() < 0.05
        category = None if art18 else _weighted(rng, (("ord", 80), ("dm_ds", 8), ("msna", 12)))
        # Most programmes run from before the window; some start during it; a few end.
        if rng.random() < 0.7:
            start = D.fromordinal(window - rng.randint(30, 1500))
        else:
            start = D.fromordinal(window + rng.randint(0, int(scale.years * 365 * 0.7)))
        end = None
        if rng.random() < 0.08:
            end = D.fromordinal(
                max(start.toordinal(), window) + rng.randint(400, scale.years * 300)
            )
            if end >= today:
                end = None
        if category is None:  # anti-trafficking
            kind, tag, name = "anti_trafficking", "ART18", f"Progetto antitratta {chief} {n}"
        else:
            kind = "sai"
            tag = {"ord": "SAI", "dm_ds": "SAI-DS", "msna": "SAI-MSNA"}[category]
            name = f"SAI {chief} {n}" + {"ord": "", "dm_ds": " DM-DS", "msna": " MSNA"}[category]
        p = ProgrammeSpec(
            f"{tag}-{prov}-{n:04d}",
            name,
            kind,
            start,
            rng.choice(
                (
                    f"Comune di {chief}",
                    f"Comune di {chief}",
                    f"Provincia di {chief}",
                    f"Unione dei Comuni di {chief} (fittizia)",
                )
            ),
            sai_category=category,
            end=end,
            managing_partner=f"Cooperativa sociale {rng.choice(data.HOUSE_NAMES)} (fittizia)",
        )
        presets = TARGET_PRESETS["art18" if art18 else category or "ord"]
        comuni = data.COMUNI.get(prov, (chief,))
        for _i in range(size):
            counters[prov] = counters.get(prov, 0) + 1
            places = max(1, min(14, round(rng.gauss(mean_places, 1.8))))
            opened = start
            if rng.random() < 0.25:
                opened = D.fromordinal(
                    max(start.toordinal(), window) + rng.randint(0, scale.years * 200)
                )
            closed = end
            if closed is None and rng.random() < 0.05:
                closed = D.fromordinal(opened.toordinal() + rng.randint(300, 2500))
                if closed >= today:
                    closed = None
            if closed is not None and closed <= opened:
                opened = start
            targets = _weighted(rng, presets)
            spec = StructureSpec(
                f"{prov}-{counters[prov]:04d}",
                f"Casa {rng.choice(data.HOUSE_NAMES)}",
                rng.choice(comuni),
                prov,
                targets,
                opened,
                [(opened, places)],
                places,
                address=_address(rng),
                confidential=art18,
                closed_on=closed,
            )
            if rng.random() < 0.15:  # a change of places during the window
                when = D.fromordinal(
                    max(opened.toordinal(), window) + rng.randint(60, scale.years * 300)
                )
                if when < (closed or today):
                    new = max(1, places + rng.choice((-3, -2, -1, 1, 2)))
                    spec.capacity.append((when, new))
                    spec.beds = max(places, new)
            if rng.random() < 0.08:
                spec.beds += 1  # a spare bed beyond the authorised places
            p.structures.append(spec)
        programmes.append(p)
    return programmes


# -- households ----------------------------------------------------------------------

# kind, weight, smallest size, groups it belongs to (as in rules.household_groups)
HOUSEHOLD_KINDS = (
    ("man", 45, 1, ("men",)),
    ("woman", 16, 1, ("women",)),
    ("trans", 1.5, 1, ("lgbtqia", "transgender")),
    # Nothing in the record says a gay man or a lesbian woman is LGBTQIA+: they are placed
    # in an LGBTQIA+ structure with the coordinator's reason, as the services require.
    ("queer", 0, 1, ("lgbtqia",)),
    ("couple", 5, 2, ("families",)),
    ("family", 14, 3, ("families",)),
    ("single_parent", 18, 2, ("families", "single_parent")),
    ("minor", 0, 1, ("minors",)),
)


def _kinds_for(
    targets: Sequence[str], category: str | None, art18: bool
) -> list[tuple[str, float, int]]:
    if category == "msna":
        return [("minor", 1.0, 1)]
    out = []
    for kind, weight, smallest, groups in HOUSEHOLD_KINDS:
        if kind == "minor":
            continue
        if targets and not set(groups) & set(targets):
            continue
        if kind == "trans":
            weight = 25 if ("transgender" in targets or "lgbtqia" in targets) else 0.3
        if kind == "queer":
            weight = 30
        if art18 and kind in ("couple", "family"):
            continue
        if art18 and kind == "single_parent":
            weight = 3
        if weight > 0:
            out.append((kind, weight, smallest))
    return out


# outcome, weight, extensions, (min days, max days) relative to a 6-month term
OUTCOMES = (
    ("early", 22, 0, (15, 170)),
    ("term", 44, 0, (160, 188)),
    ("ext1", 26, 1, (300, 371)),
    ("ext2", 8, 2, (460, 554)),
)
# The cooperative's people stay shorter: more early exits, fewer extensions.
COOP_OUTCOMES = (
    ("early", 36, 0, (15, 170)),
    ("term", 45, 0, (160, 188)),
    ("ext1", 16, 1, (300, 371)),
    ("ext2", 3, 2, (460, 554)),
)
EARLY_REASONS = (
    ("voluntary_abandonment", 50),
    ("revocation", 18),
    ("dublin_transfer", 8),
    ("assisted_return", 8),
    ("other", 8),
    ("socio_economic", 8),
)
TERM = 183
QUEER_REASON = "Persona LGBTQIA+ (dichiarato al colloquio di ingresso)"


# -- the simulation ----------------------------------------------------------------


def _eighteenth(birth: dt.date) -> int:
    try:
        return birth.replace(year=birth.year + 18).toordinal()
    except ValueError:  # born on 29 February
        return D(birth.year + 18, 3, 1).toordinal()


@dataclass(slots=True, eq=False)  # eq=False: compared and hashed by identity
class _Structure:
    """A structure during the simulation; days are ordinals."""

    id: int
    index: int
    programme: int
    open: int
    close: int
    changes: list[tuple[int, int]]  # (valid from, places), oldest first
    targets: tuple[str, ...]
    category: str | None
    art18: bool
    kinds: list[tuple[str, float, int]]  # (kind, weight, smallest size)
    origins: str  # key of _Simulation.origins
    beds: list[int]  # bed ids
    free: list[int]  # per bed: the first day it is free
    next_try: int = -1


@dataclass
class _Household:
    placement: list[int]  # id, programme, household, entry day; the row is completed at the end
    structure: _Structure
    bed_idx: list[int]
    people: list[int]
    stays: list[list[Any]]  # the current stays of the people (rows, end filled in later)
    end: int
    reason: str
    extensions: int
    art18: bool
    kind: str
    adult_on: int = BIG  # an unaccompanied minor's 18th birthday: no more moves after it


class _Writer:
    """Rows of every table, with ids given here (the database starts empty)."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.ids: dict[str, int] = {}

    def add(self, table: str, *values: Any) -> int:
        n = self.ids.get(table, 0) + 1
        self.ids[table] = n
        self.rows.setdefault(table, []).append((n, *values))
        return n

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))


class _Simulation:
    def __init__(
        self,
        rng: random.Random,
        programmes: list[ProgrammeSpec],
        today: dt.date,
        window_start: dt.date,
        mean_gap: float,
        outcomes: Sequence[tuple[Any, ...]] = (),
        transfer_rate: float = 0.6,
    ) -> None:
        self.rng = rng
        self.outcomes = [(o, float(o[1])) for o in (outcomes or OUTCOMES)]
        self.transfer_rate = transfer_rate
        self.today = today.toordinal()
        self.window = window_start.toordinal()
        self.mean_gap = mean_gap
        self.w = _Writer()
        self.structures: list[_Structure] = []
        self.by_programme: dict[int, list[_Structure]] = {}
        self.households: list[_Household] = []
        self.heap: list[tuple[int, int, int, Any]] = []
        self.seq = 0
        self.origins = {
            "sai": [(c, float(w)) for c, w in data.SAI_ORIGINS],
            "msna": [(c, float(w)) for c, w in data.MSNA_ORIGINS],
            "art18": [(c, float(w)) for c, w in data.ART18_ORIGINS],
        }
        self._build(programmes)

    # the network
    def _build(self, programmes: list[ProgrammeSpec]) -> None:
        w, rng = self.w, self.rng
        for p in programmes:
            pid = w.add(
                "programme",
                p.code,
                p.name,
                p.kind,
                p.sai_category,
                p.holder,
                p.managing_partner,
                p.start,
                p.end,
                1,
            )
            for s in p.structures:
                sid = w.add(
                    "structure",
                    pid,
                    s.code,
                    s.name,
                    s.address,
                    s.comune,
                    s.province,
                    ",".join(sorted(s.targets)),
                    s.confidential,
                    s.opened_on,
                    s.closed_on,
                    1,
                )
                for valid_from, places in s.capacity:
                    w.add(
                        "capacity_period",
                        sid,
                        valid_from,
                        places,
                        s.capacity_notes.get(valid_from, ""),
                    )
                beds: list[int] = []
                remaining, room_no = s.beds, 0
                while remaining > 0:
                    room_no += 1
                    size = min(remaining, rng.choice((1, 2, 2, 2, 3, 3, 4)))
                    rid = w.add("room", sid, f"Camera {room_no}")
                    for label in "ABCD"[:size]:
                        beds.append(w.add("bed", rid, label))
                    remaining -= size
                ends = [x.toordinal() for x in (s.closed_on, p.end) if x is not None]
                art18 = p.kind == "anti_trafficking"
                runtime = _Structure(
                    id=sid,
                    index=len(self.structures),
                    programme=pid,
                    open=s.opened_on.toordinal(),
                    close=min(ends) if ends else BIG,
                    changes=[(d.toordinal(), places) for d, places in s.capacity],
                    targets=s.targets,
                    category=p.sai_category,
                    art18=art18,
                    kinds=_kinds_for(s.targets, p.sai_category, art18),
                    origins="art18" if art18 else ("msna" if p.sai_category == "msna" else "sai"),
                    beds=beds,
                    free=[0] * len(beds),
                )
                self.structures.append(runtime)
                self.by_programme.setdefault(pid, []).append(runtime)

    # time
    def _push(self, day: int, kind: int, payload: Any) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (day, self.seq, kind, payload))

    def _schedule_try(self, st: _Structure, day: int, now: int) -> None:
        if day >= st.close or day > self.today:
            return
        if st.next_try > now and st.next_try <= day:
            return  # an earlier try is already waiting
        st.next_try = day
        self._push(day, 0, st)

    @staticmethod
    def _capacity(st: _Structure, day: int) -> int:
        places = 0
        for valid_from, p in st.changes:
            if valid_from > day:
                break
            places = p
        return places

    def _usable_until(self, st: _Structure, i: int, day: int) -> int:
        """First day from which bed ``i`` is beyond the places in force (or the structure closes)."""
        for valid_from, places in st.changes:
            if valid_from > day and places <= i:
                return min(valid_from, st.close)
        return st.close

    def _free_beds(self, st: _Structure, day: int, exclude: Sequence[int] = ()) -> list[int]:
        if day < st.open or day >= st.close:
            return []
        cap = min(self._capacity(st, day), len(st.beds))
        free = st.free
        return [i for i in range(cap) if free[i] <= day and i not in exclude]

    def run(self, start: int) -> None:
        for st in self.structures:
            self._schedule_try(st, max(st.open, start), start)
        heap = self.heap
        while heap:
            day, _seq, kind, payload = heapq.heappop(heap)
            if day > self.today:
                break
            if kind == 0:
                if payload.next_try != day:
                    continue
                payload.next_try = -1
                self._try(payload, day)
            else:
                self._transfer(payload, day)

    def _gap(self) -> int:
        return int(self.rng.expovariate(1.0 / self.mean_gap))

    def _try(self, st: _Structure, day: int) -> None:
        rng = self.rng
        free = self._free_beds(st, day)
        if free and rng.random() < 0.004:  # a bed goes out of service for a while
            i = free.pop()
            length = rng.randint(7, 75)
            self.w.add(
                "bed_outage",
                st.beds[i],
                D.fromordinal(day),
                D.fromordinal(day + length),
                rng.choice(data.OUTAGE_REASONS),
            )
            st.free[i] = day + length
        placed = False
        if free and st.kinds:
            placed = self._place(st, day, free)
        if placed and len(free) > 1:
            self._schedule_try(st, day + rng.randint(0, 12), day)
            return
        # Next chance: when the next bed frees up, after the usual wait.
        cap = min(self._capacity(st, day), len(st.beds))
        busy = [st.free[i] for i in range(cap) if st.free[i] > day]
        nxt = min(busy) if busy and not free else day
        nxt += max(1, self._gap())
        for valid_from, _places in st.changes:
            if valid_from > day:
                nxt = min(nxt, valid_from)
                break
        self._schedule_try(st, nxt, day)

    def _household_people(
        self, st: _Structure, kind: str, size: int, day: int
    ) -> list[tuple[Any, ...]]:
        """(first, last, alias, sex, gender identity, birth, citizenship, legal status, relationship)."""
        rng = self.rng
        country = _weighted(
            rng,
            self.origins[st.origins]
            if kind != "trans"
            else [(c, float(w)) for c, w in data.TRANS_ORIGINS],
        )
        men, women, last_names = data.NAMES[country]
        last = rng.choice(last_names)
        if st.art18:
            legal = _weighted(rng, (("art18_permit", 8), ("special_protection", 1), ("other", 1)))
        elif kind == "minor":
            legal = "unaccompanied_minor"
        else:
            legal = _weighted(
                rng,
                (
                    ("refugee", 35),
                    ("subsidiary_protection", 20),
                    ("asylum_seeker", 20),
                    ("special_protection", 20),
                    ("other", 5),
                ),
            )

        def born(lo: float, hi: float, mode: float | None = None) -> dt.date:
            years = rng.triangular(lo, hi, mode) if mode is not None else rng.uniform(lo, hi)
            return D.fromordinal(day - int(years * 365.25))

        def alias() -> str:
            return rng.choice(data.ALIASES) if st.art18 else ""

        people: list[tuple[Any, ...]] = []
        if kind == "queer":
            sex = rng.choice("MF")
            people.append(
                (
                    rng.choice(men if sex == "M" else women),
                    last,
                    "",
                    sex,
                    "",
                    born(19, 45, 27),
                    country,
                    legal,
                    "reference",
                )
            )
        elif kind == "man":
            people.append(
                (
                    rng.choice(men),
                    last,
                    alias(),
                    "M",
                    "",
                    born(18, 58, 26),
                    country,
                    legal,
                    "reference",
                )
            )
        elif kind == "woman":
            people.append(
                (
                    rng.choice(women),
                    last,
                    alias(),
                    "F",
                    "",
                    born(18, 55, 27),
                    country,
                    legal,
                    "reference",
                )
            )
        elif kind == "trans":
            identity = rng.choice(data.GENDER_IDENTITIES)
            sex = {"donna trans": "M", "uomo trans": "F"}.get(identity, "X")
            first = rng.choice(women if identity == "donna trans" else men)
            people.append(
                (first, last, alias(), sex, identity, born(19, 45, 27), country, legal, "reference")
            )
        elif kind == "minor":
            sex = "M" if rng.random() < 0.9 else "F"
            people.append(
                (
                    rng.choice(men if sex == "M" else women),
                    last,
                    "",
                    sex,
                    "",
                    born(14.5, 17.9),
                    country,
                    legal,
                    "reference",
                )
            )
        else:
            mother_first = rng.choice(women)
            if kind == "single_parent":
                if rng.random() < 0.9:
                    people.append(
                        (
                            mother_first,
                            last,
                            alias(),
                            "F",
                            "",
                            born(20, 45, 30),
                            country,
                            legal,
                            "reference",
                        )
                    )
                else:
                    people.append(
                        (
                            rng.choice(men),
                            last,
                            "",
                            "M",
                            "",
                            born(22, 50, 35),
                            country,
                            legal,
                            "reference",
                        )
                    )
            else:
                people.append(
                    (
                        rng.choice(men),
                        last,
                        "",
                        "M",
                        "",
                        born(21, 55, 32),
                        country,
                        legal,
                        "reference",
                    )
                )
                people.append(
                    (mother_first, last, "", "F", "", born(19, 48, 29), country, legal, "partner")
                )
            for _c in range(size - len(people)):
                sex = rng.choice("MF")
                people.append(
                    (
                        rng.choice(men if sex == "M" else women),
                        last,
                        "",
                        sex,
                        "",
                        born(0, 17.5),
                        country,
                        legal,
                        "child",
                    )
                )
        return people

    def _choose_kind(self, st: _Structure, room: int) -> tuple[str, int] | None:
        rng = self.rng
        options = [(k, w) for k, w, smallest in st.kinds if smallest <= room]
        if not options:
            return None
        kind = _weighted(rng, options)
        if kind in ("man", "woman", "trans", "minor", "queer"):
            return kind, 1
        if kind == "couple":
            return kind, 2
        if kind == "family":
            return kind, min(room, rng.choice((3, 3, 4, 4, 5, 6)))
        return kind, min(room, rng.choice((2, 2, 3, 3, 4)))

    def _place(self, st: _Structure, day: int, free: list[int]) -> bool:
        rng, w = self.rng, self.w
        choice = self._choose_kind(st, len(free))
        if choice is None:
            return False
        kind, size = choice
        idx = free[:size]
        # How long they stay, decided now (it is a simulation: we know the future).
        outcome, _wt, extensions, (lo, hi) = _weighted(rng, self.outcomes)
        length = rng.randint(lo, hi)
        if st.category == "msna":
            length = rng.randint(60, 540)
            extensions = max(0, (length - 1) // TERM)
            outcome = "early" if length < 150 else "term"
        if st.art18:
            length = max(20, int(length * 0.8))
        if outcome == "early":
            reason = _weighted(rng, EARLY_REASONS)
        elif outcome == "term":
            reason = "socio_economic" if rng.random() < 0.55 else "term_expired"
        else:
            reason = "socio_economic" if rng.random() < 0.7 else "term_expired"
        end = day + length
        limit = min(self._usable_until(st, i, day) for i in idx)
        if limit < end:
            end = limit
            reason = "term_expired" if st.art18 else "transfer_other_project"
        override = QUEER_REASON if kind == "queer" else ""
        hid = w.add("household", "")
        people = []
        adult_on = BIG
        for first, last, alias, sex, identity, birth, country, legal, rel in self._household_people(
            st, kind, size, day
        ):
            pid = w.add("person", first, last, alias, sex, identity, birth, country, legal)
            w.add("household_member", hid, pid, rel)
            people.append(pid)
            adult_on = min(adult_on, _eighteenth(birth))
        placement = [st.programme, hid, day]
        placement_id = w.add("placement", placement)  # the row is completed in finish()
        placement.insert(0, placement_id)
        free_since = max(st.free[i] for i in idx)
        stays = []
        for pid, i in zip(people, idx, strict=True):
            stay = [placement_id, pid, st.beds[i], day, end, override]
            stays.append(stay)
            w.add("bed_stay", stay)
            st.free[i] = end
        held = max(free_since, day - rng.randint(2, 9))
        if held < day and rng.random() < 0.05:  # beds held for a few days before the entry
            w.add(
                "reservation_hist",
                hid,
                st.programme,
                st.id,
                held,
                day,
                [st.beds[i] for i in idx],
                people,
            )
        h = _Household(placement, st, idx, people, stays, end, reason, extensions, st.art18, kind)
        if kind == "minor":
            h.adult_on = adult_on
        self.households.append(h)
        self._maybe_transfer(h, day, self.transfer_rate)
        return True

    def _maybe_transfer(self, h: _Household, day: int, probability: float) -> None:
        remaining = h.end - day
        if remaining > 60 and self.rng.random() < probability:
            self._push(day + self.rng.randint(20, remaining - 20), 1, h)

    def _transfer(self, h: _Household, day: int) -> None:
        if day >= h.end or day >= h.adult_on:
            return
        rng = self.rng
        st = h.structure
        size = len(h.people)
        # Another room or bed of the same structure, or another structure of the programme
        # that takes the same kind of household.
        others = [
            x
            for x in self.by_programme[st.programme]
            if x is not st and any(k == h.kind for k, _w, _s in x.kinds)
        ]
        rng.shuffle(others)
        order = [st, *others[:8]] if rng.random() < 0.4 else [*others[:8], st]
        for dest in order:
            free = self._free_beds(dest, day, exclude=h.bed_idx if dest is st else ())
            if len(free) >= size:
                break
        else:
            return
        idx = free[:size]
        for i in h.bed_idx:
            st.free[i] = day
        end = h.end
        limit = min(self._usable_until(dest, i, day) for i in idx)
        if limit < end:
            end = limit
            h.reason = "term_expired" if h.art18 else "transfer_other_project"
        new_stays = []
        for stay, i in zip(h.stays, idx, strict=True):
            stay[4] = day
            new = [stay[0], stay[1], dest.beds[i], day, end, stay[5]]
            self.w.add("bed_stay", new)
            new_stays.append(new)
            dest.free[i] = end
        h.structure, h.bed_idx, h.stays, h.end = dest, idx, new_stays, end
        if dest is not st:
            self._schedule_try(st, day + max(1, self._gap()), day)
        self._maybe_transfer(h, day, self.transfer_rate * 0.7)

    # the end of the story: today
    def finish(self) -> None:
        rng, w, today = self.rng, self.w, self.today
        placements = w.rows["placement"]
        extension_rows = []
        for h in self.households:
            pid, programme, hid, entry = h.placement
            ended = h.end <= today
            planned = entry + TERM
            for _k in range(h.extensions):
                granted = planned - rng.randint(5, 30)
                if granted > today or granted >= h.end:
                    break
                new = planned + TERM
                extension_rows.append(
                    (
                        pid,
                        D.fromordinal(planned),
                        D.fromordinal(new),
                        rng.choice(data.EXTENSION_REASONS),
                        "Servizio Centrale SAI" if not h.art18 else "Ente titolare",
                        D.fromordinal(granted),
                    )
                )
                planned = new
            row: tuple[
                int, int, int, dt.date, dt.date, dt.date | None, str | None, str, str, str, int
            ]
            if ended:
                reason = h.reason
                dest = rng.choice(data.EXIT_DESTINATIONS[reason])
                row = (
                    pid,
                    hid,
                    programme,
                    D.fromordinal(entry),
                    D.fromordinal(planned),
                    D.fromordinal(h.end),
                    reason,
                    dest,
                    "exited",
                    "",
                    1,
                )
            else:
                for stay in h.stays:
                    stay[4] = None
                row = (
                    pid,
                    hid,
                    programme,
                    D.fromordinal(entry),
                    D.fromordinal(planned),
                    None,
                    None,
                    "",
                    "active",
                    "",
                    1,
                )
            placements[pid - 1] = row
        w.rows["extension"] = [(i, *r) for i, r in enumerate(extension_rows, 1)]
        stays = w.rows.get("bed_stay", [])
        w.rows["bed_stay"] = [
            (
                sid,
                s[0],
                s[1],
                s[2],
                D.fromordinal(s[3]),
                None if s[4] is None else D.fromordinal(s[4]),
                False,
                s[5],
            )
            for sid, s in stays
        ]
        self._reservations()
        self._current_outages()

    def _reservations(self) -> None:
        """Past reservations (confirmed on the entry day) and a few held today."""
        w, rng, today = self.w, self.rng, self.today
        reservations: list[
            tuple[int, int, int, int, dt.date, dt.date, dt.date | None, str, str, int]
        ] = []
        reservation_beds: list[tuple[int, int, int, int]] = []  # id, reservation, bed, person
        for _n, hid, programme, sid, held, expected, beds, people in w.rows.pop(
            "reservation_hist", []
        ):
            rid = len(reservations) + 1
            reservations.append(
                (
                    rid,
                    hid,
                    programme,
                    sid,
                    D.fromordinal(held),
                    D.fromordinal(expected),
                    D.fromordinal(expected),
                    "confirmed",
                    "",
                    1,
                )
            )
            for b, p in zip(beds, people, strict=True):
                reservation_beds.append((len(reservation_beds) + 1, rid, b, p))
        # Today: households expected in the coming days hold free beds.
        open_now = [st for st in self.structures if st.open <= today < st.close and st.kinds]
        wanted = max(3, len(open_now) // 25)
        rng.shuffle(open_now)
        for st in open_now:
            if wanted <= 0:
                break
            free = self._free_beds(st, today)
            if not free:
                continue
            choice = self._choose_kind(st, min(len(free), 3))
            if choice is None:
                continue
            kind, size = choice
            idx = free[:size]
            since = max(st.free[i] for i in idx)
            held = max(since, today - rng.randint(1, 6))
            hid = w.add("household", "")
            people = []
            for (
                first,
                last,
                alias,
                sex,
                identity,
                birth,
                country,
                legal,
                rel,
            ) in self._household_people(st, kind, size, today):
                pid = w.add("person", first, last, alias, sex, identity, birth, country, legal)
                w.add("household_member", hid, pid, rel)
                people.append(pid)
            rid = len(reservations) + 1
            reservations.append(
                (
                    rid,
                    hid,
                    st.programme,
                    st.id,
                    D.fromordinal(held),
                    D.fromordinal(today + rng.randint(2, 14)),
                    None,
                    "held",
                    "Inviato dalla Prefettura",
                    1,
                )
            )
            for i, p in zip(idx, people, strict=True):
                reservation_beds.append((len(reservation_beds) + 1, rid, st.beds[i], p))
                st.free[i] = BIG  # held: no outage on it
            wanted -= 1
        w.rows["reservation"] = reservations
        w.rows["reservation_bed"] = reservation_beds

    def _current_outages(self) -> None:
        """A few free beds are out of service today (repairs), some with no end yet."""
        w, rng, today = self.w, self.rng, self.today
        candidates = [
            (st, i)
            for st in self.structures
            if st.open <= today < st.close
            for i in self._free_beds(st, today)
        ]
        rng.shuffle(candidates)
        for st, i in candidates[: max(2, len(self.structures) // 15)]:
            start = max(st.free[i], today - rng.randint(3, 40))
            end = None if rng.random() < 0.4 else D.fromordinal(today + rng.randint(5, 60))
            w.add(
                "bed_outage", st.beds[i], D.fromordinal(start), end, rng.choice(data.OUTAGE_REASONS)
            )
            st.free[i] = BIG


# -- writing -------------------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "programme": (
        "id",
        "code",
        "name",
        "kind",
        "sai_category",
        "holder",
        "managing_partner",
        "start_date",
        "end_date",
        "version",
    ),
    "structure": (
        "id",
        "programme_id",
        "code",
        "name",
        "address",
        "comune",
        "province",
        "target_groups",
        "confidential",
        "opened_on",
        "closed_on",
        "version",
    ),
    "capacity_period": ("id", "structure_id", "valid_from", "places", "note"),
    "room": ("id", "structure_id", "name"),
    "bed": ("id", "room_id", "label"),
    "bed_outage": ("id", "bed_id", "start_date", "end_date", "reason"),
    "household": ("id", "code", "version"),
    "person": (
        "id",
        "code",
        "first_name",
        "last_name",
        "alias",
        "sex",
        "gender_identity",
        "birth_date",
        "citizenship",
        "legal_status",
        "search_text",
        "version",
    ),
    "household_member": ("id", "household_id", "person_id", "relationship"),
    "placement": (
        "id",
        "household_id",
        "programme_id",
        "entry_date",
        "planned_end",
        "exit_date",
        "exit_reason",
        "exit_destination",
        "status",
        "note",
        "version",
    ),
    "extension": (
        "id",
        "placement_id",
        "previous_planned_end",
        "new_planned_end",
        "reason",
        "authorised_by",
        "granted_on",
    ),
    "bed_stay": (
        "id",
        "placement_id",
        "person_id",
        "bed_id",
        "start_date",
        "end_date",
        "cancelled",
        "override_reason",
    ),
    "reservation": (
        "id",
        "household_id",
        "programme_id",
        "structure_id",
        "held_from",
        "expected_on",
        "closed_on",
        "status",
        "note",
        "version",
    ),
    "reservation_bed": ("id", "reservation_id", "bed_id", "person_id"),
}
ORDER = tuple(COLUMNS)


def _finalise_rows(w: _Writer) -> None:
    """Codes and derived columns, in the formats the services use (P000001, H000001)."""
    w.rows["household"] = [(hid, f"H{hid:06d}", 1) for hid, _code in w.rows.get("household", [])]
    people = []
    for pid, first, last, alias, sex, identity, birth, country, legal in w.rows.get("person", []):
        code = f"P{pid:06d}"
        search = search_text(first, last, alias, code, country)
        people.append(
            (pid, code, first, last, alias, sex, identity, birth, country, legal, search, 1)
        )
    w.rows["person"] = people


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return int(v)
    return v


def _write(db: Database, w: _Writer, audit: dict[str, Any]) -> None:
    # The demo's rows were not changed here: no change log for them.
    with db.engine.begin() as conn, change_log.suspended(conn):
        raw = conn.connection.driver_connection  # the driver's own: sqlite3 or psycopg
        if db.is_sqlite:
            cur = cast(sqlite3.Connection, raw).cursor()
            for table in ORDER:
                cols = COLUMNS[table]
                sql = (
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                )
                rows = w.rows.get(table, [])
                for start in range(0, len(rows), 50_000):
                    cur.executemany(
                        sql, [tuple(map(_sqlite_value, r)) for r in rows[start : start + 50_000]]
                    )
            cur.close()
        else:
            with cast("psycopg.Connection[Any]", raw).cursor() as pg_cur:
                for table in ORDER:
                    rows = w.rows.get(table, [])
                    if not rows:
                        continue
                    copy_sql = f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN"
                    with pg_cur.copy(copy_sql) as copy:
                        for r in rows:
                            copy.write_row(r)
                for table in ORDER:
                    pg_cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                    )
        audit_table = cast(Table, e.AuditEntry.__table__)  # typed FromClause, but a Table
        conn.execute(
            audit_table.insert().values(
                actor="demo",
                action="demo",
                entity="database",
                entity_id=None,
                details=json.dumps(audit, sort_keys=True),
            )
        )
    # Planner statistics; VACUUM also builds the visibility map index-only scans rely on.
    if db.is_sqlite:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM (ANALYZE)")


def _refuse_non_empty(db: Database) -> None:
    with db.read() as s:
        used = any(
            s.scalar(select(func.count()).select_from(table))
            for table in (e.Programme, e.Person, e.Household)
        )
    if used:
        raise ValidationError(
            _(
                "This database already contains programmes or people: the demo network is only "
                "written into an empty database, never mixed with real data."
            )
        )


def generate(
    db: Database, *, scale: str = "coop", seed: int = 1, today: dt.date | None = None
) -> dict[str, int]:
    """Write a demo network into the empty database ``db``; return what was written.

    ``scale`` is ``coop``, ``region`` or ``national`` (``tiny`` for tests). The same
    seed and ``today`` always give the same network.
    """
    if scale != "coop" and scale not in SCALES:
        raise ValidationError(_("Unknown demo scale: {scale}").format(scale=scale))
    _refuse_non_empty(db)
    today = today or dt.date.today()
    rng = random.Random(f"accoglienza-demo:{scale}:{seed}")
    if scale == "coop":
        programmes = _coop_network(rng)
        # Five years of history, and never starting later than 2020, so that the years
        # before Besozzo's reduction have people in them.
        window = min(D(today.year - 5, today.month, min(today.day, 28)), D(2020, 1, 1))
        mean_gap, outcomes, transfers = 34.0, COOP_OUTCOMES, 1.0
    else:
        spec = SCALES[scale]
        programmes = _synthetic_network(rng, spec, today)
        window = D.fromordinal(today.toordinal() - spec.years * 365)
        mean_gap, outcomes, transfers = spec.mean_gap, OUTCOMES, 0.8
    sim = _Simulation(rng, programmes, today, window, mean_gap, outcomes, transfers)
    sim.run(window.toordinal() - 200)
    sim.finish()
    _finalise_rows(sim.w)
    _write(db, sim.w, {"scale": scale, "seed": seed, "today": today.isoformat()})
    return {
        "programmes": sim.w.count("programme"),
        "structures": sim.w.count("structure"),
        "beds": sim.w.count("bed"),
        "people": sim.w.count("person"),
        "stays": sim.w.count("bed_stay"),
    }
