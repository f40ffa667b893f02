"""Benchmarks at cooperative, regional and national scale (docs/performance.md).

    python tests/benchmarks/run.py [--scale coop|region|national] [--database URL] [--reuse]
                                   [--slow-link MS]

Generates the demo network of the scale into the database (an empty one; by default a
SQLite file in the temporary folder), or with ``--reuse`` measures the demo network
already there. Every measure is taken side by side with its baseline in the same run
and printed as one row: name, our median, the baseline's median, their ratio, the
statements one run sends, the target, met or not. With ``--slow-link MS`` (PostgreSQL)
every measure goes through a proxy of the test tools that delays each direction by
MS/2 (tests/tools/slow_proxy.py), and each row also gives its round trips and the floor
they set (round trips x MS). The last line says how many targets are met.

Figures come from here, never from timed assertions in tests.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Date, bindparam, event, func, select, text  # noqa: E402

from models import demo, schema  # noqa: E402
from models import entities as e  # noqa: E402
from models.database import Database, resolve_url  # noqa: E402
from models.directory import Directory  # noqa: E402
from models.occupancy import Occupancy  # noqa: E402
from models.presence import Presence  # noqa: E402
from models.sheets import Sheets  # noqa: E402

# Statements each main screen sends to the database, whatever the size of the network
# (on SQLite each read transaction adds its BEGIN; on PostgreSQL the dashboard's go
# together, in one round trip; the dashboard also reads the waiting list by target
# group). docs/performance.md states the same numbers; more shows as "NO".
STATED_STATEMENTS = {
    "sqlite": {"main window": 13, "structure page": 5},
    "postgresql": {"main window": 9, "structure page": 4},
}


@dataclass
class Row:
    name: str
    ours: float | None  # seconds, megabytes or a count (see unit)
    baseline: float | None = None
    target: str = ""
    met: bool | None = None
    unit: str = "ms"
    note: str = ""
    statements: int | None = None  # sent to the database by one run
    round_trips: int | None = None  # across the slow link (--slow-link), by one run
    floor: float | None = None  # round trips x the link's round trip, seconds


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value * 1000:.1f} ms" if value < 10 else f"{value:.1f} s"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.0f}"


def machine_reference() -> float:
    """Seconds the computer takes for ten million additions in a Python loop (best of 3):
    the absolute targets (ms) depend on it, the ratios hardly do."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - t0)
    return best


