"""Voucher usage limits hold under concurrent orders, on SQLite and PostgreSQL: however
many orders race for a code, it is used exactly as many times as it may be, each use is
one order's, and stock and money still add up."""

import asyncio

from persistence.ledger_invariants import verify_ledger
from tests.api.conftest import build_shop
from tests.api.ledger_documents import assert_stock_holds
from tests.api.orders_documents import level
from tests.api.pricing_documents import PLACE_PRICED_ORDER, VOUCHER_USES, promotion, web_order

CLIENTS = 10
LIMIT = 3


async def place(graphql, values):
    return (await graphql.admin(PLACE_PRICED_ORDER, {"input": values}))["placeOrder"]


async def uses(graphql, code):
    edges = (await graphql.admin(VOUCHER_USES))["promotions"]["edges"]
    return next(
        voucher["used"]
        for edge in edges
        for voucher in edge["node"]["voucherCodes"]
        if voucher["code"] == code
    )


async def money_and_stock_hold(database):
    await assert_stock_holds(database)
    async with database.read_session() as session:
        assert (await verify_ledger(session)).offenders == []


async def test_a_code_used_three_times_at_most_is_used_three_times_by_ten_racing_orders(
    graphql, database
):
    shop = await build_shop(database, {("MUG", "WH-A"): 100})
    await promotion(
        graphql,
        "Launch",
        "PERCENTAGE",
        "20",
        voucherCodes=[{"code": "LAUNCH", "usageLimit": LIMIT}],
    )

    payloads = await asyncio.gather(
        *(
            place(
                graphql,
                web_order(("MUG", 1), vouchers=("LAUNCH",), customerEmail=f"c{i}@example.com"),
            )
            for i in range(CLIENTS)
        )
    )

    placed = [p["order"] for p in payloads if p["order"] is not None]
    refused = sorted(p["userErrors"][0]["code"] for p in payloads if p["order"] is None)
    assert len(placed) == LIMIT
    assert refused == ["VOUCHER_USED_UP"] * (CLIENTS - LIMIT)
    assert all(order["discountTotal"]["amount"] == "1.90" for order in placed)
    assert await uses(graphql, "LAUNCH") == LIMIT
    assert await level(graphql, "MUG", shop.warehouse) == (100, LIMIT)
    await money_and_stock_hold(database)


async def test_a_code_once_per_customer_is_used_once_by_that_customer_however_it_races(
    graphql, database
):
    await build_shop(database, {("MUG", "WH-A"): 100})
    await promotion(
        graphql,
        "Welcome",
        "PERCENTAGE",
        "10",
        voucherCodes=[{"code": "WELCOME", "perCustomerLimit": 1}],
    )

    same_customer = await asyncio.gather(
        *(place(graphql, web_order(("MUG", 1), vouchers=("WELCOME",))) for _ in range(6))
    )
    someone_else = await place(
        graphql, web_order(("MUG", 1), vouchers=("WELCOME",), customerEmail="bob@example.com")
    )

    assert sum(1 for p in same_customer if p["order"] is not None) == 1
    assert {p["userErrors"][0]["code"] for p in same_customer if p["order"] is None} == {
        "VOUCHER_USED_UP"
    }
    assert someone_else["userErrors"] == []
    assert await uses(graphql, "WELCOME") == 2
    await money_and_stock_hold(database)
