"""The outbox relay: moves committed events from the outbox table to the broker, and queues
their webhook deliveries.

The two are separate steps, each in a loop of its own with its own transactions: the
broker step publishes events and marks them published; the webhook step queues each
event's deliveries and marks it queued for webhooks. So while Redis is down (only live
subscriptions suffer: /ready says "degraded"), webhooks still get every event, and once it
is back the subscribers get them too. The broker step wakes when this process commits
events (subscribers are waiting), and polls besides, so events left behind by another
process, or kept while the broker was down, still go out; the webhook step only polls, so
under load one of its transactions queues the events of many commits (webhooks are
asynchronous anyway: the dispatcher polls too). A poll first asks, in a cheap read, whether
anything waits, so an idle relay takes no write lock; a wake-up by a commit goes straight
to the write. While the database or the broker is away a step retries every second,
logging only the first failure, a summary now and then, and the recovery
(`RepeatedFailure`), without holding the other step up.

The webhook step also prunes, every ten minutes: events both published and queued for
webhooks over a day ago (an order's replayable history lives in its status changes, not
here), settled (DELIVERED or FAILED) webhook deliveries older than their retention, and
sessions and account tokens expired over a month ago.
Each pass of the broker step sets the outbox lag gauge: how long the oldest event still
waiting for the broker had waited.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from api.broker import Broker, Message
from api.observability.logs import RepeatedFailure
from api.observability.metrics import OUTBOX_LAG
from persistence import outbox, session_pruning, webhook_deliveries
from persistence.database import Database

log = logging.getLogger("omniorder.relay")
webhook_log = logging.getLogger("omniorder.relay.webhooks")
BATCH = 500
POLL_SECONDS = 0.5
RETRY_SECONDS = 1.0
RETENTION = timedelta(days=1)
ENDED_SESSION_RETENTION = timedelta(days=30)
PRUNE_EVERY = timedelta(minutes=10)


class _Step:
    """One of the relay's loops: runs `work(woken)` when woken or every POLL_SECONDS;
    `woken` tells a wake-up by a commit (events surely wait) from a poll."""

    def __init__(
        self, name: str, work: Callable[[bool], Awaitable[None]], failures: RepeatedFailure
    ) -> None:
        self.name = name
        self.work = work
        self.failures = failures
        self.woken = asyncio.Event()

    async def run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.woken.wait(), POLL_SECONDS)
            woken = self.woken.is_set()
            self.woken.clear()
            try:
                await self.work(woken)
            except Exception as error:  # the broker or the database is away: events wait
                self.failures.failed(error)
                await asyncio.sleep(RETRY_SECONDS)
            else:
                self.failures.succeeded()


class OutboxRelay:
    def __init__(self, database: Database, broker: Broker, delivery_retention: timedelta) -> None:
        self.database = database
        self.broker = broker
        self.delivery_retention = delivery_retention
        self._steps = (
            _Step("outbox-relay", self._publish, RepeatedFailure(log, "outbox relay")),
            _Step(
                "webhook-queue",
                self._queue_webhooks,
                RepeatedFailure(webhook_log, "outbox relay (webhook deliveries)"),
            ),
        )
        self._tasks: list[asyncio.Task[None]] = []
        self._pruned_at = datetime.now(UTC)

    def wake(self) -> None:
        """Called after a commit that stored events: publish them now, not at the next poll
        (their webhook deliveries are queued at the webhook step's next poll)."""
        self._steps[0].woken.set()

    async def start(self) -> None:
        self._tasks = [asyncio.create_task(step.run(), name=step.name) for step in self._steps]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _publish(self, woken: bool) -> None:
        while await self.relay_once(check_first=not woken) == BATCH:
            pass

    async def _queue_webhooks(self, woken: bool) -> None:
        while await self.queue_webhooks_once() == BATCH:
            pass
        now = datetime.now(UTC)
        if now - self._pruned_at >= PRUNE_EVERY:
            await prune(self.database, now, self.delivery_retention)
            self._pruned_at = now

    async def relay_once(self, *, check_first: bool = True) -> int:
        """Publish one batch; returns how many events went out. With `check_first`, a read
        first tells whether any event waits, and the write is skipped when none does."""
        if check_first:
            async with self.database.read_session() as session:
                if not await outbox.has_unpublished(session):
                    OUTBOX_LAG.set(0)
                    return 0
        async with self.database.writing() as session, session.begin():
            rows = await outbox.claim(session, BATCH)
            if rows:
                waited = datetime.now(UTC) - rows[0].occurred_at
                OUTBOX_LAG.set(waited.total_seconds())
                await self.broker.publish([outbox.published_message(row) for row in rows])
                await outbox.mark_published(session, [row.id for row in rows])
        return len(rows)

    async def queue_webhooks_once(self) -> int:
        """Queue the webhook deliveries of one batch of events, and mark those events queued,
        in one transaction (so each is queued exactly once); returns how many events."""
        async with self.database.read_session() as session:
            if not await outbox.has_unqueued_for_webhooks(session):
                return 0
        async with self.database.writing() as session, session.begin():
            ids = await outbox.claim_for_webhooks(session, BATCH)
            if ids:
                now = datetime.now(UTC)
                await webhook_deliveries.fan_out(session, ids, now)
                await outbox.mark_queued_for_webhooks(session, ids, now)
        return len(ids)


async def prune(database: Database, now: datetime, delivery_retention: timedelta) -> None:
    """Forget events relayed (both steps) over a day ago, settled webhook deliveries older
    than `delivery_retention`, and sessions and account tokens expired for a month."""
    async with database.writing() as session, session.begin():
        await outbox.prune(session, now - RETENTION)
        await webhook_deliveries.prune(session, now - delivery_retention)
        await session_pruning.prune(session, now - ENDED_SESSION_RETENTION)


async def replay_from(database: Database, position: int) -> list[Message]:
    """Events published after `position`, for a broker listener that was away."""
    async with database.read_session() as session:
        rows = await outbox.published_after(session, position, limit=10_000)
    return [outbox.published_message(row) for row in rows]


async def last_position(database: Database) -> int:
    async with database.read_session() as session:
        return await outbox.last_position(session)
