"""people search in name order: one covering index instead of the search text's own

The People page lists the people matching a search in name order, a page at a time,
each page starting after the last row of the previous one. An index in that order
(last name, first name, id) holding the search text too answers a page by reading the
index from where the page starts until it has enough matches, without a look at the
table for the rows that do not match: a one-letter search stops after a few hundred
entries, a rare name reads the index alone. The index on the search text by itself
served no search (a word is looked for anywhere in the text) and goes. Written by hand.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_person_name_search",
        "person",
        ["last_name", "first_name", "id", "search_text"],
        unique=False,
    )
    op.drop_index("ix_person_search_text", table_name="person")


def downgrade() -> None:
    op.create_index("ix_person_search_text", "person", ["search_text"], unique=False)
    op.drop_index("ix_person_name_search", table_name="person")
