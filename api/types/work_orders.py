"""GraphQL types of work orders, and their per-request DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.types.catalog import Variant
from api.types.locations import Location
from api.types.nodes import load_nodes
from domain.model.work_orders import DOCUMENT, WorkOrderStatus, may_see
from persistence.reads import documents as document_reads
from persistence.reads import manufacturing as manufacturing_reads

strawberry.enum(WorkOrderStatus, description="Where a work order is in its lifecycle.")


@strawberry.type(description="A component a work order uses, and what it holds and used up.")
class WorkOrderComponent:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The component's SKU.")
    quantity_per_unit: int = strawberry.field(description="Units of it per unit made.")
    required: int = strawberry.field(
        description="Units of it the whole work order needs: quantityPerUnit times quantity."
    )
    reserved: int = strawberry.field(
        description="Units held at the location for the units still to make (from release)."
    )
    consumed: int = strawberry.field(
        description="Units used up by completions, those of scrapped units included."
    )

    @classmethod
    def from_row(cls, row: Row) -> WorkOrderComponent:
        return cls(
            variant_id=row.variant_id,
            sku=row.sku,
            quantity_per_unit=row.per_unit,
            required=row.per_unit * row.work_order_quantity,
            reserved=row.reserved,
            consumed=row.consumed,
        )

    @strawberry.field(description="The component.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


@strawberry.type(description="One step in a work order's lifecycle.")
class WorkOrderStatusChange:
    sequence: int = strawberry.field(
        description="Position in the work order's history: 1 for its creation, then 2, 3…"
    )
    from_status: WorkOrderStatus | None = strawberry.field(description="Before; null at creation.")
    to_status: WorkOrderStatus = strawberry.field(description="After.")
    actor: str = strawberry.field(description="Who made the change.")
    note: str | None = strawberry.field(description="Why, when given.")
    occurred_at: datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> WorkOrderStatusChange:
        return cls(
            sequence=row.sequence,
            from_status=WorkOrderStatus(row.from_status) if row.from_status else None,
            to_status=WorkOrderStatus(row.to_status),
            actor=row.actor,
            note=row.note,
            occurred_at=row.occurred_at,
        )


@strawberry.type(description="Units of a manufactured variant to make at one location.")
class WorkOrder(relay.Node):
    id: relay.NodeID[int]
    variant_id: strawberry.Private[int]
    location_id: strawberry.Private[int]
    location_code: strawberry.Private[str]
    number: str = strawberry.field(description="Human-friendly number, e.g. WO-000042.")
    status: WorkOrderStatus = strawberry.field(description="Where it is in its lifecycle.")
    sku: str = strawberry.field(description="The SKU it makes.")
    quantity: int = strawberry.field(description="Units to make.")
    produced: int = strawberry.field(description="Units made so far, on hand at the location.")
    scrapped: int = strawberry.field(
        description="Units scrapped so far: their components were used, nothing was made."
    )
    remaining: int = strawberry.field(
        description="Units neither produced nor scrapped yet: quantity - produced - scrapped."
    )
    due_date: date = strawberry.field(description="The day the units are due.")
    reference: str = strawberry.field(
        description="What its stock movements carry as their reference, e.g. work_order:42."
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> WorkOrder:
        return cls(
            id=row.id,
            variant_id=row.variant_id,
            location_id=row.location_id,
            location_code=row.location_code,
            number=row.number,
            status=WorkOrderStatus(row.status),
            sku=row.sku,
            quantity=row.quantity,
            produced=row.produced,
            scrapped=row.scrapped,
            remaining=row.quantity - row.produced - row.scrapped,
            due_date=row.due_date,
            reference=f"work_order:{row.id}",
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="The variant it makes.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)

    @strawberry.field(description="Where it is made: components are taken and units put here.")
    async def location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.location_id)

    @strawberry.field(
        description="Its components: a copy of the variant's bill of materials when it was created."
    )
    async def components(self, info: strawberry.Info) -> list[WorkOrderComponent]:
        return await info.context.loaders.work_orders.components.load(self.id)

    @strawberry.field(description="Every status change, oldest first.")
    async def history(self, info: strawberry.Info) -> list[WorkOrderStatusChange]:
        return await info.context.loaders.work_orders.history.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.work_orders.work_order, node_ids)


class WorkOrderLoaders:
    """Per-request DataLoaders for work orders; `loaders` is the request's
    api.loaders.Loaders.

    `work_order` loads only the work orders the caller may see (for where it works).
    """

    def __init__(self, loaders: Any) -> None:
        self.work_order = loaders.by_id(
            manufacturing_reads.work_orders_by_ids,
            WorkOrder.from_row,
            may_see=lambda principal, work_order: may_see(principal, work_order.location_code),
        )
        self.components = loaders.grouped(
            manufacturing_reads.work_order_components_by_ids,
            "work_order_id",
            WorkOrderComponent.from_row,
        )
        self.history = loaders.grouped(
            lambda session, ids: document_reads.document_changes_by_ids(session, DOCUMENT, ids),
            "document_id",
            WorkOrderStatusChange.from_row,
        )
