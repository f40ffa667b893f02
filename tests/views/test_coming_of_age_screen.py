"""The dashboard lists the unaccompanied minors turning 18 within 60 days and those of age
still placed (neomaggiorenni), with the end the SAI rules give; the list is not there
when the selection has none. Both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QLabel, QTableView

from models.backend import Backend
from models.results import NewPerson
from tests.factories import scenario
from views.main_window import MainWindow
from views.settings_store import MemorySettings

D = dt.date
DAY = D(2026, 6, 1)


@pytest.fixture
def backend(db) -> Backend:  # type: ignore[no-untyped-def]
    return Backend(db, actor="test")


def _texts(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [
        [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_dashboard_lists_minors_coming_of_age_and_neomaggiorenni(qtbot, backend) -> None:  # type: ignore[no-untyped-def]
    sc = scenario(backend)
    window = MainWindow(backend, today=DAY, settings=MemorySettings())
    qtbot.addWidget(window)
    window.show()
    table = window.findChild(QTableView, "dashboardComingOfAgeTable")
    assert table is not None and not table.isVisible()  # nobody in an MSNA programme yet

    st = backend.structures.create_structure(
        sc.msna.id, "T-MS1", "Casa Minori 1", "SO", D(2014, 2, 1), places=4
    )
    backend.structures.add_room(st.id, "Camera 1", 4)
    for first, birth in (("Abel", D(2008, 7, 15)), ("Yonas", D(2008, 3, 10))):
        h = backend.people.register_household([NewPerson(first, "Tesfaye", "M", birth)])
        backend.placements.place(h.id, st.id, D(2025, 9, 1), planned_end=D(2027, 3, 1))
    window.refresh_all()
    qtbot.waitUntil(table.isVisible, timeout=5000)
    rows = _texts(table)
    assert [r[0] for r in rows] == ["Tesfaye Yonas", "Tesfaye Abel"]
    yonas, abel = rows
    assert "10/09/2026" in yonas  # six months after the 18th birthday
    assert any("neomaggiorenne" in cell for cell in yonas), rows
    assert any("44" in cell for cell in abel), abel  # turns 18 in 44 days
    label = window.findChild(QLabel, "dashboardComingOfAgeLabel")
    assert label is not None and "(1)" in label.text()
