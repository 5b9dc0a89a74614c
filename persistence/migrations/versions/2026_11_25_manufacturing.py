"""bills of materials and work orders

Revision ID: d6b2f0000002
Revises: d6b2f0000001
Create Date: 2026-11-25 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d6b2f0000002"
down_revision: str | None = "d6b2f0000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bom_components",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("component_variant_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["component_variant_id"],
            ["variants.id"],
            name=op.f("fk_bom_components_component_variant_id_variants"),
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_bom_components_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bom_components")),
        sa.UniqueConstraint(
            "variant_id", "component_variant_id", name=op.f("uq_bom_components_variant_id")
        ),
    )
    with op.batch_alter_table("bom_components", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bom_components_component_variant_id"),
            ["component_variant_id"],
            unique=False,
        )

    op.create_table(
        "work_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("produced", sa.Integer(), nullable=False),
        sa.Column("scrapped", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_work_orders_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_work_orders_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_work_orders_number")),
    )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_work_orders_location_id_due_date", ["location_id", "due_date"], unique=False
        )
        batch_op.create_index("ix_work_orders_status_id", ["status", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_orders_variant_id"), ["variant_id"], unique=False)

    op.create_table(
        "work_order_components",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("per_unit", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("consumed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["variants.id"],
            name=op.f("fk_work_order_components_variant_id_variants"),
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_components_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_components")),
    )
    with op.batch_alter_table("work_order_components", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_order_components_work_order_id"), ["work_order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("work_order_components", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_order_components_work_order_id"))
    op.drop_table("work_order_components")
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_orders_variant_id"))
        batch_op.drop_index("ix_work_orders_status_id")
        batch_op.drop_index("ix_work_orders_location_id_due_date")
    op.drop_table("work_orders")
    with op.batch_alter_table("bom_components", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bom_components_component_variant_id"))
    op.drop_table("bom_components")
