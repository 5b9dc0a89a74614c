"""shipping zones and methods

Revision ID: e1d4a0000021
Revises: e1d4a0000020
Create Date: 2026-12-06 14:10:00

Shipping zones (a country in at most one: the country is its row's key), their methods
(FLAT or BY_WEIGHT with brackets, free above a threshold, on some channels), and the
weight of a variant in grams, which no variant has yet.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000021"
down_revision: str | None = "e1d4a0000020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shipping_zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_zones")),
        sa.UniqueConstraint("code", name=op.f("uq_shipping_zones_code")),
    )
    op.create_table(
        "shipping_zone_countries",
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["shipping_zones.id"],
            name=op.f("fk_shipping_zone_countries_zone_id_shipping_zones"),
        ),
        sa.PrimaryKeyConstraint("country", name=op.f("pk_shipping_zone_countries")),
    )
    op.create_index(
        op.f("ix_shipping_zone_countries_zone_id"), "shipping_zone_countries", ["zone_id"]
    )
    op.create_table(
        "shipping_methods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("pricing", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("price_cents", sa.BigInteger(), nullable=True),
        sa.Column("free_above_cents", sa.BigInteger(), nullable=True),
        sa.Column("tax_class", sa.String(length=32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["shipping_zones.id"],
            name=op.f("fk_shipping_methods_zone_id_shipping_zones"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_methods")),
        sa.UniqueConstraint("code", name=op.f("uq_shipping_methods_code")),
    )
    op.create_index(op.f("ix_shipping_methods_zone_id"), "shipping_methods", ["zone_id"])
    op.create_table(
        "shipping_method_channels",
        sa.Column("method_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["method_id"],
            ["shipping_methods.id"],
            name=op.f("fk_shipping_method_channels_method_id_shipping_methods"),
        ),
        sa.PrimaryKeyConstraint("method_id", "channel", name=op.f("pk_shipping_method_channels")),
    )
    op.create_table(
        "shipping_method_brackets",
        sa.Column("method_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("up_to_grams", sa.Integer(), nullable=True),
        sa.Column("price_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["method_id"],
            ["shipping_methods.id"],
            name=op.f("fk_shipping_method_brackets_method_id_shipping_methods"),
        ),
        sa.PrimaryKeyConstraint("method_id", "position", name=op.f("pk_shipping_method_brackets")),
    )
    # Plain ALTER TABLE, not a batch: on SQLite a batch would copy `variants` into a new
    # table, which the product search triggers on it do not survive.
    op.add_column("variants", sa.Column("weight_grams", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("variants", "weight_grams")  # SQLite 3.35+ drops a column in place
    op.drop_table("shipping_method_brackets")
    op.drop_table("shipping_method_channels")
    op.drop_index(op.f("ix_shipping_methods_zone_id"), table_name="shipping_methods")
    op.drop_table("shipping_methods")
    op.drop_index(op.f("ix_shipping_zone_countries_zone_id"), table_name="shipping_zone_countries")
    op.drop_table("shipping_zone_countries")
    op.drop_table("shipping_zones")
