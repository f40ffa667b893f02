"""retention: the one sanctioned rewrite of the frozen change log

The anonymisation of people past their retention time (models/retention.py) rewrites the
identifying values of their records' old log rows. On PostgreSQL two SECURITY DEFINER
functions do it (``acc_retention_rewrite``, ``acc_retention_forget``), executable only by
the roles granted it; the frozen trigger lets an update through only while one of them
runs. See models/change_log.py. Written by hand.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

from models import change_log

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        change_log.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.execute(text("DROP FUNCTION IF EXISTS acc_retention_rewrite(text, bigint[])"))
        bind.execute(text("DROP FUNCTION IF EXISTS acc_retention_forget(text, bigint[])"))
