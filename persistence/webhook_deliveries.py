"""Webhook deliveries: queued by the outbox relay, claimed and settled by the dispatcher.

The relay queues a delivery of each outbox event for every active webhook that follows the
event's kind, in the transaction that marks the event queued for webhooks (apart from
publishing it to the broker), so each event is queued exactly once. A dispatcher claims
due deliveries by pushing their `next_attempt_at` forward (a lease) and counting the
attempt, under `FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite has one writer), so no two
dispatchers send one delivery at once; it settles an attempt only if nobody claimed the
delivery again meanwhile. The relay's periodic prune forgets settled deliveries after their
retention.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, String, delete, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.webhooks import DeliveryStatus, RetryPolicy
from persistence.records import (
    OutboxEventRecord,
    WebhookDeliveryRecord,
    WebhookEventTypeRecord,
    WebhookRecord,
)
from persistence.records.base import UtcDateTime
from persistence.sql_types import rows_matched

DELIVERY = WebhookDeliveryRecord
WEBHOOK = WebhookRecord
OUTBOX = OutboxEventRecord
FOLLOWS = WebhookEventTypeRecord
MAX_ERROR_LENGTH = 500


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """A delivery this dispatcher holds for one attempt (number `attempt`)."""

    id: int
    webhook_id: int
    url: str
    secret: str
    query: str | None
    event_sequence: int
    event_kind: str
    message: str
    body: str | None
    attempt: int


async def fan_out(session: AsyncSession, event_ids: Sequence[int], at: datetime) -> None:
    """Queue a delivery of each of these outbox events to every active webhook following
    its kind."""
    if event_ids:
        await _queue(session, OUTBOX.id.in_(event_ids), WEBHOOK.active.is_(True), at)


async def queue_replay(
    session: AsyncSession, webhook_id: int, from_sequence: int, at: datetime
) -> None:
    """Queue a new delivery to one webhook of each event of its kinds still in the outbox
    from `from_sequence` on that webhooks have been sent already (queued for them)."""
    events = (OUTBOX.id >= from_sequence) & OUTBOX.webhooks_queued_at.is_not(None)
    await _queue(session, events, WEBHOOK.id == webhook_id, at)


async def _queue(
    session: AsyncSession,
    events: ColumnElement[bool],
    webhooks: ColumnElement[bool],
    at: datetime,
) -> None:
    source = (
        select(
            FOLLOWS.webhook_id,
            OUTBOX.id,
            OUTBOX.event_id,
            OUTBOX.kind,
            OUTBOX.payload,
            literal(DeliveryStatus.PENDING.value, String()),
            literal(0, Integer()),
            literal(at, UtcDateTime()),
            literal(at, UtcDateTime()),
        )
        .join(FOLLOWS, FOLLOWS.kind == OUTBOX.kind)
        .join(WEBHOOK, WEBHOOK.id == FOLLOWS.webhook_id)
        .where(events, webhooks)
        .order_by(OUTBOX.id, FOLLOWS.webhook_id)
    )
    columns = [
        DELIVERY.webhook_id,
        DELIVERY.event_sequence,
        DELIVERY.event_id,
        DELIVERY.event_kind,
        DELIVERY.message,
        DELIVERY.status,
        DELIVERY.attempts,
        DELIVERY.next_attempt_at,
        DELIVERY.created_at,
    ]
    await session.execute(insert(DELIVERY).from_select(columns, source))


async def prune(session: AsyncSession, created_before: datetime) -> None:
    """Forget DELIVERED and FAILED deliveries created before `created_before`; a PENDING
    one stays, however old."""
    settled = (DeliveryStatus.DELIVERED.value, DeliveryStatus.FAILED.value)
    await session.execute(
        delete(DELIVERY).where(DELIVERY.status.in_(settled), DELIVERY.created_at < created_before)
    )


async def has_due(session: AsyncSession, now: datetime) -> bool:
    """Whether a delivery is due (a cheap read, so an idle dispatcher takes no write lock)."""
    query = select(DELIVERY.id).where(
        DELIVERY.status == DeliveryStatus.PENDING.value, DELIVERY.next_attempt_at <= now
    )
    return (await session.scalar(query.limit(1))) is not None


async def claim_due(
    session: AsyncSession, now: datetime, lease_until: datetime, limit: int
) -> list[ClaimedDelivery]:
    """Pending deliveries of active webhooks whose time has come, oldest first, each
    leased until `lease_until` and its attempt counted."""
    query = (
        select(
            DELIVERY.id,
            DELIVERY.webhook_id,
            WEBHOOK.url,
            WEBHOOK.secret,
            WEBHOOK.query,
            DELIVERY.event_sequence,
            DELIVERY.event_kind,
            DELIVERY.message,
            DELIVERY.body,
            DELIVERY.attempts,
        )
        .join(WEBHOOK, WEBHOOK.id == DELIVERY.webhook_id)
        .where(
            DELIVERY.status == DeliveryStatus.PENDING.value,
            DELIVERY.next_attempt_at <= now,
            WEBHOOK.active.is_(True),
        )
        .order_by(DELIVERY.next_attempt_at, DELIVERY.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=DELIVERY)
    )
    rows = (await session.execute(query)).all()
    if not rows:
        return []
    await session.execute(
        update(DELIVERY)
        .where(DELIVERY.id.in_([row.id for row in rows]))
        .values(attempts=DELIVERY.attempts + 1, next_attempt_at=lease_until)
    )
    return [
        ClaimedDelivery(
            id=row.id,
            webhook_id=row.webhook_id,
            url=row.url,
            secret=row.secret,
            query=row.query,
            event_sequence=row.event_sequence,
            event_kind=row.event_kind,
            message=row.message,
            body=row.body,
            attempt=row.attempts + 1,
        )
        for row in rows
    ]


async def settle_delivered(
    session: AsyncSession,
    delivery: ClaimedDelivery,
    body: str,
    status_code: int,
    at: datetime,
) -> None:
    """The receiver took it: DELIVERED, and the webhook's failures in a row are over."""
    settled = await _settle(
        session,
        delivery,
        status=DeliveryStatus.DELIVERED.value,
        body=body,
        last_status_code=status_code,
        last_error=None,
        next_attempt_at=None,
        delivered_at=at,
    )
    if settled:
        await session.execute(
            update(WEBHOOK).where(WEBHOOK.id == delivery.webhook_id).values(consecutive_failures=0)
        )


