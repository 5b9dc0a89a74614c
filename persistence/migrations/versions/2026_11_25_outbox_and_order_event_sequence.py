"""outbox and order event sequence

Revision ID: 78a002c74dae
Revises: 348e837c76f8
Create Date: 2026-11-25 17:02:11.446448
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "78a002c74dae"
down_revision: str | None = "348e837c76f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_events_event_id")),
    )
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_events_published_at_id", ["published_at", "id"], unique=False
        )

    # Number every order's existing history 1, 2, 3… before the column becomes required.
    with op.batch_alter_table("order_status_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE order_status_changes SET sequence = ("
        " SELECT COUNT(*) FROM order_status_changes AS earlier"
        " WHERE earlier.order_id = order_status_changes.order_id"
        " AND earlier.id <= order_status_changes.id)"
    )
    # Added in place (no table rebuild on SQLite: other tables point at orders).
    op.add_column("orders", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.execute(
        "UPDATE orders SET version = (SELECT COUNT(*) FROM order_status_changes AS changes"
        " WHERE changes.order_id = orders.id)"
    )
    with op.batch_alter_table("order_status_changes", schema=None) as batch_op:
        batch_op.alter_column("sequence", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_order_status_changes_order_id"), ["order_id", "sequence"]
        )


def downgrade() -> None:
    with op.batch_alter_table("order_status_changes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_order_status_changes_order_id"), type_="unique")
        batch_op.drop_column("sequence")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("version")  # on SQLite, with foreign keys off

    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_events_published_at_id")

    op.drop_table("outbox_events")
