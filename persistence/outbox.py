"""The transactional outbox: events stored with the change that caused them, then relayed.

A relay claims unpublished events in id order, hands them to the broker and marks them
published, all in one transaction; on PostgreSQL an advisory lock lets one relay work at a
time across processes, so events leave in the order they were stored. A failure before the
commit leaves them unpublished for the next attempt (at-least-once delivery).

Apart from that, each event is queued for webhooks once (`claim_for_webhooks`,
`mark_queued_for_webhooks`), in a transaction of its own under a lock of its own, so
webhooks do not wait for the broker. Both steps find their work by a mark left empty
(`IS NULL`), not by a "last id" cursor: on PostgreSQL ids are taken before commit, so a
smaller id can commit after a larger one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events import DomainEvent
from persistence.records import OutboxEventRecord
from persistence.sql_types import AnyRow

# Any constants shared by every process of this application, one per relay step.
RELAY_LOCK_KEY = 730_412_001
WEBHOOK_QUEUE_LOCK_KEY = 730_412_002
OUTBOX = OutboxEventRecord


async def append(session: AsyncSession, events: Sequence[DomainEvent]) -> None:
    rows = []
    for event in events:
        message = event.message()
        rows.append(
            {
                "event_id": event.event_id,
                "kind": message["kind"],
                "payload": json.dumps(message),
                "occurred_at": event.occurred_at,
                "published_at": None,
                "webhooks_queued_at": None,
            }
        )
    if rows:
        await session.execute(insert(OUTBOX), rows)


async def claim(session: AsyncSession, limit: int) -> list[AnyRow]:
    """Unpublished events, oldest first; none while another relay holds the lock."""
    if not await try_lock(session, RELAY_LOCK_KEY):
        return []
    query = (
        select(OUTBOX.id, OUTBOX.payload, OUTBOX.occurred_at)
        .where(OUTBOX.published_at.is_(None))
        .order_by(OUTBOX.id)
        .limit(limit)
    )
    return list((await session.execute(query)).all())


async def claim_for_webhooks(session: AsyncSession, limit: int) -> list[int]:
    """Ids of events not yet queued for webhooks, oldest first; none while another process
    queues them (its lock is held until its commit, so what it queued is seen here)."""
    if not await try_lock(session, WEBHOOK_QUEUE_LOCK_KEY):
        return []
    query = (
        select(OUTBOX.id)
        .where(OUTBOX.webhooks_queued_at.is_(None))
        .order_by(OUTBOX.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def mark_queued_for_webhooks(session: AsyncSession, ids: Sequence[int], at: datetime) -> None:
    await session.execute(update(OUTBOX).where(OUTBOX.id.in_(ids)).values(webhooks_queued_at=at))


async def try_lock(session: AsyncSession, key: int) -> bool:
    """On PostgreSQL, take the advisory lock `key` until the transaction ends, unless
    another transaction holds it (False). SQLite has one writer at a time: always True."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    locked = await session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key})
    return bool(locked)


async def hold_webhook_queueing(session: AsyncSession) -> None:
    """Wait until no process is queueing webhook deliveries, and keep them from it until
    this transaction ends (on PostgreSQL; SQLite has one writer at a time)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": WEBHOOK_QUEUE_LOCK_KEY}
        )


async def mark_published(session: AsyncSession, ids: Sequence[int]) -> None:
    await session.execute(
        update(OUTBOX).where(OUTBOX.id.in_(ids)).values(published_at=datetime.now(UTC))
    )


async def published_after(session: AsyncSession, position: int, limit: int) -> list[AnyRow]:
    """Published events after a position, for a listener that lost its broker connection."""
    query = (
        select(OUTBOX.id, OUTBOX.payload)
        .where(OUTBOX.id > position, OUTBOX.published_at.is_not(None))
        .order_by(OUTBOX.id)
        .limit(limit)
    )
    return list((await session.execute(query)).all())


async def last_position(session: AsyncSession) -> int:
    return await session.scalar(select(func.coalesce(func.max(OUTBOX.id), 0))) or 0


def published_message(row: AnyRow) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(row.payload)
    return payload | {"position": row.id}


async def has_unpublished(session: AsyncSession) -> bool:
    """Whether an event waits for the broker (a cheap read, so an idle relay takes no
    write lock)."""
    query = select(OUTBOX.id).where(OUTBOX.published_at.is_(None)).limit(1)
    return (await session.scalar(query)) is not None


async def has_unqueued_for_webhooks(session: AsyncSession) -> bool:
    """Whether an event waits for its webhook deliveries (a cheap read, so an idle relay
    takes no write lock)."""
    query = select(OUTBOX.id).where(OUTBOX.webhooks_queued_at.is_(None)).limit(1)
    return (await session.scalar(query)) is not None


async def prune(session: AsyncSession, before: datetime) -> None:
    """Forget events both published and queued for webhooks before `before` (an event
    still waiting for either step stays, however old)."""
    await session.execute(
        delete(OUTBOX).where(OUTBOX.published_at < before, OUTBOX.webhooks_queued_at < before)
    )
