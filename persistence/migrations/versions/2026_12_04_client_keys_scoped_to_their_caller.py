"""client keys scoped to their caller

Revision ID: e1d4a0000001
Revises: d6b2f0000004
Create Date: 2026-12-04 20:30:00

What a client sends to have a request recorded once is unique in its sender's space, no
longer everywhere, so one caller's key neither blocks nor finds another's:

- orders: an idempotency key is unique per `idempotency_scope`, the caller that sent it
  (a customer, terminal, staff member or admin: `Principal.idempotency_scope`). Keys stored
  before have no scope, and no caller's repeat finds them any more;
- pos_sales: a client sale id is unique per store (`location_id`, filled in from the
  terminal that synced the sale);
- returns: a client return id is unique per store (`location_id`, where it was taken back).

The downgrade restores the global unique keys, so it fails while two callers share a key.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000001"
down_revision: str | None = "d6b2f0000004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_scope", sa.String(length=255), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_orders_idempotency_key"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_orders_idempotency_scope"), ["idempotency_scope", "idempotency_key"]
        )
    with op.batch_alter_table("pos_sales", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE pos_sales SET location_id = "
        "(SELECT location_id FROM pos_terminals WHERE pos_terminals.id = pos_sales.terminal_id)"
    )
    with op.batch_alter_table("pos_sales", schema=None) as batch_op:
        batch_op.alter_column("location_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_pos_sales_location_id_locations"), "locations", ["location_id"], ["id"]
        )
        batch_op.drop_constraint(batch_op.f("uq_pos_sales_client_sale_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_pos_sales_location_id"), ["location_id", "client_sale_id"]
        )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_returns_client_return_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_returns_location_id"), ["location_id", "client_return_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_returns_location_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_returns_client_return_id"), ["client_return_id"]
        )
    with op.batch_alter_table("pos_sales", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_pos_sales_location_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_pos_sales_client_sale_id"), ["client_sale_id"]
        )
        batch_op.drop_constraint(
            batch_op.f("fk_pos_sales_location_id_locations"), type_="foreignkey"
        )
        batch_op.drop_column("location_id")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_orders_idempotency_scope"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_orders_idempotency_key"), ["idempotency_key"]
        )
        batch_op.drop_column("idempotency_scope")
