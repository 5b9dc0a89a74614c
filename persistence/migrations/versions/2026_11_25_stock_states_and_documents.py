"""Stock quantity states (in transit, damaged, thresholds); transfers, returns, counts

Revision ID: aeb2c7a1fbab
Revises: 78a002c74dae
Create Date: 2026-11-25 17:25:34.858217
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "aeb2c7a1fbab"
down_revision: str | None = "78a002c74dae"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_type", sa.String(length=20), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_status_changes")),
        sa.UniqueConstraint(
            "document_type",
            "document_id",
            "sequence",
            name=op.f("uq_document_status_changes_document_type"),
        ),
    )
    with op.batch_alter_table("document_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_document_status_changes_document", ["document_type", "document_id"], unique=False
        )

    op.create_table(
        "stock_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_by", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_stock_counts_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_counts")),
    )
    with op.batch_alter_table("stock_counts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_counts_location_id"), ["location_id"], unique=False
        )

    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("from_location_id", sa.Integer(), nullable=False),
        sa.Column("to_location_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=100), nullable=True),
        sa.Column("tracking_number", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_location_id"],
            ["locations.id"],
            name=op.f("fk_transfers_from_location_id_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["to_location_id"], ["locations.id"], name=op.f("fk_transfers_to_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
        sa.UniqueConstraint("number", name=op.f("uq_transfers_number")),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transfers_from_location_id"), ["from_location_id"], unique=False
        )
        batch_op.create_index("ix_transfers_status_id", ["status", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_transfers_to_location_id"), ["to_location_id"], unique=False
        )

    op.create_table(
        "returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("refund_cents", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_returns_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_returns_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
        sa.UniqueConstraint("number", name=op.f("uq_returns_number")),
    )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_returns_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_returns_order_id"), ["order_id"], unique=False)
        batch_op.create_index("ix_returns_status_id", ["status", "id"], unique=False)

    op.create_table(
        "stock_count_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["stock_counts.id"],
            name=op.f("fk_stock_count_lines_count_id_stock_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_stock_count_lines_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_count_lines")),
    )
    with op.batch_alter_table("stock_count_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_count_lines_count_id"), ["count_id"], unique=False
        )

    op.create_table(
        "transfer_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("lost", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["transfer_id"], ["transfers.id"], name=op.f("fk_transfer_lines_transfer_id_transfers")
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_transfer_lines_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_lines")),
    )
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transfer_lines_transfer_id"), ["transfer_id"], unique=False
        )

    op.create_table(
        "return_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("restocked", sa.Integer(), nullable=False),
        sa.Column("damaged", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_return_lines_order_line_id_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_return_lines_return_id_returns")
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_return_lines_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_lines")),
    )
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_return_lines_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_return_lines_return_id"), ["return_id"], unique=False)

    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("in_transit", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("damaged", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("reorder_point", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("safety_stock", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_check_constraint("held_not_negative", "in_transit >= 0 AND damaged >= 0")
        batch_op.create_check_constraint(
            "thresholds_not_negative", "reorder_point >= 0 AND safety_stock >= 0"
        )

    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=16), type_=sa.String(length=32)
        )
        batch_op.add_column(
            sa.Column("in_transit_delta", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("damaged_delta", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=32), type_=sa.String(length=16)
        )
        batch_op.drop_column("damaged_delta")
        batch_op.drop_column("in_transit_delta")

    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_constraint("thresholds_not_negative", type_="check")
        batch_op.drop_constraint("held_not_negative", type_="check")
        batch_op.drop_column("safety_stock")
        batch_op.drop_column("reorder_point")
        batch_op.drop_column("damaged")
        batch_op.drop_column("in_transit")

    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_lines_return_id"))
        batch_op.drop_index(batch_op.f("ix_return_lines_order_line_id"))

    op.drop_table("return_lines")
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_lines_transfer_id"))

    op.drop_table("transfer_lines")
    with op.batch_alter_table("stock_count_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_count_lines_count_id"))

    op.drop_table("stock_count_lines")
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index("ix_returns_status_id")
        batch_op.drop_index(batch_op.f("ix_returns_order_id"))
        batch_op.drop_index(batch_op.f("ix_returns_location_id"))

    op.drop_table("returns")
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfers_to_location_id"))
        batch_op.drop_index("ix_transfers_status_id")
        batch_op.drop_index(batch_op.f("ix_transfers_from_location_id"))

    op.drop_table("transfers")
    with op.batch_alter_table("stock_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_counts_location_id"))

    op.drop_table("stock_counts")
    with op.batch_alter_table("document_status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_document_status_changes_document")

    op.drop_table("document_status_changes")
