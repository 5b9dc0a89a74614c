"""Concurrent orders never oversell, on SQLite and PostgreSQL alike."""

import asyncio

from tests.api.conftest import build_shop
from tests.api.ledger_documents import assert_stock_holds
from tests.api.orders_documents import ORDERS, level, place, shipping_order

CLIENTS = 50
UNITS = 10


async def test_fifty_concurrent_orders_for_ten_units_sell_exactly_ten(graphql, database):
    shop = await build_shop(database, {("MUG", "WH-A"): UNITS})
    payloads = await asyncio.gather(
        *(place(graphql, shipping_order(("MUG", 1))) for _ in range(CLIENTS))
    )
    placed = [p for p in payloads if p["order"] is not None]
    refused = [p["userErrors"][0]["code"] for p in payloads if p["order"] is None]
    assert len(placed) == UNITS
    assert refused == ["INSUFFICIENT_STOCK"] * (CLIENTS - UNITS)
    assert await level(graphql, "MUG", shop.warehouse) == (UNITS, UNITS)
    assert (await graphql.admin(ORDERS))["orders"]["totalCount"] == UNITS
    await assert_stock_holds(database)


async def test_concurrent_retries_with_one_idempotency_key_create_one_order(graphql, database):
    await build_shop(database, {("MUG", "WH-A"): UNITS})
    request = shipping_order(("MUG", 1), idempotencyKey="flaky-network-1")
    payloads = await asyncio.gather(*(place(graphql, request) for _ in range(8)))
    assert {p["order"]["id"] for p in payloads} == {payloads[0]["order"]["id"]}
    assert (await graphql.admin(ORDERS))["orders"]["totalCount"] == 1
