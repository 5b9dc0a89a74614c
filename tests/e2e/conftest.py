"""Fixtures for end-to-end tests: real servers, real Redis, real WebSocket clients."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest

from api.auth import TokenService
from domain.access import Principal, Role
from persistence import outbox
from persistence.database import Database
from tests.api.conftest import DEFAULT_STOCK, build_shop
from tests.conftest import IN_CI
from tests.e2e.processes import CLIENTS, SECRET, RedisServer, Server, Subscriber

TOKENS = TokenService(SECRET, 3600)


def token(role: Role, *, customer: str | None = None, locations: tuple[str, ...] = ()) -> str:
    return TOKENS.issue(
        Principal(
            role=role,
            subject=customer or role.value.lower(),
            customer_email=customer,
            location_codes=frozenset(locations),
        )
    )


ADMIN = token(Role.ADMIN)


def _require(binary: str, why: str) -> None:
    if shutil.which(binary) is None or (
        binary == "node" and not (CLIENTS / "node_modules").exists()
    ):
        message = f"{binary} is needed for {why} (and `npm ci --prefix tests/clients`)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
async def shop_database(database: Database) -> Database:
    """A migrated database with the small shop of the API tests in it."""
    await build_shop(database, DEFAULT_STOCK)
    return database


@pytest.fixture
async def servers() -> AsyncIterator[Callable[..., Awaitable[Server]]]:
    """Start servers on demand, each ready once the events already in its database's outbox
    (from the test's set-up) are out; all are stopped after the test."""
    _require("node", "the graphql-ws client")
    started: list[Server] = []

    async def start(database_url: str, **options: Any) -> Server:
        server = Server(database_url, **options)
        started.append(server)
        await asyncio.to_thread(server.start)
        await outbox_drained(database_url)
        return server

    yield start
    for server in started:
        await asyncio.to_thread(server.stop)


async def outbox_drained(database_url: str, timeout: float = 15.0) -> None:
    database = Database(database_url)
    try:
        async with asyncio.timeout(timeout):
            while True:
                async with database.read_session() as session:
                    if not await outbox.has_unpublished(session):
                        return
                await asyncio.sleep(0.05)
    finally:
        await database.dispose()


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    _require("redis-server", "the Redis tests")
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
async def subscribers() -> AsyncIterator[Callable[..., Any]]:
    opened: list[Subscriber] = []

    async def open_subscriber(*args: Any, **kwargs: Any) -> Subscriber:
        subscriber = await Subscriber.open(*args, **kwargs)
        opened.append(subscriber)
        return subscriber

    yield open_subscriber
    for subscriber in opened:
        await subscriber.close()


async def graphql(
    server: Server, query: str, variables: dict | None = None, auth: str = ADMIN
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {auth}"},
        )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]
