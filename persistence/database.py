"""Engines and session factories for SQLite (embedded) and PostgreSQL.

SQLite allows one writer at a time. A write transaction that starts as a reader and later
wants to write can fail with "database is locked" instead of waiting, so write sessions
open with BEGIN IMMEDIATE (take the write lock up front, wait up to the busy timeout) while
read sessions use a second engine with ordinary deferred transactions; WAL lets the
readers run beside the writer. Within one process, writers also queue on an asyncio lock
(`writing()`): SQLite's busy handler retries with growing sleeps and is unfair, so under
load some writers would starve; a queue serves them first come, first served.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 30_000


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(url, echo=echo, begin="BEGIN IMMEDIATE")
            self.read_engine = _sqlite_engine(url, echo=echo, begin="BEGIN")
        else:
            self.write_engine = create_async_engine(
                url, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True
            )
            self.read_engine = self.write_engine
        self._write_queue = asyncio.Lock() if self.is_sqlite else None
        self.write_sessions = async_sessionmaker(self.write_engine, expire_on_commit=False)
        self.read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def engines(self) -> list[AsyncEngine]:
        return list({id(e): e for e in (self.write_engine, self.read_engine)}.values())

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

    async def ping(self) -> None:
        async with self.read_engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()


def _sqlite_engine(url: str, *, echo: bool, begin: str) -> AsyncEngine:
    engine = create_async_engine(
        url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
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
