"""pos terminals and sales

Revision ID: c5a1e0000001
Revises: 8ca820b2b0f0
Create Date: 2026-11-25 21:00:00

POS terminals, the sales they sync (each recorded once, by the id the terminal gave it) and
their payments. A counter sale may take a store's on hand below zero (and below what is
reserved there), so those two check constraints go; `reserved >= 0` stays.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5a1e0000001"
down_revision: str | None = "8ca820b2b0f0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pos_terminals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_pos_terminals_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pos_terminals")),
        sa.UniqueConstraint("location_id", "name", name=op.f("uq_pos_terminals_location_id")),
    )
    op.create_table(
        "pos_sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_sale_id", sa.Uuid(), nullable=False),
        sa.Column("terminal_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_pos_sales_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["terminal_id"],
            ["pos_terminals.id"],
            name=op.f("fk_pos_sales_terminal_id_pos_terminals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pos_sales")),
        sa.UniqueConstraint("client_sale_id", name=op.f("uq_pos_sales_client_sale_id")),
        sa.UniqueConstraint("order_id", name=op.f("uq_pos_sales_order_id")),
    )
    with op.batch_alter_table("pos_sales", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pos_sales_terminal_id"), ["terminal_id"], unique=False)

    op.create_table(
        "pos_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_pos_payments_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pos_payments")),
    )
    with op.batch_alter_table("pos_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pos_payments_order_id"), ["order_id"], unique=False)

    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_stock_levels_on_hand_not_negative"), type_="check")
        batch_op.drop_constraint(op.f("ck_stock_levels_reserved_within_on_hand"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_stock_levels_reserved_not_negative"), "reserved >= 0"
        )


def downgrade() -> None:
    # Refused while a level is short (a counter sale sold more than the ledger held):
    # count those shelves first.
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_stock_levels_reserved_not_negative"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_stock_levels_reserved_within_on_hand"),
            "reserved >= 0 AND reserved <= on_hand",
        )
        batch_op.create_check_constraint(
            op.f("ck_stock_levels_on_hand_not_negative"), "on_hand >= 0"
        )

    with op.batch_alter_table("pos_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pos_payments_order_id"))

    op.drop_table("pos_payments")
    with op.batch_alter_table("pos_sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pos_sales_terminal_id"))

    op.drop_table("pos_sales")
    op.drop_table("pos_terminals")
