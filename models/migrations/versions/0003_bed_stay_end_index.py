"""index on bed_stay (end_date, start_date)

Occupancy at a date asks for the stays still open or ending after that date. With
an index that starts with the end date, both halves of that question are a short
index range for recent dates, instead of a walk through every stay started before
the date (the whole history, for today). Written by hand.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_bed_stay_end_dates", "bed_stay", ["end_date", "start_date"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_bed_stay_end_dates", table_name="bed_stay")
