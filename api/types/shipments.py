"""GraphQL types of shipments and their tracking, and their per-request DataLoaders."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Sequence
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.dataloader import DataLoader

from api.types.locations import Location
from api.types.nodes import forget, load_nodes
from api.types.orders import Order
from domain.model.shipments import ShipmentStatus
from persistence.reads import shipments as shipment_reads

strawberry.enum(
    ShipmentStatus,
    description="Where a parcel is: SHIPPED (handed to the carrier), IN_TRANSIT, DELIVERED "
    "(final) or EXCEPTION (a delivery problem the carrier reported).",
)


@strawberry.type(description="Units of one SKU in a shipment, and where they left from.")
class ShipmentLine:
    location_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The SKU shipped.")
    quantity: int = strawberry.field(description="Units shipped.")

    @strawberry.field(description="The location they left from.")
    async def location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.location_id)


@strawberry.type(description="Something the carrier reported about a shipment.")
class TrackingEvent:
    status: ShipmentStatus = strawberry.field(description="The status the carrier reported.")
    description: str | None = strawberry.field(
        description="What happened, in the carrier's words, when given."
    )
    occurred_at: datetime = strawberry.field(description="When it happened (UTC).")
    recorded_at: datetime = strawberry.field(description="When it was recorded here (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> TrackingEvent:
        return cls(
            status=ShipmentStatus(row.status),
            description=row.description,
            occurred_at=row.occurred_at,
            recorded_at=row.recorded_at,
        )


@strawberry.type(description="A parcel handed to a carrier, and where it is now.")
class Shipment(relay.Node):
    id: relay.NodeID[int]
    order_id: strawberry.Private[int]
    carrier: str = strawberry.field(description="Carrier name.")
    tracking_number: str = strawberry.field(description="The carrier's tracking number.")
    status: ShipmentStatus = strawberry.field(
        description="Where the parcel is, as the latest tracking event says; SHIPPED before any."
    )
    shipped_at: datetime = strawberry.field(description="When it left (UTC).")
    lines: list[ShipmentLine] = strawberry.field(description="What is in it.")

    @strawberry.field(
        description="What the carrier reported, in the order it happened (oldest first); "
        "events that arrived late are listed where they belong."
    )
    async def tracking_events(self, info: strawberry.Info) -> list[TrackingEvent]:
        return await info.context.loaders.shipments.tracking.load(self.id)

    @strawberry.field(description="The order it is part of.")
    async def order(self, info: strawberry.Info) -> Order:
        return await info.context.loaders.order.load(self.order_id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.shipments.by_id, node_ids)


def shipments_from_rows(rows: Sequence[Row]) -> list[Shipment]:
    """Shipments from rows of their lines (each row a line with its shipment's columns)."""
    shipments: dict[int, Shipment] = {}
    for row in rows:
        shipment = shipments.get(row.id)
        if shipment is None:
            shipment = shipments[row.id] = Shipment(
                id=row.id,
                order_id=row.order_id,
                carrier=row.carrier,
                tracking_number=row.tracking_number,
                status=ShipmentStatus(row.status),
                shipped_at=row.shipped_at,
                lines=[],
            )
        shipment.lines.append(
            ShipmentLine(
                location_id=row.line_location_id, sku=row.line_sku, quantity=row.line_quantity
            )
        )
    return list(shipments.values())


async def _shipments_of_orders(session: AsyncSession, order_ids: Sequence[int]) -> list[Shipment]:
    return shipments_from_rows(await shipment_reads.shipment_lines_by_order_ids(session, order_ids))


async def _shipments_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Shipment]:
    return shipments_from_rows(await shipment_reads.shipment_lines_by_ids(session, ids))


def _built(shipment: Shipment) -> Shipment:
    return shipment


class ShipmentLoaders:
    """Per-request DataLoaders for shipments; `loaders` is the request's api.loaders.Loaders.

    A shipment is visible exactly when its order is, so `by_id` asks the request's order
    loader, which knows the caller's scope. Each loader is one statement per batch.
    """

    def __init__(self, loaders: Any) -> None:
        self._loaders = loaders
        self._all = loaders.by_id(_shipments_by_ids, _built)
        self.by_id: DataLoader[int, Shipment | None] = DataLoader(self._visible)
        self.by_order: DataLoader[int, list[Shipment]] = loaders.grouped(
            _shipments_of_orders, "order_id", _built
        )
        self.tracking: DataLoader[int, list[TrackingEvent]] = loaders.grouped(
            shipment_reads.tracking_events_by_shipment_ids, "shipment_id", TrackingEvent.from_row
        )

    async def _visible(self, ids: list[int]) -> list[Shipment | None]:
        found = await self._all.load_many(ids)
        orders = await self._loaders.order.load_many([s.order_id for s in found if s])
        visible = {order.id for order in orders if order is not None}
        return [s if s is not None and s.order_id in visible else None for s in found]

    def fresh(self, shipment_id: int, order_id: int) -> Awaitable[Shipment | None]:
        """Load a shipment afresh after tracking changed it (and perhaps its order)."""
        stale = [
            (self._all, shipment_id),
            (self.by_id, shipment_id),
            (self.tracking, shipment_id),
            (self.by_order, order_id),
            (self._loaders.order, order_id),
            (self._loaders.history_by_order, order_id),
        ]
        for loader, key in stale:
            forget(loader, key)
        return self.by_id.load(shipment_id)
