"""The waiting list on paper (lista d'attesa): the requests as the window lists them,
A4 landscape, with days waited, who referred them, what they need and how each ended.

Pseudonymised (the default: referrals of anti-trafficking programmes, and free texts may
name people) it leaves out the referring body, the notes and the reasons; codes stay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from reportlab.platypus import Paragraph, Spacer, Table

from models.formatting import format_number, format_short_date
from models.i18n import _, ngettext
from models.labels import (
    priority_label,
    request_needs_label,
    request_status_label,
    target_group_label,
)
from models.results import RequestInfo

from .template import (
    PageInfo,
    content_width,
    default_site_name,
    esc,
    grid_style,
    render,
    styles,
    table_style,
)


def waiting_list_pdf(
    requests: Sequence[RequestInfo],
    pseudonymised: bool = True,
    *,
    day: dt.date | None = None,
    site_name: str | None = None,
    output: str | Path | None = None,
) -> bytes:
    st = styles()
    day = day or dt.date.today()
    width = content_width(landscape_page=True)
    headers = [
        _("Priority"),
        _("Days waited"),
        _("Referral"),
        _("Referred on"),
        _("Referring body"),
        _("Target group"),
        _("Adults + minors"),
        _("Needs"),
        _("Status"),
        _("Closed on"),
        _("Outcome or reason"),
    ]
    data: list[list[object]] = [[Paragraph(esc(h), st["label"]) for h in headers]]
    for q in requests:
        if q.status == "placed":
            outcome = _("placement of household {household}").format(household=q.household_code)
        else:
            outcome = "" if pseudonymised else q.close_reason
        notes = "" if pseudonymised else q.notes
        remark = " — ".join(x for x in (outcome, notes) if x)
        data.append(
            [
                priority_label(q.priority),
                format_number(q.days_waited),
                Paragraph(esc(q.referral_code), st["cell"]),
                format_short_date(q.referral_date),
                Paragraph("" if pseudonymised else esc(q.referring_body), st["cell"]),
                Paragraph(
                    esc(target_group_label(q.target_group) if q.target_group else ""), st["cell"]
                ),
                f"{q.adults} + {q.minors}",
                Paragraph(esc(request_needs_label(q.needs)), st["cell"]),
                request_status_label(q.status),
                format_short_date(q.closed_on) if q.closed_on else "",
                Paragraph(esc(remark), st["cell"]),
            ]
        )
    fractions = [0.06, 0.06, 0.1, 0.07, 0.13, 0.1, 0.07, 0.11, 0.07, 0.07, 0.16]
    table = Table(data, colWidths=[width * f for f in fractions], repeatRows=1)
    table.setStyle(table_style(grid_style(numeric_from=None)))
    waiting = [q for q in requests if q.waiting]
    story = [
        Paragraph(
            esc(
                ngettext(
                    "{count} request waiting; the longest has waited {days} days.",
                    "{count} requests waiting; the longest has waited {days} days.",
                    len(waiting),
                ).format(count=len(waiting), days=max((q.days_waited for q in waiting), default=0))
            ),
            st["base"],
        ),
        Spacer(1, 6),
        table,
    ]
    info = PageInfo(
        title=_("Waiting list"),
        subject=format_short_date(day),
        site_name=site_name or default_site_name(),
        pseudonymised=pseudonymised,
    )
    return render(story, info, landscape_page=True, output=output)
