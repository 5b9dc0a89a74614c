"""credit limits

Revision ID: e1d4a0000008
Revises: e1d4a0000007
Create Date: 2026-12-06 02:18:00

Credit limits on customers and customer groups: an amount in minor units and its
currency, both null for none (a customer without one has its group's; a group without one
lends without limit).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000008"
down_revision: str | None = "e1d4a0000007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("customer_groups", "customers")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("credit_limit_cents", sa.BigInteger(), nullable=True))
            batch.add_column(sa.Column("credit_limit_currency", sa.String(length=3), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("credit_limit_currency")
            batch.drop_column("credit_limit_cents")
