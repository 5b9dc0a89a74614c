"""`orderPaymentChanged` over a real WebSocket (graphql-transport-ws), against the app served
by uvicorn with its outbox relay running, on SQLite and PostgreSQL: who receives which money
events, and a client resuming after a sequence number gets what it missed, then the rest
live, with no gap or duplicate."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
import websockets
from starlette.types import ASGIApp
from websockets.asyncio.client import ClientConnection, connect

from domain.access import Role
from persistence.database import Database
from tests.api.conftest import DEFAULT_STOCK, GraphQL, build_app, build_shop
from tests.api.payments_documents import REFUND_PAYMENT, manual_payment, placed_order

ALL_MY_ORDERS = """
subscription { orderPaymentChanged {
  eventId sequence entryKind amount { amount currency } paymentState actor
  order { number } payment { method }
} }"""
ONE_ORDER = """
subscription($id: ID!, $after: Int) { orderPaymentChanged(orderId: $id, afterSequence: $after) {
  eventId sequence entryKind amount { amount } paymentState
} }"""
WAIT = 15.0


@asynccontextmanager
async def served(app: ASGIApp) -> AsyncIterator[str]:
    """The app behind a real server on a free port, its lifespan (broker, relay) running:
    its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await serving


class Live:
    """A served shop: a GraphQL client over HTTP, and subscriptions over WebSocket."""

    def __init__(self, address: str, graphql: GraphQL) -> None:
        self.address = address
        self.graphql = graphql

    @asynccontextmanager
    async def subscribed(
        self, token: str, query: str, variables: dict[str, Any] | None = None
    ) -> AsyncIterator[ClientConnection]:
        url = f"ws://{self.address}/graphql"
        async with connect(
            url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
        ) as ws:
            init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
            await ws.send(json.dumps(init))
            assert json.loads(await asyncio.wait_for(ws.recv(), WAIT))["type"] == "connection_ack"
            payload = {"query": query, "variables": variables or {}}
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            await asyncio.sleep(0.3)  # the server joins the hub before the test makes changes
            yield ws


async def received(ws: ClientConnection, count: int) -> list[dict[str, Any]]:
    """The next `count` events' data (or errors, as they come)."""
    events = []
    for _ in range(count):
        message = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
        assert message["type"] == "next", message
        payload = message["payload"]
        events.append(payload["data"]["orderPaymentChanged"] if payload.get("data") else payload)
    return events


async def nothing_more(ws: ClientConnection) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.recv(), 1.0)


@pytest.fixture
async def live(database: Database) -> AsyncIterator[Live]:
    await build_shop(database, DEFAULT_STOCK)
    app = build_app(database)
    async with (
        served(app) as address,
        httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as http,
    ):
        yield Live(address, GraphQL(http, app.state.tokens))


async def refund(graphql: GraphQL, payment_id: str, amount: str, key: str) -> None:
    variables = {"input": {"paymentId": payment_id, "amount": amount, "idempotencyKey": key}}
    refunded = (await graphql.admin(REFUND_PAYMENT, variables))["refundPayment"]
    assert refunded["userErrors"] == [], refunded


async def test_a_customer_receives_its_own_orders_payment_events_and_not_anothers(live):
    graphql = live.graphql
    ada = graphql.token(Role.CUSTOMER, customer="ada@example.com")
    async with live.subscribed(ada, ALL_MY_ORDERS) as ws:
        # given bob's order paid, then ada's
        bobs = await placed_order(graphql, ("TEE-S", 1), customerEmail="bob@example.com")
        assert (await manual_payment(graphql, bobs["id"], "19.90", "bob"))["userErrors"] == []
        adas = await placed_order(graphql, ("MUG", 1), customerEmail="ada@example.com")
        paid = await manual_payment(graphql, adas["id"], "9.50", "ada", "CASH_ON_DELIVERY")
        assert paid["userErrors"] == []
        # when ada's subscription delivers
        events = await received(ws, 2)
        # then only her order's entries came, in order, with the payment and order
        await nothing_more(ws)
    assert [(e["sequence"], e["entryKind"], e["paymentState"]) for e in events] == [
        (1, "AUTHORIZATION", "CAPTURED"),
        (2, "CAPTURE", "CAPTURED"),
    ]
    assert {e["order"]["number"] for e in events} == {adas["number"]}
    assert events[1]["amount"] == {"amount": "9.50", "currency": "USD"}
    assert events[1]["payment"] == {"method": "CASH_ON_DELIVERY"}
    assert events[0]["eventId"] != events[1]["eventId"]


async def test_a_client_resuming_after_a_sequence_gets_what_it_missed_then_the_rest_live(live):
    # given an order paid (entries 1, 2) and partly refunded (3) while the client was away
    graphql = live.graphql
    order = await placed_order(graphql, ("TEE-S", 2))
    paid = await manual_payment(graphql, order["id"], "39.80", "paid")
    payment_id = paid["payment"]["id"]
    await refund(graphql, payment_id, "5.00", "first-refund")
    variables = {"id": order["id"], "after": 1}
    # when it resumes after entry 1, and another refund is given
    async with live.subscribed(graphql.token(Role.ADMIN), ONE_ORDER, variables) as ws:
        replayed = await received(ws, 2)
        await refund(graphql, payment_id, "4.80", "second-refund")
        live_events = await received(ws, 1)
        await nothing_more(ws)
    # then entries 2 and 3 come from the ledger and 4 live, once each
    events = replayed + live_events
    assert [(e["sequence"], e["entryKind"], e["amount"]["amount"]) for e in events] == [
        (2, "CAPTURE", "39.80"),
        (3, "REFUND", "5.00"),
        (4, "REFUND", "4.80"),
    ]
    assert len({e["eventId"] for e in events}) == 3


async def test_a_customer_may_not_follow_another_customers_order(live):
    graphql = live.graphql
    bobs = await placed_order(graphql, ("TEE-S", 1), customerEmail="bob@example.com")
    ada = graphql.token(Role.CUSTOMER, customer="ada@example.com")

    async with live.subscribed(ada, ONE_ORDER, {"id": bobs["id"], "after": 0}) as ws:
        [refused] = await received(ws, 1)

    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_resuming_needs_the_order_to_resume(live):
    query = "subscription { orderPaymentChanged(afterSequence: 2) { sequence } }"

    async with live.subscribed(live.graphql.token(Role.ADMIN), query) as ws:
        [refused] = await received(ws, 1)

    assert "afterSequence needs an orderId" in refused["errors"][0]["message"]


async def test_a_clerk_receives_the_payment_events_of_its_stores_orders_only(live):
    graphql = live.graphql
    clerk = graphql.token(Role.STAFF, locations=("ST-B",))
    async with live.subscribed(clerk, ALL_MY_ORDERS) as ws:
        # given an order shipped from WH-A paid, then a pickup at ST-B paid
        shipped = await placed_order(graphql, ("TEE-M", 1))
        assert (await manual_payment(graphql, shipped["id"], "19.90", "wh"))["userErrors"] == []
        pickup = await placed_order(
            graphql,
            ("MUG", 1),
            fulfilment="PICKUP",
            pickupLocationCode="ST-B",
            shippingAddress=None,
        )
        assert (await manual_payment(graphql, pickup["id"], "9.50", "st"))["userErrors"] == []
        # when the clerk's subscription delivers
        events = await received(ws, 2)
        await nothing_more(ws)
    # then only the store's order's entries came
    assert {e["order"]["number"] for e in events} == {pickup["number"]}
