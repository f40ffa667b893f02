"""Small helpers shared by the model tests (fictitious data only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from models.backend import Backend
from models.results import NewPerson
from models.sheets import Sheets

D = dt.date
ADULT_BIRTH = D(1990, 1, 1)


def bed_ids(backend: Backend, structure_id: int) -> list[int]:
    """The structure's beds, by room and label."""
    return [line.bed_id for line in Sheets(backend.db).sheet(structure_id, D(2024, 1, 1)).beds]


def single(backend: Backend, first: str = "Ana", sex: str = "F", born: dt.date = ADULT_BIRTH):
    """Register a household of one adult; returns (household, person id)."""
    hh = backend.people.register_household([NewPerson(first, "Prova", sex, born)])
    return hh, hh.members[0].person.id


TABLES = (
    "placement",
    "bed_stay",
    "reservation",
    "reservation_bed",
    "extension",
    "audit_entry",
    "household",
    "person",
    "capacity_period",
    "bed_outage",
)


def row_counts(db) -> dict[str, int]:
    """Rows per table, to check that a refused operation changed nothing."""
    with db.engine.connect() as c:
        return {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def snapshot(db) -> list[tuple]:
    """Every bed stay and placement as they are, to compare before and after."""
    with db.engine.connect() as c:
        stays = c.execute(
            text(
                "SELECT id, placement_id, person_id, bed_id, start_date, end_date, cancelled FROM bed_stay ORDER BY id"
            )
        ).all()
        pls = c.execute(
            text(
                "SELECT id, entry_date, planned_end, exit_date, exit_reason, status, version FROM placement ORDER BY id"
            )
        ).all()
    return [tuple(map(str, r)) for r in stays] + [tuple(map(str, r)) for r in pls]
