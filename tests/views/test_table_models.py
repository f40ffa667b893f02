"""Table models tested without any window: headers, display, sorting, filtering, paging."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt

from models.i18n import N_
from views.table_models import (
    DATE,
    INT,
    PERCENT,
    ROW_ROLE,
    SORT_ROLE,
    Column,
    PagedTableModel,
    RowTableModel,
    SortFilterProxy,
)
from views.tasks import TaskRunner


@dataclass(frozen=True)
class Row:
    name: str
    places: int
    since: dt.date | None
    rate: float | None


class Model(RowTableModel):
    COLUMNS = (
        Column(N_("Structure"), "name"),
        Column(N_("Places"), "places", kind=INT),
        Column(N_("Entry date"), "since", kind=DATE),
        Column(N_("Rate"), "rate", kind=PERCENT),
    )
    NAME, PLACES, SINCE, RATE = range(4)


ROWS = [
    Row("casa Glicine", 12, dt.date(2021, 3, 1), 0.5),
    Row("Casa Abete", 2, None, None),
    Row("Appartamento Betulla", 100, dt.date(2019, 1, 31), 1.0),
]


def texts(model, column):
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_rows_headers_and_formatting():
    model = Model()
    assert model.rowCount() == 0
    model.set_rows(ROWS)
    assert model.rowCount() == 3 and model.columnCount() == 4
    assert model.headerData(Model.PLACES, Qt.Orientation.Horizontal) == "Posti"  # Italian catalogue
    assert texts(model, Model.SINCE) == ["01/03/2021", "", "31/01/2019"]
    assert texts(model, Model.RATE)[0].startswith("50,0")
    assert texts(model, Model.RATE)[1] == "—"
    assert model.index(1, 0).data(ROW_ROLE) is ROWS[1]
    assert (
        model.index(0, Model.PLACES).data(Qt.ItemDataRole.TextAlignmentRole)
        & Qt.AlignmentFlag.AlignRight
    )


def test_sorting_uses_values_not_text():
    model = Model()
    model.set_rows(ROWS)
    proxy = SortFilterProxy(model)
    proxy.sort(Model.PLACES, Qt.SortOrder.AscendingOrder)
    assert [proxy.row_at(r).places for r in range(3)] == [2, 12, 100]  # not "100" < "12"
    proxy.sort(Model.SINCE, Qt.SortOrder.DescendingOrder)
    assert [proxy.row_at(r).name for r in range(3)] == [
        "casa Glicine",
        "Appartamento Betulla",
        "Casa Abete",
    ]
    proxy.sort(Model.NAME, Qt.SortOrder.AscendingOrder)
    assert [proxy.row_at(r).name for r in range(3)] == [
        "Appartamento Betulla",
        "Casa Abete",
        "casa Glicine",
    ]
    assert model.index(1, Model.RATE).data(SORT_ROLE) == float("-inf")


def test_filter_ignores_case_on_every_column():
    model = Model()
    model.set_rows(ROWS)
    proxy = SortFilterProxy(model)
    proxy.setFilterFixedString("CASA")
    assert proxy.rowCount() == 2
    proxy.setFilterFixedString("31/01")
    assert [proxy.row_at(r).name for r in range(proxy.rowCount())] == ["Appartamento Betulla"]


def test_set_rows_replaces_everything():
    model = Model()
    model.set_rows(ROWS)
    model.set_rows(ROWS[:1])
    assert texts(model, Model.NAME) == ["casa Glicine"]


def test_paged_model_loads_only_what_is_asked():
    calls = []
    people = [Row(f"Persona {i:06d}", i, None, None) for i in range(1000)]

    def fetch(last, limit):
        offset = people.index(last) + 1 if last is not None else 0
        calls.append((offset, limit))
        return people[offset : offset + limit]

    model = PagedTableModel(
        columns=Model.COLUMNS, page_size=100, runner=TaskRunner(synchronous=True)
    )
    model.set_source(fetch)
    assert model.rowCount() == 100 and calls == [(0, 100)]
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 200 and calls[-1] == (100, 100)
    for _i in range(20):
        if model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
    assert model.rowCount() == 1000 and model.all_loaded()
    assert not model.canFetchMore(QModelIndex())
    model.set_source(lambda last, n: people[:3] if last is None else [])
    assert model.rowCount() == 3 and model.all_loaded()
