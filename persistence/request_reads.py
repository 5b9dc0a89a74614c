"""The reads of one request: its loader batches on one connection, opened at the first read.

A request's loaders used to open a session per batch, and each batch paid a pool checkout,
BEGIN and ROLLBACK around its statement. An HTTP request now checks out one connection at
its first read and keeps it until its response is sent (api/graphql_app.py), each batch in
a short session of its own on that connection: its transaction (its snapshot, on SQLite)
ends with the batch, so a read that follows a mutation's commit in the same request sees
the commit. A connection runs one statement at a time, and a request's batches may run
concurrently, so they take turns on a lock.

A context that no request closes (a WebSocket's, whose subscriptions read once per event,
a webhook payload's, a test's) reads with a connection per batch instead, held no longer
than the batch; so do requests on SQLite, where each connection reads in a thread of its
own and a connection per request in flight had that many threads contend for the
interpreter (persistence/database.py keeps their pool small).

Reads are safe to run again: one that finds its connection dead (the database restarted,
or ended the session) runs once more on a fresh connection, so no request fails for a
connection that died while it sat in the pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from persistence.database import Database

T = TypeVar("T")
Read = Callable[[AsyncSession], Awaitable[T]]


class RequestReads:
    def __init__(self, database: Database, *, shared: bool) -> None:
        self._database = database
        self._shared = shared
        self._turn = asyncio.Lock()
        self._connection: AsyncConnection | None = None

    @classmethod
    def of_request(cls, database: Database) -> RequestReads:
        """An HTTP request's reads: on one connection, but on SQLite (see above)."""
        return cls(database, shared=not database.is_sqlite)

    async def run(self, read: Read[T]) -> T:
        """`read(session)`, on the request's connection when it keeps one."""
        if not self._shared:
            return await self._database.reading(read)
        async with self._turn:
            try:
                return await self._on_shared_connection(read)
            except DBAPIError as error:
                if not error.connection_invalidated:
                    raise
                await self._release()
                return await self._on_shared_connection(read)

    async def close(self) -> None:
        """Give the connection back to the pool; a later read would take another."""
        async with self._turn:
            await self._release()

    async def _on_shared_connection(self, read: Read[T]) -> T:
        if self._connection is None:
            self._connection = await self._database.loader_engine.connect()
        async with AsyncSession(bind=self._connection, expire_on_commit=False) as session:
            return await read(session)

    async def _release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()
