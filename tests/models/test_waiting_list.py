"""The waiting list (``backend.waiting_list``): a request placed, withdrawn and expired,
each closed with its day and kept with its history and audit entries; the finder's
answer for a request; the dashboard's medians. Both engines."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from models import entities as e
from models.backend import Backend
from models.errors import ConcurrentEditError, DomainError, ValidationError
from models.results import NewRequest
from tests.factories import scenario

D = dt.date
TODAY = D(2026, 3, 10)


@pytest.fixture
def wl(db):  # type: ignore[no-untyped-def]
    backend = Backend(db, actor="test", today=lambda: TODAY)
    return backend, scenario(backend)


def _audit(backend: Backend, request_id: int) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    with backend.db.read() as s:
        return [
            (a.action, json.loads(a.details))
            for a in s.scalars(
                select(e.AuditEntry)
                .where(
                    e.AuditEntry.entity == "placement_request", e.AuditEntry.entity_id == request_id
                )
                .order_by(e.AuditEntry.id)
            )
        ]


def test_a_request_placed_closes_with_the_wait_and_the_placement(wl) -> None:  # type: ignore[no-untyped-def]
    backend, sc = wl
    req = backend.waiting_list.add(
        NewRequest(
            D(2026, 2, 8),
            adults=1,
            minors=2,
            referral_code="SCS-2026-0042",
            referring_body="Servizio Centrale SAI",
            needs=frozenset({"ground_floor"}),
            priority=2,
            province="so",
        )
    )
    assert req.waiting and req.days_waited == 30 and req.province == "SO"
    # The finder's answer: the single-parent family fits Casa Glicine and Casa Betulla
    # is too small; the men's apartment is not for them.
    answer = {a.structure_code: a for a in backend.waiting_list.answer(req)}
    assert answer["T-FAM"].fits and len(answer["T-FAM"].beds) == 3
    assert not answer["T-UOM"].fits and not answer["T-PIC"].fits
    assert "T-ART" not in answer  # another province
    placed = backend.waiting_list.place(
        req.id, sc.mother.id, sc.families.id, TODAY, version=req.version
    )
    after = backend.waiting_list.request(req.id)
    assert after.status == "placed" and after.placed_on == TODAY
    assert after.placement_id == placed.id and after.days_waited == 30
    assert after.household_code == sc.mother.code
    # the placement is the ordinary one: three people in Casa Glicine
    who = backend.presence.who_is_where(TODAY, household_id=sc.mother.id)
    assert {w.structure_name for w in who} == {"Casa Glicine"} and len(who) == 3
    assert [a for a, _d in _audit(backend, req.id)] == ["request", "place"]
    assert _audit(backend, req.id)[-1][1] == {"days_waited": 30, "placement": placed.id}
    # closed: it cannot be placed or withdrawn again
    with pytest.raises(ValidationError):
        backend.waiting_list.withdraw(req.id, TODAY, "error")
    # the waiting list no longer shows it among those waiting
    assert backend.waiting_list.requests(waiting_only=True) == []
    assert [q.id for q in backend.waiting_list.requests()] == [req.id]


def test_a_refused_placement_leaves_the_request_waiting(wl) -> None:  # type: ignore[no-untyped-def]
    backend, sc = wl
    req = backend.waiting_list.add(NewRequest(D(2026, 3, 1), adults=1, minors=2))
    with pytest.raises(DomainError):
        backend.waiting_list.place(req.id, sc.mother.id, sc.men.id, TODAY)  # men only
    assert backend.waiting_list.request(req.id).waiting
    assert backend.presence.who_is_where(TODAY, household_id=sc.mother.id) == []


def test_withdrawn_and_expired_requests_keep_their_history(wl) -> None:  # type: ignore[no-untyped-def]
    backend, _sc = wl
    first = backend.waiting_list.add(NewRequest(D(2026, 1, 10), adults=2, target_group="families"))
    second = backend.waiting_list.add(NewRequest(D(2026, 2, 1), adults=1, target_group="men"))
    with pytest.raises(ValidationError):
        backend.waiting_list.withdraw(first.id, TODAY, "  ")  # a reason is required
    withdrawn = backend.waiting_list.withdraw(
        first.id, D(2026, 3, 1), "Placed by the prefecture elsewhere", version=first.version
    )
    expired = backend.waiting_list.expire(second.id, D(2026, 3, 5), "Terms of the referral ended")
    assert (withdrawn.status, withdrawn.closed_on, withdrawn.days_waited) == (
        "withdrawn",
        D(2026, 3, 1),
        50,
    )
    assert withdrawn.close_reason == "Placed by the prefecture elsewhere"
    assert (expired.status, expired.closed_on, expired.close_reason) == (
        "expired",
        D(2026, 3, 5),
        "Terms of the referral ended",
    )
    # Both still listed, never deleted, each with its audit entries.
    listed = {q.id: q for q in backend.waiting_list.requests()}
    assert listed[first.id].status == "withdrawn" and listed[second.id].status == "expired"
    assert [a for a, _d in _audit(backend, first.id)] == ["request", "withdrawn"]
    assert _audit(backend, second.id)[-1] == (
        "expired",
        {"day": "2026-03-05", "reason": "Terms of the referral ended"},
    )
    # A stale copy is refused.
    third = backend.waiting_list.add(NewRequest(D(2026, 3, 2), adults=1))
    backend.waiting_list.change(
        third.id, NewRequest(D(2026, 3, 2), adults=2), version=third.version
    )
    with pytest.raises(ConcurrentEditError):
        backend.waiting_list.expire(third.id, TODAY, version=third.version)


def test_bad_requests_are_refused_and_nothing_is_saved(wl) -> None:  # type: ignore[no-untyped-def]
    backend, _sc = wl
    for bad in (
        NewRequest(D(2026, 3, 11)),  # referred tomorrow
        NewRequest(D(2026, 3, 1), adults=0, minors=0),
        NewRequest(D(2026, 3, 1), province="ZZ"),
        NewRequest(D(2026, 3, 1), priority=7),
    ):
        with pytest.raises(ValidationError):
            backend.waiting_list.add(bad)
    assert backend.waiting_list.requests() == []


def test_the_dashboard_median_wait_per_target_group(wl) -> None:  # type: ignore[no-untyped-def]
    backend, sc = wl
    for days in (10, 20, 60):
        backend.waiting_list.add(
            NewRequest(TODAY - dt.timedelta(days=days), adults=1, target_group="women")
        )
    backend.waiting_list.add(NewRequest(TODAY - dt.timedelta(days=5), adults=1, target_group="men"))
    placed = backend.waiting_list.add(NewRequest(TODAY - dt.timedelta(days=40), adults=1, minors=2))
    backend.waiting_list.place(
        placed.id, sc.mother.id, sc.families.id, TODAY - dt.timedelta(days=4)
    )
    rows = {row.target_group: row for row in backend.waiting_list.summary()}
    assert (rows["women"].waiting, rows["women"].median_days_waiting) == (3, 20)
    assert (rows["men"].waiting, rows["men"].median_days_waiting) == (1, 5)
    assert (rows[None].waiting, rows[None].placed, rows[None].median_days_to_place) == (0, 1, 36)
