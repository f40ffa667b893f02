"""What each role may change (models.access, checked in models.unit_of_work): a reader
nothing; an operator placements in their programmes, not the network; a coordinator the
network of their programmes; nobody a programme not theirs. A refusal says so and
changes nothing. Both engines (the program's own check, not the server's)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import entities as e
from models.access import Principal, Role
from models.backend import Backend
from models.errors import NotAllowedError
from models.results import NewPerson
from tests.factories import D, Scenario, scenario


def counts(backend: Backend) -> tuple[int, ...]:
    with backend.db.read() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (
                e.Programme,
                e.Structure,
                e.Room,
                e.Bed,
                e.CapacityPeriod,
                e.Placement,
                e.BedStay,
                e.Reservation,
                e.Person,
                e.AuditEntry,
            )
        )


@pytest.fixture
def world(backend: Backend) -> tuple[Scenario, int]:
    sc = scenario(backend)
    placed = backend.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    return sc, placed.id


def as_(backend: Backend, role: Role, programmes: list[int]) -> Backend:
    return Backend(backend.db, principal=Principal.assigned("someone", role, programmes))


def refused(backend: Backend, attempt) -> None:  # type: ignore[no-untyped-def]
    before = counts(backend)
    with pytest.raises(NotAllowedError, match="ruolo non permette"):
        attempt()
    assert counts(backend) == before


def test_reader_changes_nothing(backend: Backend, world: tuple[Scenario, int]) -> None:
    sc, placement = world
    reader = as_(backend, Role.READER, [sc.programme.id])
    refused(backend, lambda: reader.placements.record_exit(placement, D(2023, 2, 1), "other"))
    refused(backend, lambda: reader.people.register_household([NewPerson("A", "B", "F")]))
    refused(backend, lambda: reader.structures.add_room(sc.families.id, "Nuova", 1))


def test_operator_places_in_their_programme_only_and_never_edits_the_network(
    backend: Backend, world: tuple[Scenario, int]
) -> None:
    sc, placement = world
    op = as_(backend, Role.OPERATOR, [sc.programme.id])
    # In their programme: a placement's exit, a new household.
    op.placements.extend(placement, D(2023, 9, 1), "progetto in corso")
    op.people.register_household([NewPerson("Nadia", "Prova", "F", D(1990, 1, 1))])
    # Not the network, not even of their programme.
    refused(backend, lambda: op.structures.add_room(sc.families.id, "Nuova", 1))
    refused(backend, lambda: op.structures.set_capacity(sc.families.id, D(2024, 1, 1), 9))
    refused(backend, lambda: op.structures.create_programme("X", "X", "sai", D(2024, 1, 1)))
    # Not a placement in another programme, nor a transfer into it.
    refused(
        backend,
        lambda: op.reservations.reserve(sc.mother.id, sc.other.id, D(2024, 1, 1)),
    )
    refused(backend, lambda: op.placements.transfer(placement, D(2023, 3, 1), sc.other.id))


def test_coordinator_edits_the_network_of_their_programmes_only(
    backend: Backend, world: tuple[Scenario, int]
) -> None:
    sc, placement = world
    coord = as_(backend, Role.COORDINATOR, [sc.programme.id])
    coord.structures.add_room(sc.small.id, "Camera 9", 1)
    refused(backend, lambda: coord.structures.add_room(sc.other.id, "Camera 9", 1))
    refused(
        backend,
        lambda: coord.structures.create_structure(
            sc.other_programme.id, "T-NEW", "Nuova", "MI", D(2021, 1, 1)
        ),
    )
    refused(
        backend,
        lambda: coord.structures.update_programme(sc.programme.id, None, holder="Altro ente"),
    )


def test_someone_elses_programme_is_refused_for_every_kind_of_write(
    backend: Backend, world: tuple[Scenario, int]
) -> None:
    sc, placement = world
    with backend.db.read() as s:
        stay_id = s.scalar(select(e.BedStay.id).where(e.BedStay.placement_id == placement))
        person_id = s.scalar(select(e.HouseholdMember.person_id).limit(1))
    # Assigned only the other programme: nothing of SAI-TEST may change.
    coord = as_(backend, Role.COORDINATOR, [sc.other_programme.id])
    refused(backend, lambda: coord.placements.record_exit(placement, D(2023, 2, 1), "other"))
    refused(backend, lambda: coord.placements.extend(placement, D(2023, 9, 1), "x"))
    refused(backend, lambda: coord.corrections.cancel_stay(stay_id, "errore"))
    refused(backend, lambda: coord.corrections.cancel_placement(placement, "errore"))
    refused(backend, lambda: coord.people.update_person(person_id, None, alias="A"))
    refused(backend, lambda: coord.structures.rename_room(_room_of(backend, sc), None, "Z"))


def _room_of(backend: Backend, sc: Scenario) -> int:
    with backend.db.read() as s:
        return int(s.scalar(select(e.Room.id).where(e.Room.structure_id == sc.families.id)))
