"""Logs as JSON lines: one line per request with its id, operation, caller, status and
duration; the request id on every other line it causes; a relay that cannot reach its
database logs the failure once, not every second."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator

import pytest

from api.app import create_app
from api.observability.logs import LOGGERS, configure_logging
from api.settings import Settings
from api.types import catalog
from domain.access import Role
from persistence.database import Database
from tests.conftest import _admin

PRODUCTS = "query ProductNames { products(first: 5) { edges { node { name } } } }"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """JSON logging into a buffer; the loggers are set back as they were afterwards."""
    saved = [
        (logger, logger.handlers, logger.level, logger.propagate)
        for logger in map(logging.getLogger, LOGGERS)
    ]
    buffer = io.StringIO()
    configure_logging(Settings(log_format="json", log_level="INFO"), stream=buffer)
    yield buffer
    for logger, handlers, level, propagate in saved:
        logger.handlers, logger.propagate = handlers, propagate
        logger.setLevel(level)


def parsed(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


async def test_a_request_is_logged_with_its_id_operation_caller_status_and_duration(
    graphql, shop, log_lines
):
    response = await graphql.http.post(
        "/graphql",
        json={"query": PRODUCTS},
        headers={"x-request-id": "req-77", "authorization": f"Bearer {graphql.token(Role.STAFF)}"},
    )

    assert response.status_code == 200
    [line] = [line for line in parsed(log_lines) if line["logger"] == "omniorder.access"]
    assert line["request_id"] == response.headers["x-request-id"] == "req-77"
    assert line["operationName"] == "ProductNames"
    assert line["role"] == "STAFF"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0


async def test_what_a_request_logs_carries_its_request_id(graphql, shop, log_lines, monkeypatch):
    def broken(cls, row):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(catalog.Product, "from_row", classmethod(broken))

    await graphql.http.post("/graphql", json={"query": PRODUCTS}, headers={"x-request-id": "r-9"})

    lines = parsed(log_lines)
    assert any(line["logger"] != "omniorder.access" for line in lines)
    assert all(line["request_id"] == "r-9" for line in lines)
    assert any("secret internals" in json.dumps(line) for line in lines)
    assert "locals" not in json.dumps(lines), "a traceback's variables may hold secrets"
    [access] = [line for line in lines if line["logger"] == "omniorder.access"]
    assert (access["role"], access["operationName"]) == ("ANONYMOUS", "ProductNames")


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_relay_without_its_database_logs_the_failure_once_then_its_recovery(
    database_url, log_lines
):
    name = database_url.rsplit("/", 1)[1]
    app = create_app(Settings(database_url=database_url), database=Database(database_url))
    away = True
    await _admin(f'ALTER DATABASE "{name}" RENAME TO "{name}_away"')
    try:
        async with app.router.lifespan_context(app):
            await asyncio.sleep(4)  # a few attempts, one every second and a half
            await _admin(f'ALTER DATABASE "{name}_away" RENAME TO "{name}"')
            away = False
            async with asyncio.timeout(10):
                while "outbox relay recovered" not in log_lines.getvalue():
                    await asyncio.sleep(0.1)
    finally:
        if away:
            await _admin(f'ALTER DATABASE "{name}_away" RENAME TO "{name}"')

    relay = [line for line in parsed(log_lines) if line["logger"] == "omniorder.relay"]
    failing, recovered = relay
    assert failing["level"] == "warning"
    assert failing["event"].startswith("outbox relay failing: DBAPIError")
    assert f'database "{name}" does not exist' in failing["event"]
    assert "exception" not in failing
    attempts = int(recovered["event"].split("after ")[1].split(" failures")[0])
    assert recovered["event"].startswith("outbox relay recovered after") and attempts >= 2
