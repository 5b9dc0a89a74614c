"""taxes

Revision ID: e1d4a0000020
Revises: e1d4a0000022
Create Date: 2026-12-06 14:00:00

Tax classes (STANDARD, the class of every variant that names none, is created here) and
tax rates, one per (country, region, class): a unique index over the key with its nulls
made empty strings, since a unique constraint lets equal keys with nulls through. Variants
get their class (null: STANDARD), channels whether their prices include tax (true, as
before: every price was what the customer paid; WHOLESALE, whose trade prices are net,
false), locations a structured postal address (null: their free-text address stays as it
was, for people; nothing can be read from it safely).

Columns are added and dropped in place (SQLite 3.35+ drops a column without copying the
table): a batch copy of `variants` would lose its product-search triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "e1d4a0000020"
down_revision: str | None = "e1d4a0000022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    tax_classes = op.create_table(
        "tax_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_classes")),
        sa.UniqueConstraint("code", name=op.f("uq_tax_classes_code")),
    )
    op.create_table(
        "tax_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=8), nullable=True),
        sa.Column("tax_class", sa.String(length=32), nullable=True),
        sa.Column("percent", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["tax_class"], ["tax_classes.code"], name=op.f("fk_tax_rates_tax_class_tax_classes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_rates")),
    )
    op.create_index(
        "uq_tax_rates_country_region_tax_class",
        "tax_rates",
        [
            "country",
            sa.text("coalesce(region, '')"),
            sa.text("coalesce(tax_class, '')"),
        ],
        unique=True,
    )
    op.bulk_insert(tax_classes, [{"code": "STANDARD", "name": "Standard"}])
    op.add_column("variants", sa.Column("tax_class", sa.String(length=32), nullable=True))
    op.add_column(
        "channels",
        sa.Column("prices_include_tax", sa.Boolean(), server_default="1", nullable=False),
    )
    channels = sa.table(
        "channels", sa.column("code", sa.String()), sa.column("prices_include_tax", sa.Boolean())
    )
    op.execute(
        channels.update().where(channels.c.code == "WHOLESALE").values(prices_include_tax=False)
    )
    op.add_column("locations", sa.Column("postal_address", JSON_DOCUMENT, nullable=True))


def downgrade() -> None:
    op.drop_column("locations", "postal_address")
    op.drop_column("channels", "prices_include_tax")
    op.drop_column("variants", "tax_class")
    op.drop_index("uq_tax_rates_country_region_tax_class", table_name="tax_rates")
    op.drop_table("tax_rates")
    op.drop_table("tax_classes")
