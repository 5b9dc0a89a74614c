"""invoices

Revision ID: e1d4a0000007
Revises: e1d4a0000006
Create Date: 2026-12-06 02:17:00

Invoices, credit notes, document series and payment terms.
"""

from collections.abc import Sequence

revision: str = "e1d4a0000007"
down_revision: str | None = "e1d4a0000006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
