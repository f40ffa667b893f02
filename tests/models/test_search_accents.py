"""People search: accents are optional in every part of what is typed."""

from __future__ import annotations

import datetime as dt

import pytest

from models.backend import Backend
from models.results import NewPerson
from tests.factories import scenario


@pytest.mark.parametrize(
    "typed", ["Ğülşen", "Gülşen", "gülsen", "GULSEN", "Gulşen Amina", "amína ğul"]
)
def test_a_name_is_found_with_or_without_its_accents(backend: Backend, typed: str) -> None:
    sc = scenario(backend)
    found = backend.directory.search_people(typed)
    assert sc.mother.reference is not None
    assert sc.mother.reference.id in {p.id for p in found}, typed


@pytest.mark.parametrize("typed", ["Đorđević", "Dordević", "Đordevic", "dorde", "ĐORĐ"])
def test_letters_without_a_decomposition_are_folded_too(backend: Backend, typed: str) -> None:
    h = backend.people.register_household(
        [NewPerson("Milan", "Đorđević", "M", dt.date(1980, 1, 1))]
    )
    found = backend.directory.search_people(typed)
    assert h.members[0].person.id in {p.id for p in found}, typed
