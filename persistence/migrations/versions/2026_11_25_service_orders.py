"""service products, recipes, capacity and bookings

Revision ID: d6b2f0000003
Revises: d6b2f0000002
Create Date: 2026-11-25 22:00:00

Products get a kind, GOODS (every product so far) or SERVICE. A service's recipe, its
capacity per location, the places taken in each of its slots, and its bookings get tables
of their own; a booked service is an order like any other.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d6b2f0000003"
down_revision: str | None = "d6b2f0000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="GOODS", nullable=False)
        )

    op.create_table(
        "service_recipe_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_variant_id", sa.Integer(), nullable=False),
        sa.Column("consumable_variant_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_service_recipe_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["consumable_variant_id"],
            ["variants.id"],
            name=op.f("fk_service_recipe_lines_consumable_variant_id_variants"),
        ),
        sa.ForeignKeyConstraint(
            ["service_variant_id"],
            ["variants.id"],
            name=op.f("fk_service_recipe_lines_service_variant_id_variants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_recipe_lines")),
        sa.UniqueConstraint(
            "service_variant_id",
            "consumable_variant_id",
            name=op.f("uq_service_recipe_lines_service_variant_id"),
        ),
    )
    op.create_table(
        "service_capacities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "slot_minutes > 0 AND capacity >= 0",
            name=op.f("ck_service_capacities_slot_and_capacity"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_service_capacities_location_id_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_service_capacities_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_capacities")),
        sa.UniqueConstraint(
            "variant_id", "location_id", name=op.f("uq_service_capacities_variant_id")
        ),
    )
    with op.batch_alter_table("service_capacities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_capacities_location_id"), ["location_id"], unique=False
        )

    op.create_table(
        "service_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("slot_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.CheckConstraint("booked >= 0", name=op.f("ck_service_slots_booked_not_negative")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_service_slots_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_service_slots_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_slots")),
        sa.UniqueConstraint(
            "variant_id", "location_id", "slot_start", name=op.f("uq_service_slots_variant_id")
        ),
    )
    op.create_table(
        "service_bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("slot_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_service_bookings_location_id_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_service_bookings_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_service_bookings_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_bookings")),
        sa.UniqueConstraint("order_id", name=op.f("uq_service_bookings_order_id")),
    )
    with op.batch_alter_table("service_bookings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_service_bookings_variant_id_location_id_slot_start",
            ["variant_id", "location_id", "slot_start"],
            unique=False,
        )


def downgrade() -> None:
    # The schema before services cannot hold one (nor its orders): refused while any exists.
    services = op.get_bind().execute(
        sa.text("SELECT count(*) FROM products WHERE kind = 'SERVICE'")
    )
    if services.scalar():
        raise RuntimeError("service products exist; the schema before services cannot hold them")

    with op.batch_alter_table("service_bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_service_bookings_variant_id_location_id_slot_start")

    op.drop_table("service_bookings")
    op.drop_table("service_slots")
    with op.batch_alter_table("service_capacities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_capacities_location_id"))

    op.drop_table("service_capacities")
    op.drop_table("service_recipe_lines")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("kind")
