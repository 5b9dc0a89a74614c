"""/metrics of a real server: `omniorder serve --workers 2` adds up what every worker
served; subscriptions are counted while open, and so are the events they deliver."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import ADMIN
from tests.e2e.processes import Server
from tests.e2e.test_subscriptions import ALL_ORDERS, place

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

PING = "query Ping { me { role } }"
BATCH = 20
MAX_BATCHES = 15


def access_lines(server: Server, operation: str) -> list[dict]:
    lines = [json.loads(line) for line in server.log_lines() if line.startswith("{")]
    return [line for line in lines if line.get("operationName") == operation]


async def started_workers(server: Server, count: int, timeout: float = 60.0) -> None:
    """Wait until `count` workers have finished starting (the health check needs only one)."""
    async with asyncio.timeout(timeout):
        while True:
            started = {
                json.loads(line)["process"]
                for line in server.log_lines()
                if "Application startup complete" in line
            }
            if len(started) >= count:
                return
            await asyncio.sleep(0.1)


async def ping(server: Server) -> None:
    # A client of its own per request: a new connection, which either worker may accept.
    async with httpx.AsyncClient(base_url=server.url) as client:
        response = await client.post("/graphql", json={"query": PING})
        assert response.status_code == 200


async def scrape(server: Server) -> dict[tuple[str, frozenset], float]:
    async with httpx.AsyncClient(base_url=server.url) as client:
        text = (await client.get("/metrics")).text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_metrics_count_the_requests_of_every_worker(servers, database, database_url):
    server = await servers(database_url, workers=2)
    await started_workers(server, 2)

    sent = 0
    for _ in range(MAX_BATCHES):
        await asyncio.gather(*(ping(server) for _ in range(BATCH)))
        sent += BATCH
        if len({line["process"] for line in access_lines(server, "Ping")}) == 2:
            break
    scraped = await scrape(server)

    served_by = {line["process"] for line in access_lines(server, "Ping")}
    assert len(served_by) == 2, "one worker served every request"
    counted = {
        dict(labels)["outcome"]: sample
        for (name, labels), sample in scraped.items()
        if name == "omniorder_graphql_requests_total" and dict(labels)["operation"] == "Ping"
    }
    assert counted == {"ok": sent}


async def test_open_subscriptions_and_the_events_they_deliver_are_counted(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    subscriber = await subscribers(server, ALL_ORDERS, token=ADMIN, count=2)

    await place(server)
    await subscriber.next()

    metrics = await scrape(server)
    assert metrics[("omniorder_subscriptions_open", frozenset())] == 1
    delivered = (
        "omniorder_subscription_events_delivered_total",
        frozenset({("subscription", "orderStatusChanged")}),
    )
    assert metrics[delivered] == 1
    await subscriber.close()
    async with asyncio.timeout(10):
        while (await scrape(server))[("omniorder_subscriptions_open", frozenset())] != 0:
            await asyncio.sleep(0.1)
