"""The process the kill test shoots: it places people, one after another, into a
structure of the scenario, and records exits when the structure is full, printing
``ack`` lines only after each operation's transaction has committed.

    python -m tests.models.kill_worker URL STRUCTURE_ID
"""

from __future__ import annotations

import datetime as dt
import sys

from sqlalchemy import text

from models.backend import Backend
from models.database import Database
from models.errors import DomainError
from models.results import NewPerson

BASE = dt.date(2024, 1, 1)


def main(url: str, structure_id: int) -> None:
    db = Database(url)
    backend = Backend(db, actor="kill-test", today=lambda: dt.date(2030, 1, 1))
    with db.engine.connect() as c:
        last = c.execute(text("SELECT max(entry_date) FROM placement")).scalar()
        last_exit = c.execute(text("SELECT max(exit_date) FROM placement")).scalar()
    if isinstance(last, str):
        last = dt.date.fromisoformat(last)
    if isinstance(last_exit, str):
        last_exit = dt.date.fromisoformat(last_exit)
    day = max(d for d in (BASE, last, last_exit) if d is not None) + dt.timedelta(days=1)
    n = 0
    while True:
        n += 1
        hh = backend.people.register_household(
            [NewPerson(f"K{day:%j}{n}", "Prova", "F", dt.date(1990, 1, 1))]
        )
        print(f"ack household {hh.id}", flush=True)
        try:
            pl = backend.placements.place(hh.id, structure_id, day)
        except DomainError:
            with db.engine.connect() as c:
                oldest = c.execute(
                    text(
                        "SELECT id FROM placement WHERE status = 'active' AND exit_date IS NULL "
                        "ORDER BY entry_date, id LIMIT 1"
                    )
                ).scalar()
            backend.placements.record_exit(oldest, day, "other")
            print(f"ack exit {oldest} {day.isoformat()}", flush=True)
            pl = backend.placements.place(hh.id, structure_id, day)
        print(f"ack place {pl.id} {hh.id}", flush=True)
        day += dt.timedelta(days=1)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
