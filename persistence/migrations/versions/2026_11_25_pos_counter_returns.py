"""pos counter returns

Revision ID: c5a1e0000002
Revises: c5a1e0000001
Create Date: 2026-11-25 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5a1e0000002"
down_revision: str | None = "c5a1e0000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_return_id", sa.Uuid(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_returns_client_return_id"), ["client_return_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_returns_client_return_id"), type_="unique")
        batch_op.drop_column("client_return_id")
