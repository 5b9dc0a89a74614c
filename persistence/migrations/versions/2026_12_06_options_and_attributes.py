"""options and attributes

Revision ID: e1d4a0000011
Revises: e1d4a0000010
Create Date: 2026-12-06 11:00:00

Variant options (a product's ordered options and their ordered values; the value each
variant selects, and its whole combination as one key unique per product) and product
attributes (definitions with their known values; the values each product has).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000011"
down_revision: str | None = "e1d4a0000010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "product_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_product_options_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_options")),
        sa.UniqueConstraint("product_id", "name", name=op.f("uq_product_options_product_id")),
    )
    op.create_table(
        "product_option_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["product_options.id"],
            name=op.f("fk_product_option_values_option_id_product_options"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_option_values")),
        sa.UniqueConstraint("option_id", "value", name=op.f("uq_product_option_values_option_id")),
    )
    op.create_table(
        "variant_option_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("value_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["variants.id"],
            name=op.f("fk_variant_option_values_variant_id_variants"),
        ),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["product_options.id"],
            name=op.f("fk_variant_option_values_option_id_product_options"),
        ),
        sa.ForeignKeyConstraint(
            ["value_id"],
            ["product_option_values.id"],
            name=op.f("fk_variant_option_values_value_id_product_option_values"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_variant_option_values")),
        sa.UniqueConstraint(
            "variant_id", "option_id", name=op.f("uq_variant_option_values_variant_id")
        ),
    )
    op.create_index(
        op.f("ix_variant_option_values_value_id"), "variant_option_values", ["value_id"]
    )
    op.create_table(
        "variant_option_combinations",
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("combination", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["variants.id"],
            name=op.f("fk_variant_option_combinations_variant_id_variants"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_variant_option_combinations_product_id_products"),
        ),
        sa.PrimaryKeyConstraint("variant_id", name=op.f("pk_variant_option_combinations")),
        sa.UniqueConstraint(
            "product_id", "combination", name=op.f("uq_variant_option_combinations_product_id")
        ),
    )
    op.create_table(
        "attributes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attributes")),
        sa.UniqueConstraint("slug", name=op.f("uq_attributes_slug")),
    )
    op.create_table(
        "attribute_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attribute_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attribute_id"],
            ["attributes.id"],
            name=op.f("fk_attribute_values_attribute_id_attributes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribute_values")),
        sa.UniqueConstraint("attribute_id", "value", name=op.f("uq_attribute_values_attribute_id")),
    )
    op.create_table(
        "product_attribute_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("value_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_attribute_values_product_id_products"),
        ),
        sa.ForeignKeyConstraint(
            ["value_id"],
            ["attribute_values.id"],
            name=op.f("fk_product_attribute_values_value_id_attribute_values"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_attribute_values")),
        sa.UniqueConstraint(
            "product_id", "value_id", name=op.f("uq_product_attribute_values_product_id")
        ),
    )
    op.create_index(
        op.f("ix_product_attribute_values_value_id"), "product_attribute_values", ["value_id"]
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_product_attribute_values_value_id"), table_name="product_attribute_values"
    )
    op.drop_table("product_attribute_values")
    op.drop_table("attribute_values")
    op.drop_table("attributes")
    op.drop_table("variant_option_combinations")
    op.drop_index(op.f("ix_variant_option_values_value_id"), table_name="variant_option_values")
    op.drop_table("variant_option_values")
    op.drop_table("product_option_values")
    op.drop_table("product_options")
