"""Payments through the API: authorize, capture, void, record by hand, refund."""

from __future__ import annotations

from domain.access import Role
from tests.api.payments_documents import (
    AUTHORIZE_PAYMENT,
    CAPTURE_PAYMENT,
    ORDER_PAYMENTS,
    RECORD_MANUAL_PAYMENT,
    REFUND_ORDER,
    REFUND_PAYMENT,
    VOID_PAYMENT,
    manual_payment,
    placed_order,
)
from tests.api.test_query_count import statements_for


async def test_a_manual_payment_pays_the_order_and_is_in_the_ledger(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 2))  # 39.80 USD

    paid = await manual_payment(graphql, order["id"], "39.80", "cod-1", "CASH_ON_DELIVERY")

    assert paid["userErrors"] == []
    assert paid["payment"]["state"] == "CAPTURED"
    assert paid["payment"]["provider"] == "manual"
    assert paid["payment"]["providerReference"] == "ref-cod-1"
    assert [(e["kind"], e["amount"]["amount"]) for e in paid["payment"]["entries"]] == [
        ("AUTHORIZATION", "39.80"),
        ("CAPTURE", "39.80"),
    ]
    assert paid["order"]["paymentStatus"] == "PAID"
    assert paid["order"]["totalPaid"]["amount"] == "39.80"
    assert paid["order"]["balanceDue"]["amount"] == "0.00"


async def test_a_split_tender_is_partially_paid_then_paid(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 2))

    first = await manual_payment(graphql, order["id"], "10.00", "part-1", "CASH")
    second = await manual_payment(graphql, order["id"], "29.80", "part-2", "CHEQUE")

    assert first["order"]["paymentStatus"] == "PARTIALLY_PAID"
    assert first["order"]["balanceDue"]["amount"] == "29.80"
    assert second["order"]["paymentStatus"] == "PAID"
    read = await graphql.admin(ORDER_PAYMENTS, {"id": order["id"]})
    assert [p["method"] for p in read["order"]["payments"]] == ["CASH", "CHEQUE"]


async def test_a_repeated_idempotency_key_answers_with_the_first_payment(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))

    first = await manual_payment(graphql, order["id"], "19.90", "same-key")
    again = await manual_payment(graphql, order["id"], "19.90", "same-key")

    assert again["payment"]["id"] == first["payment"]["id"]
    assert again["order"]["totalPaid"]["amount"] == "19.90"


async def test_an_authorization_is_captured_in_parts_then_voided(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 2))
    await _capture_on_shipment(graphql)
    authorized = (
        await graphql.admin(
            AUTHORIZE_PAYMENT,
            {"input": {"orderId": order["id"], "provider": "manual", "idempotencyKey": "a"}},
        )
    )["authorizePayment"]
    payment_id = authorized["payment"]["id"]
    assert authorized["payment"]["state"] == "AUTHORIZED"
    assert authorized["order"]["paymentStatus"] == "AUTHORIZED"

    part = await graphql.admin(
        CAPTURE_PAYMENT,
        {"input": {"paymentId": payment_id, "amount": "19.90", "idempotencyKey": "c"}},
    )
    voided = await graphql.admin(
        VOID_PAYMENT, {"input": {"paymentId": payment_id, "idempotencyKey": "v"}}
    )

    assert part["capturePayment"]["payment"]["state"] == "AUTHORIZED"
    assert part["capturePayment"]["order"]["paymentStatus"] == "PARTIALLY_PAID"
    assert voided["voidPayment"]["payment"]["state"] == "CAPTURED"
    assert voided["voidPayment"]["payment"]["capturable"]["amount"] == "0.00"
    assert [e["kind"] for e in voided["voidPayment"]["payment"]["entries"]] == [
        "AUTHORIZATION",
        "CAPTURE",
        "VOID",
    ]


async def test_a_refund_above_what_was_captured_is_refused_and_changes_nothing(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))
    paid = await manual_payment(graphql, order["id"], "19.90", "p")

    refused = await graphql.admin(
        REFUND_PAYMENT,
        {"input": {"paymentId": paid["payment"]["id"], "amount": "20.00", "idempotencyKey": "r"}},
    )

    assert refused["refundPayment"]["userErrors"][0]["code"] == "AMOUNT_EXCEEDS_BALANCE"
    read = await graphql.admin(ORDER_PAYMENTS, {"id": order["id"]})
    assert read["order"]["totalRefunded"]["amount"] == "0.00"


async def test_a_goodwill_refund_is_split_largest_payment_first(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 2))
    await manual_payment(graphql, order["id"], "9.80", "small", "CASH")
    large = await manual_payment(graphql, order["id"], "30.00", "large", "CHEQUE")

    refunded = (
        await graphql.admin(
            REFUND_ORDER,
            {
                "input": {
                    "orderId": order["id"],
                    "amount": "35.00",
                    "reason": "late delivery",
                    "idempotencyKey": "goodwill",
                }
            },
        )
    )["refundOrder"]

    assert refunded["userErrors"] == []
    assert [(r["payment"]["id"], r["amount"]["amount"]) for r in refunded["refunds"]] == [
        (large["payment"]["id"], "30.00"),
        (refunded["refunds"][1]["payment"]["id"], "5.00"),
    ]
    assert refunded["order"]["totalRefunded"]["amount"] == "35.00"
    assert refunded["order"]["paymentStatus"] == "PARTIALLY_REFUNDED"


