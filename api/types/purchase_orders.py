"""GraphQL types of purchase orders, and their per-request DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.types.catalog import Variant
from api.types.common import Money
from api.types.locations import Location
from api.types.nodes import load_nodes
from api.types.suppliers import Supplier
from domain.model.purchase_orders import PurchaseOrderStatus, may_see
from persistence.reads import documents as document_reads
from persistence.reads import purchasing as purchasing_reads

strawberry.enum(PurchaseOrderStatus, description="Where a purchase order is in its lifecycle.")


@strawberry.type(description="Units of one SKU bought by a purchase order, and what arrived.")
class PurchaseOrderLine:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The SKU bought.")
    quantity: int = strawberry.field(description="Units ordered.")
    received: int = strawberry.field(description="Of those, units received so far.")
    outstanding: int = strawberry.field(
        description="Units ordered and not received: quantity - received (on a cancelled "
        "order, units that will not come)."
    )
    unit_cost: Money = strawberry.field(
        description="What each unit costs, in the order's currency."
    )
    line_total: Money = strawberry.field(description="quantity * unitCost.")

    @classmethod
    def from_row(cls, row: Row) -> PurchaseOrderLine:
        return cls(
            variant_id=row.variant_id,
            sku=row.sku,
            quantity=row.quantity,
            received=row.received,
            outstanding=row.quantity - row.received,
            unit_cost=Money.from_cents(row.unit_cost_cents, row.currency),
            line_total=Money.from_cents(row.unit_cost_cents * row.quantity, row.currency),
        )

    @strawberry.field(description="The variant bought.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


@strawberry.type(description="One step in a purchase order's lifecycle.")
class PurchaseOrderStatusChange:
    sequence: int = strawberry.field(
        description="Position in the order's history: 1 for its creation, then 2, 3…"
    )
    from_status: PurchaseOrderStatus | None = strawberry.field(
        description="Before; null at creation."
    )
    to_status: PurchaseOrderStatus = strawberry.field(description="After.")
    actor: str = strawberry.field(description="Who made the change.")
    note: str | None = strawberry.field(description="Why, when given.")
    occurred_at: datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> PurchaseOrderStatusChange:
        return cls(
            sequence=row.sequence,
            from_status=PurchaseOrderStatus(row.from_status) if row.from_status else None,
            to_status=PurchaseOrderStatus(row.to_status),
            actor=row.actor,
            note=row.note,
            occurred_at=row.occurred_at,
        )


@strawberry.type(description="Goods bought from a supplier for one location.")
class PurchaseOrder(relay.Node):
    id: relay.NodeID[int]
    supplier_id: strawberry.Private[int]
    location_id: strawberry.Private[int]
    location_code: strawberry.Private[str]
    number: str = strawberry.field(description="Human-friendly number, e.g. PO-000042.")
    status: PurchaseOrderStatus = strawberry.field(description="Where it is in its lifecycle.")
    total: Money = strawberry.field(description="What the goods cost: the sum of the lines.")
    expected_at: datetime | None = strawberry.field(
        description="When the goods should arrive (UTC): as given, or the supplier's lead "
        "time after the order was created."
    )
    reference: str = strawberry.field(
        description="What its stock movements carry as their reference, e.g. purchase_order:42."
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> PurchaseOrder:
        return cls(
            id=row.id,
            supplier_id=row.supplier_id,
            location_id=row.location_id,
            location_code=row.location_code,
            number=row.number,
            status=PurchaseOrderStatus(row.status),
            total=Money.from_cents(row.total_cents, row.currency),
            expected_at=row.expected_at,
            reference=f"purchase_order:{row.id}",
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="Whom the goods are bought from.")
    async def supplier(self, info: strawberry.Info) -> Supplier:
        return await info.context.loaders.suppliers.supplier.load(self.supplier_id)

    @strawberry.field(description="Where the goods are delivered.")
    async def location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.location_id)

    @strawberry.field(description="What is bought, one line per SKU.")
    async def lines(self, info: strawberry.Info) -> list[PurchaseOrderLine]:
        return await info.context.loaders.purchase_orders.lines.load(self.id)

    @strawberry.field(description="Every status change, oldest first.")
    async def history(self, info: strawberry.Info) -> list[PurchaseOrderStatusChange]:
        return await info.context.loaders.purchase_orders.history.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.purchase_orders.purchase_order, node_ids)


class PurchaseOrderLoaders:
    """Per-request DataLoaders for purchase orders; `loaders` is the request's
    api.loaders.Loaders.

    `purchase_order` loads only the purchase orders the caller may see (for where it works).
    """

    def __init__(self, loaders: Any) -> None:
        self.purchase_order = loaders.by_id(
            purchasing_reads.purchase_orders_by_ids,
            PurchaseOrder.from_row,
            may_see=lambda principal, order: may_see(principal, order.location_code),
        )
        self.lines = loaders.grouped(
            purchasing_reads.purchase_order_lines_by_order_ids,
            "purchase_order_id",
            PurchaseOrderLine.from_row,
        )
        self.history = loaders.grouped(
            lambda session, ids: document_reads.document_changes_by_ids(
                session, "purchase_order", ids
            ),
            "document_id",
            PurchaseOrderStatusChange.from_row,
        )
