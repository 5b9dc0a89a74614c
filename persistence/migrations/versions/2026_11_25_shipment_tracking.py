"""shipment tracking

Revision ID: c5a1e0000004
Revises: c5a1e0000003
Create Date: 2026-11-25 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5a1e0000004"
down_revision: str | None = "c5a1e0000003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Shipments recorded before tracking existed are SHIPPED.
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default="SHIPPED", nullable=False)
        )

    op.create_table(
        "shipment_tracking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_shipment_tracking_events_shipment_id_shipments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_tracking_events")),
    )
    with op.batch_alter_table("shipment_tracking_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shipment_tracking_events_shipment_id"), ["shipment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("shipment_tracking_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipment_tracking_events_shipment_id"))

    op.drop_table("shipment_tracking_events")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_column("status")
