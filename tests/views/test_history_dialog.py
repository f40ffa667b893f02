"""Cronologia…: the changes of the selected placement, person or structure, on screen,
on both engines, in the interface's language."""

from __future__ import annotations

import datetime as dt

from models.backend import Backend
from models.i18n import _
from tests.factories import scenario
from views.dialogs.context import DialogContext
from views.dialogs.history_dialog import HistoryDialog
from views.main_window import MainWindow
from views.settings_store import MemorySettings
from views.tasks import TaskRunner

D = dt.date


def rows(dialog: HistoryDialog) -> list[list[str]]:
    t = dialog.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_a_placements_extension_shows_who_and_the_dates_before_and_after(qtbot, db):
    backend = Backend(db, actor="test")
    sc = scenario(backend)
    pl = backend.placements.place(
        sc.mother.id, sc.families.id, D(2026, 3, 1), planned_end=D(2026, 9, 1)
    )
    backend.placements.extend(pl.id, D(2027, 3, 1), "Percorso di autonomia")
    ctx = DialogContext(backend, TaskRunner(), D(2026, 4, 1))
    dialog = HistoryDialog(
        ctx, placement_id=pl.id, household_id=sc.mother.id, structure_id=sc.families.id
    )
    qtbot.addWidget(dialog)
    shown = rows(dialog)
    assert len(shown) >= 5  # the placement, three stays, the extension and the change
    assert all(row[1] for row in shown)  # who
    changed = [row for row in shown if row[2].startswith(_("Changed"))]
    assert any("01/09/2026 → 01/03/2027" in row[3] for row in changed), changed
    # The household's members can be chosen too; a person's history starts with their entry.
    labels = [dialog.record.itemText(i) for i in range(dialog.record.count())]
    assert (
        sum(label.startswith(_("Person: {name} ({code})").split(":")[0]) for label in labels) == 3
    )
    dialog.record.setCurrentIndex(
        labels.index(next(lb for lb in labels if "Person" in lb or "Persona" in lb))
    )
    assert rows(dialog)[0][2].startswith(_("Added"))


def test_history_is_in_the_view_menu_and_follows_the_selection(qtbot, db):
    backend = Backend(db, actor="test")
    sc = scenario(backend)
    window = MainWindow(backend, today=D(2026, 4, 1), settings=MemorySettings())
    qtbot.addWidget(window)
    window.show()
    window.navigation.select_structure(sc.families.id)
    seen: list[HistoryDialog] = []
    window.exec_dialog = lambda dialog: seen.append(dialog) or 0  # type: ignore[method-assign]
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == _("&View"))
    assert window.main_actions.history in view_menu.actions()
    window.main_actions.history.trigger()
    assert seen and isinstance(seen[0], HistoryDialog)
    assert seen[0].record.currentData() == ("structure", sc.families.id)
    assert rows(seen[0])[0][2] == f"{_('Added')}: {_('structure')}"
