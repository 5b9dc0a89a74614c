"""credit limits

Revision ID: e1d4a0000008
Revises: e1d4a0000007
Create Date: 2026-12-06 02:18:00

Credit limits on customers and customer groups.
"""

from collections.abc import Sequence

revision: str = "e1d4a0000008"
down_revision: str | None = "e1d4a0000007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
