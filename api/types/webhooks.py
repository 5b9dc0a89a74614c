"""GraphQL types of webhooks and their deliveries (ADMIN only)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.permissions import IsAdmin
from api.types.nodes import integer_ids
from domain.model.webhooks import DeliveryStatus, WebhookEventType
from persistence.database import Database
from persistence.reads import webhooks as webhook_reads

strawberry.enum(
    WebhookEventType,
    description="A kind of event a webhook may follow; each is delivered as it is published.",
)
strawberry.enum(
    DeliveryStatus,
    name="WebhookDeliveryStatus",
    description="PENDING: waiting for its next attempt; DELIVERED: the receiver answered "
    "2xx; FAILED: every attempt failed (replayWebhook sends the event again).",
)


@strawberry.type(
    description="A receiver of events: each event of its types is POSTed to its URL, signed "
    "with its secret (never shown), as JSON its query chooses (docs/webhooks.md)."
)
class Webhook(relay.Node):
    id: relay.NodeID[int]
    url: str = strawberry.field(description="Where events are POSTed (http or https).")
    events: list[WebhookEventType] = strawberry.field(description="The event types it follows.")
    query: str | None = strawberry.field(
        description="The subscription document that chooses each payload's fields; null: "
        "the event's own message is sent."
    )
    active: bool = strawberry.field(
        description="False while disabled: it gets no new deliveries, and pending ones wait."
    )
    consecutive_failures: int = strawberry.field(
        description="Deliveries in a row that FAILED; enough of them disable it."
    )
    disabled_reason: str | None = strawberry.field(
        description="Why it is disabled (by whom, or after which failures); null if active."
    )
    disabled_at: datetime | None = strawberry.field(description="When it was disabled (UTC).")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    created_by: str = strawberry.field(description="Who created it.")

    @classmethod
    def from_row(cls, row: Row, kinds: Sequence[str]) -> Webhook:
        return cls(
            id=row.id,
            url=row.url,
            events=[WebhookEventType(kind) for kind in kinds],
            query=row.query,
            active=row.active,
            consecutive_failures=row.consecutive_failures,
            disabled_reason=row.disabled_reason,
            disabled_at=row.disabled_at,
            created_at=row.created_at,
            created_by=row.created_by,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await admin_nodes(info, node_ids, webhooks_by_ids)


async def webhooks_by_ids(database: Database, ids: Sequence[int]) -> dict[int, Webhook]:
    """These webhooks as the API shows them, in two queries whatever their number."""
    async with database.read_session() as session:
        rows = await webhook_reads.webhooks_by_ids(session, ids)
        kinds = await webhook_reads.event_kinds(session, ids)
    return {row.id: Webhook.from_row(row, kinds[row.id]) for row in rows}


@strawberry.type(description="One event sent, or to be sent, to one webhook.")
class WebhookDelivery(relay.Node):
    id: relay.NodeID[int]
    webhook_id: strawberry.Private[int]
    event_type: WebhookEventType = strawberry.field(description="The event's type.")
    event_sequence: int = strawberry.field(
        description="The event's position among all events (header Omniorder-Sequence); "
        "replayWebhook starts from one."
    )
    event_id: str = strawberry.field(
        description="The event's unique id (the same in every delivery of the event)."
    )
    status: DeliveryStatus = strawberry.field(description="What became of it so far.")
    attempts: int = strawberry.field(description="Requests made (or being made) so far.")
    last_response_status_code: int | None = strawberry.field(
        description="The HTTP status of the last answer; null if none came."
    )
    last_error: str | None = strawberry.field(
        description="Why the last attempt failed (HTTP status, timeout, refused address…)."
    )
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is tried next (UTC); null once DELIVERED or FAILED."
    )
    created_at: datetime = strawberry.field(description="When it was queued (UTC).")
    delivered_at: datetime | None = strawberry.field(description="When the receiver took it (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> WebhookDelivery:
        return cls(
            id=row.id,
            webhook_id=row.webhook_id,
            event_type=WebhookEventType(row.event_kind),
            event_sequence=row.event_sequence,
            event_id=row.event_id,
            status=DeliveryStatus(row.status),
            attempts=row.attempts,
            last_response_status_code=row.last_status_code,
            last_error=row.last_error,
            next_attempt_at=row.next_attempt_at,
            created_at=row.created_at,
            delivered_at=row.delivered_at,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await admin_nodes(info, node_ids, deliveries_by_ids)


async def deliveries_by_ids(database: Database, ids: Sequence[int]) -> dict[int, WebhookDelivery]:
    async with database.read_session() as session:
        rows = await webhook_reads.deliveries_by_ids(session, ids)
    return {row.id: WebhookDelivery.from_row(row) for row in rows}


async def admin_nodes(
    info: strawberry.Info,
    node_ids: Iterable[str],
    fetch: Callable[[Database, Sequence[int]], Awaitable[Mapping[int, Any]]],
) -> list[Any]:
    """The nodes behind these ids for an ADMIN; nothing for anyone else."""
    ids = integer_ids(node_ids)
    if not IsAdmin().allows(info.context.principal):
        return [None for _ in ids]
    found = await fetch(info.context.database, [i for i in ids if i is not None])
    return [found.get(i) if i is not None else None for i in ids]
