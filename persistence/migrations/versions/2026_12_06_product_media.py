"""product media

Revision ID: e1d4a0000014
Revises: e1d4a0000011
Create Date: 2026-12-06 11:10:00

Images of products (their bytes in the media storage, by content key), and the variants
each is shown for.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000014"
down_revision: str | None = "e1d4a0000011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "product_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("alt", sa.String(length=500), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_product_media_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_media")),
    )
    op.create_index(op.f("ix_product_media_product_id"), "product_media", ["product_id"])
    op.create_index(op.f("ix_product_media_key"), "product_media", ["key"])
    op.create_table(
        "product_media_variants",
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["product_media.id"],
            name=op.f("fk_product_media_variants_media_id_product_media"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["variants.id"],
            name=op.f("fk_product_media_variants_variant_id_variants"),
        ),
        sa.PrimaryKeyConstraint("media_id", "variant_id", name=op.f("pk_product_media_variants")),
    )
    op.create_index(
        op.f("ix_product_media_variants_variant_id"), "product_media_variants", ["variant_id"]
    )


def downgrade() -> None:
    op.drop_table("product_media_variants")
    op.drop_table("product_media")
