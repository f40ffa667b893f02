"""The dialogs follow what the coordinator chose in the window.

The placement dialog opens on the programme selected in the navigation, even when the
household's last placement was in another one; the transfer dialog proposes a structure
that fits, never the one the household is leaving. Both engines.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.backend import Backend
from tests.factories import scenario
from views.dialogs.context import DialogContext
from views.dialogs.placement_dialog import PlacementDialog
from views.dialogs.transfer_dialog import TransferDialog
from views.selection import PROGRAMME, STRUCTURE, Selection
from views.tasks import TaskRunner

D = dt.date
ENTRY, MOVE = D(2024, 3, 1), D(2024, 4, 15)


@pytest.fixture
def backend(db) -> Backend:  # type: ignore[no-untyped-def]
    return Backend(db, actor="test")


def test_the_placement_dialog_opens_on_the_programme_selected(qtbot, backend) -> None:  # type: ignore[no-untyped-def]
    sc = scenario(backend)
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY)
    backend.placements.record_exit(pl.id, MOVE, "socio_economic")
    selection = Selection(PROGRAMME, "Derive di prova", programme_code="ART18-T")
    context = DialogContext(backend, TaskRunner(), MOVE + dt.timedelta(days=5), selection)
    dialog = PlacementDialog(context, household_id=sc.mother.id)
    qtbot.addWidget(dialog)
    assert dialog.chooser.programme.currentData() == sc.other_programme.id


def test_the_transfer_dialog_proposes_a_structure_that_fits_not_the_one_they_leave(
    qtbot, backend
) -> None:  # type: ignore[no-untyped-def]
    sc = scenario(backend)
    second = backend.structures.create_structure(
        sc.programme.id,
        "T-FAM2",
        "Casa Ortensia",
        "SO",
        D(2014, 2, 1),
        targets=["women", "families", "single_parent"],
        places=4,
    )
    backend.structures.add_room(second.id, "Camera 1", ["A", "B", "C", "D"])
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY)
    # Opened from the structure page of Casa Glicine, where the family is.
    selection = Selection(
        STRUCTURE, "Casa Glicine", programme_code="SAI-TEST", structure_id=sc.families.id
    )
    context = DialogContext(backend, TaskRunner(), MOVE, selection)
    dialog = TransferDialog(context, placement_id=pl.id, structure_id=sc.families.id)
    qtbot.addWidget(dialog)
    assert dialog.chooser.structure_id() == second.id
    report = dialog.chooser.report()
    assert report is not None and report.fits
