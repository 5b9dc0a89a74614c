"""Subscriptions on work orders: their status changes, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry import relay

from api.context import Context
from api.permissions import CanReadManufacturing, following
from api.subscriptions.common import (
    Message,
    document_events,
    followed_key,
    visible_to,
)
from api.types.work_orders import WorkOrder
from domain.model.work_orders import WorkOrderStatus

WORK_ORDER_EVENT = "WorkOrderStatusChanged"


@strawberry.type(description="A work order moved to a new status.")
class WorkOrderStatusEvent:
    work_order_id: strawberry.Private[int]
    event_id: str = strawberry.field(
        description="Unique id of the event; the same if it is delivered again, so "
        "duplicates can be dropped."
    )
    sequence: int = strawberry.field(
        description="Position of this change in the work order's history (1, 2, 3…)."
    )
    previous_status: WorkOrderStatus | None = strawberry.field(description="Null at creation.")
    status: WorkOrderStatus = strawberry.field(description="The new status.")
    occurred_at: datetime = strawberry.field(description="When it changed (UTC).")
    actor: str = strawberry.field(description="Who changed it.")

    @classmethod
    def from_message(cls, message: Message) -> WorkOrderStatusEvent:
        previous = message["previousStatus"]
        return cls(
            work_order_id=message["documentId"],
            event_id=message["eventId"],
            sequence=message["sequence"],
            previous_status=WorkOrderStatus(previous) if previous else None,
            status=WorkOrderStatus(message["status"]),
            occurred_at=datetime.fromisoformat(message["occurredAt"]),
            actor=message["actor"],
        )

    @strawberry.field(description="The work order as it is now, resolvable like a query.")
    async def work_order(self, info: strawberry.Info) -> WorkOrder | None:
        return await info.context.loaders.work_orders.work_order.load(self.work_order_id)


@strawberry.type
class WorkOrderSubscriptions:
    @strawberry.subscription(
        description="Status changes of one work order (workOrderId), or of every work order "
        "the caller may see: ADMIN all, STAFF those at the locations they work at.",
        extensions=[following(CanReadManufacturing)],
    )
    async def work_order_status_changed(
        self, info: strawberry.Info, work_order_id: relay.GlobalID | None = None
    ) -> AsyncGenerator[WorkOrderStatusEvent, None]:
        context: Context = info.context
        key = None
        if work_order_id is not None:
            key = await followed_key(
                work_order_id, "WorkOrder", context.loaders.work_orders.work_order.load
            )
        may_see = visible_to(context)

        def wanted(message: Message) -> bool:
            return key in (None, message["documentId"]) and may_see(message)

        async for message in document_events(context, WORK_ORDER_EVENT, wanted):
            yield WorkOrderStatusEvent.from_message(message)
