"""The outbox relay: moves committed events from the outbox table to the broker.

It wakes when this process commits events, and polls besides, so events left behind by
another process, or kept while the broker was down, still go out. Published events are
pruned after a day; an order's replayable history lives in its status changes, not here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from api.broker import Broker, BrokerUnavailable, Message
from persistence import outbox
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
            except BrokerUnavailable as error:
                log.warning("broker unavailable, events stay in the outbox: %s", error)
                await asyncio.sleep(RETRY_SECONDS)
            except Exception:  # keep relaying after a database hiccup; the log has it
                log.exception("outbox relay failed; retrying")
                await asyncio.sleep(RETRY_SECONDS)

    async def relay_once(self) -> int:
        """Publish one batch; returns how many events went out."""
        async with self.database.read_session() as session:
            if not await outbox.has_unpublished(session):
                return 0
        async with self.database.writing() as session, session.begin():
            rows = await outbox.claim(session, BATCH)
            if rows:
                await self.broker.publish([outbox.published_message(row) for row in rows])
                await outbox.mark_published(session, [row.id for row in rows])
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
