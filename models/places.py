"""Posti liberi: the one definition of free places (DESIGN.md), used by every count
(``occupancy_counts``), the planning board and the prints. Plain arithmetic, no database.
"""

from __future__ import annotations


def free_places(
    capacity: int, beds: int, occupied: int, reserved: int, out: int, taking: bool = True
) -> int:
    """Posti liberi, the one definition (DESIGN.md): the places in force, never more than
    the beds in service, less the people there and the beds held by reservations; none
    where nobody can go in (a closed structure, a programme not running)."""
    if not taking:
        return 0
    return max(0, min(capacity, beds - out) - occupied - reserved)