def timed(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> tuple[float, Any]:
    """Median wall time of ``fn`` over ``repeat`` runs (after ``warmup`` runs), and its last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def ratio_row(
    name: str, ours: float, base: float, max_ratio: float, max_ms: float | None = None
) -> Row:
    ratio = ours / base if base else None
    met = ratio is not None and ratio <= max_ratio
    target = f"ratio ≤ {max_ratio:g}"
    if max_ms is not None:
        target += f" and ≤ {max_ms:g} ms"
        met = met and ours * 1000 <= max_ms
    return Row(name, ours, base, target, met)


def _date(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(v)


def raw(db: Database) -> Any:
    """A connection for a hand-written baseline: on PostgreSQL without BEGIN and
    ROLLBACK around its statements, as the application's reads send them."""
    conn = db.engine.connect()
    if not db.is_sqlite:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
    return conn


# -- the database --------------------------------------------------------------------


def demo_today(db: Database) -> dt.date:
    """The "today" the demo network was generated for (its open stays end after it)."""
    with db.read() as s:
        details = s.scalar(
            select(e.AuditEntry.details)
            .where(e.AuditEntry.action == "demo")
            .order_by(e.AuditEntry.id)
            .limit(1)
        )
    if details:
        return dt.date.fromisoformat(json.loads(details)["today"])
    return dt.date.today()


def prepare(args: argparse.Namespace) -> tuple[Database, float | None]:
    url = resolve_url(
        args.database
        or str(Path(tempfile.gettempdir()) / f"accoglienza-bench-{args.scale}.sqlite3")
    )
    db = Database(url)
    schema.upgrade(db)
    with db.read() as s:
        programmes = s.scalar(select(func.count()).select_from(e.Programme))
    if programmes:
        if not args.reuse:
            raise SystemExit(
                f"{url} already holds a network: pass --reuse to measure it, or give an empty database."
            )
        print(f"Reusing the network in {url}")
        return db, None
    print(f"Generating the {args.scale} demo network in {url} ...", flush=True)
    t0 = time.perf_counter()
    summary = demo.generate(db, scale=args.scale, seed=args.seed)
    took = time.perf_counter() - t0
    print(f"  {summary} in {took:.1f} s", flush=True)
    return db, took


def sizes(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {
            name: s.scalar(select(func.count()).select_from(table))
            for name, table in (
                ("programmes", e.Programme),
                ("structures", e.Structure),
                ("beds", e.Bed),
                ("people", e.Person),
                ("bed stays", e.BedStay),
            )
        }


# -- dashboard -----------------------------------------------------------------------

OCCUPANCY_SQL = """
WITH st AS (
    SELECT s.id, s.province, p.code AS programme_code
    FROM structure s JOIN programme p ON p.id = s.programme_id
    WHERE s.opened_on <= :d AND (s.closed_on IS NULL OR s.closed_on > :d)
), beds AS (
    SELECT b.id AS bed_id, r.structure_id FROM bed b JOIN room r ON r.id = b.room_id
), occ AS (
    SELECT bed_id FROM bed_stay WHERE NOT cancelled AND end_date IS NULL AND start_date <= :d
    UNION ALL
    SELECT bed_id FROM bed_stay WHERE NOT cancelled AND end_date > :d AND start_date <= :d
), held AS (
    SELECT DISTINCT rb.bed_id FROM reservation_bed rb JOIN reservation r ON r.id = rb.reservation_id
    WHERE r.status <> 'cancelled' AND r.held_from <= :d AND (r.closed_on IS NULL OR r.closed_on > :d)
), outage AS (
    SELECT DISTINCT bed_id FROM bed_outage WHERE start_date <= :d AND (end_date IS NULL OR end_date > :d)
), cap AS (
    SELECT c.structure_id, c.places FROM capacity_period c
    WHERE c.valid_from = (SELECT max(c2.valid_from) FROM capacity_period c2
                          WHERE c2.structure_id = c.structure_id AND c2.valid_from <= :d)
)
SELECT st.id, st.province, st.programme_code, COALESCE(cap.places, 0) AS capacity,
       count(beds.bed_id) AS beds, count(occ.bed_id) AS occupied,
       sum(CASE WHEN occ.bed_id IS NULL AND held.bed_id IS NOT NULL THEN 1 ELSE 0 END) AS reserved,
       sum(CASE WHEN occ.bed_id IS NULL AND outage.bed_id IS NOT NULL THEN 1 ELSE 0 END) AS out_of_service
FROM st
LEFT JOIN cap ON cap.structure_id = st.id
LEFT JOIN beds ON beds.structure_id = st.id
LEFT JOIN occ ON occ.bed_id = beds.bed_id
LEFT JOIN held ON held.bed_id = beds.bed_id
LEFT JOIN outage ON outage.bed_id = beds.bed_id
GROUP BY st.id, st.province, st.programme_code, cap.places
"""


def occupancy_by_hand(db: Database, day: dt.date) -> dict[str, dict[str, tuple[int, ...]]]:
    """One hand-written query; the same totals per network, province and programme.

    The live stays are asked for in two halves (open; ending after the day), the shape
    the (end_date, start_date) index answers: a fair baseline uses the best query.
    """
    stmt = text(OCCUPANCY_SQL).bindparams(bindparam("d", day, type_=Date))
    with raw(db) as conn:
        rows = conn.execute(stmt).all()
    groups: dict[str, dict[str, list[int]]] = {"network": {}, "province": {}, "programme": {}}
    for _sid, prov, prog, cap, beds, occ, res, out in rows:
        res, out = int(res or 0), int(out or 0)
        free = max(0, min(cap, beds - out) - occ - res)
        for kind, key in (("network", "*"), ("province", prov), ("programme", prog)):
            acc = groups[kind].setdefault(key, [0] * 7)
            for i, v in enumerate((1, cap, beds, occ, res, out, free)):
                acc[i] += v
    return {k: {key: tuple(v) for key, v in g.items()} for k, g in groups.items()}


def occupancy_ours(db: Database, day: dt.date) -> dict[str, dict[str, tuple[int, ...]]]:
    """What the dashboard asks for (models.occupancy.overview), in the same shape."""
    overview = Occupancy(db).overview(day)

    def t(r: Any) -> tuple[int, ...]:
        return (r.structures, r.capacity, r.beds, r.occupied, r.reserved, r.out_of_service, r.free)

    return {
        "network": {"*": t(overview.total)},
        "province": {r.key: t(r) for r in overview.provinces},
        "programme": {r.key: t(r) for r in overview.programmes},
    }


# -- structure page ------------------------------------------------------------------

STRUCTURE_SQL = (
    """SELECT s.id, s.code, s.name, s.address, s.comune, s.province, s.target_groups, s.confidential,
              s.opened_on, s.closed_on, s.version, p.id, p.code, p.name, p.kind, p.holder
       FROM structure s JOIN programme p ON p.id = s.programme_id WHERE s.id = :sid""",
    """SELECT b.id, r.name, b.label, bs.id, bs.start_date, bs.end_date, pe.id, pe.code, pe.first_name,
              pe.last_name, pe.alias, pe.sex, pe.birth_date, pe.citizenship, h.id, h.code, hm.relationship,
              pl.id, pl.entry_date, pl.planned_end,
              (SELECT h2.code FROM reservation_bed rb JOIN reservation rv ON rv.id = rb.reservation_id
                 JOIN household h2 ON h2.id = rv.household_id
               WHERE rb.bed_id = b.id AND rv.status <> 'cancelled' AND rv.held_from <= :d
                 AND (rv.closed_on IS NULL OR rv.closed_on > :d) LIMIT 1) AS held_for,
              (SELECT o.reason FROM bed_outage o WHERE o.bed_id = b.id AND o.start_date <= :d
                 AND (o.end_date IS NULL OR o.end_date > :d) LIMIT 1) AS outage
       FROM bed b JOIN room r ON r.id = b.room_id
       LEFT JOIN bed_stay bs ON bs.bed_id = b.id AND NOT bs.cancelled AND bs.start_date <= :d
                             AND (bs.end_date IS NULL OR bs.end_date > :d)
       LEFT JOIN person pe ON pe.id = bs.person_id
       LEFT JOIN placement pl ON pl.id = bs.placement_id
       LEFT JOIN household h ON h.id = pl.household_id
       LEFT JOIN household_member hm ON hm.person_id = pe.id
       WHERE r.structure_id = :sid ORDER BY r.name, b.label""",
    """SELECT id, valid_from, places, note FROM capacity_period WHERE structure_id = :sid ORDER BY valid_from""",
    """SELECT o.id, o.bed_id, r.name, b.label, o.start_date, o.end_date, o.reason
       FROM bed_outage o JOIN bed b ON b.id = o.bed_id JOIN room r ON r.id = b.room_id
       WHERE r.structure_id = :sid ORDER BY o.start_date DESC, r.name, b.label""",
)


def structure_by_hand(db: Database, sid: int, day: dt.date) -> tuple[int, int, int]:
    with raw(db) as conn:
        params = {"sid": sid}
        info = conn.execute(text(STRUCTURE_SQL[0]), params).one()
        beds = conn.execute(
            text(STRUCTURE_SQL[1]).bindparams(bindparam("d", day, type_=Date)), params
        ).all()
        history = conn.execute(text(STRUCTURE_SQL[2]), params).all()
        outages = conn.execute(text(STRUCTURE_SQL[3]), params).all()
    capacity = 0
    for _id, valid_from, places, _note in history:
        if _date(valid_from) <= day:
            capacity = places
    occupied = sum(1 for b in beds if b[3] is not None)
    del info, outages
    return len(beds), occupied, capacity


def structure_ours(db: Database, backend: Any, sid: int, day: dt.date) -> tuple[int, int, int]:
    """What the structure page loads (views.structure_page.load_structure)."""
    try:
        from views.structure_page import load_structure
    except ImportError:  # no desktop installed: the queries it calls
        sheet = Sheets(db).sheet(sid, day)
        Sheets(db).capacity_history(sid)
        return len(sheet.beds), sheet.occupied, sheet.capacity
    data = load_structure(backend, sid, day)
    return len(data.sheet.beds), data.sheet.occupied, data.sheet.capacity


def busiest_structure(db: Database, day: dt.date) -> int:
    """The open structure with the most beds (and the longest history among those)."""
    with db.read() as s:
        beds = (
            select(e.Room.structure_id, func.count(e.Bed.id).label("n"))
            .join(e.Bed, e.Bed.room_id == e.Room.id)
            .group_by(e.Room.structure_id)
            .subquery()
        )
        return int(
            s.scalar(
                select(e.Structure.id)
                .join(beds, beds.c.structure_id == e.Structure.id)
                .where(e.Structure.opened_on <= day, e.Structure.closed_on.is_(None))
                .order_by(beds.c.n.desc(), e.Structure.opened_on, e.Structure.id)
                .limit(1)
            )
        )


# -- presence register ----------------------------------------------------------------

PRESENCE_SQL = """
SELECT bs.start_date, bs.end_date, pe.id, pe.code, pe.first_name, pe.last_name, pe.alias, s.code
FROM bed_stay bs
JOIN placement pl ON pl.id = bs.placement_id
JOIN programme p ON p.id = pl.programme_id
JOIN person pe ON pe.id = bs.person_id
JOIN bed b ON b.id = bs.bed_id
JOIN room r ON r.id = b.room_id
JOIN structure s ON s.id = r.structure_id
WHERE p.code = :code AND NOT bs.cancelled AND bs.start_date < :after
  AND (bs.end_date IS NULL OR bs.end_date > :first)
"""


def presence_by_hand(db: Database, code: str, year: int, month: int) -> dict[int, int]:
    first = dt.date(year, month, 1)
    after = first + dt.timedelta(days=calendar.monthrange(year, month)[1])
    stmt = text(PRESENCE_SQL).bindparams(
        bindparam("first", first, type_=Date), bindparam("after", after, type_=Date)
    )
    with raw(db) as conn:
        rows = conn.execute(stmt, {"code": code}).all()
    days: dict[int, set[int]] = defaultdict(set)
    for start, end, pid, *_rest in rows:
        a = max(_date(start), first)
        b = min(_date(end) or after, after)
        days[pid].update(range(a.day, a.day + (b - a).days))
    return {pid: len(d) for pid, d in days.items()}


def presence_ours(db: Database, code: str, year: int, month: int) -> dict[int, int]:
    return {
        r.person_id: r.total for r in Presence(db).month_nights(year, month, programme_code=code)
    }


def largest_programme(db: Database, day: dt.date) -> str:
    with db.read() as s:
        return str(
            s.scalar(
                select(e.Programme.code)
                .join(e.Placement, e.Placement.programme_id == e.Programme.id)
                .where(e.Placement.entry_date <= day)
                .group_by(e.Programme.code)
                .order_by(func.count(e.Placement.id).desc(), e.Programme.code)
                .limit(1)
            )
        )


# -- screens and workflows, one by one (tests/interactions.py) -------------------------

PART_SQL = """
SELECT * FROM (
  SELECT p.id, p.code, p.first_name, p.last_name, p.alias, p.sex, p.gender_identity,
         p.birth_date, p.citizenship, p.legal_status, p.version, m.household_id,
         h.code AS household_code, m.relationship, {rank} AS rank
  FROM person p
  LEFT JOIN household_member m ON m.person_id = p.id
  LEFT JOIN household h ON h.id = m.household_id
  WHERE {where}
  ORDER BY p.last_name, p.first_name, p.id
  LIMIT 200
) AS part{rank}
"""
SEARCH_SQL = """
SELECT f.*, (
  SELECT st.code FROM bed_stay s JOIN bed b ON b.id = s.bed_id JOIN room r ON r.id = b.room_id
  JOIN structure st ON st.id = r.structure_id
  WHERE s.person_id = f.id AND NOT s.cancelled AND s.start_date <= :day
    AND (s.end_date IS NULL OR s.end_date > :day)
  LIMIT 1
) AS structure_code
FROM ({parts}) AS f
ORDER BY f.rank, f.last_name, f.first_name, f.id
LIMIT 200
"""


def search_by_hand(
    db: Database,
    text_: str,
    after: tuple[int, str, str, int] | None = None,
    day: dt.date | None = None,
) -> list[int]:
    """The same rows as the people search, by one hand-written statement: their ids
    (reference persons and people on their own first, then the other members)."""
    words = text_.lower().split()
    common = [f"p.search_text LIKE :w{i}" for i in range(len(words))]
    params: dict[str, Any] = {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
    params["day"] = day or dt.date.today()
    heads = "(m.id IS NULL OR m.relationship = 'reference')"
    parts = []
    for rank in (0, 1) if after is None or after[0] == 0 else (1,):
        where = [*common, heads if rank == 0 else f"NOT {heads}"]
        if after is not None and after[0] == rank:
            where.append("(p.last_name, p.first_name, p.id) > (:a, :b, :c)")
            params.update(a=after[1], b=after[2], c=after[3])
        parts.append(PART_SQL.format(rank=rank, where=" AND ".join(where)))
    sql = SEARCH_SQL.format(parts=" UNION ALL ".join(parts))
    with raw(db) as conn:
        rows = conn.execute(text(sql), params).all()
    return [row[0] for row in rows]


# What each interaction must stay within: locally (or on a server next door), and over a
# remote office's link of 50 ms (--slow-link 50). Searches are also held to twice the
# hand-written statement of the same rows.
LOCAL_TARGETS_MS = {
    "search, one letter": 100,
    "placement dialog fit, biggest programme": 50,
    "structure page": 50,
}
SLOW_TARGETS_S = {
    "search, one letter": 0.5,
    "search, three letters": 0.5,
    "search, full name": 0.5,
    "search, a deep page": 0.5,
    "a person's details": 0.3,
    "placement dialog fit, biggest programme": 0.5,
    "transfer dialog": 0.3,
    "structure page": 0.3,
    "dashboard": 0.5,
    "free-bed finder": 0.5,
    "place": 0.3,
    "extend": 0.3,
    "transfer": 0.3,
    "exit": 0.3,
}
SEARCHES = {
    "search, one letter": lambda net: ("a", None),
    "search, three letters": lambda net: ("mar", None),
    "search, full name": lambda net: (net.full_name, None),
    "search, a deep page": lambda net: ("a", net.deep_key),
}


class Link:
    """What a run crosses: the database directly, or a slow link (a delaying proxy)."""

    def __init__(self, db: Database, proxy: Any = None, round_trip_ms: float = 0) -> None:
        self.db = db
        self.proxy = proxy
        self.round_trip = round_trip_ms / 1000

    def count(self, fn: Callable[[], Any]) -> tuple[int, int | None]:
        """Statements and round trips of one run of ``fn``."""
        before = self.proxy.round_trips if self.proxy is not None else 0
        n = count_statements(self.db, fn)
        trips = self.proxy.round_trips - before if self.proxy is not None else None
        return n, trips

    def target(self, name: str) -> tuple[str, float | None]:
        """The target of an interaction on this link, in seconds (None: none)."""
        if self.proxy is not None:
            if self.round_trip != 0.05 or name not in SLOW_TARGETS_S:
                return "", None
            limit = SLOW_TARGETS_S[name]
            return f"≤ {limit:g} s at 50 ms", limit
        if name in LOCAL_TARGETS_MS:
            limit_ms = LOCAL_TARGETS_MS[name]
            return f"≤ {limit_ms:g} ms", limit_ms / 1000
        return "", None


def interaction_rows(link: Link, backend: Any, net: Any, repeat: int) -> list[Row]:
    """Every screen's reads: time, statements, round trips; searches beside their
    hand-written statement."""
    from tests.interactions import reads

    rows = []
    for name, fn in reads(backend, net).items():
        fn()  # warm
        statements, trips = link.count(fn)
        ours, result = timed(fn, repeat, warmup=0)
        target, limit = link.target(name)
        met = None if limit is None else ours <= limit
        row = Row(name, ours, None, target, met, statements=statements, round_trips=trips)
        if name in SEARCHES:
            words, after = SEARCHES[name](net)
            base, ids = timed(
                lambda w=words, a=after: search_by_hand(link.db, w, a, net.day), repeat
            )
            row.baseline = base
            twice = ours <= 2 * base
            row.target = (target + " and " if target else "") + "ratio ≤ 2"
            row.met = twice if row.met is None else row.met and twice
            if [p.id for p in result] != ids:
                row.met, row.note = False, "different rows!"
        if trips is not None:
            row.floor = trips * link.round_trip
        rows.append(row)
        print(f"  measured {name}", flush=True)
    return rows


def write_rows(link: Link, backend: Any, net: Any, repeat: int) -> list[Row]:
    """A placement's life for throw-away people (place, extend, transfer, exit), each
    one transaction, timed; then every row it made is taken away again."""
    from tests.interactions import WRITES, Writes

    writes = Writes(backend, net)
    times: dict[str, list[float]] = {name: [] for name in WRITES}
    counted: dict[str, tuple[int, int | None]] = {}
    try:
        # A round that warms the caches up, one that counts, then the timed ones.
        for i in range(repeat + 2):
            for name, fn in writes.steps().items():
                if i == 1:
                    counted[name] = link.count(fn)
                    continue
                t0 = time.perf_counter()
                fn()
                if i:
                    times[name].append(time.perf_counter() - t0)
            writes.remove()  # the beds are free again for the next round
    finally:
        writes.remove()
        writes.remove_structures()
    rows = []
    for name in WRITES:
        ours = statistics.median(times[name]) if times[name] else None
        statements, trips = counted.get(name, (None, None))
        target, limit = link.target(name)
        if link.proxy is None:
            target, limit = "≤ 20 ms", 0.02
        met = None if limit is None or ours is None else ours <= limit
        rows.append(
            Row(
                f"{name} (one transaction)",
                ours,
                None,
                target,
                met,
                statements=statements,
                round_trips=trips,
                floor=trips * link.round_trip if trips is not None else None,
            )
        )
    print("  measured place, extend, transfer, exit", flush=True)
    return rows


# -- printing --------------------------------------------------------------------------


def summary_pdf_ours(db: Database, day: dt.date) -> bytes:
    from desktop.printing.occupancy_summary import occupancy_summary

    return occupancy_summary(db, day)


def summary_rows_by_hand(db: Database, day: dt.date) -> list[list[str]]:
    """The rows the occupancy summary prints, in its order, as plain text: per province a
    heading, per programme a heading, its structures, its subtotal (when the province has
    more than one programme), the province's total; the grand total; then the recap by
    programme and by province. Figures are written with str(), names are not shortened."""
    rows = Occupancy(db).at(day)
    names = {p.code: p.name for p in Directory(db).programmes()}

    def figures(items: list[Any]) -> list[str]:
        sums = [
            sum(getattr(r, n) for r in items)
            for n in ("capacity", "occupied", "reserved", "out_of_service", "free")
        ]
        return [str(v) for v in sums] + [f"{sums[1] / sums[0]:.1%}" if sums[0] else "—"]

    out: list[list[str]] = []
    by_programme: dict[str, list[Any]] = {}
    by_province: dict[str, list[Any]] = {}
    for r in rows:
        by_province.setdefault(r.province, []).append(r)
    for province, in_province in by_province.items():
        out.append(["", f"Province {province}", *[""] * 6])
        per_programme: dict[str, list[Any]] = {}
        for r in in_province:
            per_programme.setdefault(r.programme_code, []).append(r)
        for code, items in per_programme.items():
            out.append(["", f"{code} — {names.get(code, '')}", *[""] * 6])
            out.extend(
                [
                    r.key,
                    r.label,
                    str(r.capacity),
                    str(r.occupied),
                    str(r.reserved),
                    str(r.out_of_service),
                    str(r.free),
                    f"{r.occupied / r.capacity:.1%}" if r.capacity else "—",
                ]
                for r in items
            )
            if len(per_programme) > 1:
                out.append(["", f"Subtotal {code} ({len(items)} structures)", *figures(items)])
            by_programme.setdefault(code, []).extend(items)
        out.append(
            [
                "",
                f"Total province {province} ({len(in_province)} structures)",
                *figures(in_province),
            ]
        )
    out.append(["", f"Grand total ({len(rows)} structures)", *figures(rows)])
    for groups in (by_programme, by_province):
        out.extend(
            [code, names.get(code, code), str(len(items)), *figures(items)]
            for code, items in sorted(groups.items())
        )
    return out


def summary_pdf_bare(db: Database, day: dt.date) -> bytes:
    """The same rows in bare ReportLab tables, one per page, default style.

    The one thing taken from the application is the font: the standard PDF fonts
    cannot write names such as "Ğülşen", so a table of the same rows needs an embedded
    font that can.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    from desktop.printing.fonts import REGULAR, register_fonts

    register_fonts()
    font = TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 7.5)])

    body = summary_rows_by_hand(db, day)
    width = max(len(r) for r in body)
    body = [r + [""] * (width - len(r)) for r in body]
    head = ["Code", "Structure", "Capacity", "Occupied", "Reserved", "Out", "Free", "Rate", ""][
        :width
    ]
    story: list[Any] = []
    per_page = 44  # with the header, as many 15-point rows as fit in the default frame
    for start in range(0, len(body), per_page):
        story.append(Table([head, *body[start : start + per_page]], style=font))
        story.append(PageBreak())
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story or [Table([head])])
    return buffer.getvalue()


# -- start to first data, and memory ---------------------------------------------------

# The bare baseline: a PySide6 window that opens the database with the plain driver, runs
# one hand-written statement of the dashboard's figures and shows them in a table.
BARE_DATA_WINDOW = """
import re
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

url, day, sql_file = sys.argv[1:4]
sql = open(sql_file).read()
app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableWidget(0, 7)
table.setHorizontalHeaderLabels(
    ["Strutture", "Posti", "Letti", "Occupati", "Prenotati", "Fuori servizio", "Liberi"]
)
window.setCentralWidget(table)
window.resize(1280, 800)
filled = []


class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and filled:
            print(f"data {time.monotonic():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False


def load():
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.split(":///", 1)[1])
        rows = conn.execute(sql, {"d": day}).fetchall()
    else:
        import datetime

        import psycopg

        conn = psycopg.connect(url)
        statement = re.sub(r":d\\b", "%(d)s", sql)
        rows = conn.execute(statement, {"d": datetime.date.fromisoformat(day)}).fetchall()
    conn.close()
    total = [0] * 7
    for _sid, _prov, _prog, cap, beds, occ, res, out in rows:
        res, out = int(res or 0), int(out or 0)
        free = max(0, min(cap, beds - out) - occ - res)
        for i, v in enumerate((1, cap, beds, occ, res, out, free)):
            total[i] += v
    table.setRowCount(1)
    for i, v in enumerate(total):
        table.setItem(0, i, QTableWidgetItem(str(v)))
    filled.append(True)
    table.viewport().update()


watch = Watch()
table.viewport().installEventFilter(watch)
window.show()
QTimer.singleShot(0, load)
app.exec()
"""


def run_child(
    command: list[str], env: dict[str, str], timeout: float = 300
) -> tuple[dict[str, float], float, int]:
    """Seconds from the start of one child process to each moment it prints
    (``shown <time.monotonic()>``, ``data <...>``), its own peak resident memory (MB) and
    its exit code. The clock is the system's monotonic one, the same in both processes.

    The memory is the child's alone: its high-water mark read from /proc while it runs
    (the resource usage of children would count the benchmark itself, which the child
    starts as a copy of)."""
    import threading

    t0 = time.monotonic()
    child = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    peak = [0.0]
    status = Path(f"/proc/{child.pid}/status")

    def watch() -> None:
        while child.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak[0] = max(peak[0], int(line.split()[1]) / 1024)
            except (OSError, ValueError):
                pass
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
    watcher.join(timeout=1)
    moments: dict[str, float] = {}
    for line in out.decode(errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("shown", "data"):
            moments.setdefault(parts[0], float(parts[1]) - t0)
    if child.returncode and err:
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return moments, peak[0], child.returncode


def cold_start(link: Link, day: dt.date, repeat: int) -> list[Row] | None:
    """From process start to the first data painted: the application against the bare
    data window, in the same run; and the application's own peak memory."""
    db = link.db
    try:
        import PySide6  # noqa: F401

        import desktop.app  # noqa: F401
    except ImportError:
        return None
    home = Path(tempfile.mkdtemp(prefix="accoglienza-bench-home-"))
    env = dict(os.environ)
    # Compiled bytecode, as an installed application has it (the installer ships it): the
    # first round writes it for both programs, into a cache of its own, not the checkout.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        {
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "ACCOGLIENZA_QUIT_WHEN_SHOWN": "1",
            "ACCOGLIENZA_ALLOW_RAM_DISK": "1",  # the temporary folder may be a tmpfs
            "PYTHONPYCACHEPREFIX": str(home / "pycache"),
        }
    )
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    script = home / "bare_data_window.py"
    script.write_text(BARE_DATA_WINDOW)
    sql = home / "dashboard.sql"
    sql.write_text(OCCUPANCY_SQL)
    plain_url = db.url.replace("postgresql+psycopg://", "postgresql://")
    app_cmd = [sys.executable, "-m", "desktop", "--database", db.url]
    bare_cmd = [sys.executable, str(script), plain_url, day.isoformat(), str(sql)]
    data, bare, peaks = [], [], []
    trips: int | None = None
    try:
        for i in range(repeat + 1):
            t_bare, _m, code_b = run_child(bare_cmd, env)
            before = link.proxy.round_trips if link.proxy is not None else 0
            t_app, peak, code_a = run_child(app_cmd, env)
            if link.proxy is not None:
                trips = link.proxy.round_trips - before
            if code_a or code_b or "data" not in t_bare or "data" not in t_app:
                print(f"  start: exit codes app={code_a} bare={code_b}", file=sys.stderr)
                return None
            if i:  # the first round fills the caches (and upgrades an older database)
                data.append(t_app["data"])
                bare.append(t_bare["data"])
                peaks.append(peak)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    ours, base = statistics.median(data), statistics.median(bare)
    row = Row("start to first data", ours, base, "ratio ≤ 2", ours <= 2 * base, unit="s")
    if link.proxy is not None:
        row.round_trips = trips
        row.floor = trips * link.round_trip if trips is not None else None
        if link.round_trip == 0.05:
            row.target, row.met = "≤ 2.5 s at 50 ms", ours <= 2.5
        else:
            row.target, row.met = "", None
    peak = max(peaks)
    return [
        row,
        Row(
            "peak memory, the application's process", peak, None, "≤ 400 MB", peak <= 400, unit="MB"
        ),
    ]


# -- statements per screen -----------------------------------------------------------------


def count_statements(db: Database, fn: Callable[[], Any]) -> int:
    count = 0

    def before(*_args: Any) -> None:
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return count


def screens(
    db: Database, backend: Any, day: dt.date, sid: int
) -> dict[str, Callable[[], Any]] | None:
    try:
        from views.dashboard import load_dashboard
        from views.navigation import Selection, load_navigation
        from views.structure_page import load_structure
    except ImportError:
        return None

    def main_window() -> None:
        load_navigation(backend)
        load_dashboard(backend, day, Selection())
        backend.occupancy.monthly(day, 12)

    return {"main window": main_window, "structure page": lambda: load_structure(backend, sid, day)}


# -- the run ----------------------------------------------------------------------------------


def slow_link(db: Database, round_trip_ms: float) -> tuple[Database, Any]:
    """The same database reached through the delaying proxy of the test tools."""
    from sqlalchemy.engine import make_url

    from tests.tools.slow_proxy import SlowProxy

    if db.is_sqlite:
        raise SystemExit("--slow-link needs a PostgreSQL database (--database postgresql://...).")
    url = make_url(db.url)
    host = url.host or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("--slow-link measures a server on this computer (127.0.0.1) only.")
    proxy = SlowProxy(
        "127.0.0.1" if host == "localhost" else host, url.port or 5432, round_trip_ms=round_trip_ms
    ).start()
    slow = url.set(host="127.0.0.1", port=proxy.port)
    return Database(slow.render_as_string(hide_password=False)), proxy


def print_table(results: list[Row], slow: bool) -> None:
    header = ["measure", "ours", "baseline", "ratio", "statements"]
    if slow:
        header += ["round trips", "floor"]
    header += ["target", "met"]
    table = []
    for r in results:
        ratio = f"{r.ours / r.baseline:.2f}" if r.ours is not None and r.baseline else "—"
        met = "—" if r.met is None else ("yes" if r.met else "NO")
        ours = fmt(r.ours, r.unit) if r.ours is not None else (r.note or "not measured yet")
        line = [
            r.name,
            ours,
            fmt(r.baseline, r.unit),
            ratio,
            str(r.statements) if r.statements is not None else "—",
        ]
        if slow:
            line += [
                str(r.round_trips) if r.round_trips is not None else "—",
                fmt(r.floor, "s") if r.floor is not None else "—",
            ]
        line += [r.target, met + (f" ({r.note})" if r.note and r.ours is not None else "")]
        table.append(line)
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=demo.PUBLIC_SCALES, default="coop")
    parser.add_argument(
        "--database", metavar="URL", help="database URL or SQLite file (default: a temporary file)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure the network already in the database"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=9, help="runs per measure (median)")
    parser.add_argument(
        "--slow-link",
        type=float,
        metavar="MS",
        help="PostgreSQL only: measure through a proxy adding MS of round trip (MS/2 each way)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["start", "pdf", "ops"],
        help="leave a slow measure out (may be repeated)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("ACCOGLIENZA_LANGUAGE", "it")
    from models import i18n

    i18n.set_language(os.environ["ACCOGLIENZA_LANGUAGE"])
    direct, generated = prepare(args)
    from models.backend import Backend

    day = demo_today(direct)
    proxy = None
    db = direct
    if args.slow_link is not None:
        db, proxy = slow_link(direct, args.slow_link)
    link = Link(db, proxy, args.slow_link or 0)
    backend = Backend(db, actor="benchmark", today=lambda: day)
    from tests.interactions import survey

    sid = busiest_structure(direct, day)
    programme = largest_programme(direct, day)
    net = survey(Backend(direct, actor="benchmark", today=lambda: day), day)
    last_month = day.replace(day=1) - dt.timedelta(days=1)
    print(f"Database: {direct.url} ({db.backend}); {sizes(direct)}")
    if proxy is not None:
        print(
            f"Through a slow link: {args.slow_link:g} ms of round trip (proxy on port {proxy.port})"
        )
    print(
        f"Date {day}; structure page of structure {sid}; presence register of {programme} for "
        f"{last_month:%Y-%m}; {args.repeat} runs per measure",
        flush=True,
    )
    reference_start = machine_reference()
    print(
        f"Machine: {os.cpu_count()} cores; ten million additions in a Python loop take "
        f"{reference_start:.2f} s",
        flush=True,
    )
    results: list[Row] = []
    if generated is not None:
        results.append(Row(f"demo generation ({args.scale})", generated, None, "", None, unit="s"))
    slow = proxy is not None

    def measure(
        name: str,
        ours: Callable[[], Any],
        base: Callable[[], Any],
        max_ratio: float,
        max_ms: float | None = None,
        repeat: int | None = None,
    ) -> None:
        n = repeat or args.repeat
        t_base, r_base = timed(base, n)
        t_ours, r_ours = timed(ours, n)
        row = ratio_row(name, t_ours, t_base, max_ratio, None if slow else max_ms)
        if r_ours != r_base:
            row.met, row.note = False, "different figures!"
        row.statements, row.round_trips = link.count(ours)
        if row.round_trips is not None:
            row.floor = row.round_trips * link.round_trip
        results.append(row)
        print(f"  measured {name}", flush=True)

    measure(
        "dashboard occupancy, whole network",
        lambda: occupancy_ours(db, day),
        lambda: occupancy_by_hand(db, day),
        2,
        100,
    )
    measure(
        "structure page load, biggest structure",
        lambda: structure_ours(db, backend, sid, day),
        lambda: structure_by_hand(db, sid, day),
        2,
        50,
    )
    measure(
        "presence register, programme, month",
        lambda: presence_ours(db, programme, last_month.year, last_month.month),
        lambda: presence_by_hand(db, programme, last_month.year, last_month.month),
        2,
    )
    results.extend(interaction_rows(link, backend, net, args.repeat))
    if "ops" in args.skip:
        results.extend(
            Row(n, None, note="skipped") for n in ("place", "extend", "transfer", "exit")
        )
    else:
        results.extend(write_rows(link, backend, net, args.repeat))
    if "pdf" in args.skip:
        results.append(Row("occupancy summary PDF, whole network", None, note="skipped"))
    else:
        try:
            import desktop.printing.occupancy_summary  # noqa: F401

            pdf_repeat = max(1, min(args.repeat, 3))
            t_base, _ = timed(lambda: summary_pdf_bare(db, day), pdf_repeat)
            t_ours, _ = timed(lambda: summary_pdf_ours(db, day), pdf_repeat)
            results.append(ratio_row("occupancy summary PDF, whole network", t_ours, t_base, 1.3))
            results[-1].unit = "s"
        except ImportError:
            results.append(
                Row("occupancy summary PDF, whole network", None, note="not measured yet")
            )
        print("  measured the occupancy summary PDF", flush=True)
    if "start" in args.skip:
        results.append(Row("start to first data", None, note="skipped"))
        results.append(Row("peak memory, the application's process", None, note="skipped"))
    else:
        started = cold_start(link, day, max(3, args.repeat))
        results.extend(
            started
            or [
                Row("start to first data", None, note="not measured yet"),
                Row("peak memory, the application's process", None, note="not measured yet"),
            ]
        )
        print("  measured the start and memory", flush=True)
    screens_fns = screens(db, backend, day, sid)
    for name, stated in STATED_STATEMENTS[db.backend].items():
        if screens_fns is None:
            results.append(Row(f"statements: {name}", None, note="not measured yet"))
            continue
        n, trips = link.count(screens_fns[name])
        results.append(
            Row(
                f"statements: {name}",
                n,
                None,
                f"≤ {stated} (docs/performance.md)",
                n <= stated,
                unit="n",
                statements=n,
                round_trips=trips,
                floor=trips * link.round_trip if trips is not None else None,
            )
        )

    print()
    print_table(results, slow)
    judged = [r for r in results if r.met is not None]
    print()
    # The same reference after the run: a shared machine can change speed meanwhile.
    print(
        f"Ten million additions took {reference_start:.2f} s before the measures and "
        f"{machine_reference():.2f} s after them."
    )
    where = f"{db.backend}" + (f", {args.slow_link:g} ms link" if slow else "")
    print(
        f"{sum(1 for r in judged if r.met)} of {len(judged)} targets met "
        f"({where}, {args.scale if generated is not None else 'reused'} network)."
    )
    db.dispose()
    if proxy is not None:
        direct.dispose()
        proxy.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
