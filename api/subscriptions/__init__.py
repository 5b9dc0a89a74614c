"""Live updates over WebSocket (graphql-transport-ws or graphql-ws), one module per area."""

from __future__ import annotations

import strawberry

from api.subscriptions.live import OrderAndStockSubscriptions
from api.subscriptions.payments import PaymentSubscriptions
from api.subscriptions.purchase_orders import PurchaseOrderSubscriptions
from api.subscriptions.returns import ReturnSubscriptions
from api.subscriptions.shipments import ShipmentSubscriptions
from api.subscriptions.stock_alerts import StockAlertSubscriptions
from api.subscriptions.transfers import TransferSubscriptions
from api.subscriptions.webhook_events import WebhookEventSubscriptions
from api.subscriptions.work_orders import WorkOrderSubscriptions


@strawberry.type(description="Live updates, over WebSocket (graphql-transport-ws or graphql-ws).")
class Subscription(
    OrderAndStockSubscriptions,
    PaymentSubscriptions,
    TransferSubscriptions,
    PurchaseOrderSubscriptions,
    ReturnSubscriptions,
    ShipmentSubscriptions,
    StockAlertSubscriptions,
    WorkOrderSubscriptions,
    WebhookEventSubscriptions,
):
    pass
