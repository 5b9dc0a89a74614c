"""Backorders: a WHOLESALE order keeps what stock cannot cover yet, and takes it, oldest
order first, when stock arrives — by adjustment, transfer receipt or restocked return."""

import asyncio

import pytest

from domain.access import Role
from tests.api import transfers_documents as transfers
from tests.api import wholesale_documents
from tests.api.ledger_documents import assert_stock_holds
from tests.api.orders_documents import ORDER, change, level, place, shipping_order
from tests.api.returns_documents import approved_return, receive, shipped_order
from tests.api.wholesale_documents import join_trade_group

ADJUST = """
mutation($sku: String!, $location: String!, $delta: Int!) {
  adjustStock(input: {sku: $sku, locationCode: $location, delta: $delta, reason: RECEIVED}) {
    userErrors { code message } } }"""
BACKORDER_FIELDS = """
query($id: ID!) { order(id: $id) {
  status
  lines { sku quantity backorderedQuantity allocations { quantity location { code } } }
  history { fromStatus toStatus note }
} }"""


@pytest.fixture(autouse=True)
async def trade_customer(graphql, shop):
    """Ada buys wholesale, at list prices."""
    await join_trade_group(graphql, shop.customer)


def wholesale_order(*lines, **extra):
    return wholesale_documents.wholesale_order(*lines, customerEmail="ada@example.com", **extra)


async def backordered(graphql, *lines):
    payload = await place(graphql, wholesale_order(*lines, allowBackorder=True))
    assert payload["userErrors"] == []
    return payload["order"]


async def order_of(graphql, order_id):
    return (await graphql.admin(BACKORDER_FIELDS, {"id": order_id}))["order"]


async def arrive(graphql, sku, location, units):
    data = await graphql.admin(ADJUST, {"sku": sku, "location": location, "delta": units})
    assert data["adjustStock"]["userErrors"] == []


def allocated(line):
    return [(a["location"]["code"], a["quantity"]) for a in line["allocations"]]


async def test_an_order_allowing_backorder_keeps_the_missing_units_as_backordered(graphql, shop):
    # given 5 TEE-M at the warehouse, none at the store
    # when a wholesale order wants 8
    order = await backordered(graphql, ("TEE-M", 8), ("MUG", 1))
    # then it takes the 5 there are and waits for 3
    state = await order_of(graphql, order["id"])
    assert state["status"] == "BACKORDERED"
    tee, mug = state["lines"]
    assert (tee["backorderedQuantity"], allocated(tee)) == (3, [(shop.warehouse, 5)])
    assert (mug["backorderedQuantity"], allocated(mug)) == (0, [(shop.store, 1)])
    assert state["history"] == [{"fromStatus": None, "toStatus": "BACKORDERED", "note": None}]
    assert await level(graphql, "TEE-M", shop.warehouse) == (5, 5)


async def test_an_order_that_can_be_filled_is_pending_even_when_backorders_are_allowed(
    graphql, shop
):
    order = await backordered(graphql, ("TEE-M", 5))
    assert order["status"] == "PENDING"


async def test_without_allow_backorder_a_short_wholesale_order_is_refused(graphql, shop):
    payload = await place(graphql, wholesale_order(("TEE-M", 8)))
    assert payload["userErrors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert await level(graphql, "TEE-M", shop.warehouse) == (5, 0)


async def test_only_wholesale_orders_may_be_backordered(graphql, shop):
    payload = await place(graphql, shipping_order(("TEE-M", 8), allowBackorder=True))
    [error] = payload["userErrors"]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "allowBackorder"])


async def test_arriving_stock_allocates_the_backorder_step_by_step(graphql, shop):
    order = await backordered(graphql, ("TEE-M", 8))
    # when 2 arrive, the order takes them and still waits for 1
    await arrive(graphql, "TEE-M", shop.warehouse, 2)
    state = await order_of(graphql, order["id"])
    assert state["status"] == "BACKORDERED"
    assert state["lines"][0]["backorderedQuantity"] == 1
    assert state["history"][-1]["fromStatus"] == "BACKORDERED"
    assert "2 of TEE-M at WH-A" in state["history"][-1]["note"]
    # when 4 more arrive, it takes the 1 it needs and becomes PENDING; 3 stay free
    await arrive(graphql, "TEE-M", shop.warehouse, 4)
    state = await order_of(graphql, order["id"])
    assert state["status"] == "PENDING"
    assert allocated(state["lines"][0]) == [(shop.warehouse, 8)]
    assert [h["toStatus"] for h in state["history"]] == ["BACKORDERED", "BACKORDERED", "PENDING"]
    assert await level(graphql, "TEE-M", shop.warehouse) == (11, 8)
    # and from there it follows the usual lifecycle
    assert (await change(graphql, "confirmOrder", order["id"]))["userErrors"] == []


