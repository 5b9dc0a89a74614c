"""suppliers, purchase orders and incoming stock

Revision ID: d6b2f0000001
Revises: c5a1e0000005
Create Date: 2026-11-25 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d6b2f0000001"
down_revision: str | None = "c5a1e0000005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("incoming", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_check_constraint("incoming_not_negative", "incoming >= 0")

    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("incoming_delta", sa.Integer(), server_default="0", nullable=False)
        )

    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=500), nullable=True),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("lead_time_days >= 0", name=op.f("ck_suppliers_lead_time_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("code", name=op.f("uq_suppliers_code")),
    )
    op.create_table(
        "supplier_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("unit_cost_cents", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "unit_cost_cents >= 0", name=op.f("ck_supplier_prices_unit_cost_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
            name=op.f("fk_supplier_prices_supplier_id_suppliers"),
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_supplier_prices_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_prices")),
        sa.UniqueConstraint(
            "supplier_id", "variant_id", name=op.f("uq_supplier_prices_supplier_id")
        ),
    )
    with op.batch_alter_table("supplier_prices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supplier_prices_variant_id"), ["variant_id"], unique=False
        )

    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("expected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_purchase_orders_location_id_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
            name=op.f("fk_purchase_orders_supplier_id_suppliers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_purchase_orders_number")),
    )
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_orders_location_id"), ["location_id"], unique=False
        )
        batch_op.create_index("ix_purchase_orders_status_id", ["status", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_purchase_orders_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "purchase_order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purchase_order_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_cost_cents", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quantity > 0 AND received >= 0 AND received <= quantity",
            name=op.f("ck_purchase_order_lines_received_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["purchase_order_id"],
            ["purchase_orders.id"],
            name=op.f("fk_purchase_order_lines_purchase_order_id_purchase_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["variants.id"],
            name=op.f("fk_purchase_order_lines_variant_id_variants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_lines")),
    )
    with op.batch_alter_table("purchase_order_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_order_lines_purchase_order_id"),
            ["purchase_order_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_order_lines_variant_id"), ["variant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("purchase_order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_order_lines_variant_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_lines_purchase_order_id"))

    op.drop_table("purchase_order_lines")
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_orders_supplier_id"))
        batch_op.drop_index("ix_purchase_orders_status_id")
        batch_op.drop_index(batch_op.f("ix_purchase_orders_location_id"))

    op.drop_table("purchase_orders")
    with op.batch_alter_table("supplier_prices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_prices_variant_id"))

    op.drop_table("supplier_prices")
    op.drop_table("suppliers")

    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_column("incoming_delta")

    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_constraint("incoming_not_negative", type_="check")
        batch_op.drop_column("incoming")
