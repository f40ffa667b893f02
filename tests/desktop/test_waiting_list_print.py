"""The waiting list on paper: every request with its days waited; pseudonymised (the
default) without referring bodies, notes or reasons, which may name people."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from desktop.printing.waiting_list import waiting_list_pdf
from models.backend import Backend
from models.results import NewRequest

TODAY = dt.date(2026, 3, 10)


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_waiting_list_prints_codes_and_hides_free_texts_when_pseudonymised(db) -> None:  # type: ignore[no-untyped-def]
    backend = Backend(db, actor="test", today=lambda: TODAY)
    referred = dt.date(2026, 2, 8)
    backend.waiting_list.add(
        NewRequest(
            referred,
            referral_code="SCS-2026-0042",
            referring_body="Prefettura di Sondrio",
            notes="Sorella di Zainab, ospite altrove",
        )
    )
    other = backend.waiting_list.add(NewRequest(referred, referral_code="SCS-2026-0043"))
    backend.waiting_list.withdraw(other.id, TODAY, "Rientrata dalla madre Fatou")
    requests = backend.waiting_list.requests()
    named = _text(waiting_list_pdf(requests, False, day=TODAY, site_name="Cooperativa"))
    assert "SCS-2026-0042" in named and "Prefettura di Sondrio" in named
    assert "Zainab" in named and "Fatou" in named
    assert "30" in named  # days waited
    pseudo = _text(waiting_list_pdf(requests, True, day=TODAY, site_name="Cooperativa"))
    assert "SCS-2026-0042" in pseudo and "SCS-2026-0043" in pseudo
    assert "Prefettura" not in pseudo and "Zainab" not in pseudo and "Fatou" not in pseudo
