"""Extensions beyond the SAI terms (six months, then six more): the service asks for a
reason of their own and marks them; the dialog asks for it only when the new end goes
beyond. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from models.backend import Backend
from models.errors import ValidationError
from models.i18n import _
from models.terms import beyond_sai_terms, sai_terms_apply, sai_terms_end
from tests.factories import scenario
from views.dialogs.context import DialogContext
from views.dialogs.extension_dialog import ExtensionDialog
from views.tasks import TaskRunner

D = dt.date
ENTRY = D(2024, 1, 5)


@pytest.fixture
def world(db, backend):
    sc = scenario(backend)
    return Backend(db, actor="test"), sc


def test_sai_terms_are_six_months_then_six_more():
    assert sai_terms_end(D(2024, 1, 5)) == D(2025, 1, 5)
    assert sai_terms_end(D(2024, 2, 29)) == D(2025, 2, 28)
    assert not beyond_sai_terms(True, ENTRY, D(2025, 1, 5))
    assert beyond_sai_terms(True, ENTRY, D(2025, 1, 6))
    assert not beyond_sai_terms(False, ENTRY, D(2026, 1, 6))
    assert sai_terms_apply("sai", "ord") and sai_terms_apply("sai", None)
    assert not sai_terms_apply("sai", "msna")  # minors follow their own rule
    assert not sai_terms_apply("anti_trafficking", None)


def test_an_extension_beyond_the_terms_needs_its_reason_and_is_marked(world):
    backend, sc = world
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY, planned_end=D(2024, 7, 5))
    within = backend.placements.extend(pl.id, D(2025, 1, 5), "permesso in attesa")
    assert [x.beyond_terms for x in within.extensions] == [False]
    with pytest.raises(ValidationError):
        backend.placements.extend(pl.id, D(2025, 3, 5), "anno scolastico")
    assert backend.placements.extend is not None
    beyond = backend.placements.extend(
        pl.id,
        D(2025, 3, 5),
        "anno scolastico",
        beyond_terms_reason="fine dell'anno scolastico dei figli",
    )
    assert [x.beyond_terms for x in beyond.extensions] == [False, True]
    assert "fine dell'anno scolastico dei figli" in beyond.extensions[-1].reason
    assert beyond.planned_end == D(2025, 3, 5)


def test_the_dialog_asks_why_only_beyond_the_terms(qtbot, world):
    backend, sc = world
    pl = backend.placements.place(sc.mother.id, sc.families.id, ENTRY, planned_end=D(2024, 12, 5))
    dlg = ExtensionDialog(DialogContext(backend, TaskRunner(), D(2024, 11, 20)), placement_id=pl.id)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.new_end.set_value(D(2025, 1, 5))
    assert not dlg.beyond_reason.isVisible()
    dlg.new_end.set_value(D(2025, 6, 5))
    assert dlg.beyond_reason.isVisible()
    assert "05/01/2025" in dlg.beyond_note.text()
    qtbot.keyClicks(dlg.reason, "anno scolastico")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.error_label.text() == _(
        "Write why the placement goes on beyond the SAI terms; nothing was saved."
    )
    qtbot.keyClicks(dlg.beyond_reason, "fine dell'anno scolastico")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error_label.text()
    assert dlg.result_value.extensions[-1].beyond_terms
