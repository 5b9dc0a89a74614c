"""Webhooks and the event kinds each follows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.webhooks import Webhook, WebhookEventType
from persistence import outbox, webhook_deliveries
from persistence.records import WebhookDeliveryRecord, WebhookEventTypeRecord, WebhookRecord


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
        await self._follow(record.id, webhook.events)
        return _webhook(record, webhook.events)

    async def update(self, webhook: Webhook) -> None:
        assert webhook.id is not None, "only a stored webhook is updated"
        await self.session.execute(
            update(WebhookRecord)
            .where(WebhookRecord.id == webhook.id)
            .values(url=webhook.url, secret=webhook.secret, query=webhook.query)
        )
        await self.session.execute(
            delete(WebhookEventTypeRecord).where(WebhookEventTypeRecord.webhook_id == webhook.id)
        )
        await self._follow(webhook.id, webhook.events)

    async def delete(self, webhook_id: int) -> None:
        """Deleted with its deliveries, while no relay queues any (on PostgreSQL a delivery
        queued meanwhile would reference a deleted webhook)."""
        await outbox.hold_webhook_queueing(self.session)
        for record in (WebhookDeliveryRecord, WebhookEventTypeRecord):
            await self.session.execute(delete(record).where(record.webhook_id == webhook_id))
        await self.session.execute(delete(WebhookRecord).where(WebhookRecord.id == webhook_id))

    async def _follow(self, webhook_id: int, kinds: Sequence[WebhookEventType]) -> None:
        await self.session.execute(
            insert(WebhookEventTypeRecord),
            [{"webhook_id": webhook_id, "kind": kind.value} for kind in kinds],
        )

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
        await outbox.hold_webhook_queueing(self.session)  # not while it is being deleted
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
