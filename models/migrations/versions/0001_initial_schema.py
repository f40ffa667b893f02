"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
        sa.UniqueConstraint("code", name=op.f("uq_household_code")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("first_name", sa.String(length=120), nullable=False),
        sa.Column("last_name", sa.String(length=120), nullable=False),
        sa.Column("alias", sa.String(length=120), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "F", "M", "X", name="sex", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("gender_identity", sa.String(length=80), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("citizenship", sa.String(length=80), nullable=False),
        sa.Column(
            "legal_status",
            sa.Enum(
                "asylum_seeker",
                "refugee",
                "subsidiary_protection",
                "special_protection",
                "art18_permit",
                "unaccompanied_minor",
                "other",
                name="legal_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("search_text", sa.String(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("code", name=op.f("uq_person_code")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_search_text"), ["search_text"], unique=False)

    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "sai",
                "anti_trafficking",
                "other",
                name="programme_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "sai_category",
            sa.Enum(
                "ord",
                "dm_ds",
                "msna",
                name="sai_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("managing_partner", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date > start_date", name=op.f("ck_programme_dates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("code", name=op.f("uq_programme_code")),
    )
    op.create_table(
        "household_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "relationship",
            sa.Enum(
                "reference",
                "partner",
                "child",
                "parent",
                "sibling",
                "other_relative",
                "other",
                name="relationship",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_household_member_household_id_household"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_household_member_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_member")),
        sa.UniqueConstraint("person_id", name=op.f("uq_household_member_person_id")),
    )
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_household_member_household_id"), ["household_id"], unique=False
        )

    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("exit_date", sa.Date(), nullable=True),
        sa.Column(
            "exit_reason",
            sa.Enum(
                "socio_economic",
                "term_expired",
                "voluntary_abandonment",
                "revocation",
                "assisted_return",
                "transfer_other_project",
                "dublin_transfer",
                "other",
                name="exit_reason",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("exit_destination", sa.String(length=300), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "exited",
                "cancelled",
                name="placement_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "exit_date IS NULL OR exit_date >= entry_date", name=op.f("ck_placement_dates")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_placement_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_placement_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_placement_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_placement_planned_end"), ["planned_end"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_placement_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_placement_status"), ["status"], unique=False)

    op.create_table(
        "structure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("comune", sa.String(length=120), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("target_groups", sa.String(length=200), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "closed_on IS NULL OR closed_on > opened_on", name=op.f("ck_structure_dates")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_structure_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_structure")),
        sa.UniqueConstraint("code", name=op.f("uq_structure_code")),
    )
    with op.batch_alter_table("structure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_structure_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_structure_province"), ["province"], unique=False)

    op.create_table(
        "capacity_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.CheckConstraint("places >= 0", name=op.f("ck_capacity_period_places")),
        sa.ForeignKeyConstraint(
            ["structure_id"],
            ["structure.id"],
            name=op.f("fk_capacity_period_structure_id_structure"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_period")),
        sa.UniqueConstraint(
            "structure_id", "valid_from", name=op.f("uq_capacity_period_structure_id_valid_from")
        ),
    )
    op.create_table(
        "extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("previous_planned_end", sa.Date(), nullable=True),
        sa.Column("new_planned_end", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("authorised_by", sa.String(length=200), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_extension_placement_id_placement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension")),
    )
    with op.batch_alter_table("extension", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_extension_placement_id"), ["placement_id"], unique=False
        )

    op.create_table(
        "reservation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.Column("held_from", sa.Date(), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "held",
                "confirmed",
                "cancelled",
                name="reservation_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_reservation_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_reservation_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["structure_id"], ["structure.id"], name=op.f("fk_reservation_structure_id_structure")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservation")),
    )
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reservation_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reservation_structure_id"), ["structure_id"], unique=False
        )

    op.create_table(
        "room",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["structure_id"], ["structure.id"], name=op.f("fk_room_structure_id_structure")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room")),
        sa.UniqueConstraint("structure_id", "name", name=op.f("uq_room_structure_id_name")),
    )
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_structure_id"), ["structure_id"], unique=False)

    op.create_table(
        "bed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_bed_room_id_room")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bed")),
        sa.UniqueConstraint("room_id", "label", name=op.f("uq_bed_room_id_label")),
    )
    with op.batch_alter_table("bed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bed_room_id"), ["room_id"], unique=False)

    op.create_table(
        "bed_outage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bed_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date > start_date", name=op.f("ck_bed_outage_dates")
        ),
        sa.ForeignKeyConstraint(["bed_id"], ["bed.id"], name=op.f("fk_bed_outage_bed_id_bed")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bed_outage")),
    )
    with op.batch_alter_table("bed_outage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bed_outage_bed_id"), ["bed_id"], unique=False)

    op.create_table(
        "bed_stay",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("bed_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date > start_date", name=op.f("ck_bed_stay_dates")
        ),
        sa.ForeignKeyConstraint(["bed_id"], ["bed.id"], name=op.f("fk_bed_stay_bed_id_bed")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_bed_stay_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_bed_stay_placement_id_placement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bed_stay")),
    )
    with op.batch_alter_table("bed_stay", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bed_stay_bed_dates", ["bed_id", "start_date", "end_date"], unique=False
        )
        batch_op.create_index("ix_bed_stay_dates", ["start_date", "end_date"], unique=False)
        batch_op.create_index(
            "ix_bed_stay_person_dates", ["person_id", "start_date", "end_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_bed_stay_placement_id"), ["placement_id"], unique=False
        )

    op.create_table(
        "reservation_bed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reservation_id", sa.Integer(), nullable=False),
        sa.Column("bed_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["bed_id"], ["bed.id"], name=op.f("fk_reservation_bed_bed_id_bed")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_reservation_bed_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservation.id"],
            name=op.f("fk_reservation_bed_reservation_id_reservation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservation_bed")),
    )
    with op.batch_alter_table("reservation_bed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reservation_bed_bed_id"), ["bed_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reservation_bed_reservation_id"), ["reservation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reservation_bed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reservation_bed_reservation_id"))
        batch_op.drop_index(batch_op.f("ix_reservation_bed_bed_id"))

    op.drop_table("reservation_bed")
    with op.batch_alter_table("bed_stay", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bed_stay_placement_id"))
        batch_op.drop_index("ix_bed_stay_person_dates")
        batch_op.drop_index("ix_bed_stay_dates")
        batch_op.drop_index("ix_bed_stay_bed_dates")

    op.drop_table("bed_stay")
    with op.batch_alter_table("bed_outage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bed_outage_bed_id"))

    op.drop_table("bed_outage")
    with op.batch_alter_table("bed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bed_room_id"))

    op.drop_table("bed")
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_structure_id"))

    op.drop_table("room")
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reservation_structure_id"))
        batch_op.drop_index(batch_op.f("ix_reservation_household_id"))

    op.drop_table("reservation")
    with op.batch_alter_table("extension", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extension_placement_id"))

    op.drop_table("extension")
    op.drop_table("capacity_period")
    with op.batch_alter_table("structure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_structure_province"))
        batch_op.drop_index(batch_op.f("ix_structure_programme_id"))

    op.drop_table("structure")
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_status"))
        batch_op.drop_index(batch_op.f("ix_placement_programme_id"))
        batch_op.drop_index(batch_op.f("ix_placement_planned_end"))
        batch_op.drop_index(batch_op.f("ix_placement_household_id"))

    op.drop_table("placement")
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_member_household_id"))

    op.drop_table("household_member")
    op.drop_table("programme")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_search_text"))

    op.drop_table("person")
    op.drop_table("household")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_entity")

    op.drop_table("audit_entry")
