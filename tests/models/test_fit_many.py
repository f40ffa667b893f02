"""The fit of a whole programme at once (``check_fit_many``, the placement and transfer
dialogs' structure list) says for every structure what ``check_fit`` says for it alone."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from models import demo
from models import entities as e
from models.backend import Backend
from models.database import Database
from tests.factories import D

TODAY = D(2026, 11, 26)


def _households(db: Database) -> list[tuple[int, list[int]]]:
    """Households of every size, with their members: placed now, gone, never placed."""
    with db.read() as s:
        sizes = dict(
            s.execute(
                select(e.HouseholdMember.household_id, func.count())
                .group_by(e.HouseholdMember.household_id)
                .order_by(e.HouseholdMember.household_id)
            ).all()
        )
        chosen: dict[int, int] = {}
        for hid, n in sizes.items():
            if list(chosen.values()).count(n) < 3:
                chosen[hid] = n
        members: dict[int, list[int]] = {hid: [] for hid in chosen}
        for hid, pid in s.execute(
            select(e.HouseholdMember.household_id, e.HouseholdMember.person_id)
            .where(e.HouseholdMember.household_id.in_(list(chosen)))
            .order_by(e.HouseholdMember.id)
        ):
            members[hid].append(pid)
    return list(members.items())


def test_the_fit_of_a_programme_is_the_fit_of_each_structure(db: Database) -> None:
    demo.generate(db, scale="coop", seed=1, today=TODAY)
    backend = Backend(db, actor="test", today=lambda: TODAY)
    structures = backend.directory.structures()
    by_programme: dict[int, list[int]] = {}
    for st in structures:
        by_programme.setdefault(st.programme_id, []).append(st.id)
    households = _households(db)
    assert len(households) >= 6
    compared = fitting = 0
    days = (TODAY, TODAY - dt.timedelta(days=500), TODAY + dt.timedelta(days=20))
    for n, (hid, people) in enumerate(households):
        day = days[n % len(days)]
        # The whole household, or its first member alone (a transfer of one person);
        # a planned end in one programme, the others open-ended.
        chosen = None if n % 2 == 0 else people[:1]
        programmes = sorted(by_programme)
        until = day + dt.timedelta(days=60 + 30 * n) if n % 3 else None
        until_programme = programmes[n % len(programmes)] if n % 4 == 1 else None
        for pid, ids in by_programme.items():
            many = backend.placements.check_fit_many(
                hid, ids, day, chosen, until=until, until_programme=until_programme
            )
            assert list(many) == ids
            for sid in ids:
                end = until if until_programme in (None, pid) else None
                one = backend.placements.check_fit(hid, sid, day, chosen, until=end)
                assert many[sid] == one, (hid, sid, day)
                compared += 1
                fitting += one.fits
    assert compared >= 200 and 0 < fitting < compared


def test_a_refusal_about_the_people_is_every_structures_answer(backend: Backend) -> None:
    from tests.factories import scenario

    sc = scenario(backend)
    ids = [sc.families.id, sc.men.id]
    reports = backend.placements.check_fit_many(sc.mother.id, ids, TODAY, [10**9])
    assert set(reports) == set(ids)
    assert all(not r.fits and r.reasons == reports[ids[0]].reasons for r in reports.values())
    gone = backend.placements.check_fit_many(sc.mother.id, [10**9], TODAY)
    assert not gone[10**9].fits
