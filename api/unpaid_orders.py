"""The unpaid-order expiry job: every OMNIORDER_UNPAID_ORDER_SWEEP_SECONDS, one process of
however many serve the same database cancels the PENDING orders their channel's
`unpaidOrderTtl` has run out on (the rule: domain/usecases/unpaid_orders.py).

Each process runs the timer; a tick first takes the job's lease (persistence/job_leases.py)
and does nothing when another process holds it, so each interval has one sweep. A sweep
cancels each order in its own transaction, so an order that fails (a deadlock, a bug in
its data) is logged and the rest still go; it is tried again at the next sweep.
`omniorder expire-unpaid-orders` runs one sweep at once, lease or not (for cron, or a test).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from api.observability.logs import RepeatedFailure
from domain.usecases.unpaid_orders import expire_unpaid_order
from persistence.database import Database
from persistence.job_leases import take_lease
from persistence.reads.unpaid_orders import expired_unpaid_orders, unpaid_order_limits
from persistence.uow import SqlUnitOfWork

log = logging.getLogger("omniorder.unpaid_orders")

JOB = "unpaid-order-expiry"
BATCH = 200  # orders looked at per channel per query; a sweep goes on until none are left
RETRY_SECONDS = 5.0


@dataclass
class Sweep:
    """What one sweep did: the ids of the orders it cancelled, and of those that failed."""

    cancelled: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


async def sweep_unpaid_orders(
    database: Database,
    now: datetime,
    on_commit: Callable[[], None] | None = None,
) -> Sweep:
    """Cancel every order unpaid past its channel's limit at `now`, one transaction each."""
    sweep = Sweep()
    async with database.read_session() as session:
        limits = await unpaid_order_limits(session)
    for limit in limits:
        skipped: set[int] = set()  # kept (paid meanwhile) or failed: not asked for again
        while True:
            async with database.read_session() as session:
                ids = await expired_unpaid_orders(
                    session, limit.channel, now - limit.ttl, BATCH + len(skipped)
                )
            todo = [order_id for order_id in ids if order_id not in skipped]
            if not todo:
                break
            for order_id in todo:
                try:
                    uow = SqlUnitOfWork(database, on_commit)
                    if await expire_unpaid_order(uow, order_id, limit.ttl, now):
                        sweep.cancelled.append(order_id)
                        continue
                except Exception:  # one order's failure does not stop the others
                    log.exception("unpaid order %s: expiry failed", order_id)
                    sweep.failed.append(order_id)
                skipped.add(order_id)
    if sweep.cancelled or sweep.failed:
        log.info("unpaid orders: %d cancelled, %d failed", len(sweep.cancelled), len(sweep.failed))
    return sweep


class UnpaidOrderExpiry:
    """The timer of one process; started and stopped with the app (api/app.py)."""

    def __init__(
        self,
        database: Database,
        interval_seconds: float,
        on_commit: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.database = database
        self.interval_seconds = interval_seconds
        self.on_commit = on_commit
        self.clock = clock
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.interval_seconds > 0:  # 0: no timer here (cron runs the CLI instead)
            self._task = asyncio.create_task(self._run(), name="unpaid-order-expiry")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def tick(self) -> Sweep | None:
        """One sweep if this process takes the lease for the coming interval; else None."""
        now = self.clock()
        # A little shorter than the interval, so this process's next tick, which a timer
        # may fire a hair early, finds it run out.
        length = timedelta(seconds=self.interval_seconds * 0.9)
        if not await take_lease(self.database, JOB, self.holder, now, length):
            return None
        return await sweep_unpaid_orders(self.database, now, self.on_commit)

    async def _run(self) -> None:
        failures = RepeatedFailure(log, "unpaid-order expiry")
        while True:
            try:
                await self.tick()
            except Exception as error:  # the database is away: the next tick tries again
                failures.failed(error)
                await asyncio.sleep(RETRY_SECONDS)
            else:
                failures.succeeded()
            await asyncio.sleep(self.interval_seconds)
