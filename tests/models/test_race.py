"""Races: many coordinators placing different households into the same bed at once.

Exactly one placement wins; every other one gets the domain's "bed already occupied"
error (never "database is locked", never a raw database error), and the database
holds no overlapping stays afterwards. The race is run twice: with the service's own
check, and with that check switched off so that only the database stops the losers.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter

import pytest
from sqlalchemy import text

from models import rules
from models.backend import Backend
from models.database import Database
from models.errors import BedOccupiedError, DatabaseProblem, PersonAlreadyPlacedError
from models.results import NewPerson
from tests.factories import D, scenario
from tests.models.helpers import bed_ids

DAY = D(2023, 3, 1)
OVERLAPS = """
SELECT count(*) FROM bed_stay a JOIN bed_stay b ON a.id < b.id
 AND (a.bed_id = b.bed_id OR a.person_id = b.person_id)
 AND NOT a.cancelled AND NOT b.cancelled
 AND a.start_date < COALESCE(b.end_date, '9999-12-31')
 AND b.start_date < COALESCE(a.end_date, '9999-12-31')
"""


def _prepare(backend: Backend, n: int) -> tuple[int, int, list[tuple[int, int]]]:
    """n single women (the families structure takes women) and the bed they all want."""
    sc = scenario(backend)
    bed = bed_ids(backend, sc.families.id)[0]
    people = []
    for i in range(n):
        hh = backend.people.register_household(
            [NewPerson(f"Donna{i}", "Prova", "F", D(1990, 1, 1))]
        )
        people.append((hh.id, hh.members[0].person.id))
    return sc.families.id, bed, people


def _skip_python_check(monkeypatch_or_none=None) -> None:
    """Let the service's own bed check pass, so that only the database can refuse."""
    if monkeypatch_or_none is not None:
        monkeypatch_or_none.setattr(rules, "bed_problems", _no_bed_problems)
        monkeypatch_or_none.setattr(rules, "bed_problems_from", _no_problems_from)
    else:
        rules.bed_problems = _no_bed_problems  # type: ignore[assignment]
        rules.bed_problems_from = _no_problems_from  # type: ignore[assignment]


def _no_bed_problems(_s, beds, *_args, **_kwargs):  # type: ignore[no-untyped-def]
    return {b.id: None for b in beds}


def _no_problems_from(_rows, names, *_args, **_kwargs):  # type: ignore[no-untyped-def]
    return dict.fromkeys(names)


def _classify(exc: BaseException) -> str:
    if isinstance(exc, BedOccupiedError):
        return "occupied"
    cause = str(exc.__cause__ or exc).lower()
    if "locked" in cause or "busy" in cause:
        return "locked"
    return f"other: {type(exc).__name__}"


def _attempt(sv: Backend, structure: int, bed: int, household: int, person: int) -> str:
    try:
        sv.placements.place(household, structure, DAY, beds={person: bed})
    except (BedOccupiedError, DatabaseProblem) as exc:
        return _classify(exc)
    except Exception as exc:  # noqa: BLE001 - anything else is a failure the test reports
        return f"other: {type(exc).__name__}: {exc}"
    return "placed"


def _check_outcome(db: Database, outcomes: list[str], bed: int, total: int) -> None:
    counts = Counter(outcomes)
    assert counts == Counter({"placed": 1, "occupied": total - 1}), counts
    with db.engine.connect() as c:
        assert c.execute(text(OVERLAPS)).scalar_one() == 0
        live = c.execute(
            text(f"SELECT count(*) FROM bed_stay WHERE bed_id = {bed} AND NOT cancelled")
        ).scalar_one()
        placements = c.execute(text("SELECT count(*) FROM placement")).scalar_one()
    assert live == 1
    assert placements == 1


