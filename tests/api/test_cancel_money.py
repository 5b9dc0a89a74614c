"""Cancelling an order settles its money in the same transaction: open authorizations are
voided, and what was captured is refunded (reason "order cancelled") through the providers."""

from __future__ import annotations

from domain.access import Role
from tests.api.orders_documents import status_mutation
from tests.api.payments_documents import (
    AUTHORIZE_PAYMENT,
    CAPTURE_PAYMENT,
    ORDER_PAYMENTS,
    manual_payment,
    placed_order,
)
from tests.api.services_documents import book, create_service, set_capacity, tomorrow
from tests.api.services_documents import step as service_step

CANCEL_ORDER = status_mutation("cancelOrder")


async def cancel(graphql, order_id, token=None):
    data = await graphql.data(
        CANCEL_ORDER, {"input": {"orderId": order_id}}, token=token or graphql.token(Role.ADMIN)
    )
    return data["cancelOrder"]


async def money_of(graphql, order_id):
    return (await graphql.admin(ORDER_PAYMENTS, {"id": order_id}))["order"]


async def capture_on_shipment(graphql) -> None:
    data = await graphql.admin(
        """mutation { setChannelPaymentSettings(input: { channel: WEB, captureOn: SHIPMENT }) {
             userErrors { code } } }"""
    )
    assert data["setChannelPaymentSettings"]["userErrors"] == []


async def authorized(graphql, order_id, key):
    data = await graphql.admin(
        AUTHORIZE_PAYMENT,
        {"input": {"orderId": order_id, "provider": "manual", "idempotencyKey": key}},
    )
    assert data["authorizePayment"]["payment"]["state"] == "AUTHORIZED"
    return data["authorizePayment"]["payment"]


async def test_cancelling_a_paid_order_refunds_every_payment(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 2))  # 39.80
    await manual_payment(graphql, order["id"], "9.80", "cash", "CASH")
    await manual_payment(graphql, order["id"], "30.00", "cheque", "CHEQUE")

    payload = await cancel(graphql, order["id"])

    assert payload["userErrors"] == []
    money = await money_of(graphql, order["id"])
    assert money["status"] == "CANCELLED"
    assert (money["paymentStatus"], money["totalRefunded"]["amount"]) == ("REFUNDED", "39.80")
    assert money["balanceDue"]["amount"] == "0.00"
    for payment in money["payments"]:
        refund = payment["entries"][-1]
        assert (refund["kind"], refund["reason"]) == ("REFUND", "order cancelled")
        assert refund["amount"] == payment["captured"]


async def test_cancelling_voids_an_open_authorization(graphql, shop):
    await capture_on_shipment(graphql)
    order = await placed_order(graphql, ("TEE-S", 1))
    await authorized(graphql, order["id"], "auth")

    await cancel(graphql, order["id"])

    [payment] = (await money_of(graphql, order["id"]))["payments"]
    assert payment["state"] == "VOIDED"
    assert [(e["kind"], e["reason"]) for e in payment["entries"]] == [
        ("AUTHORIZATION", None),
        ("VOID", "order cancelled"),
    ]


async def test_a_partly_captured_authorization_is_voided_and_its_capture_refunded(graphql, shop):
    await capture_on_shipment(graphql)
    order = await placed_order(graphql, ("TEE-S", 2))
    payment = await authorized(graphql, order["id"], "auth")
    await graphql.admin(
        CAPTURE_PAYMENT,
        {"input": {"paymentId": payment["id"], "amount": "19.90", "idempotencyKey": "part"}},
    )

    await cancel(graphql, order["id"])

    money = await money_of(graphql, order["id"])
    [payment] = money["payments"]
    assert payment["state"] == "CAPTURED"
    assert [(e["kind"], e["amount"]["amount"]) for e in payment["entries"]] == [
        ("AUTHORIZATION", "39.80"),
        ("CAPTURE", "19.90"),
        ("VOID", "19.90"),
        ("REFUND", "19.90"),
    ]
    assert (money["paymentStatus"], money["totalRefunded"]["amount"]) == ("REFUNDED", "19.90")


async def test_a_customer_cancelling_its_paid_pending_order_gets_its_money_back(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1), customerEmail=shop.customer)
    await manual_payment(graphql, order["id"], "19.90", "paid")

    payload = await cancel(
        graphql, order["id"], graphql.token(Role.CUSTOMER, customer=shop.customer)
    )

    assert payload["userErrors"] == []
    money = await money_of(graphql, order["id"])
    assert (money["status"], money["paymentStatus"]) == ("CANCELLED", "REFUNDED")


async def test_a_refused_cancellation_moves_no_money(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1), customerEmail=shop.customer)
    await graphql.admin(status_mutation("confirmOrder"), {"input": {"orderId": order["id"]}})
    await manual_payment(graphql, order["id"], "19.90", "paid")

    payload = await cancel(
        graphql, order["id"], graphql.token(Role.CUSTOMER, customer=shop.customer)
    )

    assert payload["userErrors"][0]["code"] == "FORBIDDEN"
    money = await money_of(graphql, order["id"])
    assert (money["status"], money["paymentStatus"]) == ("CONFIRMED", "PAID")


async def test_an_unpaid_order_is_cancelled_without_money(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))

    payload = await cancel(graphql, order["id"])

    assert payload["userErrors"] == []
    money = await money_of(graphql, order["id"])
    assert (money["status"], money["paymentStatus"], money["payments"]) == (
        "CANCELLED",
        "UNPAID",
        [],
    )


async def test_cancelling_a_paid_booking_refunds_it(graphql, shop):
    await create_service(graphql)
    await set_capacity(graphql, shop.store, 1)
    booked = (await book(graphql, shop.store, tomorrow(10)))["order"]
    await manual_payment(graphql, booked["id"], "30.00", "deposit", "CARD")

    payload = await service_step(graphql, "cancelService", booked["id"])

    assert payload["userErrors"] == []
    money = await money_of(graphql, booked["id"])
    assert (money["status"], money["paymentStatus"]) == ("CANCELLED", "REFUNDED")
    assert money["payments"][0]["entries"][-1]["reason"] == "order cancelled"
