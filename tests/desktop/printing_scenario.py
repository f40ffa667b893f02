"""The scenario of tests/factories with people placed, a reservation and an outage.

Names are fictitious and chosen to carry letters beyond Latin-1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.backend import Backend
from models.results import HouseholdInfo, NewPerson, StructureInfo
from models.sheets import Sheets
from tests.factories import Scenario, scenario

D = dt.date
DAY = D(2024, 11, 15)


@dataclass
class PrintScenario:
    base: Scenario
    man: HouseholdInfo
    woman: HouseholdInfo  # in the confidential anti-trafficking apartment
    expected: HouseholdInfo  # holds a reservation in Casa Glicine
    day: dt.date = DAY

    @property
    def families(self) -> StructureInfo:
        return self.base.families


def print_scenario(sv: Backend) -> PrintScenario:
    sc = scenario(sv)
    sv.placements.place(sc.mother.id, sc.families.id, D(2024, 9, 2), planned_end=D(2025, 3, 1))
    man = sv.people.register_household(
        [NewPerson("Đorđe", "Ștefănescu", "M", D(1985, 1, 15), citizenship="Romania")]
    )
    sv.placements.place(man.id, sc.men.id, D(2024, 10, 7), planned_end=D(2025, 4, 6))
    woman = sv.people.register_household(
        [NewPerson("Yıldız", "Kayalı", "F", D(1998, 7, 21), citizenship="Nigeria")]
    )
    sv.placements.place(woman.id, sc.other.id, D(2024, 8, 1), planned_end=D(2025, 1, 31))
    expected = sv.people.register_household([NewPerson("Nadia", "Haddad", "F", D(1993, 12, 2))])
    sv.reservations.reserve(expected.id, sc.families.id, D(2024, 11, 20), held_from=D(2024, 11, 1))
    free_man_bed = [b for b in Sheets(sv.db).sheet(sc.men.id, DAY).beds if b.status == "free"][0]
    sv.structures.put_bed_out_of_service(
        free_man_bed.bed_id, D(2024, 11, 1), D(2024, 12, 15), "Rete da sostituire"
    )
    return PrintScenario(sc, man, woman, expected)
