"""job leases

Revision ID: e1d4a0000009
Revises: e1d4a0000008
Create Date: 2026-12-06 02:19:00

Leases that let one process of several run a scheduled job.
"""

from collections.abc import Sequence

revision: str = "e1d4a0000009"
down_revision: str | None = "e1d4a0000008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
