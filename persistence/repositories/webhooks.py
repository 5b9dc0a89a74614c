"""Webhooks and the event kinds each follows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.webhooks import Webhook, WebhookEventType
from persistence import webhook_deliveries
from persistence.records import WebhookEventTypeRecord, WebhookRecord


class SqlWebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, webhook: Webhook) -> Webhook:
        record = WebhookRecord(
            url=webhook.url,
            secret=webhook.secret,
            query=webhook.query,
            active=webhook.active,
            consecutive_failures=webhook.consecutive_failures,
            created_at=webhook.created_at,
            created_by=webhook.created_by,
        )
        self.session.add(record)
        await self.session.flush()
        await self.session.execute(
            insert(WebhookEventTypeRecord),
            [{"webhook_id": record.id, "kind": kind.value} for kind in webhook.events],
        )
        return _webhook(record, webhook.events)

    async def get(self, webhook_id: int) -> Webhook | None:
        record = await self.session.get(WebhookRecord, webhook_id)
        if record is None:
            return None
        kinds = await self.session.scalars(
            select(WebhookEventTypeRecord.kind)
            .where(WebhookEventTypeRecord.webhook_id == webhook_id)
            .order_by(WebhookEventTypeRecord.kind)
        )
        return _webhook(record, tuple(WebhookEventType(kind) for kind in kinds))

    async def disable(self, webhook_id: int, reason: str, at: datetime) -> None:
        await self.session.execute(
            update(WebhookRecord)
            .where(WebhookRecord.id == webhook_id)
            .values(active=False, disabled_reason=reason, disabled_at=at, consecutive_failures=0)
        )

    async def enable(self, webhook_id: int) -> None:
        await self.session.execute(
            update(WebhookRecord)
            .where(WebhookRecord.id == webhook_id)
            .values(active=True, disabled_reason=None, disabled_at=None, consecutive_failures=0)
        )

    async def queue_replay(self, webhook_id: int, from_sequence: int, at: datetime) -> None:
        await webhook_deliveries.queue_replay(self.session, webhook_id, from_sequence, at)


def _webhook(record: WebhookRecord, events: tuple[WebhookEventType, ...]) -> Webhook:
    return Webhook(
        id=record.id,
        url=record.url,
        events=events,
        secret=record.secret,
        query=record.query,
        created_at=record.created_at,
        created_by=record.created_by,
        active=record.active,
        consecutive_failures=record.consecutive_failures,
    )
