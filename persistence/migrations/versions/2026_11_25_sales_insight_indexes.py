"""indexes for sales reports

Revision ID: d6b2f0000004
Revises: d6b2f0000003
Create Date: 2026-11-25 22:00:00

What the sales insight queries (persistence/reads/reports.py, turnover.py) read,
kept fast on a million order lines (bench/sales_reports.py, plans in bench/README.md):

- orders(created_at): the orders placed in a period;
- order_lines(order_id, variant_id, quantity, unit_price_cents): an order's lines read from
  the index alone; it replaces order_lines(order_id), its prefix;
- stock_movements(variant_id, location_id, occurred_at, kind, on_hand_delta): the ledger
  since a period began, summed per level from the index alone; it replaces
  stock_movements(variant_id, location_id), its prefix;
- document_status_changes(to_status, occurred_at): the returns received in a period.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d6b2f0000004"
down_revision: str | None = "d6b2f0000003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDER_LINES_COVERING = ["order_id", "variant_id", "quantity", "unit_price_cents"]
MOVEMENTS_COVERING = ["variant_id", "location_id", "occurred_at", "kind", "on_hand_delta"]


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_created_at"), ["created_at"], unique=False)
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_lines_order_id_covering"), ORDER_LINES_COVERING, unique=False
        )
        batch_op.drop_index(batch_op.f("ix_order_lines_order_id"))
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_movements_variant_id_location_id_covering"),
            MOVEMENTS_COVERING,
            unique=False,
        )
        batch_op.drop_index(batch_op.f("ix_stock_movements_variant_id_location_id"))
    with op.batch_alter_table("document_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_status_changes_to_status_occurred_at"),
            ["to_status", "occurred_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("document_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_status_changes_to_status_occurred_at"))
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_movements_variant_id_location_id"),
            ["variant_id", "location_id"],
            unique=False,
        )
        batch_op.drop_index(batch_op.f("ix_stock_movements_variant_id_location_id_covering"))
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_lines_order_id"), ["order_id"], unique=False)
        batch_op.drop_index(batch_op.f("ix_order_lines_order_id_covering"))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_created_at"))
