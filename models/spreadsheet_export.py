"""The whole database in the template's format (``accoglienza export FILE.xlsx``).

As the printed documents do, people placed in an anti-trafficking programme appear by
their codes unless ``named`` is asked: no first or last name, no alias, no birth date
(the person's code stands as the alias, so the file can still be read back), and the
addresses of the structures of those programmes are left out. Without birth dates the
minors of those households read as adults: such a file is for reading, and may not
import again as it is. Cancelled placements,
stays and reservations (corrections of what never happened) are not written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import entities as e
from .database import Database
from .spreadsheet import SHEET_BY_KEY, Table, notes_table, vocabulary_word, write_xlsx


def _table(key: str, rows: list[list[Any]]) -> Table:
    sheet = SHEET_BY_KEY[key]
    return Table(sheet.name, [c.header for c in sheet.columns], rows)


def network_tables(s: Session, *, named: bool) -> list[Table]:
    programmes = {p.id: p for p in s.scalars(select(e.Programme).order_by(e.Programme.code))}
    protected_programmes = {
        pid for pid, p in programmes.items() if p.kind == e.ProgrammeKind.ANTI_TRAFFICKING
    }
    structures = {st.id: st for st in s.scalars(select(e.Structure).order_by(e.Structure.code))}
    rooms = {r.id: r for r in s.scalars(select(e.Room))}
    beds = {b.id: b for b in s.scalars(select(e.Bed))}

    def bed_cells(bed_id: int) -> list[str]:
        b = beds[bed_id]
        room = rooms[b.room_id]
        return [structures[room.structure_id].code, room.name, b.label]

    tables = [
        _table(
            "programmes",
            [
                [
                    p.code,
                    p.name,
                    vocabulary_word("kind", p.kind.value),
                    vocabulary_word(
                        "sai_category", p.sai_category.value if p.sai_category else None
                    ),
                    p.holder,
                    p.managing_partner,
                    p.start_date,
                    p.end_date,
                ]
                for p in programmes.values()
            ],
        ),
        _table(
            "structures",
            [
                [
                    st.code,
                    programmes[st.programme_id].code,
                    st.name,
                    st.province,
                    st.comune,
                    "" if not named and st.programme_id in protected_programmes else st.address,
                    ", ".join(vocabulary_word("target", t.value) for t in sorted(st.targets)),
                    "sì" if st.confidential else "no",
                    st.opened_on,
                    st.closed_on,
                ]
                for st in structures.values()
            ],
        ),
    ]
    bed_rows = sorted(bed_cells(b) for b in beds)
    tables.append(_table("beds", [list(r) for r in bed_rows]))
    periods = s.scalars(select(e.CapacityPeriod)).all()
    tables.append(
        _table(
            "capacity",
            sorted(
                (
                    [structures[p.structure_id].code, p.valid_from, p.places, p.note]
                    for p in periods
                ),
                key=lambda r: (r[0], r[1]),
            ),
        )
    )
    outages = s.scalars(select(e.BedOutage)).all()
    tables.append(
        _table(
            "outages",
            sorted(
                ([*bed_cells(o.bed_id), o.start_date, o.end_date, o.reason] for o in outages),
                key=lambda r: (r[0], r[1], r[2], r[3]),
            ),
        )
    )
    households = {h.id: h for h in s.scalars(select(e.Household))}
    placements = {
        pl.id: pl
        for pl in s.scalars(
            select(e.Placement).where(e.Placement.status != e.PlacementStatus.CANCELLED)
        )
    }
    protected_households = {
        pl.household_id for pl in placements.values() if pl.programme_id in protected_programmes
    }
    people = {p.id: p for p in s.scalars(select(e.Person))}
    members = s.scalars(select(e.HouseholdMember).order_by(e.HouseholdMember.id)).all()
    protected_people = {m.person_id for m in members if m.household_id in protected_households}
    people_rows = []
    for m in members:
        p = people[m.person_id]
        hidden = not named and m.person_id in protected_people
        people_rows.append(
            [
                households[m.household_id].code,
                p.code,
                "" if hidden else p.last_name,
                "" if hidden else p.first_name,
                p.code if hidden else p.alias,
                p.sex.value,
                p.gender_identity,
                None if hidden else p.birth_date,
                p.citizenship,
                vocabulary_word("legal_status", p.legal_status.value),
                vocabulary_word("relationship", m.relationship_.value),
            ]
        )
    people_rows.sort(
        key=lambda r: (r[0], r[10] != vocabulary_word("relationship", "reference"), r[1])
    )
    tables.append(_table("people", people_rows))
    stay_rows = []
    for st in s.scalars(select(e.BedStay).where(e.BedStay.cancelled.is_(False))):
        pl = placements.get(st.placement_id)
        if pl is None:
            continue
        stay_rows.append(
            [
                households[pl.household_id].code,
                programmes[pl.programme_id].code,
                pl.entry_date,
                pl.planned_end,
                pl.exit_date,
                vocabulary_word("exit_reason", pl.exit_reason.value if pl.exit_reason else None),
                pl.exit_destination,
                pl.note,
                people[st.person_id].code,
                *bed_cells(st.bed_id),
                st.start_date,
                st.end_date,
                st.override_reason,
            ]
        )
    stay_rows.sort(key=lambda r: (r[0], r[2], r[12], r[8]))
    tables.append(_table("stays", stay_rows))
    extension_rows = []
    for x in s.scalars(select(e.Extension).order_by(e.Extension.id)):
        pl = placements.get(x.placement_id)
        if pl is None:
            continue
        extension_rows.append(
            [
                households[pl.household_id].code,
                programmes[pl.programme_id].code,
                pl.entry_date,
                x.previous_planned_end,
                x.new_planned_end,
                x.reason,
                x.authorised_by,
                x.granted_on,
            ]
        )
    tables.append(_table("extensions", extension_rows))
    reservation_rows = []
    reservations = {
        r.id: r
        for r in s.scalars(
            select(e.Reservation).where(e.Reservation.status != e.ReservationStatus.CANCELLED)
        )
    }
    for rb in s.scalars(select(e.ReservationBed).order_by(e.ReservationBed.id)):
        res = reservations.get(rb.reservation_id)
        if res is None:
            continue
        reservation_rows.append(
            [
                households[res.household_id].code,
                programmes[res.programme_id].code,
                *bed_cells(rb.bed_id),
                people[rb.person_id].code if rb.person_id else "",
                res.held_from,
                res.expected_on,
                res.closed_on,
                vocabulary_word("reservation_status", res.status.value),
                res.note,
            ]
        )
    tables.append(_table("reservations", reservation_rows))
    return tables


def export_network(db: Database, path: Path, *, named: bool = False) -> dict[str, int]:
    """Write the whole database to ``path`` (.xlsx); returns how many rows each sheet has."""
    with db.read() as s:
        tables = network_tables(s, named=named)
    write_xlsx(path, tables, notes=notes_table())
    return {t.name: len(t.rows) for t in tables}
