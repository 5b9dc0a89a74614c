"""Capture on shipment: a channel that takes money when goods leave takes, with each
shipment, what it ships, from the order's authorizations (oldest first)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from api.payments.test_gateway import event_body, signed_headers
from domain.money import Money
from persistence.database import Database
from tests.api.conftest import GraphQL
from tests.api.invoices_documents import INVOICE, issue
from tests.api.orders_documents import status_mutation
from tests.api.payments_documents import (
    AUTHORIZE_PAYMENT,
    ORDER_MONEY,
    ORDER_PAYMENTS,
    PAYMENT_FIELDS,
    TEST_PROVIDER_SECRET,
    VOID_PAYMENT,
    client_with_test_provider,
    placed_order,
)

SET_CAPTURE = """
mutation($captureOn: CaptureMoment!) {
  setChannelPaymentSettings(input: { channel: WEB, captureOn: $captureOn }) {
    userErrors { code }
  }
}"""
CONFIRM_ORDER = status_mutation("confirmOrder")
SHIP_ORDER = f"""
mutation($input: ShipOrderInput!) {{
  shipOrder(input: $input) {{
    order {{ {ORDER_MONEY} payments {{ {PAYMENT_FIELDS} }} }}
    userErrors {{ field code message }}
  }}
}}"""


async def capture_on(graphql: GraphQL, moment: str) -> None:
    data = await graphql.admin(SET_CAPTURE, {"captureOn": moment})
    assert data["setChannelPaymentSettings"]["userErrors"] == []


async def confirmed_order(graphql: GraphQL, *lines: tuple[str, int]) -> dict[str, Any]:
    order = await placed_order(graphql, *lines)
    data = await graphql.admin(CONFIRM_ORDER, {"input": {"orderId": order["id"]}})
    assert data["confirmOrder"]["userErrors"] == []
    return order


async def authorize(graphql: GraphQL, order_id: str, key: str, amount: str | None = None) -> str:
    request = {"orderId": order_id, "provider": "manual", "idempotencyKey": key}
    if amount is not None:
        request["amount"] = amount
    data = await graphql.admin(AUTHORIZE_PAYMENT, {"input": request})
    assert data["authorizePayment"]["userErrors"] == []
    return data["authorizePayment"]["payment"]["id"]


async def ship(graphql: GraphQL, order_id: str, *lines: tuple[str, int]) -> dict[str, Any]:
    data = await graphql.admin(
        SHIP_ORDER,
        {
            "input": {
                "orderId": order_id,
                "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
                "carrier": "UPS",
                "trackingNumber": f"1Z-{len(lines)}-{lines[0][0]}",
            }
        },
    )
    assert data["shipOrder"]["userErrors"] == []
    return data["shipOrder"]["order"]


def captures(payment: dict[str, Any]) -> list[str]:
    return [e["amount"]["amount"] for e in payment["entries"] if e["kind"] == "CAPTURE"]


async def test_a_part_shipment_captures_what_it_ships_and_the_last_one_the_rest(graphql, shop):
    # given a channel that captures on shipment and an order held in full
    await capture_on(graphql, "SHIPMENT")
    order = await confirmed_order(graphql, ("TEE-S", 2), ("MUG", 1))  # 39.80 + 9.50
    await authorize(graphql, order["id"], "hold")

    # when the T-shirts ship, then the mug
    first = await ship(graphql, order["id"], ("TEE-S", 2))
    last = await ship(graphql, order["id"], ("MUG", 1))

    # then the first shipment took the T-shirts' value, the last the rest
    assert first["status"] == "PARTIALLY_SHIPPED"
    assert captures(first["payments"][0]) == ["39.80"]
    assert first["payments"][0]["state"] == "AUTHORIZED"
    assert first["paymentStatus"] == "PARTIALLY_PAID"
    assert first["balanceDue"]["amount"] == "9.50"
    assert last["status"] == "SHIPPED"
    assert captures(last["payments"][0]) == ["39.80", "9.50"]
    assert last["payments"][0]["state"] == "CAPTURED"
    assert (last["paymentStatus"], last["totalPaid"]["amount"]) == ("PAID", "49.30")


async def test_a_placement_channel_ships_without_capturing_again(graphql, shop):
    # given a channel that captures on placement: the authorization took the money at once
    await capture_on(graphql, "PLACEMENT")
    order = await confirmed_order(graphql, ("TEE-S", 1), ("MUG", 1))
    await authorize(graphql, order["id"], "sale")

    # when the order ships in two parcels
    await ship(graphql, order["id"], ("TEE-S", 1))
    shipped = await ship(graphql, order["id"], ("MUG", 1))

    # then nothing more was captured
    assert [e["kind"] for e in shipped["payments"][0]["entries"]] == ["AUTHORIZATION", "CAPTURE"]
    assert (shipped["paymentStatus"], shipped["totalPaid"]["amount"]) == ("PAID", "29.40")


async def test_holds_are_taken_oldest_first(graphql, shop):
    # given two authorizations: 10.00, then the remaining 29.80
    await capture_on(graphql, "SHIPMENT")
    order = await confirmed_order(graphql, ("TEE-S", 2))
    older = await authorize(graphql, order["id"], "older", "10.00")
    newer = await authorize(graphql, order["id"], "newer")

    # when one T-shirt (19.90) ships
    shipped = await ship(graphql, order["id"], ("TEE-S", 1))

    # then the older hold gave all it had, the newer the 9.90 left
    by_id = {p["id"]: p for p in shipped["payments"]}
    assert captures(by_id[older]) == ["10.00"]
    assert by_id[older]["state"] == "CAPTURED"
    assert captures(by_id[newer]) == ["9.90"]
    assert by_id[newer]["capturable"]["amount"] == "19.90"


async def test_a_shipment_with_too_little_held_ships_and_leaves_the_rest_due(graphql, shop):
    # given an order of 39.80 of which only 10.00 is held
    await capture_on(graphql, "SHIPMENT")
    order = await confirmed_order(graphql, ("TEE-S", 2))
    await authorize(graphql, order["id"], "short", "10.00")

    # when everything ships
    shipped = await ship(graphql, order["id"], ("TEE-S", 2))

    # then it shipped, took what was held, and the rest is due
    assert shipped["status"] == "SHIPPED"
    assert captures(shipped["payments"][0]) == ["10.00"]
    assert (shipped["paymentStatus"], shipped["balanceDue"]["amount"]) == (
        "PARTIALLY_PAID",
        "29.80",
    )


async def test_the_last_shipment_makes_good_what_an_earlier_short_hold_left(graphql, shop):
    # given a first parcel that found only 10.00 held for its 39.80
    await capture_on(graphql, "SHIPMENT")
    order = await confirmed_order(graphql, ("TEE-S", 2), ("MUG", 1))
    await authorize(graphql, order["id"], "short", "10.00")
    await ship(graphql, order["id"], ("TEE-S", 2))
    await authorize(graphql, order["id"], "rest")  # the 39.30 still owed

    # when the last parcel (9.50 of goods) ships
    shipped = await ship(graphql, order["id"], ("MUG", 1))

    # then it takes all the order still lacked
    assert captures(shipped["payments"][1]) == ["39.30"]
    assert (shipped["paymentStatus"], shipped["balanceDue"]["amount"]) == ("PAID", "0.00")


async def test_a_voided_hold_is_not_captured_and_the_order_still_ships(graphql, shop):
    # given an order whose only authorization was voided
    await capture_on(graphql, "SHIPMENT")
    order = await confirmed_order(graphql, ("TEE-S", 1))
    payment_id = await authorize(graphql, order["id"], "hold")
    await graphql.admin(VOID_PAYMENT, {"input": {"paymentId": payment_id, "idempotencyKey": "v"}})

    # when it ships
    shipped = await ship(graphql, order["id"], ("TEE-S", 1))

    # then nothing was captured, and the whole total is due
    assert shipped["status"] == "SHIPPED"
    assert captures(shipped["payments"][0]) == []
    assert shipped["balanceDue"]["amount"] == "19.90"
    read = await graphql.admin(ORDER_PAYMENTS, {"id": order["id"]})
    assert read["order"]["totalPaid"]["amount"] == "0.00"


@pytest.fixture
async def with_test_provider(database: Database) -> AsyncIterator[GraphQL]:
    """A client of an app that offers the test provider (which posts nothing by itself)."""
    async with client_with_test_provider(database) as client:
        yield client


async def test_a_hold_whose_provider_declines_the_capture_is_passed_over(with_test_provider, shop):
    # given an order of 39.80 held half by a card whose captures are declined (older), half
    # by hand (newer)
    graphql = with_test_provider
    await capture_on(graphql, "SHIPMENT")
    order = await confirmed_order(graphql, ("TEE-S", 2))
    card = (
        await graphql.admin(
            AUTHORIZE_PAYMENT,
            {
                "input": {
                    "orderId": order["id"],
                    "provider": "test",
                    "method": "CARD",
                    "token": "tok_capture_fails",
                    "amount": "19.90",
                    "idempotencyKey": "card",
                }
            },
        )
    )["authorizePayment"]["payment"]
    event = event_body("payment.authorized", card["providerReference"], Money.of("19.90", "USD"))
    timestamp = int(time.time())
    delivered = await graphql.http.post(
        "/webhooks/payments/test",
        content=event,
        headers=signed_headers(TEST_PROVIDER_SECRET, event, timestamp),
    )
    assert delivered.status_code == 200
    by_hand = await authorize(graphql, order["id"], "by-hand")

    # when one T-shirt ships
    shipped = await ship(graphql, order["id"], ("TEE-S", 1))

    # then it shipped, and its value came from the hold that could give it
    by_id = {p["id"]: p for p in shipped["payments"]}
    assert shipped["status"] == "PARTIALLY_SHIPPED"
    assert captures(by_id[card["id"]]) == []
    assert by_id[card["id"]]["state"] == "AUTHORIZED"
    assert captures(by_id[by_hand]) == ["19.90"]
    assert shipped["balanceDue"]["amount"] == "19.90"


async def test_what_a_parcel_captures_pays_the_invoice_issued_before_it_left(graphql, shop):
    # given a web order captured on shipment, held in full and invoiced before it ships
    await capture_on(graphql, "SHIPMENT")
    order = await placed_order(graphql, ("TEE-S", 2), customerEmail=shop.customer)
    await authorize(graphql, order["id"], "hold")
    invoice = (await issue(graphql, order["id"]))["invoice"]
    await graphql.admin(CONFIRM_ORDER, {"input": {"orderId": order["id"]}})

    # when it ships
    await ship(graphql, order["id"], ("TEE-S", 2))

    # then what it captured is set against the invoice in the same transaction
    read = (await graphql.admin(INVOICE, {"id": invoice["id"]}))["invoice"]
    assert (read["allocated"]["amount"], read["balance"]["amount"]) == ("39.80", "0.00")
