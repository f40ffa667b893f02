"""The waiting list as a table (``backend.waiting_list.requests``): one row per request,
those waiting first by priority and days waited. A plain row model, so the table can be
sorted and exported like every other."""

from __future__ import annotations

from PySide6.QtGui import QColor

from models.i18n import N_, _
from models.labels import (
    priority_label,
    request_needs_label,
    request_status_label,
    target_group_label,
)
from models.results import RequestInfo

from . import colours
from .table_models import DATE, INT, Column, RowTableModel


def _people(q: RequestInfo) -> str:
    return _("{adults} + {minors}").format(adults=q.adults, minors=q.minors)


def _where(q: RequestInfo) -> str:
    return " · ".join(x for x in (q.programme_code, q.province) if x)


def _outcome(q: RequestInfo) -> str:
    if q.status == "placed":
        return _("placement of household {household}").format(household=q.household_code)
    return q.close_reason


class RequestsModel(RowTableModel):
    """Rows: ``RequestInfo``."""

    COLUMNS = (
        Column(N_("Priority"), "priority", kind=INT, display=priority_label),
        Column(N_("Days waited"), "days_waited", kind=INT),
        Column(N_("Referral"), "referral_code"),
        Column(N_("Referred on"), "referral_date", kind=DATE),
        Column(N_("Referring body"), "referring_body"),
        Column(
            N_("Target group"),
            "target_group",
            display=lambda v: target_group_label(v) if v else "",
        ),
        Column(
            N_("Adults + minors"),
            _people,
            tooltip=N_("Adults and minors of the household"),
        ),
        Column(N_("Needs"), lambda q: request_needs_label(q.needs)),
        Column(N_("Programme · province"), _where),
        Column(N_("Status"), "status", display=request_status_label),
        Column(N_("Closed on"), "closed_on", kind=DATE),
        Column(N_("Outcome or reason"), _outcome),
        Column(N_("Notes"), "notes"),
    )

    def row_foreground(self, row: RequestInfo) -> QColor | None:
        if not row.waiting:
            return colours.muted()
        return colours.warning() if row.priority == 1 else None
