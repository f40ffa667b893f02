"""People search: the reference person before the other members of a household, homonyms
told apart by their structure, and keyset pages that give every person exactly once."""

from __future__ import annotations

import datetime as dt

from models.backend import Backend
from models.results import NewPerson, PersonInfo
from tests.factories import D, scenario


def all_pages(backend: Backend, text: str, size: int, day: dt.date) -> list[PersonInfo]:
    found: list[PersonInfo] = []
    after = None
    for _page in range(100):
        page = backend.directory.search_people(text, limit=size, after=after, day=day)
        found += page
        if len(page) < size:
            return found
        after = page[-1].search_key
    raise AssertionError("the pages never end")


def homonyms(backend: Backend) -> list[int]:
    """Households of "Rossi": the reference person's first name sorts after the
    children's, and a child's last name sorts before its mother's."""
    refs = []
    for i in range(7):
        h = backend.people.register_household(
            [
                NewPerson("Zena", "Rossi", "F", D(1980 + i, 1, 1)),
                NewPerson("Ada", "Rossi", "F", D(2015, 1, 1 + i), relationship="child"),
                NewPerson("Bruno", "Abati Rossi", "M", D(2016, 1, 1), relationship="child"),
            ]
        )
        refs.append(h.id)
    for i in range(4):  # people on their own, same name
        backend.people.register_household([NewPerson("Ada", "Rossi", "F", D(1990, 2, 1 + i))])
    return refs


def test_deep_pages_of_homonyms_give_everyone_once_reference_first(backend: Backend) -> None:
    homonyms(backend)
    day = D(2026, 12, 3)
    everyone = all_pages(backend, "rossi", 1000, day)
    assert len(everyone) == 7 * 3 + 4
    for size in (2, 3, 5, 7):  # pages 2, 3 and deeper, cut inside the homonyms
        pages = all_pages(backend, "rossi", size, day)
        assert [p.id for p in pages] == [p.id for p in everyone], size
    position = {p.id: i for i, p in enumerate(everyone)}
    for p in everyone:
        if p.relationship not in (None, "reference"):
            members = backend.directory.household(p.household_id or 0).members
            ref = next(m.person for m in members if m.relationship == "reference")
            assert position[ref.id] < position[p.id], (ref.full_name, p.full_name)


def test_the_search_names_the_structure_each_homonym_sleeps_in(backend: Backend) -> None:
    sc = scenario(backend)
    other = backend.people.register_household(
        [NewPerson("Amina", "Ğülşen", "F", D(1990, 3, 4), citizenship="Turchia")]
    )
    backend.placements.place(sc.mother.id, sc.families.id, D(2026, 11, 1))
    found = {p.id: p for p in backend.directory.search_people("amina", day=D(2026, 12, 3))}
    mother = sc.mother.reference
    assert mother is not None
    assert found[mother.id].structure_code == "T-FAM"
    assert found[other.members[0].person.id].structure_code is None
    # Before the entry, nobody sleeps there yet.
    before = {p.id: p for p in backend.directory.search_people("amina", day=D(2026, 10, 31))}
    assert before[mother.id].structure_code is None


def test_partial_accents_find_the_same_people(backend: Backend) -> None:
    backend.people.register_household([NewPerson("Gülşen", "Đorđević", "F", D(1990, 1, 1))])
    for typed in ("Gülşen Dordević", "gulşen đorđevic", "GULSEN DORDEVIC", "Gülsen Đorđević"):
        assert [p.first_name for p in backend.directory.search_people(typed)] == ["Gülşen"], typed
