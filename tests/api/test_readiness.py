"""`/ready` tells a load balancer whether to send traffic: only a process without its
database is unavailable."""

from __future__ import annotations

import httpx

from api.app import create_app
from api.settings import Settings
from persistence.database import Database
from tests.api.conftest import SECRET

UNREACHABLE = "postgresql+asyncpg://postgres@127.0.0.1:1/omniorder"  # nothing listens on port 1


async def ready(database: Database) -> httpx.Response:
    settings = Settings(database_url=str(database.url), secret=SECRET)
    app = create_app(settings, database=database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get("/ready")


async def test_a_process_with_its_database_and_broker_is_ready(database):
    response = await ready(database)
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "database": "up", "broker": "up"},
    )


async def test_a_process_without_its_database_is_unavailable():
    database = Database(UNREACHABLE)
    try:
        response = await ready(database)
    finally:
        await database.dispose()
    assert (response.status_code, response.json()) == (
        503,
        {"status": "unavailable", "database": "down", "broker": "up"},
    )
