"""The outbox relay: moves committed events from the outbox table to the broker.

It wakes when this process commits events, and polls besides, so events left behind by
another process, or kept while the broker was down, still go out. Published events are
pruned after a day; an order's replayable history lives in its status changes, not here.
While the database or the broker is away it retries every second, but logs only the first
failure, a summary now and then, and the recovery (`RepeatedFailure`). Each pass sets the
outbox lag gauge: how long the oldest event still waiting has waited.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from api.broker import Broker, Message
from api.observability.logs import RepeatedFailure
from api.observability.metrics import OUTBOX_LAG
from persistence import outbox, webhook_deliveries
from persistence.database import Database

log = logging.getLogger("omniorder.relay")
BATCH = 500
POLL_SECONDS = 0.5
RETRY_SECONDS = 1.0
RETENTION = timedelta(days=1)
PRUNE_EVERY = timedelta(minutes=10)


class OutboxRelay:
    def __init__(self, database: Database, broker: Broker) -> None:
        self.database = database
        self.broker = broker
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._pruned_at = datetime.now(UTC)
        self._failures = RepeatedFailure(log, "outbox relay")

    def wake(self) -> None:
        """Called after a commit that stored events: relay them now, not at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
            self._wake.clear()
            try:
                while await self.relay_once() == BATCH:
                    pass
                await self._prune()
            except Exception as error:  # the broker or the database is away: events wait
                self._failures.failed(error)
                await asyncio.sleep(RETRY_SECONDS)
            else:
                self._failures.succeeded()

    async def relay_once(self) -> int:
        """Publish one batch; returns how many events went out."""
        async with self.database.read_session() as session:
            oldest = await outbox.oldest_unpublished_at(session)
        OUTBOX_LAG.set(0 if oldest is None else (datetime.now(UTC) - oldest).total_seconds())
        if oldest is None:
            return 0
        async with self.database.writing() as session, session.begin():
            rows = await outbox.claim(session, BATCH)
            if rows:
                await self.broker.publish([outbox.published_message(row) for row in rows])
                await outbox.mark_published(session, [row.id for row in rows])
                # Webhooks get the events in the same commit: each is queued exactly once.
                await webhook_deliveries.fan_out(
                    session, [row.id for row in rows], datetime.now(UTC)
                )
        return len(rows)

    async def _prune(self) -> None:
        now = datetime.now(UTC)
        if now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        async with self.database.writing() as session, session.begin():
            await outbox.prune(session, now - RETENTION)


async def replay_from(database: Database, position: int) -> list[Message]:
    """Events published after `position`, for a broker listener that was away."""
    async with database.read_session() as session:
        rows = await outbox.published_after(session, position, limit=10_000)
    return [outbox.published_message(row) for row in rows]


async def last_position(database: Database) -> int:
    async with database.read_session() as session:
        return await outbox.last_position(session)
