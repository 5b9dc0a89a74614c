"""The `event` subscription: what a webhook's `query` selects its payload from.

As in Saleor, a webhook may carry a subscription document, such as
`subscription { event { ... on OrderStatusEvent { sequence order { number status } } } }`;
each event it is sent is first run through that document, with the event as the root value,
so the receiver gets exactly the fields it chose, resolved as a query would resolve them.
`event` yields nothing to a WebSocket client: live updates have their own subscriptions.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import strawberry

from api.context import Context
from api.errors import RequestError
from api.subscriptions.common import Message, level_from_message
from api.subscriptions.live import OrderStatusEvent
from api.subscriptions.payments import OrderPaymentEvent
from api.subscriptions.purchase_orders import PurchaseOrderStatusEvent
from api.subscriptions.returns import ReturnStatusEvent
from api.subscriptions.shipments import ShipmentStatusEvent
from api.subscriptions.transfers import TransferStatusEvent
from api.subscriptions.work_orders import WorkOrderStatusEvent
from api.types.inventory import StockLevel
from domain.model.webhooks import WebhookEventType

WebhookEvent = Annotated[
    OrderStatusEvent
    | OrderPaymentEvent
    | TransferStatusEvent
    | PurchaseOrderStatusEvent
    | ReturnStatusEvent
    | ShipmentStatusEvent
    | WorkOrderStatusEvent
    | StockLevel,
    strawberry.union(
        "WebhookEvent",
        description="An event a webhook is sent: a status event for the ..._STATUS_CHANGED "
        "event types, an OrderPaymentEvent for ORDER_PAYMENT_CHANGED, the new StockLevel for "
        "STOCK_LEVEL_CHANGED.",
    ),
]


EventObject = Callable[[Context, Message], Awaitable[WebhookEvent]]


def _status_event(from_message: Callable[[Message], WebhookEvent]) -> EventObject:
    """A status event, made from the message alone (no reads needed)."""

    async def event(_: Context, message: Message) -> WebhookEvent:
        return from_message(message)

    return event


# How each kind of event message becomes the object its webhook query is run on.
EVENT_OBJECTS: dict[WebhookEventType, EventObject] = {
    WebhookEventType.ORDER_STATUS_CHANGED: _status_event(OrderStatusEvent.from_message),
    WebhookEventType.ORDER_PAYMENT_CHANGED: _status_event(OrderPaymentEvent.from_message),
    WebhookEventType.TRANSFER_STATUS_CHANGED: _status_event(TransferStatusEvent.from_message),
    WebhookEventType.PURCHASE_ORDER_STATUS_CHANGED: _status_event(
        PurchaseOrderStatusEvent.from_message
    ),
    WebhookEventType.RETURN_STATUS_CHANGED: _status_event(ReturnStatusEvent.from_message),
    WebhookEventType.SHIPMENT_STATUS_CHANGED: _status_event(ShipmentStatusEvent.from_message),
    WebhookEventType.WORK_ORDER_STATUS_CHANGED: _status_event(WorkOrderStatusEvent.from_message),
    WebhookEventType.STOCK_LEVEL_CHANGED: level_from_message,
}


@dataclass(frozen=True, slots=True)
class WebhookEventRoot:
    """The root value a webhook query runs on: the one event being delivered."""

    event: WebhookEvent


@strawberry.type
class WebhookEventSubscriptions:
    @strawberry.subscription(
        description="The event a webhook delivers, for the `query` of createWebhook, e.g. "
        "`subscription { event { ... on OrderStatusEvent { order { number } } } }`. Only "
        "webhooks use it; WebSocket clients follow orderStatusChanged and its kin."
    )
    async def event(self, info: strawberry.Info) -> AsyncGenerator[WebhookEvent, None]:
        root = info.root_value
        if not isinstance(root, WebhookEventRoot):
            raise RequestError("event is for webhook queries (createWebhook's query) only")
        yield root.event
