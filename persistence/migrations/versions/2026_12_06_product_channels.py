"""product channels

Revision ID: e1d4a0000018
Revises: e1d4a0000017
Create Date: 2026-12-06 12:10:00

The channels each product is published on; every existing product is published on every
channel, as every new one is, so nothing a caller saw goes away.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000018"
down_revision: str | None = "e1d4a0000017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "product_channels",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_product_channels_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_product_channels_product_id_products")
        ),
        sa.PrimaryKeyConstraint("product_id", "channel_id", name=op.f("pk_product_channels")),
    )
    with op.batch_alter_table("product_channels") as batch:
        batch.create_index(batch.f("ix_product_channels_channel_id"), ["channel_id"])
    op.execute(
        "INSERT INTO product_channels (product_id, channel_id) "
        "SELECT products.id, channels.id FROM products CROSS JOIN channels"
    )


def downgrade() -> None:
    op.drop_table("product_channels")
