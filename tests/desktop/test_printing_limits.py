"""Every record that can be stored prints: the longest names and texts the limits
allow still make an occupancy sheet, a register and a summary (both engines)."""

from __future__ import annotations

from desktop.printing import occupancy_sheet, occupancy_summary, presence_register
from models.backend import Backend
from models.results import NewPerson
from tests.factories import D, scenario


def test_a_record_at_every_limit_prints(backend: Backend) -> None:
    """The longest names and texts that can be stored still make a sheet and a register."""
    sc = scenario(backend)
    st = backend.structures.create_structure(
        sc.programme.id,
        "L" * 40,
        "Ñ" * 200,
        "MI",
        D(2020, 1, 1),
        address="W" * 300,
        comune="M" * 120,
        places=2,
    )
    backend.structures.add_room(st.id, "R" * 80, ["B" * 40, "b" * 40])
    hh = backend.people.register_household(
        [NewPerson("W" * 120, "Ŵ" * 120, "F", D(1990, 1, 1), alias="A" * 120)]
    )
    backend.placements.place(hh.id, st.id, D(2023, 5, 1))
    for pseudonymised in (False, True):
        pdf = occupancy_sheet(backend.db, st.id, D(2023, 5, 2), pseudonymised=pseudonymised)
        assert pdf.startswith(b"%PDF")
        pdf = presence_register(
            backend.db, 2023, 5, structure_id=st.id, pseudonymised=pseudonymised
        )
        assert pdf.startswith(b"%PDF")
    assert occupancy_summary(backend.db, D(2023, 5, 2)).startswith(b"%PDF")
