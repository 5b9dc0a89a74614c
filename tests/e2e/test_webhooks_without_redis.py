"""Webhooks do not wait for Redis: with the broker down, a real `omniorder serve` still
delivers a mutation's event to a webhook, and its subscribers get the event once Redis is
back (on each back-end)."""

from __future__ import annotations

import httpx

from tests.api.webhook_receiver import receiving, verify
from tests.e2e.conftest import ADMIN, graphql
from tests.e2e.test_subscriptions import ALL_ORDERS, place

SECRET = "whsec-0123456789abcdef"
CREATE_ORDER_WEBHOOK = """
mutation($url: String!, $secret: String!) {
  createWebhook(input: {url: $url, events: [ORDER_STATUS_CHANGED], secret: $secret}) {
    webhook { id } userErrors { message }
  }
}"""


async def test_a_webhook_gets_an_event_while_redis_is_down_and_subscribers_after_it_returns(
    servers, subscribers, redis_server, shop_database, database_url, monkeypatch
):
    # given a server with Redis, a webhook on orders (on 127.0.0.1) and a live subscriber
    monkeypatch.setenv("OMNIORDER_WEBHOOKS_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("OMNIORDER_WEBHOOK_POLL_SECONDS", "0.05")
    server = await servers(database_url, redis_url=redis_server.url)
    with receiving() as receiver:
        created = await graphql(
            server, CREATE_ORDER_WEBHOOK, {"url": receiver.url, "secret": SECRET}
        )
        assert created["createWebhook"]["userErrors"] == []
        subscriber = await subscribers(server, ALL_ORDERS, token=ADMIN)
        # when Redis stops and an order is placed
        redis_server.stop()
        async with httpx.AsyncClient(base_url=server.url) as client:
            assert (await client.get("/ready")).json()["broker"] == "down"
        order = await place(server)
        # then the webhook gets the order's event while Redis is still down
        [request] = await receiver.wait_for(1, timeout=30)
        # and once Redis is back, the subscriber gets it too
        redis_server.start()
        event = (await subscriber.next(timeout=30))["data"]["orderStatusChanged"]
    assert request.json["kind"] == "OrderStatusChanged"
    assert (request.json["status"], request.json["sequence"]) == ("PENDING", 1)
    assert verify(SECRET, request.header("Omniorder-Signature"), request.body)
    assert (event["order"]["number"], event["status"]) == (order["number"], "PENDING")
    assert event["eventId"] == request.json["eventId"]
    assert len(receiver.requests) == 1