async def settle_failed_attempt(
    session: AsyncSession,
    delivery: ClaimedDelivery,
    *,
    body: str | None,
    status_code: int | None,
    error: str,
    at: datetime,
    policy: RetryPolicy,
) -> None:
    """The attempt failed: due again after the policy's delay, or, after the last attempt,
    FAILED; as many FAILED deliveries in a row as the policy allows disable the webhook."""
    gives_up = policy.gives_up_after(delivery.attempt)
    settled = await _settle(
        session,
        delivery,
        status=(DeliveryStatus.FAILED if gives_up else DeliveryStatus.PENDING).value,
        body=body,
        last_status_code=status_code,
        last_error=error[:MAX_ERROR_LENGTH],
        next_attempt_at=None if gives_up else at + policy.delay_after(delivery.attempt),
    )
    if not (settled and gives_up):
        return
    failures = await session.scalar(
        update(WEBHOOK)
        .where(WEBHOOK.id == delivery.webhook_id)
        .values(consecutive_failures=WEBHOOK.consecutive_failures + 1)
        .returning(WEBHOOK.consecutive_failures)
    )
    if failures is not None and policy.disables_after(failures):
        reason = f"automatically, after {failures} deliveries in a row failed (last: {error})"
        await session.execute(
            update(WEBHOOK)
            .where(WEBHOOK.id == delivery.webhook_id, WEBHOOK.active.is_(True))
            .values(active=False, disabled_reason=reason[:MAX_ERROR_LENGTH], disabled_at=at)
        )


async def _settle(session: AsyncSession, delivery: ClaimedDelivery, **values: object) -> bool:
    """Record an attempt's outcome, unless the delivery was claimed again since (its lease
    ran out): then the newer attempt's outcome is the one that counts."""
    result = await session.execute(
        update(DELIVERY)
        .where(
            DELIVERY.id == delivery.id,
            DELIVERY.attempts == delivery.attempt,
            DELIVERY.status == DeliveryStatus.PENDING.value,
        )
        .values(**values)
    )
    return rows_matched(result) > 0
