"""Stay overlap rules inside the database, written by hand (autogenerate misses them).

A bed holds at most one person on any night, and a person sleeps in at most one bed
on any night. Stays are half-open ``[start_date, end_date)``; an open stay has no end.
Cancelled stays do not count.

- PostgreSQL: exclusion constraints over ``daterange(start_date, end_date, '[)')``
  (``btree_gist`` for the equality part). ``daterange`` with a NULL upper bound is
  unbounded, so open stays are covered.
- SQLite: BEFORE INSERT and BEFORE UPDATE triggers with the same test; an open end is
  read as 9999-12-31, which also catches containment both ways.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_OVERLAP = """
SELECT RAISE(ABORT, '{name}')
WHERE NOT NEW.cancelled AND EXISTS (
    SELECT 1 FROM bed_stay s
    WHERE s.{column} = NEW.{column}
      AND NOT s.cancelled
      {self_clause}
      AND s.start_date < COALESCE(NEW.end_date, '9999-12-31')
      AND NEW.start_date < COALESCE(s.end_date, '9999-12-31')
);
"""

RULES = (("bed_id", "ex_bed_stay_bed_overlap"), ("person_id", "ex_bed_stay_person_overlap"))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for column, name in RULES:
            op.execute(
                f"ALTER TABLE bed_stay ADD CONSTRAINT {name} EXCLUDE USING gist "
                f"({column} WITH =, daterange(start_date, end_date, '[)') WITH &&) "
                "WHERE (NOT cancelled)"
            )
        return
    for column, name in RULES:
        for event, self_clause in (("INSERT", ""), ("UPDATE", "AND s.id <> NEW.id")):
            body = SQLITE_OVERLAP.format(name=name, column=column, self_clause=self_clause)
            op.execute(
                f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON bed_stay "
                f"FOR EACH ROW BEGIN {body} END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for _column, name in RULES:
            op.execute(f"ALTER TABLE bed_stay DROP CONSTRAINT {name}")
        return
    for _column, name in RULES:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER {name}_{event}")
