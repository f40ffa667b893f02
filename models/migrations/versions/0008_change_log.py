"""the change log, written by the database: triggers on every recorded table

Every insert, update and delete of the network, the people and their stays adds a row to
``change_log`` with the database user, the time and the record's values before and after;
rows of ``change_log`` and ``audit_entry`` can no longer be changed or deleted. See
models/change_log.py. Written by hand.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models import change_log

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("db_user", sa.String(length=120), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=1), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_change_log_record", "change_log", ["table_name", "row_id"])
    change_log.install(op.get_bind())


def downgrade() -> None:
    change_log.remove(op.get_bind())
    op.drop_index("ix_change_log_record", table_name="change_log")
    op.drop_table("change_log")
