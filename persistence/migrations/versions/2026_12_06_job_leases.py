"""job leases

Revision ID: e1d4a0000009
Revises: e1d4a0000008
Create Date: 2026-12-06 02:19:00

Leases that let one process of several run a scheduled job.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000009"
down_revision: str | None = "e1d4a0000008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=255), nullable=False),
        sa.Column("leased_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_leases")),
    )


def downgrade() -> None:
    op.drop_table("job_leases")
