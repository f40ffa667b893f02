"""An exit recorded ahead of its date, on the screens: the household is still placed, every
workflow stays open, and the page says when the exit is due."""

from __future__ import annotations

import datetime as dt

from models.backend import Backend
from models.formatting import format_short_date
from models.i18n import _
from tests.factories import scenario
from views.dialogs.texts import date_text
from views.people_page import PeoplePage
from views.structure_page import BedModel

D = dt.date
TODAY = D(2026, 12, 2)


def test_a_scheduled_exit_leaves_the_workflows_open(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    backend = Backend(db, actor="test", today=lambda: TODAY)
    sc = scenario(backend)
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2026, 11, 1))
    backend.placements.record_exit(pl.id, D(2027, 1, 15), "socio_economic")
    page = PeoplePage(backend, day=TODAY)
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.search, "amina")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.household is not None)
    info = page.household_info.text()
    assert _("Not placed at the moment.") not in info
    assert _("exit scheduled on {date}").format(date=date_text(D(2027, 1, 15))) in info
    assert "Casa Glicine" in info
    for button in (page.transfer_button, page.exit_button, page.extend_button):
        assert button.isEnabled()
    assert page.selected_placement_id() == pl.id


def test_the_structure_page_shows_when_the_bed_is_left(db) -> None:  # type: ignore[no-untyped-def]
    backend = Backend(db, actor="test", today=lambda: TODAY)
    sc = scenario(backend)
    pl = backend.placements.place(
        sc.mother.id, sc.families.id, D(2026, 11, 1), planned_end=D(2027, 5, 1)
    )
    backend.placements.record_exit(pl.id, D(2027, 1, 15), "socio_economic")
    model = BedModel()
    model.set_lines(TODAY, backend.sheets.sheet(sc.families.id, TODAY).beds)
    occupied = [r for r in range(model.rowCount()) if model.index(r, BedModel.PERSON).data()]
    assert len(occupied) == 3
    for r in occupied:
        assert model.index(r, BedModel.PLANNED_END).data() == format_short_date(D(2027, 1, 15))
        assert (
            _("leaves the bed on {date}").format(date=format_short_date(D(2027, 1, 15)))
            in model.index(r, BedModel.NOTE).data()
        )
