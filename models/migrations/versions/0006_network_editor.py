"""the network editor: a programme's provinces, beds retired from a date, versioned
rooms and beds, and the moves of a structure from one programme to another

- ``programme.provinces``: the provinces a programme covers (comma-separated codes).
- ``bed.retired_on``: a bed with history is never deleted; it is retired from a night
  on, and counts no more from then.
- ``room.version``, ``bed.version``: a rename or a retirement from a stale copy is
  refused, as for the other records.
- ``structure_move``: a structure passes to another programme from a date; the
  structure row keeps its latest programme, each move its previous one, so the
  programme of any night is known. Written by hand.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "programme",
        sa.Column("provinces", sa.String(length=200), server_default="", nullable=False),
    )
    op.add_column("bed", sa.Column("retired_on", sa.Date(), nullable=True))
    op.add_column("bed", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("room", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "structure_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.Column("from_programme_id", sa.Integer(), nullable=False),
        sa.Column("to_programme_id", sa.Integer(), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["structure_id"],
            ["structure.id"],
            name=op.f("fk_structure_move_structure_id_structure"),
        ),
        sa.ForeignKeyConstraint(
            ["from_programme_id"],
            ["programme.id"],
            name=op.f("fk_structure_move_from_programme_id_programme"),
        ),
        sa.ForeignKeyConstraint(
            ["to_programme_id"],
            ["programme.id"],
            name=op.f("fk_structure_move_to_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_structure_move")),
        sa.UniqueConstraint(
            "structure_id", "moved_on", name=op.f("uq_structure_move_structure_id_moved_on")
        ),
    )


def downgrade() -> None:
    op.drop_table("structure_move")
    op.drop_column("room", "version")
    op.drop_column("bed", "version")
    op.drop_column("bed", "retired_on")
    op.drop_column("programme", "provinces")
