"""payments

Revision ID: e1d4a0000006
Revises: e1d4a0000005
Create Date: 2026-12-06 01:30:00

The money ledger: payments, their immutable entries, the idempotency keys of money
commands and the provider events already acted on; the ledger's projections on orders;
each channel's capture moment and unpaid-order expiry.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000006"
down_revision: str | None = "e1d4a0000005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=24), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("provider_reference", sa.String(length=200), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_cents", sa.BigInteger(), nullable=True),
        sa.Column("authorized_cents", sa.BigInteger(), nullable=False),
        sa.Column("captured_cents", sa.BigInteger(), nullable=False),
        sa.Column("released_cents", sa.BigInteger(), nullable=False),
        sa.Column("refunded_cents", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_payments_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("provider", "provider_reference", name=op.f("uq_payments_provider")),
    )
    op.create_index(op.f("ix_payments_order_id"), "payments", ["order_id"])
    op.create_table(
        "payment_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_payment_requests_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_payment_requests_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_requests")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_payment_requests_scope")),
    )
    op.create_table(
        "payment_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("return_id", sa.Integer(), nullable=True),
        sa.Column("provider_reference", sa.String(length=200), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_payment_entries_payment_id_payments")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_payment_entries_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_payment_entries_return_id_returns")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["payment_requests.id"],
            name=op.f("fk_payment_entries_request_id_payment_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_entries")),
        sa.UniqueConstraint("order_id", "sequence", name=op.f("uq_payment_entries_order_id")),
    )
    op.create_index(op.f("ix_payment_entries_payment_id"), "payment_entries", ["payment_id"])
    op.create_index(op.f("ix_payment_entries_return_id"), "payment_entries", ["return_id"])
    op.create_index(op.f("ix_payment_entries_request_id"), "payment_entries", ["request_id"])
    op.create_index(
        "ix_payment_entries_occurred_at_kind", "payment_entries", ["occurred_at", "kind"]
    )
    op.create_table(
        "payment_provider_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_provider_events")),
        sa.UniqueConstraint(
            "provider", "event_id", name=op.f("uq_payment_provider_events_provider")
        ),
    )
    with op.batch_alter_table("orders") as batch:
        batch.add_column(
            sa.Column("paid_cents", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch.add_column(
            sa.Column("refunded_cents", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch.add_column(
            sa.Column("payment_sequence", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("channels") as batch:
        batch.add_column(
            sa.Column(
                "capture_on", sa.String(length=16), server_default="PLACEMENT", nullable=False
            )
        )
        batch.add_column(sa.Column("unpaid_order_ttl_seconds", sa.Integer(), nullable=True))
    with op.batch_alter_table("pos_payments") as batch:  # any PaymentMethod, not only CASH
        batch.alter_column("method", existing_type=sa.String(length=8), type_=sa.String(length=24))


def downgrade() -> None:
    with op.batch_alter_table("pos_payments") as batch:
        batch.alter_column("method", existing_type=sa.String(length=24), type_=sa.String(length=8))
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("unpaid_order_ttl_seconds")
        batch.drop_column("capture_on")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("payment_sequence")
        batch.drop_column("refunded_cents")
        batch.drop_column("paid_cents")
    op.drop_table("payment_provider_events")
    op.drop_table("payment_entries")
    op.drop_table("payment_requests")
    op.drop_index(op.f("ix_payments_order_id"), table_name="payments")
    op.drop_table("payments")
