"""partial index on the open bed stays, by bed

The dashboard asks, for every bed of the network, whether it is occupied on a date.
For today and recent dates that is nearly always an open stay (no end date yet): an
index of the open stays alone, by bed, answers each bed with one short lookup instead
of gathering and indexing the 30,000 live stays of the national network again at every
question. Written by hand.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The condition is written as the queries write it: SQLite uses a partial index
    # only for a query whose WHERE repeats the index's terms.
    op.create_index(
        "ix_bed_stay_open",
        "bed_stay",
        ["bed_id", "start_date"],
        unique=False,
        sqlite_where=sa.text("end_date IS NULL AND cancelled IS 0"),
        postgresql_where=sa.text("end_date IS NULL AND cancelled IS false"),
    )


def downgrade() -> None:
    op.drop_index("ix_bed_stay_open", table_name="bed_stay")
