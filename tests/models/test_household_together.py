"""The target group of a structure is judged on the household members who will sleep there
together, not only on the ones being moved or placed."""

from __future__ import annotations

import datetime as dt

import pytest

from models.errors import TargetGroupError
from models.results import NewPerson
from tests.factories import scenario

D = dt.date


def test_a_child_moving_to_another_bed_of_its_mothers_apartment_needs_no_reason(backend) -> None:  # type: ignore[no-untyped-def]
    sc = scenario(backend)
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2024, 3, 1))
    omar = next(m.person for m in sc.mother.members if m.person.first_name == "Omar")
    fit = backend.placements.check_fit(
        sc.mother.id, sc.families.id, D(2024, 4, 1), person_ids=[omar.id]
    )
    assert not fit.target_group_problem
    backend.placements.transfer(pl.id, D(2024, 4, 1), sc.families.id, person_ids=[omar.id])
    # Alone, the same child is not a single-parent family: elsewhere the rule still applies.
    assert backend.placements.check_fit(
        sc.mother.id, sc.men.id, D(2024, 4, 1), person_ids=[omar.id]
    ).target_group_problem


def test_a_man_joining_his_family_is_judged_with_them(backend) -> None:  # type: ignore[no-untyped-def]
    sc = scenario(backend)
    h = backend.people.register_household(
        [
            NewPerson("Ada", "Okoro", "F", D(1990, 1, 1)),
            NewPerson("Ike", "Okoro", "M", D(1988, 1, 1), relationship="partner"),
        ]
    )
    wife, husband = (m.person for m in h.members)
    backend.placements.place(h.id, sc.families.id, D(2024, 3, 1), person_ids=[wife.id])
    # Alone he is a man; with his wife already there they are a family, which the apartment takes.
    assert backend.placements.check_fit(
        h.id, sc.families.id, D(2024, 3, 10), person_ids=[husband.id]
    ).fits
    backend.placements.place(h.id, sc.families.id, D(2024, 3, 10), person_ids=[husband.id])
    with pytest.raises(TargetGroupError):
        backend.placements.place(h.id, sc.small.id, D(2024, 3, 10), person_ids=[husband.id])
