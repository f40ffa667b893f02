"""A small fictitious scenario used by many tests (names are invented)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.backend import Backend
from models.results import HouseholdInfo, NewPerson, ProgrammeInfo, StructureInfo

D = dt.date


@dataclass
class Scenario:
    programme: ProgrammeInfo
    msna: ProgrammeInfo
    other_programme: ProgrammeInfo
    families: StructureInfo  # 4 beds in 2 rooms, women and families
    men: StructureInfo  # 2 beds, men only
    small: StructureInfo  # 2 beds, families, capacity 2
    other: StructureInfo  # structure of the other programme, 4 beds
    mother: HouseholdInfo  # mother and two minors


def scenario(sv: Backend) -> Scenario:
    p = sv.structures.create_programme(
        "SAI-TEST",
        "SAI Valtellina (prova)",
        "sai",
        D(2014, 2, 1),
        sai_category="ord",
        holder="Provincia di Prova",
    )
    msna = sv.structures.create_programme(
        "SAI-MSNA",
        "SAI minori (prova)",
        "sai",
        D(2014, 2, 1),
        sai_category="msna",
        holder="Comune di Prova",
    )
    other = sv.structures.create_programme(
        "ART18-T", "Derive di prova", "anti_trafficking", D(2020, 1, 1), holder="Comune di Prova"
    )
    fam = sv.structures.create_structure(
        p.id,
        "T-FAM",
        "Casa Glicine",
        "SO",
        D(2014, 2, 1),
        targets=["women", "families", "single_parent"],
        places=4,
        address="Via dei Tigli 3",
        comune="Sondrio",
    )
    sv.structures.add_room(fam.id, "Camera 1", ["A", "B"])
    sv.structures.add_room(fam.id, "Camera 2", ["A", "B"])
    men = sv.structures.create_structure(
        p.id, "T-UOM", "Casa Abete", "SO", D(2014, 2, 1), targets=["men"], places=2
    )
    sv.structures.add_room(men.id, "Camera 1", 2)
    small = sv.structures.create_structure(
        p.id,
        "T-PIC",
        "Casa Betulla",
        "SO",
        D(2014, 2, 1),
        targets=["families", "single_parent"],
        places=2,
    )
    sv.structures.add_room(small.id, "Camera 1", 2)
    oth = sv.structures.create_structure(
        other.id,
        "T-ART",
        "Appartamento Riservato",
        "MI",
        D(2020, 1, 1),
        targets=["women", "single_parent", "families"],
        places=4,
        confidential=True,
        address="Via Nascosta 1",
        comune="Milano",
    )
    sv.structures.add_room(oth.id, "Camera 1", 4)
    mother = sv.people.register_household(
        [
            NewPerson("Amina", "Ğülşen", "F", D(1990, 3, 4), citizenship="Turchia"),
            NewPerson("Łucja", "Ğülşen", "F", D(2015, 6, 1), relationship="child"),
            NewPerson("Omar", "Ğülşen", "M", D(2018, 9, 9), relationship="child"),
        ]
    )
    return Scenario(p, msna, other, fam, men, small, oth, mother)
