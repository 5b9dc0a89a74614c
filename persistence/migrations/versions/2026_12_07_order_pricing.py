"""order pricing

Revision ID: e1d4a0000019
Revises: e1d4a0000018
Create Date: 2026-12-07 14:30:00

What an order's price is made of: per line the discounts (a snapshot with their sources),
net, tax and the rate; per order whether its prices include tax, its discount and tax
totals, and its shipping charge. Orders placed before had neither discount nor tax: each
line's net is its unit price times its quantity, and nothing else changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "e1d4a0000019"
down_revision: str | None = "e1d4a0000018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(
            sa.Column("prices_include_tax", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(
            sa.Column("discount_cents", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch.add_column(
            sa.Column("tax_cents", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("shipping_method_code", sa.String(32), nullable=True))
        batch.add_column(sa.Column("shipping_method_name", sa.String(100), nullable=True))
        batch.add_column(sa.Column("shipping_net_cents", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("shipping_tax_cents", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("shipping_tax_name", sa.String(64), nullable=True))
        batch.add_column(sa.Column("shipping_tax_percent", sa.Numeric(7, 4), nullable=True))
    with op.batch_alter_table("order_lines") as batch:
        batch.add_column(
            sa.Column("discount_cents", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("net_cents", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("tax_cents", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch.add_column(
            sa.Column("tax_name", sa.String(64), server_default="No tax", nullable=False)
        )
        batch.add_column(
            sa.Column("tax_percent", sa.Numeric(7, 4), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("discounts", JSON, server_default="[]", nullable=False))
    op.execute("UPDATE order_lines SET net_cents = unit_price_cents * quantity")
    with op.batch_alter_table("order_lines") as batch:
        batch.alter_column("net_cents", existing_type=sa.BigInteger(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("order_lines") as batch:
        for column in ("discounts", "tax_percent", "tax_name", "tax_cents", "net_cents"):
            batch.drop_column(column)
        batch.drop_column("discount_cents")
    with op.batch_alter_table("orders") as batch:
        for column in (
            "shipping_tax_percent",
            "shipping_tax_name",
            "shipping_tax_cents",
            "shipping_net_cents",
            "shipping_method_name",
            "shipping_method_code",
            "tax_cents",
            "discount_cents",
            "prices_include_tax",
        ):
            batch.drop_column(column)
