"""pos change feed

The POS change feed walks variants in (updated_at, id) order and a location's movements in
id order, judging whether a movement has settled by when it was written (`recorded_at`: its
`occurred_at` may be days old, for sales a terminal synced late).

`variants.updated_at` has been set on creation and on every price change since the first
migration (NOT NULL), so no row needs a backfill. Nor does the ledger: `recorded_at` stays
NULL for the movements written before it, which have long settled, so a big ledger is not
rewritten. The (location_id, id) index serves everything the (location_id) one did, and
replaces it.

Revision ID: c5a1e0000003
Revises: c5a1e0000002
Create Date: 2026-11-25 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5a1e0000003"
down_revision: str | None = "c5a1e0000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.create_index("ix_variants_updated_at_id", ["updated_at", "id"], unique=False)
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_stock_movements_location_id_id", ["location_id", "id"], unique=False
        )
        batch_op.drop_index("ix_stock_movements_location_id")


def downgrade() -> None:
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index("ix_stock_movements_location_id", ["location_id"], unique=False)
        batch_op.drop_index("ix_stock_movements_location_id_id")
        batch_op.drop_column("recorded_at")
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.drop_index("ix_variants_updated_at_id")
