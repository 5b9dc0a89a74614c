"""Order status changes (resumable) and stock levels, live.

Every subscription first joins the hub, then reads what it must replay from the database,
so nothing that commits in between is missed; sequence numbers drop what arrives twice.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.context import Context
from api.errors import RequestError
from api.permissions import CanReadStock, IsSignedIn, following
from api.subscriptions.common import (
    STOCK_EVENT,
    level_from_message,
    location_id_of,
    resumable_order_events,
)
from api.types.inventory import StockLevel
from api.types.orders import Order
from domain.events import document_event_id
from domain.model.orders import OrderStatus
from persistence.reads import catalog as catalog_reads
from persistence.reads import orders as order_reads

ORDER_EVENT = "OrderStatusChanged"


@strawberry.type(description="An order moved to a new status.")
class OrderStatusEvent:
    order_id: strawberry.Private[int]
    event_id: str = strawberry.field(
        description="Unique id of the event; the same on replay, so duplicates can be dropped."
    )
    sequence: int = strawberry.field(
        description="Position of this change in the order's history (1, 2, 3…), for resuming."
    )
    previous_status: OrderStatus | None = strawberry.field(description="Null at placement.")
    status: OrderStatus = strawberry.field(description="The new status.")
    occurred_at: datetime = strawberry.field(description="When it changed (UTC).")
    actor: str = strawberry.field(description="Who changed it.")

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> OrderStatusEvent:
        return cls(
            order_id=message["orderId"],
            event_id=message["eventId"],
            sequence=message["sequence"],
            previous_status=OrderStatus(message["previousStatus"])
            if message["previousStatus"]
            else None,
            status=OrderStatus(message["status"]),
            occurred_at=datetime.fromisoformat(message["occurredAt"]),
            actor=message["actor"],
        )

    @classmethod
    def from_history(cls, order_id: int, row: Any) -> OrderStatusEvent:
        return cls(
            order_id=order_id,
            event_id=document_event_id("order", order_id, row.sequence),
            sequence=row.sequence,
            previous_status=OrderStatus(row.from_status) if row.from_status else None,
            status=OrderStatus(row.to_status),
            occurred_at=row.occurred_at,
            actor=row.actor,
        )

    @strawberry.field(description="The order as it is now, resolvable like a query.")
    async def order(self, info: strawberry.Info) -> Order | None:
        return await info.context.loaders.order.load(self.order_id)


@strawberry.type
class OrderAndStockSubscriptions:
    @strawberry.subscription(
        description=(
            "Status changes of one order (orderId) or of every order the caller may see. "
            "With orderId and afterSequence, first replays every change after that sequence "
            "number from the order's history, then continues live, with no gap or duplicate."
        ),
        extensions=[following(IsSignedIn)],
    )
    async def order_status_changed(
        self,
        info: strawberry.Info,
        order_id: relay.GlobalID | None = None,
        after_sequence: int | None = None,
    ) -> AsyncGenerator[OrderStatusEvent, None]:
        context: Context = info.context

        async def history_after(order_key: int, sequence: int) -> list[OrderStatusEvent]:
            async with context.database.read_session() as session:
                rows = await order_reads.status_changes_after(session, order_key, sequence)
            return [OrderStatusEvent.from_history(order_key, row) for row in rows]

        async for event in resumable_order_events(
            context,
            ORDER_EVENT,
            order_id,
            after_sequence,
            events_after=history_after,
            from_message=OrderStatusEvent.from_message,
        ):
            yield event

    @strawberry.subscription(
        description="The new stock level after every movement, optionally for one location "
        "and/or SKU (staff and POS).",
        extensions=[following(CanReadStock)],
    )
    async def stock_level_changed(
        self,
        info: strawberry.Info,
        location_code: str | None = None,
        sku: str | None = None,
    ) -> AsyncGenerator[StockLevel, None]:
        context: Context = info.context
        location_id, variant_id = await _stock_filter(context, location_code, sku)
        async with context.events() as queue:
            while (message := await queue.get()) is not None:
                if message["kind"] != STOCK_EVENT:
                    continue
                if location_id not in (None, message["locationId"]):
                    continue
                if variant_id not in (None, message["variantId"]):
                    continue
                yield await level_from_message(context, message)
        raise RequestError("subscription fell too far behind; subscribe again")


async def _stock_filter(
    context: Context, location_code: str | None, sku: str | None
) -> tuple[int | None, int | None]:
    location_id = await location_id_of(context, location_code)
    variant_id = None
    if sku:
        async with context.database.read_session() as session:
            variants = await catalog_reads.variants_by_skus(session, [sku.strip().upper()])
        if not variants:
            raise RequestError(f"SKU {sku} not found", code="NOT_FOUND")
        variant_id = variants[0].id
    return location_id, variant_id
