"""promotions and voucher codes

Revision ID: e1d4a0000022
Revises: e1d4a0000019
Create Date: 2026-12-06 14:00:00

Promotions (a kind, a value, conditions, stackable or not), the channels they run on and
what they target (products, categories, collections, customer groups), their voucher codes
with usage limits, and each use of a code by an order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000022"
down_revision: str | None = "e1d4a0000019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "promotions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("value", sa.Numeric(precision=16, scale=3), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stackable", sa.Boolean(), nullable=False),
        sa.Column("buy_quantity", sa.Integer(), nullable=True),
        sa.Column("get_quantity", sa.Integer(), nullable=True),
        sa.Column("minimum_subtotal", sa.Numeric(precision=16, scale=3), nullable=True),
        sa.Column("needs_voucher", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotions")),
    )
    with op.batch_alter_table("promotions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_promotions_active_needs_voucher", ["active", "needs_voucher"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_promotions_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "promotion_categories",
        sa.Column("promotion_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_promotion_categories_category_id_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["promotions.id"],
            name=op.f("fk_promotion_categories_promotion_id_promotions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "promotion_id", "category_id", name=op.f("pk_promotion_categories")
        ),
    )
    with op.batch_alter_table("promotion_categories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_promotion_categories_category_id"), ["category_id"], unique=False
        )

    op.create_table(
        "promotion_channels",
        sa.Column("promotion_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_promotion_channels_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["promotions.id"],
            name=op.f("fk_promotion_channels_promotion_id_promotions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("promotion_id", "channel_id", name=op.f("pk_promotion_channels")),
    )
    with op.batch_alter_table("promotion_channels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_promotion_channels_channel_id"), ["channel_id"], unique=False
        )

    op.create_table(
        "promotion_collections",
        sa.Column("promotion_id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_promotion_collections_collection_id_collections"),
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["promotions.id"],
            name=op.f("fk_promotion_collections_promotion_id_promotions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "promotion_id", "collection_id", name=op.f("pk_promotion_collections")
        ),
    )
    with op.batch_alter_table("promotion_collections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_promotion_collections_collection_id"), ["collection_id"], unique=False
        )

    op.create_table(
        "promotion_customer_groups",
        sa.Column("promotion_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["customer_groups.id"],
            name=op.f("fk_promotion_customer_groups_group_id_customer_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["promotions.id"],
            name=op.f("fk_promotion_customer_groups_promotion_id_promotions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "promotion_id", "group_id", name=op.f("pk_promotion_customer_groups")
        ),
    )
    with op.batch_alter_table("promotion_customer_groups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_promotion_customer_groups_group_id"), ["group_id"], unique=False
        )

    op.create_table(
        "promotion_products",
        sa.Column("promotion_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_promotion_products_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["promotions.id"],
            name=op.f("fk_promotion_products_promotion_id_promotions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("promotion_id", "product_id", name=op.f("pk_promotion_products")),
    )
    with op.batch_alter_table("promotion_products", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_promotion_products_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "voucher_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("promotion_id", sa.Integer(), nullable=False),
        sa.Column("usage_limit", sa.Integer(), nullable=True),
        sa.Column("per_customer_limit", sa.Integer(), nullable=True),
        sa.Column("used", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "used >= 0 AND (usage_limit IS NULL OR used <= usage_limit)",
            name=op.f("ck_voucher_codes_used_within_limit"),
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["promotions.id"],
            name=op.f("fk_voucher_codes_promotion_id_promotions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher_codes")),
        sa.UniqueConstraint("code", name=op.f("uq_voucher_codes_code")),
    )
    with op.batch_alter_table("voucher_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voucher_codes_promotion_id"), ["promotion_id"], unique=False
        )

    op.create_table(
        "voucher_redemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("voucher_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_voucher_redemptions_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_voucher_redemptions_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["voucher_codes.id"],
            name=op.f("fk_voucher_redemptions_voucher_id_voucher_codes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher_redemptions")),
    )
    with op.batch_alter_table("voucher_redemptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voucher_redemptions_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            "ix_voucher_redemptions_voucher_id_customer_id",
            ["voucher_id", "customer_id"],
            unique=False,
        )


def downgrade() -> None:
    for table in (
        "voucher_redemptions",
        "voucher_codes",
        "promotion_products",
        "promotion_customer_groups",
        "promotion_collections",
        "promotion_channels",
        "promotion_categories",
        "promotions",
    ):
        op.drop_table(table)
