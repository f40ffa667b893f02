"""waiting list: placement requests

A household referred for a place waits on the list until it is placed, withdrawn or
expires; the request is never deleted. Written by hand.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TARGET_GROUPS = ("men", "women", "families", "single_parent", "lgbtqia", "transgender", "minors")


def upgrade() -> None:
    op.create_table(
        "placement_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_code", sa.String(length=60), nullable=False),
        sa.Column("referral_date", sa.Date(), nullable=False),
        sa.Column("referring_body", sa.String(length=200), nullable=False),
        sa.Column(
            "target_group",
            sa.Enum(
                *TARGET_GROUPS,
                name="request_target_group",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("adults", sa.Integer(), nullable=False),
        sa.Column("minors", sa.Integer(), nullable=False),
        sa.Column("needs", sa.String(length=200), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("stay_days", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "placed",
                "withdrawn",
                "expired",
                name="request_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.String(length=500), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "adults >= 0 AND minors >= 0 AND adults + minors > 0",
            name=op.f("ck_placement_request_people"),
        ),
        sa.CheckConstraint("priority BETWEEN 1 AND 3", name=op.f("ck_placement_request_priority")),
        sa.CheckConstraint("stay_days > 0", name=op.f("ck_placement_request_stay_days")),
        sa.CheckConstraint(
            "closed_on IS NULL OR closed_on >= referral_date",
            name=op.f("ck_placement_request_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_placement_request_programme_id_programme"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_placement_request_household_id_household"),
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_placement_request_placement_id_placement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_request")),
    )
    op.create_index(
        op.f("ix_placement_request_status"), "placement_request", ["status"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_placement_request_status"), table_name="placement_request")
    op.drop_table("placement_request")
