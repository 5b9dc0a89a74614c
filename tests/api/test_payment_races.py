"""Concurrent money commands on one order never hold, take or give back more than they
may, nor the same money twice, on SQLite and PostgreSQL alike: every money command holds
the order's row while it checks and writes the ledger."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from domain.access import Role
from persistence.ledger_invariants import verify_ledger
from tests.api.orders_documents import status_mutation
from tests.api.payments_documents import (
    AUTHORIZE_PAYMENT,
    CAPTURE_PAYMENT,
    ORDER_PAYMENTS,
    REFUND_ORDER,
    REFUND_PAYMENT,
    manual_payment,
    placed_order,
)
from tests.api.returns_documents import approved_return, receive, shipped_order, step

CLIENTS = 10
RETURN_REFUNDS = "query($id: ID!) { return(id: $id) { refunds { amount { amount } } } }"
CANCEL_ORDER = status_mutation("cancelOrder")


async def paid_order(graphql, *shares: str):
    """A WEB order of five TEE-S (99.50 USD), paid in full by manual payments of `shares`."""
    order = await placed_order(graphql, ("TEE-S", 5))
    payments = [
        (await manual_payment(graphql, order["id"], amount, f"pay-{i}"))["payment"]
        for i, amount in enumerate(shares)
    ]
    return order, payments


async def refund_order(graphql, order_id, amount, key):
    data = await graphql.admin(
        REFUND_ORDER,
        {
            "input": {
                "orderId": order_id,
                "amount": amount,
                "reason": "goodwill",
                "idempotencyKey": key,
            }
        },
    )
    return data["refundOrder"]


async def refund_payment(graphql, payment_id, amount, key):
    data = await graphql.admin(
        REFUND_PAYMENT,
        {"input": {"paymentId": payment_id, "amount": amount, "idempotencyKey": key}},
    )
    return data["refundPayment"]


async def cancel(graphql, order_id):
    data = await graphql.admin(CANCEL_ORDER, {"input": {"orderId": order_id}})
    return data["cancelOrder"]


def codes(payloads) -> list[str]:
    return sorted(p["userErrors"][0]["code"] if p["userErrors"] else "OK" for p in payloads)


async def assert_money_holds(graphql, database, order_id, refunded: str):
    """The order's refunds add up to `refunded`, in its projection, its payments and its
    entries alike, never above any payment's captures; and the ledger checks pass."""
    order = (await graphql.admin(ORDER_PAYMENTS, {"id": order_id}))["order"]
    assert order["totalRefunded"]["amount"] == refunded
    assert sum(Decimal(p["refunded"]["amount"]) for p in order["payments"]) == Decimal(refunded)
    entries = [e for p in order["payments"] for e in p["entries"] if e["kind"] == "REFUND"]
    assert sum(Decimal(e["amount"]["amount"]) for e in entries) == Decimal(refunded)
    for payment in order["payments"]:
        assert Decimal(payment["refunded"]["amount"]) <= Decimal(payment["captured"]["amount"])
    async with database.read_session() as session:
        check = await verify_ledger(session)
    assert check.offenders == []


async def test_ten_concurrent_refunds_of_15_on_an_order_paid_99_50_give_back_exactly_six(
    graphql, database, shop
):
    order, _ = await paid_order(graphql, "60.00", "39.50")

    payloads = await asyncio.gather(
        *(refund_order(graphql, order["id"], "15.00", f"refund-{i}") for i in range(CLIENTS))
    )

    assert codes(payloads) == ["AMOUNT_EXCEEDS_BALANCE"] * 4 + ["OK"] * 6
    await assert_money_holds(graphql, database, order["id"], "90.00")