async def test_the_oldest_backorder_is_served_first(graphql, shop):
    older = await backordered(graphql, ("TEE-M", 7))  # takes 5, waits for 2
    newer = await backordered(graphql, ("TEE-M", 3))  # waits for 3
    await arrive(graphql, "TEE-M", shop.store, 3)
    assert (await order_of(graphql, older["id"]))["status"] == "PENDING"
    newer_state = await order_of(graphql, newer["id"])
    assert newer_state["status"] == "BACKORDERED"
    assert newer_state["lines"][0]["backorderedQuantity"] == 2
    assert allocated(newer_state["lines"][0]) == [(shop.store, 1)]
    assert await level(graphql, "TEE-M", shop.store) == (3, 3)


async def test_stock_arriving_outside_the_channels_locations_is_not_taken(graphql, shop):
    order = await backordered(graphql, ("TEE-M", 6))
    await arrive(graphql, "TEE-M", shop.other_store, 4)
    assert (await order_of(graphql, order["id"]))["status"] == "BACKORDERED"
    assert await level(graphql, "TEE-M", shop.other_store) == (4, 0)


async def test_a_transfer_receipt_fills_a_backorder(graphql, shop):
    order = await backordered(graphql, ("TEE-M", 7))
    await arrive(graphql, "TEE-M", shop.other_store, 4)
    transfer = await transfers.shipped(
        graphql, ("TEE-M", 4), origin=shop.other_store, destination=shop.store
    )
    received = await transfers.receive(graphql, transfer["id"], ("TEE-M", 4))
    assert received["userErrors"] == []
    state = await order_of(graphql, order["id"])
    assert state["status"] == "PENDING"
    assert allocated(state["lines"][0]) == [(shop.warehouse, 5), (shop.store, 2)]
    assert await level(graphql, "TEE-M", shop.store) == (4, 2)


async def test_a_restocked_return_fills_a_backorder(graphql, shop):
    sold = await shipped_order(graphql, ("TEE-M", 2))
    order = await backordered(graphql, ("TEE-M", 4))  # 3 left at the warehouse: waits for 1
    rma = await approved_return(graphql, sold["id"], ("TEE-M", 2, "too big"))
    received = await receive(graphql, rma["id"], shop.store, ("TEE-M", 2, "RESTOCK"))
    assert received["userErrors"] == []
    state = await order_of(graphql, order["id"])
    assert state["status"] == "PENDING"
    assert allocated(state["lines"][0]) == [(shop.warehouse, 3), (shop.store, 1)]


async def test_cancelling_a_backordered_order_releases_what_it_holds(graphql, shop):
    order = await backordered(graphql, ("TEE-M", 8))
    cancelled = await change(graphql, "cancelOrder", order["id"])
    assert cancelled["order"]["status"] == "CANCELLED"
    assert await level(graphql, "TEE-M", shop.warehouse) == (5, 0)
    # and a later arrival leaves it alone
    await arrive(graphql, "TEE-M", shop.warehouse, 3)
    assert await level(graphql, "TEE-M", shop.warehouse) == (8, 0)


async def test_a_backordered_order_cannot_be_confirmed_before_its_stock_arrives(graphql, shop):
    order = await backordered(graphql, ("TEE-M", 8))
    payload = await change(graphql, "confirmOrder", order["id"])
    assert payload["userErrors"][0]["code"] == "INVALID_TRANSITION"


async def test_a_customer_sees_its_backorder(graphql, shop):
    order = await backordered(graphql, ("TEE-M", 8))
    token = graphql.token(Role.CUSTOMER, customer="ada@example.com")
    data = await graphql.data(ORDER, {"id": order["id"]}, token=token)
    assert data["order"]["status"] == "BACKORDERED"


async def test_concurrent_arrivals_orders_and_cancellations_never_promise_a_unit_twice(
    graphql, database, shop
):
    # given six backorders waiting for TEE-M, and the warehouse's 5 units taken
    waiting = [await backordered(graphql, ("TEE-M", 3)) for _ in range(6)]
    # when deliveries, fresh wholesale orders and cancellations all race
    await asyncio.gather(
        *(arrive(graphql, "TEE-M", location, 2) for location in [shop.warehouse, shop.store] * 3),
        *(place(graphql, wholesale_order(("TEE-M", 1), allowBackorder=True)) for _ in range(4)),
        *(change(graphql, "cancelOrder", order["id"]) for order in waiting[4:]),
    )
    # then every unit reserved is on hand, and the ledger holds
    for location in (shop.warehouse, shop.store):
        on_hand, reserved = await level(graphql, "TEE-M", location)
        assert reserved <= on_hand
    states = [await order_of(graphql, order["id"]) for order in waiting]
    for state in states:
        line = state["lines"][0]
        held = sum(quantity for _, quantity in allocated(line))
        assert held + line["backorderedQuantity"] == 3
        assert state["status"] in ("BACKORDERED", "PENDING", "CANCELLED")
    await assert_stock_holds(database)
