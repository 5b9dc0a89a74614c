"""updated_at for sync

Revision ID: e1d4a0000012
Revises: e1d4a0000014
Create Date: 2026-12-06 11:00:00

`updated_at` on stock levels and customers, and an index on it for every list an external
system syncs by `updatedSince` (products, orders, stock levels, customers). Customers start
at their creation time, stock levels at the time of this migration (nothing recorded when
they last changed): a first sync reads everything anyway.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000012"
down_revision: str | None = "e1d4a0000014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMN = ("stock_levels", "customers")
INDEXED = ("products", "orders", "stock_levels", "customers")


def upgrade() -> None:
    for table in NEW_COLUMN:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    customers = sa.table(
        "customers",
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.execute(customers.update().values(updated_at=customers.c.created_at))
    levels = sa.table("stock_levels", sa.column("updated_at", sa.DateTime(timezone=True)))
    op.execute(levels.update().values(updated_at=datetime.now(UTC)))
    for table in NEW_COLUMN:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "updated_at", existing_type=sa.DateTime(timezone=True), nullable=False
            )
    for table in INDEXED:
        with op.batch_alter_table(table) as batch:
            batch.create_index(batch.f(f"ix_{table}_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    for table in reversed(INDEXED):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(batch.f(f"ix_{table}_updated_at"))
    for table in reversed(NEW_COLUMN):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("updated_at")
