"""Limits on input, the same on both engines: each refused with one clear message and
nothing stored; every record that can be stored prints."""

from __future__ import annotations

import pytest

from models import limits
from models.backend import Backend
from models.errors import ValidationError
from models.results import NewPerson
from tests.factories import D, scenario
from tests.models.helpers import row_counts, single

TODAY = D(2024, 1, 10)


@pytest.mark.parametrize(
    ("person", "fragment"),
    [
        (NewPerson("A" * 121, "Prova", "F", D(1990, 1, 1)), "121"),
        (NewPerson("Ana", "B" * 100_000, "F", D(1990, 1, 1)), "100000"),
        (NewPerson("Ana", "Prova", "F", D(1990, 1, 1), alias="C" * 121), "121"),
        (NewPerson("An\x00a", "Prova", "F", D(1990, 1, 1)), "NUL"),
        (NewPerson("Ana", "Pro\nva", "F", D(1990, 1, 1)), "NUL"),
        (NewPerson("Ana", "Prova", "F", D(1990, 1, 1), alias="x\x1by"), "NUL"),
        (NewPerson("Ana", "Prova", "F", D(1800, 5, 1)), "1900"),
        (NewPerson("Ana", "Prova", "F", D(1899, 12, 31)), "1900"),
        (NewPerson("Ana", "Prova", "F", D(2030, 1, 1)), "futur"),
    ],
)
def test_a_person_over_a_limit_is_refused_and_nothing_is_stored(
    backend: Backend, person: NewPerson, fragment: str
) -> None:
    before = row_counts(backend.db)
    with pytest.raises(ValidationError) as refused:
        backend.people.register_household([person])
    assert fragment in str(refused.value)
    assert "\n" not in str(refused.value)
    assert row_counts(backend.db) == before


def test_the_limits_hold_on_update_too(backend: Backend) -> None:
    hh, pid = single(backend)
    person = hh.members[0].person
    for fields in (
        {"first_name": "x" * 121},
        {"last_name": "a\x00b"},
        {"alias": "é" * 121},
        {"birth_date": D(1850, 1, 1)},
        {"citizenship": "y" * 81},
    ):
        with pytest.raises(ValidationError):
            backend.people.update_person(pid, person.version, **fields)
    again = backend.directory.household(hh.id).members[0].person
    assert (again.first_name, again.version) == ("Ana", person.version)
    # at the limit it is accepted
    ok = backend.people.update_person(pid, person.version, last_name="Ł" * 120)
    assert ok.last_name == "Ł" * 120


def test_a_province_is_checked_the_same_on_create_and_update(backend: Backend) -> None:
    sc = scenario(backend)
    for bad in ("9Z", "ZZ", "M", "MIL"):
        with pytest.raises(ValidationError, match="MI"):
            backend.structures.create_structure(sc.programme.id, "N-1", "Casa", bad, D(2020, 1, 1))
        with pytest.raises(ValidationError, match="MI"):
            backend.structures.update_structure(sc.men.id, sc.men.version, province=bad)
    assert backend.directory.structure_by_code("N-1") is None
    st = backend.structures.update_structure(sc.men.id, sc.men.version, province=" co ")
    assert st.province == "CO"


def test_structure_and_programme_texts_are_bounded(backend: Backend) -> None:
    sc = scenario(backend)
    with pytest.raises(ValidationError):
        backend.structures.create_structure(
            sc.programme.id, "N-2", "Casa " * 300, "MI", D(2020, 1, 1)
        )
    with pytest.raises(ValidationError):
        backend.structures.update_structure(sc.men.id, sc.men.version, address="Via\x00 Roma")
    with pytest.raises(ValidationError):
        backend.structures.create_programme("P" * 41, "Prova", "sai", D(2020, 1, 1))


def test_searches_with_nul_or_only_wildcards_are_answered(backend: Backend) -> None:
    single(backend, "Ana")
    single(backend, "Bea")
    assert [p.first_name for p in backend.directory.search_people("an\x00a")] == ["Ana"]
    assert backend.directory.search_people("zq\x00") == []
    everyone = backend.directory.search_people("")
    assert len(backend.directory.search_people("%")) == len(everyone)
    assert len(backend.directory.search_people("%% __ *")) == len(everyone)
    assert backend.directory.search_people("ana " + "x" * 100_000) == []
    assert limits.search_words("a\x00b") == ["a", "b"]
