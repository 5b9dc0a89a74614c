"""persisted queries

Revision ID: e1d4a0000005
Revises: e1d4a0000004
Create Date: 2026-12-05 22:00:00

The allow-list of persisted queries: documents an operator registered from an Apollo
persisted query manifest (`omniorder persisted-queries add`), keyed by the SHA-256 of
their text, which every server process reads.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000005"
down_revision: str | None = "e1d4a0000004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "persisted_queries",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("operation_type", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persisted_queries")),
    )


def downgrade() -> None:
    op.drop_table("persisted_queries")
