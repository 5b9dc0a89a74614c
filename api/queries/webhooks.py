"""Queries on webhooks (ADMIN): the webhooks, and the deliveries of one."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.errors import RequestError
from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import IsAdmin
from api.types.nodes import parse_key
from api.types.webhooks import Webhook, WebhookDelivery
from domain.model.webhooks import DeliveryStatus
from persistence.reads import webhooks as webhook_reads


@strawberry.type
class WebhookQueries:
    @strawberry.field(
        description="Every webhook, oldest first (ADMIN).", permission_classes=[IsAdmin]
    )
    async def webhooks(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Webhook]:
        page = page_from(info, first, after, last, before)
        async with info.context.database.read_session() as session:
            rows, total = await webhook_reads.webhooks_page(session, page)
            kinds = await webhook_reads.event_kinds(session, [row.id for row in rows])
        return connection(rows, total, page, lambda row: Webhook.from_row(row, kinds[row.id]))

    @strawberry.field(
        description="A webhook's deliveries, newest first, optionally of one status (ADMIN).",
        permission_classes=[IsAdmin],
    )
    async def webhook_deliveries(
        self,
        info: strawberry.Info,
        webhook_id: relay.GlobalID,
        status: DeliveryStatus | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[WebhookDelivery]:
        key = parse_key(webhook_id.node_id)
        if webhook_id.type_name != "Webhook" or key is None:
            raise RequestError("webhookId is not the id of a Webhook", code="NOT_FOUND")
        page = page_from(info, first, after, last, before, newest_first=True)
        async with info.context.database.read_session() as session:
            rows, total = await webhook_reads.deliveries_page(
                session, key, status.value if status else None, page
            )
        return connection(rows, total, page, WebhookDelivery.from_row)
