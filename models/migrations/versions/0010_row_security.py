"""the shared server's own protection: an owner role, group roles, grants, row-level security

On PostgreSQL: the tables, sequences, types and functions are handed to
``accoglienza_owner`` (a role nobody logs in as), each user role gets only the rights it
needs, and row-level security, forced, limits coordinators, operators and readers to the
rows of their programmes. See models/pg_security.py. Nothing on a local SQLite file.
Written by hand.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

from models import pg_security

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        pg_security.install(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        pg_security.uninstall(conn)
