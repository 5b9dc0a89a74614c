"""refundReturn moves money: the return's refund goes back as REFUND entries against the
order's captured payments (largest first, or as the caller says), naming the return, in one
transaction with the status; never more than was captured and not refunded."""

from __future__ import annotations

from tests.api.payments_documents import ORDER_PAYMENTS, REFUND_ORDER, manual_payment
from tests.api.returns_documents import approved_return, receive, shipped_order

REFUND_RETURN = """
mutation($input: RefundReturnInput!) {
  refundReturn(input: $input) {
    return {
      id number status refund { amount }
      refunds { kind amount { amount } reason payment { id method } }
    }
    userErrors { field code message }
  }
}"""
RETURN_STATUS = "query($id: ID!) { return(id: $id) { status refund { amount } refunds { id } } }"


async def received_return(graphql, shop, *lines):
    """A paid-for order's return of `lines` (sku, quantity), received back in stock."""
    order = await shipped_order(graphql, *lines)
    rma = await approved_return(graphql, order["id"], *((sku, q, "") for sku, q in lines))
    await receive(graphql, rma["id"], shop.store, *((sku, q, "RESTOCK") for sku, q in lines))
    return order, rma


async def refund_return(graphql, return_id, **extra):
    data = await graphql.admin(REFUND_RETURN, {"input": {"returnId": return_id} | extra})
    return data["refundReturn"]


async def money_of(graphql, order_id):
    return (await graphql.admin(ORDER_PAYMENTS, {"id": order_id}))["order"]


async def test_the_refund_goes_back_largest_payment_first_naming_the_return(graphql, shop):
    order, rma = await received_return(graphql, shop, ("TEE-S", 2))  # 39.80
    await manual_payment(graphql, order["id"], "9.80", "small", "CASH")
    large = await manual_payment(graphql, order["id"], "30.00", "large", "CHEQUE")

    payload = await refund_return(graphql, rma["id"])

    assert payload["userErrors"] == []
    refunded = payload["return"]
    assert (refunded["status"], refunded["refund"]) == ("REFUNDED", {"amount": "39.80"})
    assert [(r["payment"]["id"], r["amount"]["amount"]) for r in refunded["refunds"]] == [
        (large["payment"]["id"], "30.00"),
        (refunded["refunds"][1]["payment"]["id"], "9.80"),
    ]
    assert {(r["kind"], r["reason"]) for r in refunded["refunds"]} == {
        ("REFUND", f"return {rma['number']}")
    }
    money = await money_of(graphql, order["id"])
    assert (money["paymentStatus"], money["totalRefunded"]["amount"]) == ("REFUNDED", "39.80")


async def test_the_caller_chooses_which_payments_give_the_refund_back(graphql, shop):
    order, rma = await received_return(graphql, shop, ("TEE-S", 1))  # 19.90
    small = await manual_payment(graphql, order["id"], "9.80", "small", "CASH")
    large = await manual_payment(graphql, order["id"], "30.00", "large", "CHEQUE")
    shares = [
        {"paymentId": small["payment"]["id"], "amount": "9.80"},
        {"paymentId": large["payment"]["id"], "amount": "10.10"},
    ]

    payload = await refund_return(graphql, rma["id"], payments=shares)

    assert payload["userErrors"] == []
    assert [r["payment"]["method"] for r in payload["return"]["refunds"]] == ["CASH", "CHEQUE"]
    assert [r["amount"]["amount"] for r in payload["return"]["refunds"]] == ["9.80", "10.10"]


async def test_shares_that_do_not_add_up_to_the_refund_are_refused(graphql, shop):
    order, rma = await received_return(graphql, shop, ("TEE-S", 1))
    paid = await manual_payment(graphql, order["id"], "19.90", "p")

    payload = await refund_return(
        graphql, rma["id"], payments=[{"paymentId": paid["payment"]["id"], "amount": "5.00"}]
    )

    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"
    assert (await graphql.admin(RETURN_STATUS, {"id": rma["id"]}))["return"]["status"] == (
        "RECEIVED"
    )


async def test_a_refund_above_what_is_left_to_refund_is_refused_and_the_return_stays_received(
    graphql, shop
):
    order, rma = await received_return(graphql, shop, ("TEE-S", 1))  # 19.90
    await manual_payment(graphql, order["id"], "19.90", "p")
    await graphql.admin(
        REFUND_ORDER,
        {
            "input": {
                "orderId": order["id"],
                "amount": "15.00",
                "reason": "late",
                "idempotencyKey": "goodwill",
            }
        },
    )

    payload = await refund_return(graphql, rma["id"])

    assert payload["userErrors"][0]["code"] == "AMOUNT_EXCEEDS_BALANCE"
    assert "4.90 USD captured and not refunded; 19.90" in payload["userErrors"][0]["message"]
    read = (await graphql.admin(RETURN_STATUS, {"id": rma["id"]}))["return"]
    assert read == {"status": "RECEIVED", "refund": None, "refunds": []}
    assert (await money_of(graphql, order["id"]))["totalRefunded"]["amount"] == "15.00"


async def test_an_order_that_never_had_money_captured_is_refunded_without_money(graphql, shop):
    order, rma = await received_return(graphql, shop, ("TEE-S", 1))

    payload = await refund_return(graphql, rma["id"])

    assert payload["userErrors"] == []
    assert payload["return"]["status"] == "REFUNDED"
    assert payload["return"]["refunds"] == []
    assert (await money_of(graphql, order["id"]))["totalRefunded"]["amount"] == "0.00"


async def test_a_retry_with_the_same_key_answers_with_the_return_and_refunds_once(graphql, shop):
    order, rma = await received_return(graphql, shop, ("TEE-S", 1))
    await manual_payment(graphql, order["id"], "19.90", "p")

    first = await refund_return(graphql, rma["id"], idempotencyKey="rr-1")
    again = await refund_return(graphql, rma["id"], idempotencyKey="rr-1")
    without_key = await refund_return(graphql, rma["id"])

    assert first["userErrors"] == again["userErrors"] == []
    assert again["return"]["refunds"] == first["return"]["refunds"]
    assert without_key["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert (await money_of(graphql, order["id"]))["totalRefunded"]["amount"] == "19.90"


async def test_a_key_used_for_another_return_is_refused(graphql, shop):
    _, rma = await received_return(graphql, shop, ("TEE-S", 1))
    _, other = await received_return(graphql, shop, ("MUG", 1))
    await refund_return(graphql, rma["id"], idempotencyKey="rr-1")

    payload = await refund_return(graphql, other["id"], idempotencyKey="rr-1")

    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"
    assert payload["userErrors"][0]["field"] == ["input", "idempotencyKey"]
    assert (await graphql.admin(RETURN_STATUS, {"id": other["id"]}))["return"]["status"] == (
        "RECEIVED"
    )
