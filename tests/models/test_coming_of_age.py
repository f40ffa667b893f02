"""Unaccompanied minors coming of age (neomaggiorenni) in MSNA programmes.

A boy placed at 17 turns 18: within 60 days he is listed, after the birthday he is
marked neomaggiorenne with the end the SAI rules give (six months after the birthday)
until an extension is granted. Someone placed as an adult, or in another programme, is
not listed. Both engines.
"""

from __future__ import annotations

import datetime as dt

from models.backend import Backend
from models.presence import eighteenth_birthday
from models.results import NewPerson
from tests.factories import scenario

D = dt.date
DAY = D(2026, 6, 1)


def _msna_structure(backend: Backend, sc):  # type: ignore[no-untyped-def]
    st = backend.structures.create_structure(
        sc.msna.id, "T-MS1", "Casa Minori 1", "SO", D(2014, 2, 1), places=6
    )
    backend.structures.add_room(st.id, "Camera 1", 6)
    return st


def _boy(backend: Backend, first: str, birth: dt.date):  # type: ignore[no-untyped-def]
    return backend.people.register_household([NewPerson(first, "Tesfaye", "M", birth)])


def test_minors_turning_18_within_60_days_and_those_of_age_still_there(backend) -> None:  # type: ignore[no-untyped-def]
    sc = scenario(backend)
    st = _msna_structure(backend, sc)
    soon = _boy(backend, "Abel", D(2008, 7, 15))  # 18 on 15/07/2026: within 60 days
    later = _boy(backend, "Dawit", D(2008, 12, 1))  # 18 in December: not yet
    of_age = _boy(backend, "Yonas", D(2008, 3, 10))  # 18 since 10/03/2026
    adult = _boy(backend, "Samuel", D(2000, 1, 1))  # placed as an adult
    for h in (soon, later, of_age, adult):
        backend.placements.place(h.id, st.id, D(2025, 9, 1), planned_end=D(2027, 3, 1))
    # A minor with his mother in an ordinary programme is not an MSNA case.
    backend.placements.place(sc.mother.id, sc.families.id, D(2025, 9, 1))

    rows = backend.presence.coming_of_age(DAY)
    assert [r.name for r in rows] == ["Tesfaye Yonas", "Tesfaye Abel"]
    yonas, abel = rows
    assert yonas.adult_on(DAY) and not abel.adult_on(DAY)
    assert yonas.eighteenth == D(2026, 3, 10) and yonas.rule_end == D(2026, 9, 10)
    assert abel.rule_end == D(2027, 1, 15)
    assert yonas.beyond_rule  # planned to March 2027, six months after the birthday is 10/09/2026

    backend.placements.extend(yonas.placement_id, D(2027, 3, 31), "prosieguo amministrativo")
    yonas_now = backend.presence.coming_of_age(DAY)[0]
    assert yonas_now.extended and not yonas_now.beyond_rule


def test_the_eighteenth_birthday_of_a_leap_day() -> None:
    assert eighteenth_birthday(D(2008, 2, 29)) == D(2026, 2, 28)
    assert eighteenth_birthday(D(2008, 7, 15)) == D(2026, 7, 15)
