"""Retention on the demo network of a cooperative (five years of history): anonymising
everyone whose last placement ended more than three years ago keeps the occupancy the
command line prints, the presence registers and the coming-of-age lists identical, and
leaves none of their names in any column of any table."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import text

from desktop import cli
from models import demo
from models.backend import Backend
from tests.models.test_retention import every_text

D = dt.date
TODAY = D(2026, 6, 1)
DAYS = [D(2021, 12, 31), D(2022, 7, 1), D(2023, 5, 31), D(2024, 2, 29), D(2026, 5, 31)]
MONTHS = [(2022, 3), (2023, 5), (2024, 11)]


def occupancy(db_url: str, capsys) -> list[dict]:
    out = []
    for day in DAYS:
        assert cli.main(["occupancy", "--database", db_url, "--json", "--date", str(day)]) == 0
        out.append(json.loads(capsys.readouterr().out))
    return out


def registers(sv: Backend) -> dict:
    found: dict = {}
    for year, month in MONTHS:
        found[(year, month)] = sorted(
            (p.person_id, sorted(p.structure_codes), sorted(p.days))
            for p in sv.presence.month_nights(year, month)
        )
    for day in DAYS:
        found[day] = sorted(
            (c.person_id, c.eighteenth, c.rule_end, c.placement_id)
            for c in sv.presence.coming_of_age(day, 180)
        )
        found[("minors", day)] = sorted(
            (r.person_id, r.minor) for r in sv.presence.who_is_where(day)
        )
    return found


def names(db) -> dict[int, set[str]]:
    with db.engine.connect() as c:
        rows = c.execute(text("SELECT id, first_name, last_name, alias FROM person")).all()
    return {int(r[0]): {v for v in r[1:] if v} for r in rows}


def test_the_demo_network_keeps_its_figures_and_loses_the_old_names(db, db_url, capsys):
    demo.generate(db, scale="coop", seed=1, today=TODAY)
    sv = Backend(db, actor="test", today=lambda: TODAY)
    before_occupancy, before_registers = occupancy(db_url, capsys), registers(sv)
    old_names = names(db)
    found = sv.retention.candidates(3)
    assert found.people > 100

    done = sv.retention.anonymise(3)
    assert done.people == found.people

    assert occupancy(db_url, capsys) == before_occupancy
    assert registers(sv) == before_registers
    now = names(db)
    gone = {pid for pid, values in now.items() if values == {"Anonimo", _code(db, pid)}}
    assert len(gone) == done.people
    kept_names = set().union(*(now[pid] for pid in now if pid not in gone))
    # The names only the anonymised people had: nowhere any more.
    only_theirs = set().union(*(old_names[pid] for pid in gone)) - kept_names
    assert only_theirs
    words = set(re.findall(r"\w+", "\n".join(every_text(db))))
    assert sorted(n for n in only_theirs if set(re.findall(r"\w+", n)) <= words) == []


def _code(db, pid: int) -> str:
    with db.engine.connect() as c:
        return str(
            c.execute(text("SELECT code FROM person WHERE id = :p"), {"p": pid}).scalar_one()
        )
