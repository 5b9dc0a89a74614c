"""Where persisted documents are looked up by hash.

- Automatic persisted queries (Apollo's APQ): any client registers a document by sending
  it with its hash. `InProcessStore` keeps the most recently used ones in this process;
  `RedisStore` (with REDIS_URL) shares them between processes, each key expiring after a
  day without use. Losing a document costs nothing but a round trip (the client sends it
  again), so a Redis that fails is a miss, never a failed request.
- The allow-list (`OMNIORDER_PERSISTED_ONLY=1`): `RegisteredDocuments`, what operators
  registered in the database, held in memory and read again when it changed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError

from api.observability.logs import RepeatedFailure
from persistence import persisted_queries
from persistence.database import Database

log = logging.getLogger("omniorder.persisted_queries")
MAX_DOCUMENTS = 10_000  # per process, in memory
# Longer documents are run but not kept (the parser refuses beyond 5,000 tokens anyway).
MAX_DOCUMENT_LENGTH = 100_000
# And at most this many characters in all: comments and whitespace cost no tokens, so
# without it clients could make a process keep MAX_DOCUMENTS * MAX_DOCUMENT_LENGTH, 1 GB.
MAX_STORED_CHARACTERS = 20_000_000
REDIS_TTL_SECONDS = 24 * 3600  # counted again from each use
REDIS_KEY_PREFIX = "omniorder:apq:"
REDIS_TIMEOUT_SECONDS = 0.5  # a slow Redis costs a request at most about this much
# How stale this process's copy of the allow-list may be: a document the CLI adds or
# removes counts everywhere within this many seconds.
ALLOW_LIST_REFRESH_SECONDS = 2.0


class AutomaticStore(Protocol):
    async def get(self, sha256_hash: str) -> str | None: ...
    async def put(self, sha256_hash: str, document: str) -> None: ...
    async def close(self) -> None: ...


class InProcessStore:
    """The most recently used documents of this process: at most `max_documents` of them,
    and `max_characters` in all."""

    def __init__(
        self, max_documents: int = MAX_DOCUMENTS, max_characters: int = MAX_STORED_CHARACTERS
    ) -> None:
        self.max_documents = max_documents
        self.max_characters = max_characters
        self._documents: OrderedDict[str, str] = OrderedDict()
        self._characters = 0

    async def get(self, sha256_hash: str) -> str | None:
        document = self._documents.get(sha256_hash)
        if document is not None:
            self._documents.move_to_end(sha256_hash)
        return document

    async def put(self, sha256_hash: str, document: str) -> None:
        if len(document) > MAX_DOCUMENT_LENGTH:
            return
        replaced = self._documents.pop(sha256_hash, None)
        if replaced is not None:
            self._characters -= len(replaced)
        self._documents[sha256_hash] = document
        self._characters += len(document)
        while len(self._documents) > self.max_documents or self._characters > self.max_characters:
            _, evicted = self._documents.popitem(last=False)
            self._characters -= len(evicted)

    async def close(self) -> None:
        return None


class RedisStore:
    """Documents shared by every process through Redis, each key expiring after
    `ttl_seconds` without use (Redis's own eviction policy bounds the total)."""

    def __init__(self, url: str, ttl_seconds: int = REDIS_TTL_SECONDS) -> None:
        self.ttl_seconds = ttl_seconds
        self._client = redis.Redis.from_url(
            url,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            retry_on_timeout=False,
        )
        self._failures = RepeatedFailure(log, "persisted query store (Redis)")

    async def get(self, sha256_hash: str) -> str | None:
        try:
            # GETEX: read, and count the expiry again from now, in one round trip.
            raw = await self._client.getex(REDIS_KEY_PREFIX + sha256_hash, ex=self.ttl_seconds)
        except RedisError as error:
            self._failures.failed(error)
            return None
        self._failures.succeeded()
        return raw.decode() if isinstance(raw, bytes) else None

    async def put(self, sha256_hash: str, document: str) -> None:
        if len(document) > MAX_DOCUMENT_LENGTH:
            return
        try:
            await self._client.set(REDIS_KEY_PREFIX + sha256_hash, document, ex=self.ttl_seconds)
        except RedisError as error:
            self._failures.failed(error)
            return
        self._failures.succeeded()

    async def close(self) -> None:
        await self._client.aclose()


class RegisteredDocuments:
    """This process's copy of the allow-list. At most every `refresh_seconds`, a lookup
    first asks the database whether the list changed (one small aggregate query), and
    reads it again only then; lookups in between, of known and unknown hashes alike,
    touch no database."""

    def __init__(
        self,
        database: Database,
        refresh_seconds: float = ALLOW_LIST_REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        self._documents: dict[str, str] = {}
        self._fingerprint: persisted_queries.Fingerprint | None = None
        self._checked_at: float | None = None
        self._lock = asyncio.Lock()

    async def get(self, sha256_hash: str) -> str | None:
        if self._is_stale():
            async with self._lock:  # one refresh at a time; the others then find it fresh
                if self._is_stale():
                    await self._refresh()
        return self._documents.get(sha256_hash)

    def _is_stale(self) -> bool:
        return self._checked_at is None or self.clock() - self._checked_at >= self.refresh_seconds

    async def _refresh(self) -> None:
        async with self.database.read_session() as session:
            fingerprint = await persisted_queries.fingerprint(session)
            if fingerprint != self._fingerprint:
                self._documents = await persisted_queries.documents(session)
                self._fingerprint = fingerprint
        self._checked_at = self.clock()