async def test_a_customer_cannot_refund_or_see_another_customers_payment(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1), customerEmail=shop.customer)
    paid = await manual_payment(graphql, order["id"], "19.90", "p")
    stranger = graphql.token(Role.CUSTOMER, customer=shop.other_customer)

    body = await graphql.post(
        REFUND_PAYMENT,
        {"input": {"paymentId": paid["payment"]["id"], "idempotencyKey": "r"}},
        token=stranger,
    )

    assert body["data"]["refundPayment"]["userErrors"][0]["code"] == "FORBIDDEN"


async def _capture_on_shipment(graphql) -> None:
    data = await graphql.admin(
        """mutation { setChannelPaymentSettings(input: { channel: WEB, captureOn: SHIPMENT }) {
             userErrors { code } } }"""
    )
    assert data["setChannelPaymentSettings"]["userErrors"] == []


async def test_a_customer_may_not_pay_through_a_provider_whose_payments_staff_record(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1), customerEmail=shop.customer)
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)

    body = await graphql.post(
        AUTHORIZE_PAYMENT,
        {"input": {"orderId": order["id"], "provider": "manual", "idempotencyKey": "k"}},
        token=customer,
    )

    assert body["data"]["authorizePayment"]["userErrors"][0]["code"] == "FORBIDDEN"
    read = await graphql.admin(ORDER_PAYMENTS, {"id": order["id"]})
    assert read["order"]["payments"] == []


async def test_an_authorization_above_what_is_neither_paid_nor_held_is_refused(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))  # 19.90
    await manual_payment(graphql, order["id"], "10.00", "part")

    refused = await graphql.admin(
        AUTHORIZE_PAYMENT,
        {
            "input": {
                "orderId": order["id"],
                "provider": "manual",
                "amount": "10.00",
                "idempotencyKey": "more",
            }
        },
    )

    assert refused["authorizePayment"]["userErrors"] == [
        {
            "field": ["input", "amount"],
            "code": "AMOUNT_EXCEEDS_BALANCE",
            "message": f"order {order['number']} has 9.90 USD not yet paid or held; 10.00 asked",
        }
    ]


async def test_an_unknown_provider_is_named_in_the_error(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))

    refused = await graphql.admin(
        AUTHORIZE_PAYMENT,
        {"input": {"orderId": order["id"], "provider": "paypal", "idempotencyKey": "k"}},
    )

    error = refused["authorizePayment"]["userErrors"][0]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "provider"])
    assert "paypal" in error["message"]


async def test_idempotency_keys_are_the_callers_own(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 2))
    kim = graphql.token(Role.STAFF, subject="kim", locations=(shop.warehouse,))
    lee = graphql.token(Role.STAFF, subject="lee", locations=(shop.warehouse,))
    variables = {
        "input": {
            "orderId": order["id"],
            "amount": "10.00",
            "method": "CASH",
            "idempotencyKey": "till-1",
        }
    }

    first = await graphql.post(RECORD_MANUAL_PAYMENT, variables, token=kim)
    second = await graphql.post(RECORD_MANUAL_PAYMENT, variables, token=lee)

    first_payment = first["data"]["recordManualPayment"]["payment"]
    second_payment = second["data"]["recordManualPayment"]["payment"]
    assert first_payment["id"] != second_payment["id"]
    assert second["data"]["recordManualPayment"]["order"]["totalPaid"]["amount"] == "20.00"


ORDERS_WITH_PAYMENTS = """
query($first: Int!) {
  orders(first: $first) { edges { node {
    number paymentStatus totalPaid { amount } balanceDue { amount }
    payments { state captured { amount } entries { kind amount { amount } } refunds { kind } }
  } } }
}"""


async def test_an_orders_page_with_payments_costs_a_fixed_number_of_statements(
    graphql, database, shop
):
    for index in range(5):
        order = await placed_order(graphql, ("TEE-S", 1))
        await manual_payment(graphql, order["id"], "10.00", f"a-{index}", "CASH")
        await manual_payment(graphql, order["id"], "9.90", f"b-{index}", "CARD")
    counts = {}
    for first in (1, 5):
        counts[first], data = await statements_for(graphql, database, ORDERS_WITH_PAYMENTS, first)
        nodes = [edge["node"] for edge in data["orders"]["edges"]]
        assert [node["paymentStatus"] for node in nodes] == ["PAID"] * first
        assert all(len(node["payments"]) == 2 for node in nodes)

    assert counts[1] == counts[5]  # page, payments, their entries: whatever the page size
