"""The test payment provider of a real `omniorder serve` calls the server back by itself:
a card payment answered PENDING becomes AUTHORIZED once its signed webhook has come in,
on each back-end. (No Node.js client: the server is started here, not by `servers`.)"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.e2e.conftest import graphql
from tests.e2e.processes import Server
from tests.ports import free_port

SECRET = "e2e-test-payments-secret"
CAPTURE_ON_SHIPMENT = """
mutation { setChannelPaymentSettings(input: { channel: WEB, captureOn: SHIPMENT }) {
  userErrors { code } } }"""
PLACE = """
mutation { placeOrder(input: { channel: WEB, fulfilment: SHIPPING,
  shippingAddress: { line1: "1 Main Street", city: "Springfield", postalCode: "62701",
  country: "US" }, lines: [{ sku: "TEE-S", quantity: 2 }] }) {
  order { id } userErrors { message } } }"""
AUTHORIZE = """
mutation($orderId: ID!) { authorizePayment(input: { orderId: $orderId, provider: "test",
  method: CARD, token: "tok_visa", idempotencyKey: "checkout-1" }) {
  payment { state providerReference } userErrors { message } } }"""
ORDER = """
query($id: ID!) { order(id: $id) { paymentStatus
  payments { state entries { kind amount { amount } actor } } } }"""


@pytest.fixture
async def server(shop_database, database_url) -> AsyncIterator[Server]:
    port = free_port()
    callback = f"http://127.0.0.1:{port}/webhooks/payments/test"
    env = {
        "OMNIORDER_TEST_PAYMENTS_SECRET": SECRET,
        "OMNIORDER_TEST_PAYMENTS_CALLBACK_URL": callback,
        "OMNIORDER_TEST_PAYMENTS_DELAY_SECONDS": "0.2",
    }
    started = Server(database_url, port=port, env=env)
    await asyncio.to_thread(started.start)
    yield started
    await asyncio.to_thread(started.stop)


async def test_a_pending_card_payment_becomes_authorized_when_the_provider_calls_back(server):
    # given an order of a channel that captures on shipment
    await graphql(server, CAPTURE_ON_SHIPMENT)
    order = (await graphql(server, PLACE))["placeOrder"]["order"]

    # when it is paid by card through the test provider
    paid = (await graphql(server, AUTHORIZE, {"orderId": order["id"]}))["authorizePayment"]

    # then the payment waits, and the provider's webhook authorizes it
    assert (paid["userErrors"], paid["payment"]["state"]) == ([], "PENDING")
    async with asyncio.timeout(30):
        while (read := (await graphql(server, ORDER, {"id": order["id"]}))["order"])[
            "paymentStatus"
        ] != "AUTHORIZED":
            await asyncio.sleep(0.1)
    [payment] = read["payments"]
    assert payment["state"] == "AUTHORIZED"
    assert [(e["kind"], e["amount"]["amount"], e["actor"]) for e in payment["entries"]] == [
        ("AUTHORIZATION", "39.80", "provider:test")
    ]
