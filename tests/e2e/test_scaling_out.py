"""Several processes on one PostgreSQL database share events through Redis; events survive
Redis going away."""

import asyncio

import httpx
import pytest

from tests.e2e.conftest import ADMIN as ADMIN_TOKEN
from tests.e2e.conftest import graphql
from tests.e2e.test_subscriptions import ALL_ORDERS, CONFIRM, PLACE, order_input, place

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


async def test_a_subscriber_on_one_process_sees_a_mutation_served_by_another(
    servers, subscribers, redis_server, shop_database, database_url
):
    first = await servers(database_url, redis_url=redis_server.url)
    second = await servers(database_url, redis_url=redis_server.url)
    subscriber = await subscribers(first, ALL_ORDERS, token=ADMIN_TOKEN, count=2)
    order = await place(second)
    await graphql(second, CONFIRM, {"id": order["id"]})
    events = [e["data"]["orderStatusChanged"] for e in await subscriber.events(2)]
    assert [(e["sequence"], e["status"]) for e in events] == [(1, "PENDING"), (2, "CONFIRMED")]
    assert {e["order"]["number"] for e in events} == {order["number"]}


async def test_workers_of_one_serve_command_share_events(
    servers, subscribers, redis_server, shop_database, database_url
):
    server = await servers(database_url, redis_url=redis_server.url, workers=2)
    subscribers_ = [await subscribers(server, ALL_ORDERS, token=ADMIN_TOKEN) for _ in range(4)]
    order = await place(server)
    for subscriber in subscribers_:
        event = (await subscriber.next())["data"]["orderStatusChanged"]
        assert event["order"]["number"] == order["number"]


async def test_mutations_work_while_redis_is_down_and_events_follow_when_it_returns(
    servers, subscribers, redis_server, shop_database, database_url
):
    server = await servers(database_url, redis_url=redis_server.url)
    subscriber = await subscribers(server, ALL_ORDERS, token=ADMIN_TOKEN, count=2)
    redis_server.stop()
    async with httpx.AsyncClient(base_url=server.url) as client:
        degraded = await client.get("/ready")
    assert (degraded.status_code, degraded.json()) == (
        200,
        {"status": "degraded", "database": "up", "broker": "down"},
    )
    order = await place(server)
    await graphql(server, CONFIRM, {"id": order["id"]})
    await asyncio.sleep(1)
    redis_server.start()
    events = [e["data"]["orderStatusChanged"] for e in await subscriber.events(2, timeout=30)]
    assert [(e["sequence"], e["status"]) for e in events] == [(1, "PENDING"), (2, "CONFIRMED")]
    async with httpx.AsyncClient(base_url=server.url) as client:
        assert (await client.get("/ready")).json() == {
            "status": "ok",
            "database": "up",
            "broker": "up",
        }


async def test_a_refused_order_on_one_process_reaches_no_one(
    servers, subscribers, redis_server, shop_database, database_url
):
    first = await servers(database_url, redis_url=redis_server.url)
    second = await servers(database_url, redis_url=redis_server.url)
    subscriber = await subscribers(first, ALL_ORDERS, token=ADMIN_TOKEN)
    refused = await graphql(second, PLACE, order_input(quantity=1000))
    assert refused["placeOrder"]["order"] is None
    order = await place(second, sku="MUG")
    event = (await subscriber.next())["data"]["orderStatusChanged"]
    assert event["order"]["number"] == order["number"]
