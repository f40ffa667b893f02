"""Two PCs changing the same household or the same stay at once (both engines): one
change wins, the other is told the record changed, and the audit trail's "before" is
what each change really replaced."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import text

from models.backend import Backend
from models.database import Database
from models.errors import ConcurrentEditError
from models.results import NewPerson
from tests.factories import D, scenario

TRIALS = 3


def _at_once(db_url: str, calls: list[Callable[[Backend], object]]) -> list[object]:
    """Run each call on its own connection (its own PC), all released together."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        db = Database(db_url)
        backend = Backend(db, actor=f"pc{i}")
        try:
            barrier.wait()
            outcomes[i] = calls[i](backend)
        except Exception as exc:  # noqa: BLE001 - the outcome is what is tested
            outcomes[i] = exc
        finally:
            db.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes


def _audit(db: Database, action: str, entity: str, entity_id: int) -> list[dict]:
    with db.engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT details FROM audit_entry WHERE action = :a AND entity = :e "
                "AND entity_id = :i ORDER BY id"
            ),
            {"a": action, "e": entity, "i": entity_id},
        ).all()
    return [json.loads(r[0]) for r in rows]


def _family(backend: Backend):
    return backend.people.register_household(
        [
            NewPerson("Ada", "Prova", "F", D(1980, 1, 1)),
            NewPerson("Bruno", "Prova", "M", D(1981, 1, 1), relationship="partner"),
            NewPerson("Carla", "Prova", "F", D(1960, 1, 1), relationship="parent"),
        ]
    )


@pytest.mark.parametrize("trial", range(TRIALS))
def test_two_relationship_changes_at_once_one_wins_the_other_is_told(
    backend: Backend, db_url: str, trial: int
) -> None:
    hh = _family(backend)
    ids = [m.person.id for m in hh.members]
    outcomes = _at_once(
        db_url,
        [
            lambda b: b.people.set_relationship(hh.id, ids[1], "reference", hh.version),
            lambda b: b.people.set_relationship(hh.id, ids[2], "reference", hh.version),
        ],
    )
    refused = [o for o in outcomes if isinstance(o, ConcurrentEditError)]
    won = [o for o in outcomes if not isinstance(o, Exception)]
    assert (len(won), len(refused)) == (1, 1), outcomes
    after = backend.directory.household(hh.id)
    references = [m.person.id for m in after.members if m.relationship == "reference"]
    assert len(references) == 1
    assert after == won[0]
    audit = _audit(backend.db, "update", "household", hh.id)
    assert len(audit) == 1
    assert audit[0]["person"] == references[0]


def test_relationship_changes_without_a_version_still_leave_one_reference(
    backend: Backend, db_url: str
) -> None:
    hh = _family(backend)
    ids = [m.person.id for m in hh.members]
    outcomes = _at_once(
        db_url,
        [
            lambda b: b.people.set_relationship(hh.id, ids[1], "reference"),
            lambda b: b.people.set_relationship(hh.id, ids[2], "reference"),
        ],
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    after = backend.directory.household(hh.id)
    assert sum(m.relationship == "reference" for m in after.members) == 1


def test_a_stale_relationship_change_is_refused(backend: Backend) -> None:
    hh = _family(backend)
    ids = [m.person.id for m in hh.members]
    backend.people.set_relationship(hh.id, ids[1], "reference", hh.version)
    with pytest.raises(ConcurrentEditError):
        backend.people.set_relationship(hh.id, ids[2], "reference", hh.version)


def _placed_stay(backend: Backend):
    sc = scenario(backend)
    hh = backend.people.register_household([NewPerson("Dora", "Prova", "F", D(1990, 1, 1))])
    backend.placements.place(hh.id, sc.families.id, D(2023, 3, 1))
    return backend.directory.person_history(hh.members[0].person.id)[0]


@pytest.mark.parametrize("trial", range(TRIALS))
def test_two_corrections_of_one_stay_at_once_one_wins_the_other_is_told(
    backend: Backend, db_url: str, trial: int
) -> None:
    stay = _placed_stay(backend)
    outcomes = _at_once(
        db_url,
        [
            lambda b: b.corrections.correct_stay(
                stay.id, "data sbagliata", start_date=D(2023, 3, 5), version=stay.placement_version
            ),
            lambda b: b.corrections.correct_stay(
                stay.id, "data sbagliata", start_date=D(2023, 3, 9), version=stay.placement_version
            ),
        ],
    )
    refused = [o for o in outcomes if isinstance(o, ConcurrentEditError)]
    won = [o for o in outcomes if not isinstance(o, Exception)]
    assert (len(won), len(refused)) == (1, 1), outcomes
    now = backend.directory.person_history(stay.person_id)[0]
    assert now.start_date == won[0].start_date
    audit = _audit(backend.db, "correct", "bed_stay", stay.id)
    assert len(audit) == 1
    assert audit[0]["before"]["start"] == "2023-03-01"
    assert audit[0]["after"]["start"] == now.start_date.isoformat()


def test_corrections_without_a_version_keep_a_true_before_in_the_audit(
    backend: Backend, db_url: str
) -> None:
    stay = _placed_stay(backend)
    outcomes = _at_once(
        db_url,
        [
            lambda b: b.corrections.correct_stay(stay.id, "uno", start_date=D(2023, 3, 5)),
            lambda b: b.corrections.correct_stay(stay.id, "due", start_date=D(2023, 3, 9)),
        ],
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    first, second = _audit(backend.db, "correct", "bed_stay", stay.id)
    assert first["before"]["start"] == "2023-03-01"
    assert second["before"]["start"] == first["after"]["start"]


def test_a_stale_stay_or_placement_change_is_refused(backend: Backend) -> None:
    stay = _placed_stay(backend)
    fixed = backend.corrections.correct_stay(
        stay.id, "data sbagliata", start_date=D(2023, 3, 2), version=stay.placement_version
    )
    assert fixed.placement_version > stay.placement_version
    with pytest.raises(ConcurrentEditError):
        backend.corrections.cancel_stay(stay.id, "per errore", stay.placement_version)
    with pytest.raises(ConcurrentEditError):
        backend.corrections.cancel_placement(
            stay.placement_id, "per errore", stay.placement_version
        )
    cancelled = backend.corrections.cancel_placement(
        stay.placement_id, "per errore", fixed.placement_version
    )
    assert cancelled.status == "cancelled"
