"""The money of the till in the ledger: a POS sale's tenders become CAPTURED `pos` payments
of its order (what the till kept: cash less the change), and a counter return gives its
refund back through them as a till does (card first, cash for cash), in the same
transaction as the sale or the return."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.access import Role
from persistence.ledger_invariants import verify_ledger
from tests.api.ledger_documents import assert_stock_holds
from tests.api.payments_documents import ORDER_PAYMENTS, REFUND_ORDER
from tests.api.pos_documents import register, sale
from tests.api.pos_documents import sync as sync_sales
from tests.api.pos_returns_documents import counter_return, error_of, statuses, sync
from tests.api.returns_documents import shipped_order
from tests.api.test_query_count import counting_statements

RETURN_REFUNDS = """
query($id: ID!) {
  return(id: $id) {
    status refund { amount }
    refunds { kind amount { amount } reason payment { method provider } }
  }
}"""
TENDERS = "query($id: ID!) { order(id: $id) { tenders { method amount { amount } } } }"
TEN_MINUTES_AGO = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()


async def sold(graphql, shop, *lines, paid):
    """A counter order rung up at the store's till: (its order, the till's token)."""
    till = (await register(graphql, shop.store))["token"]
    report = await sync_sales(graphql, till, sale(*lines, paid=paid, when=TEN_MINUTES_AGO))
    assert report["accepted"] == 1, report
    return report["results"][0]["order"], till


async def money_of(graphql, order_id):
    return (await graphql.admin(ORDER_PAYMENTS, {"id": order_id}))["order"]


async def assert_ledger_holds(database):
    async with database.read_session() as session:
        assert (await verify_ledger(session)).offenders == []


def ledger(order):
    return [
        (p["method"], p["provider"], p["state"], p["captured"]["amount"], p["refunded"]["amount"])
        for p in order["payments"]
    ]


# -- sales --------------------------------------------------------------------------------------


async def test_a_sales_tenders_are_captured_pos_payments_and_the_change_comes_out_of_the_cash(
    graphql, shop
):
    order, _ = await sold(
        graphql,
        shop,
        ("TEE-S", 1, "19.90"),
        ("MUG", 1, "9.50"),
        paid=(("CARD", "10.00"), ("CASH", "50.00")),
    )

    money = await money_of(graphql, order["id"])

    assert ledger(money) == [
        ("CARD", "pos", "CAPTURED", "10.00", "0.00"),
        ("CASH", "pos", "CAPTURED", "19.40", "0.00"),  # 50.00 tendered, 30.60 change
    ]
    assert [[e["kind"] for e in p["entries"]] for p in money["payments"]] == [
        ["AUTHORIZATION", "CAPTURE"],
        ["AUTHORIZATION", "CAPTURE"],
    ]
    assert (money["paymentStatus"], money["totalPaid"]["amount"]) == ("PAID", "29.40")
    assert money["balanceDue"]["amount"] == "0.00"
    tenders = (await graphql.admin(TENDERS, {"id": order["id"]}))["order"]["tenders"]
    assert [(t["method"], t["amount"]["amount"]) for t in tenders] == [
        ("CARD", "10.00"),
        ("CASH", "50.00"),
    ]


async def test_cash_all_handed_back_as_change_is_no_payment(graphql, shop):
    order, _ = await sold(
        graphql, shop, ("MUG", 1, "9.50"), paid=(("CARD", "9.50"), ("CASH", "5.00"))
    )

    money = await money_of(graphql, order["id"])

    assert ledger(money) == [("CARD", "pos", "CAPTURED", "9.50", "0.00")]
    assert money["paymentStatus"] == "PAID"


async def test_a_thousand_sales_sync_with_their_tenders_in_one_request(graphql, database, shop):
    till = (await register(graphql, shop.store))["token"]
    sales = [
        sale(("MUG", 1, "9.50"), paid=(("CASH", "10.00"),), when=TEN_MINUTES_AGO)
        for _ in range(1000)
    ]

    report = await sync_sales(graphql, till, *sales)

    assert report["accepted"] == 1000
    first, last = report["results"][0]["order"], report["results"][-1]["order"]
    for order in (first, last):
        money = await money_of(graphql, order["id"])
        assert ledger(money) == [("CASH", "pos", "CAPTURED", "9.50", "0.00")]
    await assert_ledger_holds(database)


async def test_tenders_cost_as_many_statements_for_twenty_sales_as_for_one(graphql, database, shop):
    till = (await register(graphql, shop.store))["token"]

    def batch(size):
        paid = (("CARD", "5.00"), ("CASH", "10.00"))
        return [sale(("MUG", 1, "9.50"), paid=paid, when=TEN_MINUTES_AGO) for _ in range(size)]

    with counting_statements(database) as one:
        await sync_sales(graphql, till, *batch(1))
    with counting_statements(database) as twenty:
        await sync_sales(graphql, till, *batch(20))

    def money(statements):
        return [s for s in statements if "payment" in s and "pos_" not in s]

    assert len(money(twenty)) == len(money(one)) <= 4


async def test_authorize_payment_never_makes_a_pos_payment(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))

    data = await graphql.admin(
        """mutation($input: AuthorizePaymentInput!) {
             authorizePayment(input: $input) { payment { state provider } } }""",
        {"input": {"orderId": order["id"], "provider": "pos", "idempotencyKey": "till?"}},
    )

    assert data["authorizePayment"]["payment"] == {"state": "FAILED", "provider": "pos"}
    assert (await money_of(graphql, order["id"]))["totalPaid"]["amount"] == "0.00"


# -- counter returns ----------------------------------------------------------------------------


async def test_a_counter_return_goes_back_to_the_card_first_then_cash_for_cash(
    graphql, database, shop
):
    order, till = await sold(
        graphql,
        shop,
        ("TEE-S", 1, "19.90"),
        ("MUG", 1, "9.50"),
        paid=(("CASH", "19.40"), ("CARD", "10.00")),
    )

    first = await sync(graphql, counter_return(order, ("MUG", 1)), token=till)
    second = await sync(graphql, counter_return(order, ("TEE-S", 1)), token=till)

    assert statuses(first) == statuses(second) == ["ACCEPTED"]
    mug = first["results"][0]["return"]
    tee = second["results"][0]["return"]
    mug_refunds = (await graphql.admin(RETURN_REFUNDS, {"id": mug["id"]}))["return"]["refunds"]
    tee_refunds = (await graphql.admin(RETURN_REFUNDS, {"id": tee["id"]}))["return"]["refunds"]
    assert [(r["payment"]["method"], r["amount"]["amount"]) for r in mug_refunds] == [
        ("CARD", "9.50")
    ]
    assert [(r["payment"]["method"], r["amount"]["amount"]) for r in tee_refunds] == [
        ("CARD", "0.50"),
        ("CASH", "19.40"),
    ]
    assert {r["kind"] for r in mug_refunds + tee_refunds} == {"REFUND"}
    assert tee_refunds[0]["reason"] == f"{tee['number']} taken back at {shop.store}"
    money = await money_of(graphql, order["id"])
    assert (money["paymentStatus"], money["totalRefunded"]["amount"]) == ("REFUNDED", "29.40")
    await assert_stock_holds(database)
    await assert_ledger_holds(database)


async def test_two_returns_of_one_order_in_one_batch_each_see_the_others_refund(graphql, shop):
    order, till = await sold(graphql, shop, ("MUG", 2, "9.50"), paid=(("CARD", "19.00"),))

    payload = await sync(
        graphql, counter_return(order, ("MUG", 1)), counter_return(order, ("MUG", 1)), token=till
    )

    assert statuses(payload) == ["ACCEPTED", "ACCEPTED"]
    money = await money_of(graphql, order["id"])
    assert ledger(money) == [("CARD", "pos", "CAPTURED", "19.00", "19.00")]
    assert [e["kind"] for e in money["payments"][0]["entries"]][-2:] == ["REFUND", "REFUND"]


async def test_a_counter_return_worth_more_than_is_left_to_refund_is_rejected(graphql, shop):
    order, till = await sold(graphql, shop, ("MUG", 2, "9.50"), paid=(("CARD", "19.00"),))
    goodwill = await graphql.admin(
        REFUND_ORDER,
        {
            "input": {
                "orderId": order["id"],
                "amount": "15.00",
                "reason": "scratched",
                "idempotencyKey": "goodwill",
            }
        },
    )
    assert goodwill["refundOrder"]["userErrors"] == []

    payload = await sync(graphql, counter_return(order, ("MUG", 1)), token=till)

    assert statuses(payload) == ["REJECTED"]
    code, field, message = error_of(payload["results"][0])
    assert (code, field) == ("AMOUNT_EXCEEDS_BALANCE", ["input", "returns", "0", "lines"])
    assert "4.00 USD captured and not refunded; 9.50" in message
    assert (await money_of(graphql, order["id"]))["totalRefunded"]["amount"] == "15.00"


async def test_an_order_that_never_had_money_captured_is_taken_back_without_money(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))  # a web order, unpaid in the ledger
    till = graphql.token(Role.POS, locations=(shop.store,))

    payload = await sync(graphql, counter_return(order, ("TEE-S", 1)), token=till)

    rma = payload["results"][0]["return"]
    assert (rma["status"], rma["refund"]["amount"]) == ("REFUNDED", "19.90")
    read = (await graphql.admin(RETURN_REFUNDS, {"id": rma["id"]}))["return"]
    assert read["refunds"] == []
