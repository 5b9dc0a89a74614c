"""Fixtures for end-to-end tests: real servers, real Redis, real WebSocket clients."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from api.auth import TokenService
from domain.access import Principal, Role
from persistence import outbox
from persistence.database import Database
from tests.api.conftest import DEFAULT_STOCK, GraphQL, add_stock, build_shop
from tests.api.manufacturing_documents import build_workshop
from tests.conftest import BACKENDS, IN_CI, Templates, fresh_database
from tests.e2e.processes import CLIENTS, SECRET, RedisServer, Server, Subscriber
from tests.e2e.races import CLIENTS as RACE_CLIENTS

TOKENS = TokenService(SECRET, 3600)
# Enough for every race of a module, each trial on documents of its own.
RACE_STOCK = {
    ("TEE-S", "WH-A"): 500,
    ("TEE-S", "ST-B"): 200,
    ("TEE-M", "WH-A"): 500,
    ("MUG", "ST-B"): 500,
}
RACE_PARTS = {"LEG": 200, "TOP": 50, "SCREW": 400}


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
    """Skip (fail under CI=true) a test whose program is missing. Node.js also needs the npm
    clients, and so does Chromium, which Playwright (npm) drives."""
    if shutil.which(binary) is None or (
        binary in ("node", "chromium") and not (CLIENTS / "node_modules").exists()
    ):
        message = f"{binary} is needed for {why} (and `npm ci --prefix tests/clients`)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


async def in_chromium(script: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Run a browser test's npm client (tests/clients/`script`, given `spec` as JSON) and
    return the JSON it prints; Chromium is slow to start on a busy machine."""
    result: dict[str, Any] = await npm_client(script, spec)
    return result


async def npm_client(script: str, spec: dict[str, Any], timeout: float = 180) -> Any:
    """Run the npm client tests/clients/`script`, given `spec` as JSON, and return the JSON
    it prints."""
    process = await asyncio.create_subprocess_exec(
        "node",
        str(CLIENTS / script),
        json.dumps(spec),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()
    return json.loads(out)


@pytest.fixture
def chromium() -> str:
    """Debian's Chromium, which the browser tests drive through Playwright (npm)."""
    _require("chromium", "the browser tests")
    return str(shutil.which("chromium"))


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


@dataclass
class RaceServer:
    """A server with two worker processes over one database, shared by a module's races."""

    server: Server
    database_url: str

    def errors_logged(self) -> list[str]:
        """The lines of the server's log (a file both workers append to) that tell of an
        error: a traceback, or a record at level error (JSON or text)."""
        marks = ("Traceback", '"level": "error"', "ERROR")
        return [line for line in self.server.log_lines() if any(m in line for m in marks)]


async def _build_race_shop(database_url: str) -> None:
    database = Database(database_url)
    try:
        await build_shop(database, RACE_STOCK)
        await build_workshop(database)
        await add_stock(database, {(sku, "WH-A"): units for sku, units in RACE_PARTS.items()})
    finally:
        await database.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def race_server(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RaceServer]:
    """A shop with plenty of stock behind `omniorder serve --workers 2` and Redis (so a
    subscriber on one worker hears of changes made through the other), on each back-end."""
    _require("redis-server", "the race tests")
    with fresh_database(request.param, templates, tmp_path_factory.mktemp("races")) as url:
        asyncio.run(_build_race_shop(url))
        redis = RedisServer().start()
        # No mutation rate limit: a race sends a customer's requests all at once, on purpose.
        unlimited = {"OMNIORDER_MUTATION_LIMIT": "off"}
        server = Server(url, redis_url=redis.url, workers=2, env=unlimited).start()
        try:
            yield RaceServer(server, url)
        finally:
            server.stop()
            redis.stop()


@pytest.fixture
async def remote(race_server: RaceServer) -> AsyncIterator[GraphQL]:
    """A client of the race server; after the test, the server has logged no error."""
    url, limits = race_server.server.url, httpx.Limits(max_connections=RACE_CLIENTS * 2)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        yield GraphQL(http, TOKENS)
    assert race_server.errors_logged() == []
