"""categories and collections

Revision ID: e1d4a0000010
Revises: e1d4a0000009
Create Date: 2026-12-06 10:45:00

Categories as a tree (parent, position among siblings), the products in each, and curated
collections: their products in manual order and the channels they are published on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000010"
down_revision: str | None = "e1d4a0000009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["categories.id"], name=op.f("fk_categories_parent_id_categories")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("slug", name=op.f("uq_categories_slug")),
    )
    op.create_index("ix_categories_parent_id_position", "categories", ["parent_id", "position"])
    op.create_table(
        "product_categories",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_product_categories_category_id_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_product_categories_product_id_products")
        ),
        sa.PrimaryKeyConstraint("product_id", "category_id", name=op.f("pk_product_categories")),
    )
    op.create_index(
        op.f("ix_product_categories_category_id"), "product_categories", ["category_id"]
    )
    op.create_table(
        "collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collections")),
        sa.UniqueConstraint("slug", name=op.f("uq_collections_slug")),
    )
    op.create_table(
        "collection_products",
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_collection_products_collection_id_collections"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_collection_products_product_id_products"),
        ),
        sa.PrimaryKeyConstraint("collection_id", "product_id", name=op.f("pk_collection_products")),
        sa.UniqueConstraint(
            "collection_id", "position", name=op.f("uq_collection_products_collection_id")
        ),
    )
    op.create_index(
        op.f("ix_collection_products_product_id"), "collection_products", ["product_id"]
    )
    op.create_table(
        "collection_channels",
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_collection_channels_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_collection_channels_collection_id_collections"),
        ),
        sa.PrimaryKeyConstraint("collection_id", "channel_id", name=op.f("pk_collection_channels")),
    )
    op.create_index(
        op.f("ix_collection_channels_channel_id"), "collection_channels", ["channel_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_collection_channels_channel_id"), table_name="collection_channels")
    op.drop_table("collection_channels")
    op.drop_index(op.f("ix_collection_products_product_id"), table_name="collection_products")
    op.drop_table("collection_products")
    op.drop_table("collections")
    op.drop_index(op.f("ix_product_categories_category_id"), table_name="product_categories")
    op.drop_table("product_categories")
    op.drop_index("ix_categories_parent_id_position", table_name="categories")
    op.drop_table("categories")
