"""The read side of webhooks: the webhooks themselves, and their deliveries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import WebhookDeliveryRecord, WebhookEventTypeRecord, WebhookRecord

WEBHOOK_COLUMNS = (
    WebhookRecord.id,
    WebhookRecord.url,
    WebhookRecord.query,
    WebhookRecord.active,
    WebhookRecord.consecutive_failures,
    WebhookRecord.disabled_reason,
    WebhookRecord.disabled_at,
    WebhookRecord.created_at,
    WebhookRecord.created_by,
)
DELIVERY = WebhookDeliveryRecord
DELIVERY_COLUMNS = (
    DELIVERY.id,
    DELIVERY.webhook_id,
    DELIVERY.event_kind,
    DELIVERY.event_sequence,
    DELIVERY.event_id,
    DELIVERY.status,
    DELIVERY.attempts,
    DELIVERY.last_status_code,
    DELIVERY.last_error,
    DELIVERY.next_attempt_at,
    DELIVERY.created_at,
    DELIVERY.delivered_at,
)


async def webhooks_page(session: AsyncSession, page: Page) -> tuple[Rows, int]:
    return await fetch_page(session, select(*WEBHOOK_COLUMNS), WebhookRecord.id, page)


webhooks_by_ids = KeyedRead(select(*WEBHOOK_COLUMNS).where(WebhookRecord.id.in_(KEYS)))


async def event_kinds(session: AsyncSession, webhook_ids: Sequence[int]) -> dict[int, list[str]]:
    """The event kinds each of these webhooks follows, in name order."""
    follows = WebhookEventTypeRecord
    rows = await session.execute(
        select(follows.webhook_id, follows.kind)
        .where(follows.webhook_id.in_(webhook_ids))
        .order_by(follows.webhook_id, follows.kind)
    )
    kinds: dict[int, list[str]] = defaultdict(list)
    for webhook_id, kind in rows:
        kinds[webhook_id].append(kind)
    return kinds


async def deliveries_page(
    session: AsyncSession, webhook_id: int, status: str | None, page: Page
) -> tuple[Rows, int]:
    """A webhook's deliveries, newest first when the page says so, optionally of one
    status."""
    query = select(*DELIVERY_COLUMNS).where(DELIVERY.webhook_id == webhook_id)
    if status is not None:
        query = query.where(DELIVERY.status == status)
    return await fetch_page(session, query, DELIVERY.id, page)


deliveries_by_ids = KeyedRead(select(*DELIVERY_COLUMNS).where(DELIVERY.id.in_(KEYS)))
