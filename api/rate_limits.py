"""Counting hits against rate rules (docs/api.md, "Rate limits").

A thin layer over the `limits` library, with its moving window: each hit's time is kept,
so no burst on the edge of two windows gets through twice the limit, and a refused hit
counts nothing in the window that refused it (it does in the shorter windows of its rule
that it passed first). The counts live in this process's memory, or in Redis when REDIS_URL is
set, so that every process serving the API shares them; there, a hit is one Lua script,
atomic however many processes hit the same key at once.

If Redis cannot be reached, hits are allowed (fail open) and the failure is logged, once
per run of failures: a limit protects the service from a caller's excess, and refusing
every caller while Redis is down would do the harm it is there to prevent.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import ConnectionPool

from api.observability.logs import RepeatedFailure
from api.rate_rules import RateRule

log = logging.getLogger("omniorder.rate_limits")
REDIS_KEY_PREFIX = "omniorder:rate"
# A Redis that does not answer within this is taken as down (the hit is allowed).
REDIS_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class RateDecision:
    """Whether a hit is allowed; if not, how many seconds until it would be (at least 1,
    as a `Retry-After` header gives it)."""

    allowed: bool
    retry_after_seconds: int | None = None


ALLOWED = RateDecision(allowed=True)


class RateLimiter:
    """Counts hits per rule and key; one per process, shared by all its requests."""

    def __init__(self, redis_url: str | None = None) -> None:
        self._pool: ConnectionPool | None = None
        storage: Storage
        if redis_url:
            # Our own pool, with timeouts, so that a Redis that does not answer holds a
            # request up for a second at most, and that `close` can let it go.
            self._pool = ConnectionPool.from_url(
                redis_url,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
            )
            storage = RedisStorage(
                f"async+{redis_url}",
                implementation="redispy",
                connection_pool=self._pool,  # type: ignore[arg-type]  # documented, typed narrower
                key_prefix=REDIS_KEY_PREFIX,
                wrap_exceptions=True,
            )
        else:
            storage = MemoryStorage()
        self._window = MovingWindowRateLimiter(storage)
        self._failures = RepeatedFailure(log, "rate limit counts in Redis")

    async def hit(self, rule: RateRule | None, key: str) -> RateDecision:
        """Count one hit of `key` (an email, a caller, an address) under `rule`; a rule
        that is off allows everything and counts nothing."""
        if rule is None:
            return ALLOWED
        try:
            for limit in rule.limits:
                if not await self._window.hit(limit, rule.name, key):
                    stats = await self._window.get_window_stats(limit, rule.name, key)
                    wait = math.ceil(stats.reset_time - time.time())
                    return RateDecision(allowed=False, retry_after_seconds=max(1, wait))
        except StorageError as error:
            self._failures.failed(error.storage_error)
            return ALLOWED
        self._failures.succeeded()
        return ALLOWED

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
