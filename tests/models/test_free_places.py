"""Posti liberi: one figure for one structure on one day, whoever shows it.

The structure page, the placement dialog's message, the printed sheet and
``occupancy --json`` all count the places in force, never more than the beds in service,
less the people there and the beds held by reservations; a closed structure has none
after its closing date, which is its last day open (DESIGN.md). Both engines.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from desktop import cli
from desktop.printing import occupancy_sheet
from models.backend import Backend
from models.errors import DomainError
from models.i18n import ngettext
from models.results import NewPerson
from tests.factories import scenario

D = dt.date
DAY = D(2026, 3, 10)


@pytest.fixture
def held(backend: Backend):  # type: ignore[no-untyped-def]
    """Casa Glicine, 4 beds and 3 places on DAY: one woman in a bed, one bed held for
    another household: 1 free place, 2 beds free of anyone."""
    sc = scenario(backend)
    woman = backend.people.register_household([NewPerson("Sara", "Okoro", "F", D(1994, 2, 2))])
    expected = backend.people.register_household([NewPerson("Lina", "Haddad", "F", D(1991, 5, 6))])
    backend.placements.place(woman.id, sc.families.id, DAY - dt.timedelta(days=20))
    backend.reservations.reserve(
        expected.id,
        sc.families.id,
        DAY + dt.timedelta(days=3),
        held_from=DAY - dt.timedelta(days=2),
    )
    backend.structures.set_capacity(sc.families.id, DAY - dt.timedelta(days=5), 3)
    return sc


def _occupancy_json(db_url: str, capsys, day: dt.date) -> dict:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    args = ["--database", db_url, "occupancy", "--date", day.isoformat(), "--json"]
    assert cli.main(args) == 0
    return json.loads(capsys.readouterr().out)


def _structure_row(data: dict, code: str) -> dict:  # type: ignore[type-arg]
    return next(s for s in data["structures"] if s["code"] == code)


def test_the_same_free_figure_on_the_page_in_the_message_the_print_and_the_command_line(
    backend, held, db_url, capsys
) -> None:  # type: ignore[no-untyped-def]
    sc = held
    page = backend.sheets.page(sc.families.id, DAY).sheet
    assert (page.capacity, page.occupied, page.reserved, page.free) == (3, 1, 1, 1)
    assert _structure_row(_occupancy_json(db_url, capsys, DAY), "T-FAM")["free"] == 1
    report = backend.placements.check_fit(sc.mother.id, sc.families.id, DAY)
    assert not report.fits
    message = " ".join(report.reasons)
    assert "1 of 3" in message or "1 posto" in message or "1 dei 3" in message, message
    assert (
        ngettext(
            "({count} bed is held by a reservation.)", "({count} beds are held by reservations.)", 1
        ).format(count=1)
        in message
    )
    pdf = occupancy_sheet(backend.db, sc.families.id, DAY)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    totals = [ln.strip() for ln in text.splitlines() if ln.strip()]
    # The totals row: places, beds, occupied, reserved, out of service, free, rate.
    assert any(totals[i : i + 6] == ["3", "4", "1", "1", "0", "1"] for i in range(len(totals))), (
        totals[-12:]
    )


def test_beds_beyond_the_free_places_are_not_shown_as_free(backend, held) -> None:  # type: ignore[no-untyped-def]
    sheet = backend.sheets.page(held.families.id, DAY).sheet
    statuses = sorted(line.status for line in sheet.beds)
    assert statuses == ["free", "no_place", "occupied", "reserved"]


def test_a_closing_date_is_the_last_day_open(backend) -> None:  # type: ignore[no-untyped-def]
    sc = scenario(backend)
    last_day = D(2026, 2, 28)
    st = backend.directory.structure_by_code("T-UOM")
    backend.structures.update_structure(st.id, st.version, closed_on=last_day)
    man = backend.people.register_household([NewPerson("Ivo", "Marin", "M", D(1990, 1, 1))])

    on_the_day = backend.sheets.page(sc.men.id, last_day).sheet
    assert on_the_day.free == 2
    assert backend.placements.check_fit(man.id, sc.men.id, last_day).fits
    rows = {r.structure_id: r for r in backend.occupancy.at(last_day)}
    assert rows[sc.men.id].capacity == 2 and rows[sc.men.id].free == 2

    after = last_day + dt.timedelta(days=1)
    assert backend.sheets.page(sc.men.id, after).sheet.free == 0
    assert {line.status for line in backend.sheets.page(sc.men.id, after).sheet.beds} == {
        "no_place"
    }
    assert not backend.placements.check_fit(man.id, sc.men.id, after).fits
    with pytest.raises(DomainError):
        backend.placements.place(man.id, sc.men.id, after)
    assert sc.men.id not in {r.structure_id for r in backend.occupancy.at(after)}
    # Placed on the last day, the stay is there that night.
    backend.placements.place(man.id, sc.men.id, last_day, planned_end=after)
    assert backend.sheets.page(sc.men.id, last_day).sheet.occupied == 1
