"""webhooks

Revision ID: e1d4a0000002
Revises: e1d4a0000001
Create Date: 2026-12-04 23:40:00

Webhooks (url, secret, optional payload query, active, failures in a row), the event
kinds each follows, and their deliveries, queued by the outbox relay apart from publishing:
each outbox event is marked `webhooks_queued_at` once its deliveries are queued, and a
partial index finds the events still waiting for that.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000002"
down_revision: str | None = "e1d4a0000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


WEBHOOKS_WAITING = sa.text("webhooks_queued_at IS NULL")


def upgrade() -> None:
    op.add_column(
        "outbox_events", sa.Column("webhooks_queued_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index(
        "ix_outbox_events_webhooks_waiting",
        "outbox_events",
        ["id"],
        unique=False,
        postgresql_where=WEBHOOKS_WAITING,
        sqlite_where=WEBHOOKS_WAITING,
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=255), nullable=False),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("disabled_reason", sa.String(length=500), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_table(
        "webhook_event_types",
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhooks.id"],
            name=op.f("fk_webhook_event_types_webhook_id_webhooks"),
        ),
        sa.PrimaryKeyConstraint("webhook_id", "kind", name=op.f("pk_webhook_event_types")),
    )
    op.create_index(
        op.f("ix_webhook_event_types_kind"), "webhook_event_types", ["kind"], unique=False
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("event_sequence", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_kind", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhooks.id"],
            name=op.f("fk_webhook_deliveries_webhook_id_webhooks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    op.create_index(
        "ix_webhook_deliveries_status_next_attempt_at",
        "webhook_deliveries",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.create_index(
        "ix_webhook_deliveries_webhook_id_id",
        "webhook_deliveries",
        ["webhook_id", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_webhook_id_id", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_status_next_attempt_at", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index(op.f("ix_webhook_event_types_kind"), table_name="webhook_event_types")
    op.drop_table("webhook_event_types")
    op.drop_table("webhooks")
    op.drop_index("ix_outbox_events_webhooks_waiting", table_name="outbox_events")
    with op.batch_alter_table("outbox_events") as batch_op:
        batch_op.drop_column("webhooks_queued_at")
