"""The new placement of a household of the waiting list: the placement dialog, whose OK
also closes the request with the entry day (the wait)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from models.i18n import N_
from models.results import PlacementInfo, RequestInfo

from .context import DialogContext
from .placement_dialog import PlacementDialog


class RequestPlacementDialog(PlacementDialog):
    """The new placement of a request's household: saving it closes the request."""

    TITLE = N_("Place from the waiting list")

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        request: RequestInfo,
        **ids: Any,
    ) -> None:
        self.request = request
        if request.household_id is not None:
            ids.setdefault("household_id", request.household_id)
        super().__init__(context, parent, **ids)

    def place_call(self) -> Callable[..., PlacementInfo]:
        wl, rid, version = self.backend.waiting_list, self.request.id, self.request.version

        def place(household_id: int, structure_id: int, entry: dt.date, **kw: Any) -> PlacementInfo:
            return wl.place(rid, household_id, structure_id, entry, version=version, **kw)

        return place
