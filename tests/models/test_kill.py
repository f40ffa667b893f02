"""Commits survive SIGKILL (both engines): a process placing people is killed again and
again at random moments; afterwards the database is sound (integrity, foreign keys, no
overlapping stays) and every operation it acknowledged is there."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from models import schema
from models.backend import Backend
from models.database import Database
from tests.factories import scenario

ROOT = Path(__file__).resolve().parents[2]
KILLS = {"sqlite": 20, "postgresql": 10}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX"),
]


def _run_and_kill(url: str, structure_id: int, rng: random.Random) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.models.kill_worker", url, str(structure_id)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONWARNINGS="ignore"),
    )
    lines: list[str] = []
    assert proc.stdout is not None

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())

    reader = threading.Thread(target=read)
    reader.start()
    # Wait for the first acknowledgement, then a little more, so kills land mid-work.
    deadline = time.monotonic() + 60
    while not lines and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 0.8))
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    reader.join(30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    return lines


def test_acknowledged_operations_survive_sigkill(backend: Backend, db_url: str, engine_name: str):
    sc = scenario(backend)
    backend.db.dispose()
    rng = random.Random(19)
    acked: list[str] = []
    for _ in range(KILLS[engine_name]):
        acked += _run_and_kill(db_url, sc.families.id, rng)
    places = [line.split() for line in acked if line.startswith("ack place")]
    exits = [line.split() for line in acked if line.startswith("ack exit")]
    households = [line.split() for line in acked if line.startswith("ack household")]
    assert len(acked) >= KILLS[engine_name] and places, acked[-5:]
    db = Database(db_url)
    report = schema.check(db)
    assert report.ok, report.problems
    with db.engine.connect() as c:
        for _ack, _kind, household_id in households:
            assert (
                c.execute(
                    text("SELECT count(*) FROM household_member WHERE household_id = :i"),
                    {"i": int(household_id)},
                ).scalar_one()
                == 1
            )
        for _ack, _kind, placement_id, household_id in places:
            row = c.execute(
                text("SELECT household_id, status FROM placement WHERE id = :i"),
                {"i": int(placement_id)},
            ).one()
            assert row[0] == int(household_id)
            stays = c.execute(
                text("SELECT count(*) FROM bed_stay WHERE placement_id = :i AND NOT cancelled"),
                {"i": int(placement_id)},
            ).scalar_one()
            assert stays == 1
        for _ack, _kind, placement_id, day in exits:
            exit_date = c.execute(
                text("SELECT exit_date FROM placement WHERE id = :i"), {"i": int(placement_id)}
            ).scalar_one()
            assert str(exit_date) == day
    db.dispose()
