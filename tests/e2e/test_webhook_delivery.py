"""Webhooks across processes: two `omniorder serve` processes over one database each run a
dispatcher, and yet every delivery reaches the receiver once."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from tests.api.webhook_receiver import receiving, verify
from tests.e2e.conftest import graphql
from tests.e2e.processes import Server

SECRET = "whsec-0123456789abcdef"
EVENTS = 40
CREATE_WEBHOOK = """
mutation($url: String!, $secret: String!) {
  createWebhook(input: {url: $url, events: [STOCK_LEVEL_CHANGED], secret: $secret}) {
    webhook { id } userErrors { message }
  }
}"""
ADJUST_STOCK = """
mutation($delta: Int!) {
  adjustStock(input: {sku: "MUG", locationCode: "ST-B", delta: $delta, reason: RECEIVED}) {
    userErrors { message }
  }
}"""
DELIVERIES = """
query($id: ID!) {
  webhookDeliveries(webhookId: $id, first: 100) {
    totalCount edges { node { id status attempts lastError } }
  }
}"""


async def settled(server: Server, webhook_id: str) -> dict[str, Any]:
    """The webhook's deliveries, once none is PENDING."""
    for _ in range(600):
        listed = await graphql(server, DELIVERIES, {"id": webhook_id})
        edges = listed["webhookDeliveries"]["edges"]
        if edges and all(edge["node"]["status"] != "PENDING" for edge in edges):
            return listed
        await asyncio.sleep(0.05)
    raise AssertionError(f"deliveries still pending: {listed}")


@pytest.fixture
def fast_webhooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the servers read from their environment: a receiver on 127.0.0.1 is allowed,
    and they look for due deliveries often."""
    monkeypatch.setenv("OMNIORDER_WEBHOOKS_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("OMNIORDER_WEBHOOK_POLL_SECONDS", "0.02")
    monkeypatch.setenv("OMNIORDER_WEBHOOK_RETRY_BASE_SECONDS", "0.1")


async def test_two_servers_over_one_database_deliver_each_delivery_once(
    shop_database, fast_webhooks: None
) -> None:
    url = str(shop_database.url.render_as_string(hide_password=False))
    servers = [Server(url), Server(url)]
    # given a slow receiver (so both dispatchers find work waiting) and two servers
    with receiving(delay=0.05) as receiver:
        try:
            for server in servers:
                await asyncio.to_thread(server.start)
            created = await graphql(
                servers[0], CREATE_WEBHOOK, {"url": receiver.url, "secret": SECRET}
            )
            webhook_id = created["createWebhook"]["webhook"]["id"]
            # when stock changes through both, EVENTS times
            await asyncio.gather(
                *(graphql(servers[i % 2], ADJUST_STOCK, {"delta": 1}) for i in range(EVENTS))
            )
            requests = await receiver.wait_for(EVENTS, timeout=60)
            listed = await settled(servers[1], webhook_id)
            await asyncio.sleep(0.5)  # time for a duplicate, if one were coming
            logged = [line for server in servers for line in server.log_lines()]
        finally:
            for server in servers:
                await asyncio.to_thread(server.stop)
    assert [line for line in logged if "Traceback" in line or "ERROR" in line] == []
    # then each event was queued once and each delivery sent once, signed
    deliveries = [edge["node"] for edge in listed["webhookDeliveries"]["edges"]]
    assert listed["webhookDeliveries"]["totalCount"] == EVENTS
    sent = Counter(request.header("Omniorder-Delivery") for request in receiver.requests)
    assert len(receiver.requests) == EVENTS and set(sent.values()) == {1}
    assert set(sent) == {delivery["id"] for delivery in deliveries}
    assert [d for d in deliveries if (d["status"], d["attempts"]) != ("DELIVERED", 1)] == []
    assert all(verify(SECRET, r.header("Omniorder-Signature"), r.body) for r in requests)