async def test_concurrent_refunds_of_one_payment_never_pass_its_capture(graphql, database, shop):
    order, (first, _) = await paid_order(graphql, "60.00", "39.50")

    payloads = await asyncio.gather(
        *(refund_payment(graphql, first["id"], "15.00", f"refund-{i}") for i in range(CLIENTS))
    )

    assert codes(payloads) == ["AMOUNT_EXCEEDS_BALANCE"] * 6 + ["OK"] * 4
    await assert_money_holds(graphql, database, order["id"], "60.00")


async def test_refunds_of_the_order_and_of_its_payments_raced_together_stay_within_captures(
    graphql, database, shop
):
    order, payments = await paid_order(graphql, "60.00", "39.50")

    payloads = await asyncio.gather(
        *(refund_order(graphql, order["id"], "15.00", f"order-{i}") for i in range(5)),
        *(
            refund_payment(graphql, payments[i % 2]["id"], "15.00", f"payment-{i}")
            for i in range(5)
        ),
    )

    succeeded = codes(payloads).count("OK")
    # Every order refund tried while 15.00 is left succeeds; a payment's, while its own has.
    assert 5 <= succeeded <= 6
    await assert_money_holds(graphql, database, order["id"], f"{15 * succeeded}.00")


async def test_cancelling_while_refunding_a_paid_order_gives_the_money_back_once(
    graphql, database, shop
):
    order, _ = await paid_order(graphql, "60.00", "39.50")

    payloads = await asyncio.gather(
        *(cancel(graphql, order["id"]) for _ in range(CLIENTS // 2)),
        *(refund_order(graphql, order["id"], "99.50", f"all-{i}") for i in range(CLIENTS // 2)),
    )

    cancelled, refunded = payloads[: CLIENTS // 2], payloads[CLIENTS // 2 :]
    assert codes(cancelled) == ["INVALID_TRANSITION"] * (CLIENTS // 2 - 1) + ["OK"]
    assert codes(refunded).count("OK") <= 1
    assert set(codes(refunded)) <= {"OK", "AMOUNT_EXCEEDS_BALANCE"}
    await assert_money_holds(graphql, database, order["id"], "99.50")
    read = (await graphql.admin(ORDER_PAYMENTS, {"id": order["id"]}))["order"]
    assert (read["status"], read["paymentStatus"]) == ("CANCELLED", "REFUNDED")


async def test_a_refund_after_the_cancellation_finds_nothing_left(graphql, database, shop):
    order, _ = await paid_order(graphql, "99.50")
    await cancel(graphql, order["id"])

    late = await refund_order(graphql, order["id"], "1.00", "late")

    assert codes([late]) == ["AMOUNT_EXCEEDS_BALANCE"]
    await assert_money_holds(graphql, database, order["id"], "99.50")


async def test_a_customer_and_staff_cancelling_at_once_refund_the_order_once(
    graphql, database, shop
):
    order = await placed_order(graphql, ("TEE-S", 1), customerEmail=shop.customer)
    await manual_payment(graphql, order["id"], "19.90", "paid")
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)

    staff, by_customer, again = await asyncio.gather(
        cancel(graphql, order["id"]),
        graphql.data(CANCEL_ORDER, {"input": {"orderId": order["id"]}}, token=customer),
        cancel(graphql, order["id"]),
    )

    errors = [staff["userErrors"], by_customer["cancelOrder"]["userErrors"], again["userErrors"]]
    assert errors.count([]) == 1
    await assert_money_holds(graphql, database, order["id"], "19.90")


async def test_a_return_refunded_by_many_at_once_gives_its_money_back_once(graphql, database, shop):
    order = await shipped_order(graphql, ("TEE-S", 5))  # 99.50
    await manual_payment(graphql, order["id"], "60.00", "pay-0")
    await manual_payment(graphql, order["id"], "39.50", "pay-1")
    rma = await approved_return(graphql, order["id"], ("TEE-S", 2, ""))
    await receive(graphql, rma["id"], shop.store, ("TEE-S", 2, "RESTOCK"))  # 39.80 back

    payloads = await asyncio.gather(
        *(step(graphql, "refundReturn", rma["id"]) for _ in range(CLIENTS // 2)),
        *(refund_order(graphql, order["id"], "25.00", f"goodwill-{i}") for i in range(2)),
    )

    returned, goodwill = payloads[: CLIENTS // 2], payloads[CLIENTS // 2 :]
    assert codes(returned) == ["INVALID_TRANSITION"] * (CLIENTS // 2 - 1) + ["OK"]
    assert codes(goodwill) == ["OK", "OK"]  # 39.80 + 2 x 25.00 fit in the 99.50 captured
    await assert_money_holds(graphql, database, order["id"], "89.80")
    refunds = (await graphql.admin(RETURN_REFUNDS, {"id": rma["id"]}))["return"]["refunds"]
    assert sum(Decimal(r["amount"]["amount"]) for r in refunds) == Decimal("39.80")


async def capture_on_shipment(graphql) -> None:
    data = await graphql.admin(
        """mutation { setChannelPaymentSettings(input: { channel: WEB, captureOn: SHIPMENT }) {
             userErrors { code } } }"""
    )
    assert data["setChannelPaymentSettings"]["userErrors"] == []


async def authorize(graphql, order_id, amount, key):
    data = await graphql.admin(
        AUTHORIZE_PAYMENT,
        {
            "input": {
                "orderId": order_id,
                "provider": "manual",
                "amount": amount,
                "idempotencyKey": key,
            }
        },
    )
    return data["authorizePayment"]


async def capture(graphql, payment_id, amount, key):
    data = await graphql.admin(
        CAPTURE_PAYMENT,
        {"input": {"paymentId": payment_id, "amount": amount, "idempotencyKey": key}},
    )
    return data["capturePayment"]


async def test_concurrent_authorizations_never_hold_more_than_the_order_owes(
    graphql, database, shop
):
    # given an order of 99.50 on a channel that holds money until shipment
    await capture_on_shipment(graphql)
    order = await placed_order(graphql, ("TEE-S", 5))

    # when ten clients each ask to hold 19.90 of it at once
    payloads = await asyncio.gather(
        *(authorize(graphql, order["id"], "19.90", f"hold-{i}") for i in range(CLIENTS))
    )

    # then exactly five holds fit, and the ledger agrees
    assert codes(payloads) == ["AMOUNT_EXCEEDS_BALANCE"] * 5 + ["OK"] * 5
    read = (await graphql.admin(ORDER_PAYMENTS, {"id": order["id"]}))["order"]
    held = sum(Decimal(p["capturable"]["amount"]) for p in read["payments"])
    assert (held, read["paymentStatus"]) == (Decimal("99.50"), "AUTHORIZED")
    await assert_money_holds(graphql, database, order["id"], "0.00")


async def test_concurrent_captures_of_one_authorization_never_take_more_than_it_holds(
    graphql, database, shop
):
    # given an order of 99.50 held in full until shipment
    await capture_on_shipment(graphql)
    order = await placed_order(graphql, ("TEE-S", 5))
    payment = (await authorize(graphql, order["id"], "99.50", "hold"))["payment"]

    # when ten clients each capture 15.00 of it at once
    payloads = await asyncio.gather(
        *(capture(graphql, payment["id"], "15.00", f"take-{i}") for i in range(CLIENTS))
    )

    # then exactly six fit in what is held, and projection, payment and entries agree
    assert codes(payloads) == ["AMOUNT_EXCEEDS_BALANCE"] * 4 + ["OK"] * 6
    read = (await graphql.admin(ORDER_PAYMENTS, {"id": order["id"]}))["order"]
    captures = [e for e in read["payments"][0]["entries"] if e["kind"] == "CAPTURE"]
    assert read["totalPaid"]["amount"] == read["payments"][0]["captured"]["amount"] == "90.00"
    assert sum(Decimal(e["amount"]["amount"]) for e in captures) == Decimal("90.00")
    await assert_money_holds(graphql, database, order["id"], "0.00")
