"""The test provider's signed webhooks through the API: verified, applied once, in any order.

The provider here has no callback URL (but in the last tests): each test delivers the
events itself, signed as the provider signs them, so it decides their order and repeats.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.payments.registry import close_gateways
from api.payments.test_gateway import event_body, signed_headers
from api.settings import PaymentSettings
from domain.money import Money
from persistence.database import Database
from persistence.ledger_invariants import order_discrepancies, payment_discrepancies
from tests.api.conftest import GraphQL, build_app, client_of
from tests.api.invoices_documents import INVOICE, issue
from tests.api.payments_documents import (
    AUTHORIZE_PAYMENT,
    ORDER_PAYMENTS,
    REFUND_PAYMENT,
    TEST_PROVIDER_SECRET,
    client_with_test_provider,
    placed_order,
)

WEBHOOK = "/webhooks/payments/test"
CANCEL_ORDER = """
mutation($id: ID!) { cancelOrder(input: { orderId: $id }) { userErrors { code message } } }"""
CAPTURE_ON_SHIPMENT = """
mutation { setChannelPaymentSettings(input: { channel: WEB, captureOn: SHIPMENT }) {
  userErrors { code } } }"""


@pytest.fixture
async def graphql(database: Database) -> AsyncIterator[GraphQL]:
    """A client of an app whose test provider posts nothing by itself."""
    async with client_with_test_provider(database) as client:
        yield client


async def deliver(
    graphql: GraphQL,
    body: bytes,
    *,
    secret: str = TEST_PROVIDER_SECRET,
    signed_at: int | None = None,
) -> httpx.Response:
    """Post an event as the provider does, signed `signed_at` (now by default)."""
    timestamp = int(time.time()) if signed_at is None else signed_at
    return await graphql.http.post(
        WEBHOOK, content=body, headers=signed_headers(secret, body, timestamp)
    )


async def pay(graphql: GraphQL, order: dict[str, Any], token: str, key: str = "pay") -> dict:
    data = await graphql.admin(
        AUTHORIZE_PAYMENT,
        {
            "input": {
                "orderId": order["id"],
                "provider": "test",
                "method": "CARD",
                "token": token,
                "idempotencyKey": key,
            }
        },
    )
    assert data["authorizePayment"]["userErrors"] == []
    return data["authorizePayment"]["payment"]


async def payments_of(graphql: GraphQL, order: dict[str, Any]) -> dict[str, Any]:
    return (await graphql.admin(ORDER_PAYMENTS, {"id": order["id"]}))["order"]


def entries(payment: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["kind"], e["amount"]["amount"]) for e in payment["entries"]]


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


async def cancel(graphql: GraphQL, order: dict[str, Any]) -> None:
    data = await graphql.admin(CANCEL_ORDER, {"id": order["id"]})
    assert data["cancelOrder"]["userErrors"] == []


async def capture_on_shipment(graphql: GraphQL) -> None:
    assert (await graphql.admin(CAPTURE_ON_SHIPMENT))["setChannelPaymentSettings"][
        "userErrors"
    ] == []


async def test_a_pending_authorization_becomes_authorized_when_its_webhook_arrives(graphql, shop):
    # given a pending card payment of an order captured on shipment
    await capture_on_shipment(graphql)
    order = await placed_order(graphql, ("TEE-S", 2))  # 39.80 USD
    payment = await pay(graphql, order, "tok_visa")
    assert (payment["state"], payment["entries"]) == ("PENDING", [])

    # when the provider's event arrives
    body = event_body("payment.authorized", payment["providerReference"], usd("39.80"))
    response = await deliver(graphql, body)

    # then the payment holds the money
    assert (response.status_code, response.json()) == (200, {"received": True})
    read = await payments_of(graphql, order)
    assert read["paymentStatus"] == "AUTHORIZED"
    assert read["payments"][0]["state"] == "AUTHORIZED"
    assert entries(read["payments"][0]) == [("AUTHORIZATION", "39.80")]
    assert read["payments"][0]["entries"][0]["actor"] == "provider:test"


async def test_money_a_webhook_captures_pays_the_orders_open_invoice(graphql, shop):
    # given an invoiced order paid by card through the provider, which has not answered
    order = await placed_order(graphql, ("TEE-S", 2), customerEmail=shop.customer)
    invoice = (await issue(graphql, order["id"]))["invoice"]
    payment = await pay(graphql, order, "tok_visa")

    # when the provider's capture arrives
    body = event_body("payment.captured", payment["providerReference"], usd("39.80"))
    response = await deliver(graphql, body)

    # then the invoice is paid in the same transaction
    assert response.status_code == 200
    read = (await graphql.admin(INVOICE, {"id": invoice["id"]}))["invoice"]
    assert (read["allocated"]["amount"], read["balance"]["amount"]) == ("39.80", "0.00")


async def test_a_declined_card_leaves_a_failed_payment_with_the_providers_reason(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))
    payment = await pay(graphql, order, "tok_declined")

    body = event_body("payment.failed", payment["providerReference"], usd("19.90"), "card declined")
    response = await deliver(graphql, body)

    assert response.status_code == 200
    read = await payments_of(graphql, order)
    assert read["payments"][0]["state"] == "FAILED"
    assert read["payments"][0]["failureReason"] == "card declined"
    assert (read["paymentStatus"], read["balanceDue"]["amount"]) == ("UNPAID", "19.90")


async def test_an_invalid_card_fails_at_once_without_a_webhook(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))

    payment = await pay(graphql, order, "tok_invalid_card")

    assert (payment["state"], payment["failureReason"]) == ("FAILED", "invalid card number")


async def test_the_same_event_delivered_twice_or_at_once_changes_the_ledger_once(graphql, shop):
    # given a pending payment
    await capture_on_shipment(graphql)
    order = await placed_order(graphql, ("TEE-S", 2))
    payment = await pay(graphql, order, "tok_visa")
    body = event_body("payment.authorized", payment["providerReference"], usd("39.80"))

    # when its event comes once, then four times at once
    first = await deliver(graphql, body)
    repeats = await asyncio.gather(*(deliver(graphql, body) for _ in range(4)))

    # then every delivery is acknowledged, and there is one authorization
    assert [r.status_code for r in (first, *repeats)] == [200] * 5
    read = await payments_of(graphql, order)
    assert entries(read["payments"][0]) == [("AUTHORIZATION", "39.80")]
    assert [e["sequence"] for e in read["payments"][0]["entries"]] == [1]


async def test_a_capture_arriving_before_its_authorization_ends_captured_with_each_entry_once(
    graphql, shop
):
    # given a pending payment of an order captured on shipment
    await capture_on_shipment(graphql)
    order = await placed_order(graphql, ("TEE-S", 2))
    payment = await pay(graphql, order, "tok_visa")
    reference = payment["providerReference"]
    captured = event_body("payment.captured", reference, usd("39.80"))
    authorized = event_body("payment.authorized", reference, usd("39.80"))

    # when the capture comes first, then the authorization, then the capture again
    statuses = [(await deliver(graphql, body)).status_code for body in (captured, authorized)]
    statuses.append((await deliver(graphql, captured)).status_code)

    # then the payment is captured, each entry once, and the order paid
    assert statuses == [200, 200, 200]
    read = await payments_of(graphql, order)
    assert read["payments"][0]["state"] == "CAPTURED"
    assert entries(read["payments"][0]) == [("AUTHORIZATION", "39.80"), ("CAPTURE", "39.80")]
    assert (read["paymentStatus"], read["totalPaid"]["amount"]) == ("PAID", "39.80")


async def test_a_payments_events_delivered_all_at_once_leave_a_consistent_ledger(
    graphql, database, shop
):
    # given pending payments of three orders captured on shipment
    await capture_on_shipment(graphql)
    orders = [await placed_order(graphql, ("TEE-S", 1)) for _ in range(3)]
    payments = [await pay(graphql, order, "tok_visa", f"pay-{n}") for n, order in enumerate(orders)]
    bodies = [
        event_body(kind, payment["providerReference"], usd("19.90"))
        for payment in payments
        for kind in ("payment.captured", "payment.authorized")
    ]

    # when each event comes three times, all at once
    responses = await asyncio.gather(*(deliver(graphql, body) for body in bodies * 3))

    # then each payment is captured with each entry once, and the ledger adds up
    assert {r.status_code for r in responses} == {200}
    for order in orders:
        read = await payments_of(graphql, order)
        assert entries(read["payments"][0]) == [("AUTHORIZATION", "19.90"), ("CAPTURE", "19.90")]
        assert read["paymentStatus"] == "PAID"
    async with database.read_session() as session:
        assert await payment_discrepancies(session) == []
        assert await order_discrepancies(session) == []


async def test_money_held_for_an_order_cancelled_meanwhile_is_released_at_once(graphql, shop):
    # given an order cancelled while its card payment was pending
    await capture_on_shipment(graphql)
    order = await placed_order(graphql, ("TEE-S", 1))
    payment = await pay(graphql, order, "tok_visa")
    await cancel(graphql, order)

    # when the provider's authorization arrives
    body = event_body("payment.authorized", payment["providerReference"], usd("19.90"))
    response = await deliver(graphql, body)

    # then the hold is recorded and released
    assert response.status_code == 200
    read = await payments_of(graphql, order)
    assert read["payments"][0]["state"] == "VOIDED"
    assert entries(read["payments"][0]) == [("AUTHORIZATION", "19.90"), ("VOID", "19.90")]
    assert read["paymentStatus"] == "UNPAID"


async def test_money_taken_for_an_order_cancelled_meanwhile_is_refunded_at_once(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))  # a sale: captured on placement
    payment = await pay(graphql, order, "tok_visa")
    await cancel(graphql, order)

    body = event_body("payment.captured", payment["providerReference"], usd("19.90"))
    response = await deliver(graphql, body)

    assert response.status_code == 200
    read = await payments_of(graphql, order)
    assert entries(read["payments"][0]) == [
        ("AUTHORIZATION", "19.90"),
        ("CAPTURE", "19.90"),
        ("REFUND", "19.90"),
    ]
    assert read["payments"][0]["entries"][-1]["reason"] == "order cancelled"
    assert (read["paymentStatus"], read["totalRefunded"]["amount"]) == ("REFUNDED", "19.90")


async def test_a_refund_declined_for_a_cancelled_order_keeps_the_capture_for_staff(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))
    payment = await pay(graphql, order, "tok_refund_fails")
    await cancel(graphql, order)

    body = event_body("payment.captured", payment["providerReference"], usd("19.90"))
    response = await deliver(graphql, body)
    again = await deliver(graphql, body)

    assert (response.status_code, again.status_code) == (200, 200)
    read = await payments_of(graphql, order)
    assert entries(read["payments"][0]) == [("AUTHORIZATION", "19.90"), ("CAPTURE", "19.90")]
    assert (read["status"], read["totalPaid"]["amount"]) == ("CANCELLED", "19.90")


async def test_an_event_with_a_bad_signature_is_refused_and_changes_nothing(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))
    payment = await pay(graphql, order, "tok_visa")
    body = event_body("payment.captured", payment["providerReference"], usd("19.90"))

    forged = await deliver(graphql, body, secret="not-the-providers-secret")
    unsigned = await graphql.http.post(WEBHOOK, content=body)

    assert (forged.status_code, unsigned.status_code) == (401, 401)
    assert forged.json()["error"] == "the signature does not match"
    read = await payments_of(graphql, order)
    assert (read["payments"][0]["state"], read["payments"][0]["entries"]) == ("PENDING", [])


async def test_an_event_signed_too_long_ago_is_refused_as_a_replay(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))
    payment = await pay(graphql, order, "tok_visa")
    body = event_body("payment.captured", payment["providerReference"], usd("19.90"))

    replayed = await deliver(graphql, body, signed_at=int(time.time()) - 301)

    assert replayed.status_code == 401
    assert "from our clock" in replayed.json()["error"]
    read = await payments_of(graphql, order)
    assert read["payments"][0]["state"] == "PENDING"


async def test_a_refund_the_provider_declines_is_payment_declined_and_refunds_nothing(
    graphql, shop
):
    # given a captured payment made with the card whose refunds fail
    order = await placed_order(graphql, ("TEE-S", 1))
    payment = await pay(graphql, order, "tok_refund_fails")
    body = event_body("payment.captured", payment["providerReference"], usd("19.90"))
    assert (await deliver(graphql, body)).status_code == 200

    # when staff refund it
    refused = await graphql.admin(
        REFUND_PAYMENT, {"input": {"paymentId": payment["id"], "idempotencyKey": "refund"}}
    )

    # then the provider's refusal is the answer, and nothing was refunded
    assert refused["refundPayment"]["userErrors"][0]["code"] == "PAYMENT_DECLINED"
    read = await payments_of(graphql, order)
    assert (read["paymentStatus"], read["totalRefunded"]["amount"]) == ("PAID", "0.00")


async def test_an_event_about_an_unknown_payment_is_sent_again_while_young_then_dropped(
    graphql, shop
):
    young = event_body("payment.authorized", "test_pay_nobody", usd("1.00"))
    old = event_body(
        "payment.authorized", "test_pay_nobody", usd("1.00"), created=int(time.time()) - 7200
    )

    retry_later = await deliver(graphql, young)
    given_up = await deliver(graphql, old)

    assert retry_later.status_code == 404
    assert (given_up.status_code, given_up.json()) == (200, {"received": True})


async def test_a_signed_body_that_is_no_event_is_a_bad_request(graphql, shop):
    response = await deliver(graphql, b"{not json")

    assert response.status_code == 400
    assert response.json()["received"] is False


async def test_an_event_of_a_type_nobody_uses_is_acknowledged(graphql, shop):
    body = json.dumps({"id": "evt_1", "type": "payment.disputed", "created": 1}).encode()

    response = await deliver(graphql, body)

    assert (response.status_code, response.json()) == (200, {"received": True})


async def test_without_its_secret_the_test_provider_is_not_offered(database, shop):
    async with client_of(build_app(database)) as client:
        order = await placed_order(client, ("TEE-S", 1))
        body = event_body("payment.authorized", "test_pay_1", usd("1.00"))

        refused = await client.admin(
            AUTHORIZE_PAYMENT,
            {"input": {"orderId": order["id"], "provider": "test", "idempotencyKey": "k"}},
        )
        response = await deliver(client, body)

    assert refused["authorizePayment"]["userErrors"][0]["field"] == ["input", "provider"]
    assert response.status_code == 404


async def test_the_test_provider_calls_back_by_itself_and_a_sale_is_paid(database, shop):
    # given an app whose test provider posts its events to the app itself, in 10 ms
    settings = PaymentSettings(
        test_secret=TEST_PROVIDER_SECRET,
        test_callback_url=f"http://test{WEBHOOK}",
        test_delay_seconds=0.01,
    )
    app = build_app(database, payments=settings)
    app.state.payment_gateways["test"].transport = httpx.ASGITransport(app=app)
    async with client_of(app) as client:
        # when a web order (captured on placement) is paid by card
        order = await placed_order(client, ("TEE-S", 1))
        payment = await pay(client, order, "tok_visa")
        # then it is paid once the provider has called back
        read = await _eventually(client, order, lambda o: o["paymentStatus"] == "PAID")
    await close_gateways(app.state.payment_gateways)
    assert payment["state"] == "PENDING"
    assert entries(read["payments"][0]) == [("AUTHORIZATION", "19.90"), ("CAPTURE", "19.90")]


async def _eventually(graphql: GraphQL, order: dict[str, Any], done: Any) -> dict[str, Any]:
    async with asyncio.timeout(10):
        while not done(read := await payments_of(graphql, order)):
            await asyncio.sleep(0.02)
    return read