@pytest.mark.slow
@pytest.mark.parametrize("python_check", [True, False], ids=["service-check", "database-only"])
def test_postgresql_race_fifty_placements_one_bed(pg_server, python_check, monkeypatch):
    db = Database(pg_server.create())
    try:
        structure, bed, people = _prepare(Backend(db, actor="setup"), 50)
        if not python_check:
            _skip_python_check(monkeypatch)
        threads_n = 10
        barrier = threading.Barrier(threads_n)
        outcomes: list[str] = []
        lock = threading.Lock()

        def worker(chunk: list[tuple[int, int]]) -> None:
            sv = Backend(db, actor="race")
            barrier.wait()
            for household, person in chunk:
                result = _attempt(sv, structure, bed, household, person)
                with lock:
                    outcomes.append(result)

        threads = [
            threading.Thread(target=worker, args=(people[i::threads_n],)) for i in range(threads_n)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        _check_outcome(db, outcomes, bed, 50)
    finally:
        db.dispose()


def _sqlite_worker(url, structure, bed, chunk, python_check, barrier, queue) -> None:  # type: ignore[no-untyped-def]
    if not python_check:
        _skip_python_check()
    db = Database(url)
    sv = Backend(db, actor="race")
    barrier.wait()
    for household, person in chunk:
        queue.put(_attempt(sv, structure, bed, household, person))
    db.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("python_check", [True, False], ids=["service-check", "database-only"])
def test_sqlite_file_race_from_several_processes(sqlite_template, tmp_path, python_check):
    import shutil

    path = tmp_path / "race.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    db = Database(url)
    try:
        structure, bed, people = _prepare(Backend(db, actor="setup"), 40)
        ctx = multiprocessing.get_context("spawn")
        procs_n = 8
        barrier = ctx.Barrier(procs_n)
        queue = ctx.Queue()
        procs = [
            ctx.Process(
                target=_sqlite_worker,
                args=(url, structure, bed, people[i::procs_n], python_check, barrier, queue),
            )
            for i in range(procs_n)
        ]
        for p in procs:
            p.start()
        outcomes = [queue.get(timeout=120) for _ in people]
        for p in procs:
            p.join(timeout=60)
            assert p.exitcode == 0
        _check_outcome(db, outcomes, bed, len(people))
    finally:
        db.dispose()


def test_database_refusal_maps_to_bed_occupied(backend, db, monkeypatch):
    """When the service's check is passed (a race) and the database refuses, the user
    still reads "bed already occupied" and nothing is written."""
    structure, bed, people = _prepare(backend, 2)
    backend.placements.place(people[0][0], structure, DAY, beds={people[0][1]: bed})
    _skip_python_check(monkeypatch)
    with db.engine.connect() as c:
        before = c.execute(text("SELECT count(*) FROM placement")).scalar_one()
    with pytest.raises(BedOccupiedError):
        backend.placements.place(people[1][0], structure, D(2023, 2, 1), beds={people[1][1]: bed})
    with db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM placement")).scalar_one() == before


def _rows(db: Database) -> tuple[int, int, int]:
    """Placements, stays, and stays still open: what a refused write must leave alone."""
    with db.engine.connect() as c:
        return (
            c.execute(text("SELECT count(*) FROM placement")).scalar_one(),
            c.execute(text("SELECT count(*) FROM bed_stay")).scalar_one(),
            c.execute(text("SELECT count(*) FROM bed_stay WHERE end_date IS NULL")).scalar_one(),
        )


def test_database_refusal_of_a_transfer_maps_to_bed_occupied(backend, db, monkeypatch):
    """A transfer into a bed taken meanwhile, past the service's check: the database
    refuses it when it commits (the new stays go with the COMMIT), the user reads "bed
    already occupied", and the old stay, the placement and its version are as before."""
    structure, bed, people = _prepare(backend, 2)
    backend.placements.place(people[0][0], structure, DAY, beds={people[0][1]: bed})
    other = bed_ids(backend, structure)[1]
    moving = backend.placements.place(people[1][0], structure, DAY, beds={people[1][1]: other})
    _skip_python_check(monkeypatch)
    before = _rows(db)
    with pytest.raises(BedOccupiedError) as refused:
        backend.placements.transfer(
            moving.id,
            D(2023, 4, 1),
            structure,
            beds={people[1][1]: bed},
            version=moving.version,
        )
    assert str(refused.value) == "Il posto letto è già occupato in quelle date."
    assert _rows(db) == before
    assert backend.directory.placement(moving.id).version == moving.version
    # and, the service's check back, the same transfer to a free bed goes through
    monkeypatch.undo()
    backend.placements.transfer(moving.id, D(2023, 4, 1), structure, version=moving.version)


@pytest.mark.slow
def test_postgresql_concurrent_registrations_all_succeed(pg_server):
    """Coordinators registering people at the same time each get new, distinct codes."""
    db = Database(pg_server.create())
    try:
        threads_n, each = 8, 5
        barrier = threading.Barrier(threads_n)
        errors: list[str] = []
        codes: list[str] = []
        lock = threading.Lock()

        def worker(i: int) -> None:
            sv = Backend(db, actor="race")
            barrier.wait()
            for k in range(each):
                try:
                    hh = sv.people.register_household(
                        [
                            NewPerson(f"Nome{i}-{k}", "Prova", "F", D(1990, 1, 1)),
                            NewPerson(
                                f"Figlia{i}-{k}", "Prova", "F", D(2015, 1, 1), relationship="child"
                            ),
                        ]
                    )
                except Exception as exc:  # noqa: BLE001 - collected and reported below
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                else:
                    with lock:
                        codes.extend([hh.code, *(m.person.code for m in hh.members)])

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(codes) == len(set(codes)) == threads_n * each * 3
    finally:
        db.dispose()


@pytest.mark.slow
def test_postgresql_same_person_into_two_structures_at_once(pg_server):
    """Two coordinators place the same woman in two different apartments at the same
    moment: the structures are locked separately, so only the database can stop it."""
    db = Database(pg_server.create())
    try:
        sv = Backend(db, actor="setup")
        sc = scenario(sv)
        hh = sv.people.register_household([NewPerson("Sola", "Prova", "F", D(1990, 1, 1))])
        targets = [sc.families.id, sc.other.id] * 3
        barrier = threading.Barrier(len(targets))
        outcomes: list[str] = []
        lock = threading.Lock()

        def worker(structure: int) -> None:
            mine = Backend(db, actor="race")
            barrier.wait()
            try:
                mine.placements.place(hh.id, structure, DAY)
                result = "placed"
            except PersonAlreadyPlacedError:
                result = "already placed"
            except Exception as exc:  # noqa: BLE001 - reported by the assertion
                result = f"other: {type(exc).__name__}: {exc}"
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=worker, args=(t,)) for t in targets]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert Counter(outcomes) == Counter({"placed": 1, "already placed": len(targets) - 1})
        with db.engine.connect() as c:
            assert c.execute(text(OVERLAPS)).scalar_one() == 0
    finally:
        db.dispose()
