"""File › Anonymise old records… (administrators): the years, the day, how many people, a
warning that it cannot be undone, and a button that works once that is understood; other
roles do not see the entry."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QSpinBox

from models.access import Principal, Role
from models.backend import Backend
from tests.models.test_retention import OLD_WORDS, TODAY, every_text, network
from views.main_window import MainWindow
from views.settings_store import MemorySettings


def window(db, role: Role, settings: MemorySettings) -> MainWindow:
    principal = Principal.assigned("chi", role, [])
    sv = Backend(db, actor="test", today=lambda: TODAY, principal=principal)
    return MainWindow(sv, today=TODAY, settings=settings)


def test_an_administrator_anonymises_from_the_file_menu(qtbot, db):
    network(Backend(db, actor="test", today=lambda: TODAY))
    settings = MemorySettings({"retention_years": 20})
    w = window(db, Role.ADMINISTRATOR, settings)
    qtbot.addWidget(w)
    act = w.main_actions.anonymise
    assert act.isVisible() and act.isEnabled()
    seen: dict[str, object] = {}

    def run(dialog: QDialog) -> int:
        years = dialog.findChild(QSpinBox, "retentionYears")
        count = dialog.findChild(QLabel, "retentionCount")
        ok = dialog.ok_button
        # the years remembered; at 20 years nobody is past the time
        seen["first"] = (years.value(), count.text(), ok.isEnabled())
        years.setValue(10)
        seen["cut_off"] = dialog.findChild(QLabel, "retentionCutOff").text()
        seen["count"] = count.text()
        seen["before tick"] = ok.isEnabled()
        dialog.findChild(QCheckBox, "retentionUnderstood").setChecked(True)
        seen["after tick"] = ok.isEnabled()
        ok.click()
        return int(dialog.result())

    w.exec_dialog = run
    act.trigger()
    assert seen["first"] == (20, "nessuno: non c'è niente da anonimizzare", False)
    assert seen["cut_off"] == "1° giugno 2016"
    assert seen["count"] == "5 persone · 3 nuclei"
    assert (seen["before tick"], seen["after tick"]) == (False, True)
    everything = "\n".join(every_text(db)).lower()
    assert [word for word in OLD_WORDS if word.lower() in everything] == []
    assert settings.values["retention_years"] == 10


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OPERATOR, Role.READER])
def test_other_roles_do_not_see_the_entry(qtbot, db, role):
    w = window(db, role, MemorySettings())
    qtbot.addWidget(w)
    assert not w.main_actions.anonymise.isVisible()
    assert not w.main_actions.anonymise.isEnabled()
    opened: list[QDialog] = []
    w.exec_dialog = lambda dialog: opened.append(dialog) or 0
    w.anonymise_old_records()
    assert opened == []
