"""Which sessions are revoked, as every process knows it: a revoked token stops working at
once, on every process.

Each process keeps the revoked sessions whose tokens have not expired in memory: read
from the database when it starts, then every `poll_seconds` (OMNIORDER_REVOCATION_POLL_SECONDS)
for those revoked since. A revocation made by this process is added the moment it commits.
That alone lets another process accept a revoked token for up to `poll_seconds`; with
Redis (REDIS_URL) the revoking process also writes the revocation there, with the same
lifetime, and every check of a token not known revoked asks Redis as well, so all
processes refuse it at once. If Redis is unreachable, the memory and the polling still
hold: revocations then reach the other processes within `poll_seconds`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import redis.asyncio as redis
from redis.exceptions import RedisError

from api.observability.logs import RepeatedFailure
from api.settings import Settings
from domain.model.sessions import Revocation
from persistence.database import Database
from persistence.reads import sessions as session_reads

log = logging.getLogger("omniorder.revocations")
KEY_PREFIX = "omniorder:revoked-session:"
# Rows stamped by another process's clock may be a little behind this one's.
POLL_OVERLAP = timedelta(minutes=1)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class RevocationList:
    def __init__(
        self,
        database: Database,
        *,
        poll_seconds: float,
        redis_url: str | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._database = database
        self._poll_seconds = poll_seconds
        self._clock = clock
        self._revoked: dict[int, datetime] = {}  # session id → when its tokens expire
        self._polled_at: datetime | None = None
        self._poller: asyncio.Task[None] | None = None
        self._redis = (
            redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
            if redis_url
            else None
        )
        self._redis_failure = RepeatedFailure(log, "the revocation list in Redis")
        self._poll_failure = RepeatedFailure(log, "reading revoked sessions")

    @classmethod
    def from_settings(cls, settings: Settings, database: Database) -> RevocationList:
        return cls(
            database,
            poll_seconds=settings.sessions.revocation_poll_seconds,
            redis_url=settings.redis_url,
        )

    async def start(self) -> None:
        """Read the revocations, and go on reading them every `poll_seconds`. A server
        may start while its database is away (it then answers /ready with 503): the
        first read is retried with the later ones, and meanwhile the requests that would
        need the database fail anyway."""
        await self._poll_logging_failures()
        self._poller = asyncio.create_task(self._poll_forever(), name="revocation poll")

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        if self._redis is not None:
            await self._redis.aclose()

    async def is_revoked(self, session_id: int) -> bool:
        if session_id in self._revoked:
            return True
        if self._redis is None:
            return False
        try:
            found = await self._redis.exists(f"{KEY_PREFIX}{session_id}")
        except (RedisError, OSError) as error:
            self._redis_failure.failed(error)
            return False  # the polled memory still answers for what is older than a poll
        self._redis_failure.succeeded()
        return bool(found)

    def known_revoked(self, session_id: int) -> bool:
        """Whether this process knows the session revoked, without asking Redis: at once
        for its own revocations, within a poll for others'. Cheap enough for every event
        of every subscription."""
        return session_id in self._revoked

    async def add(self, revocations: Sequence[Revocation]) -> None:
        """Revocations this process just committed: known here at once, and to every
        process through Redis when there is one."""
        now = self._clock()
        for revocation in revocations:
            self._revoked[revocation.session_id] = revocation.until
        if self._redis is None or not revocations:
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for revocation in revocations:
                    lifetime = max(revocation.until - now, timedelta(seconds=1))
                    pipe.set(f"{KEY_PREFIX}{revocation.session_id}", 1, px=lifetime)
                await pipe.execute()
        except (RedisError, OSError) as error:
            self._redis_failure.failed(error)  # the other processes learn it by polling
        else:
            self._redis_failure.succeeded()

    async def poll(self) -> None:
        """Learn the revocations committed since the last poll (all, the first time), and
        forget those whose tokens have expired."""
        now = self._clock()
        since = self._polled_at - POLL_OVERLAP if self._polled_at is not None else None
        async with self._database.read_session() as session:
            rows = await session_reads.revoked_since(session, since, now)
        self._polled_at = now
        for session_id, until in rows:
            self._revoked[session_id] = until
        for session_id in [key for key, until in self._revoked.items() if until <= now]:
            del self._revoked[session_id]

    async def _poll_forever(self) -> None:
        while True:
            await asyncio.sleep(self._poll_seconds)
            await self._poll_logging_failures()

    async def _poll_logging_failures(self) -> None:
        try:
            await self.poll()
        except Exception as error:  # the database may be away for a while
            self._poll_failure.failed(error)
        else:
            self._poll_failure.succeeded()
