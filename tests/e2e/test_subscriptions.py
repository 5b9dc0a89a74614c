"""Subscriptions over a real WebSocket, against a real server process."""

import asyncio
import json

import pytest
import websockets

from domain.access import Role
from tests.e2e.conftest import ADMIN, graphql, token

ALL_ORDERS = """
subscription { orderStatusChanged {
  eventId sequence previousStatus status actor order { number status customer { email } }
} }"""
ONE_ORDER = """
subscription($id: ID!, $after: Int) { orderStatusChanged(orderId: $id, afterSequence: $after) {
  eventId sequence status
} }"""
STOCK = """
subscription { stockLevelChanged(locationCode: "ST-B", sku: "MUG") {
  onHand reserved available variant { sku } location { code }
} }"""
PLACE = """
mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id number } userErrors { code } } }"""
CONFIRM = """
mutation($id: ID!) { confirmOrder(input: {orderId: $id}) {
  order { status } userErrors { code } } }"""
SHIP = """
mutation($id: ID!) { shipOrder(input: {orderId: $id, carrier: "UPS", trackingNumber: "1Z",
  lines: [{sku: "TEE-S", quantity: 1}]}) { order { status } userErrors { code } } }"""


def order_input(sku="TEE-S", quantity=1, **extra):
    return {
        "input": {
            "channel": "WEB",
            "fulfilment": "SHIPPING",
            "shippingAddress": {
                "line1": "1 Road",
                "city": "Springfield",
                "postalCode": "62701",
                "country": "US",
            },
            "lines": [{"sku": sku, "quantity": quantity}],
        }
        | extra
    }


async def place(server, auth=ADMIN, **kwargs):
    payload = (await graphql(server, PLACE, order_input(**kwargs), auth=auth))["placeOrder"]
    return payload["order"]


async def test_a_subscriber_sees_an_order_placed_and_confirmed_in_order(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    subscriber = await subscribers(server, ALL_ORDERS, token=ADMIN, count=2)
    order = await place(server)
    await graphql(server, CONFIRM, {"id": order["id"]})
    placed, confirmed = (e["data"]["orderStatusChanged"] for e in await subscriber.events(2))
    assert (placed["sequence"], placed["previousStatus"], placed["status"]) == (1, None, "PENDING")
    assert (confirmed["sequence"], confirmed["status"]) == (2, "CONFIRMED")
    assert confirmed["order"] == {
        "number": order["number"],
        "status": "CONFIRMED",
        "customer": None,
    }
    assert confirmed["eventId"] != placed["eventId"]


async def test_a_refused_mutation_publishes_nothing(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    subscriber = await subscribers(server, ALL_ORDERS, token=ADMIN)
    refused = await graphql(server, PLACE, order_input(quantity=999))
    assert refused["placeOrder"]["userErrors"][0]["code"] == "INSUFFICIENT_STOCK"
    order = await place(server, sku="MUG")
    event = (await subscriber.next())["data"]["orderStatusChanged"]
    assert event["order"]["number"] == order["number"]


async def test_a_customer_never_receives_another_customers_events(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    ada = token(Role.CUSTOMER, customer="ada@example.com")
    bob = token(Role.CUSTOMER, customer="bob@example.com")
    subscriber = await subscribers(server, ALL_ORDERS, token=ada)
    await place(server, auth=bob)
    own = await place(server, auth=ada, sku="MUG")
    event = (await subscriber.next())["data"]["orderStatusChanged"]
    assert event["order"]["number"] == own["number"]
    assert event["order"]["customer"] == {"email": "ada@example.com"}


async def test_a_client_resumes_after_a_sequence_with_no_gap_and_no_duplicate(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    order = await place(server)
    await graphql(server, CONFIRM, {"id": order["id"]})
    subscriber = await subscribers(
        server, ONE_ORDER, {"id": order["id"], "after": 1}, token=ADMIN, count=2
    )
    await graphql(server, SHIP, {"id": order["id"]})
    events = [e["data"]["orderStatusChanged"] for e in await subscriber.events(2)]
    assert [(e["sequence"], e["status"]) for e in events] == [(2, "CONFIRMED"), (3, "SHIPPED")]


async def test_stock_screens_see_every_new_level(servers, subscribers, shop_database, database_url):
    server = await servers(database_url)
    subscriber = await subscribers(server, STOCK, token=token(Role.POS, locations=("ST-B",)))
    await place(server, sku="MUG", quantity=2)
    level = (await subscriber.next())["data"]["stockLevelChanged"]
    assert level == {
        "onHand": 4,
        "reserved": 2,
        "available": 2,
        "variant": {"sku": "MUG"},
        "location": {"code": "ST-B"},
    }


async def test_unauthenticated_and_forbidden_subscriptions_are_refused(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    anonymous = await subscribers(server, ALL_ORDERS)
    customer = await subscribers(
        server, STOCK, token=token(Role.CUSTOMER, customer="ada@example.com")
    )
    for subscriber in (anonymous, customer):
        message = await subscriber.next()
        assert message["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_forged_token_closes_the_connection(servers, shop_database, database_url):
    server = await servers(database_url)
    async with websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}})
        )
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 4403


async def test_a_forged_token_on_the_legacy_protocol_is_refused_then_closed_with_1011(
    servers, shop_database, database_url
):
    server = await servers(database_url)
    async with websockets.connect(server.ws_url, subprotocols=["graphql-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}})
        )
        refused = json.loads(await asyncio.wait_for(ws.recv(), 5))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert refused == {
        "type": "connection_error",
        "payload": {"message": "invalid token"},
    }
    assert closed.value.rcvd.code == 1011


async def test_the_legacy_graphql_ws_protocol_works_too(servers, shop_database, database_url):
    server = await servers(database_url)
    async with websockets.connect(server.ws_url, subprotocols=["graphql-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {ADMIN}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"type": "start", "id": "1", "payload": {"query": ALL_ORDERS}}))
        await asyncio.sleep(0.5)
        order = await place(server)
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert message["type"] == "data"
    assert message["payload"]["data"]["orderStatusChanged"]["order"]["number"] == order["number"]
