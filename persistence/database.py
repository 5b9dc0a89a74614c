"""Engines and session factories for SQLite (embedded) and PostgreSQL.

SQLite allows one writer at a time. A write transaction that starts as a reader and later
wants to write can fail with "database is locked" instead of waiting, so write sessions
open with BEGIN IMMEDIATE (take the write lock up front, wait up to the busy timeout) while
read sessions use a second engine with ordinary deferred transactions; WAL lets the
readers run beside the writer. Within one process, writers also queue on an asyncio lock
(`writing()`): SQLite's busy handler retries with growing sleeps and is unfair, so under
load some writers would starve; a queue serves them first come, first served.

The loaders of a request read through `loader_engine` (persistence/request_reads.py). On
PostgreSQL it is an engine of its own in autocommit mode: a read sends its statement and
nothing else (no BEGIN, no ROLLBACK; at READ COMMITTED each statement of a transaction
sees the latest commits anyway), and its connections are not pinged when checked out: a
read that finds its connection dead runs again on a fresh one. Its pool is apart from the
writers', so requests holding read connections never leave the writes they go on to make
without one. Writes keep the ping: they cannot
be run again blindly. Connections are prepared-statement caches (asyncpg prepares each
statement once per connection), sized for this application's statements. On SQLite the
loaders have a pool of their own of two connections, each taken for one batch: every
aiosqlite connection reads in a thread of its own, and many reading at once contend for
the interpreter.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

T = TypeVar("T")
SQLITE_BUSY_TIMEOUT_MS = 30_000
# The distinct statements a connection keeps prepared (asyncpg) or compiled (sqlite3):
# ~150 reads and writes, some in a few shapes (an IN list per batch size).
STATEMENTS_KEPT = 500
# Loader connections on SQLite: each is a thread; more reading at once only contend.
SQLITE_LOADER_CONNECTIONS = 2
# Connections are replaced after half an hour, before an idle timeout along the way (a
# proxy, a firewall) ends them unseen.
POOL_RECYCLE_SECONDS = 1800


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(url, echo=echo, begin="BEGIN IMMEDIATE")
            self.read_engine = _sqlite_engine(url, echo=echo, begin="BEGIN")
            self.loader_engine = _sqlite_engine(
                url, echo=echo, begin="BEGIN", pool_size=SQLITE_LOADER_CONNECTIONS, max_overflow=0
            )
        else:
            self.write_engine = _postgres_engine(self.url, echo=echo, pool_pre_ping=True)
            self.read_engine = self.write_engine
            self.loader_engine = _postgres_engine(
                self.url, echo=echo, pool_pre_ping=False, isolation_level="AUTOCOMMIT"
            )
        self._write_queue = asyncio.Lock() if self.is_sqlite else None
        self.write_sessions = async_sessionmaker(self.write_engine, expire_on_commit=False)
        self.read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def engines(self) -> list[AsyncEngine]:
        engines = (self.write_engine, self.read_engine, self.loader_engine)
        return list({id(e): e for e in engines}.values())

    @contextlib.asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A write session, after this process's earlier writers (on SQLite)."""
        async with contextlib.AsyncExitStack() as stack:
            if self._write_queue is not None:
                await stack.enter_async_context(self._write_queue)
            session = await stack.enter_async_context(self.write_sessions())
            yield session

    def read_session(self) -> AsyncSession:
        return self.read_sessions()

    async def reading(self, read: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """`read(session)` in a session of its own on the loaders' engine, run once more
        if its connection turns out dead (persistence/request_reads.py)."""
        try:
            return await self._read_once(read)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            return await self._read_once(read)

    async def _read_once(self, read: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async with AsyncSession(self.loader_engine, expire_on_commit=False) as session:
            return await read(session)

    async def ping(self) -> None:
        await self.reading(_select_one)

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()


async def _select_one(session: AsyncSession) -> None:
    await session.execute(text("SELECT 1"))


def _postgres_engine(url: URL, *, echo: bool, **options: Any) -> AsyncEngine:
    # A cache size in DATABASE_URL (?prepared_statement_cache_size=) stands.
    statements = (
        {}
        if "prepared_statement_cache_size" in url.query
        else {"prepared_statement_cache_size": STATEMENTS_KEPT}
    )
    return create_async_engine(
        url,
        echo=echo,
        pool_size=10,
        max_overflow=20,
        pool_recycle=POOL_RECYCLE_SECONDS,
        connect_args=statements,
        **options,
    )


def _sqlite_engine(url: str, *, echo: bool, begin: str, **options: Any) -> AsyncEngine:
    engine = create_async_engine(
        url,
        echo=echo,
        **options,
        connect_args={
            "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            "cached_statements": STATEMENTS_KEPT,
        },
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine
