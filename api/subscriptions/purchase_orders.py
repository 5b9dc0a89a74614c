"""Subscriptions on purchase orders: their status changes, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry import relay

from api.context import Context
from api.permissions import CanReadSuppliers, following
from api.subscriptions.common import (
    Message,
    document_events,
    followed_key,
    visible_to,
)
from api.types.purchase_orders import PurchaseOrder
from domain.model.purchase_orders import PurchaseOrderStatus

PURCHASE_ORDER_EVENT = "PurchaseOrderStatusChanged"


@strawberry.type(description="A purchase order moved to a new status.")
class PurchaseOrderStatusEvent:
    purchase_order_id: strawberry.Private[int]
    event_id: str = strawberry.field(
        description="Unique id of the event; the same if it is delivered again, so "
        "duplicates can be dropped."
    )
    sequence: int = strawberry.field(
        description="Position of this change in the purchase order's history (1, 2, 3…)."
    )
    previous_status: PurchaseOrderStatus | None = strawberry.field(description="Null at creation.")
    status: PurchaseOrderStatus = strawberry.field(description="The new status.")
    occurred_at: datetime = strawberry.field(description="When it changed (UTC).")
    actor: str = strawberry.field(description="Who changed it.")

    @classmethod
    def from_message(cls, message: Message) -> PurchaseOrderStatusEvent:
        previous = message["previousStatus"]
        return cls(
            purchase_order_id=message["documentId"],
            event_id=message["eventId"],
            sequence=message["sequence"],
            previous_status=PurchaseOrderStatus(previous) if previous else None,
            status=PurchaseOrderStatus(message["status"]),
            occurred_at=datetime.fromisoformat(message["occurredAt"]),
            actor=message["actor"],
        )

    @strawberry.field(description="The purchase order as it is now, resolvable like a query.")
    async def purchase_order(self, info: strawberry.Info) -> PurchaseOrder | None:
        return await info.context.loaders.purchase_orders.purchase_order.load(
            self.purchase_order_id
        )


@strawberry.type
class PurchaseOrderSubscriptions:
    @strawberry.subscription(
        description="Status changes of one purchase order (purchaseOrderId), or of every one "
        "the caller may see: ADMIN all, STAFF those for where they work.",
        extensions=[following(CanReadSuppliers)],
    )
    async def purchase_order_status_changed(
        self, info: strawberry.Info, purchase_order_id: relay.GlobalID | None = None
    ) -> AsyncGenerator[PurchaseOrderStatusEvent, None]:
        context: Context = info.context
        key = None
        if purchase_order_id is not None:
            key = await followed_key(
                purchase_order_id,
                "PurchaseOrder",
                context.loaders.purchase_orders.purchase_order.load,
            )
        may_see = visible_to(context)

        def wanted(message: Message) -> bool:
            return key in (None, message["documentId"]) and may_see(message)

        async for message in document_events(context, PURCHASE_ORDER_EVENT, wanted):
            yield PurchaseOrderStatusEvent.from_message(message)
