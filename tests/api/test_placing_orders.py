"""placeOrder: pricing, allocation across locations, reservation, idempotency — all or nothing."""

from tests.api.orders_documents import (
    ORDERS,
    level,
    pickup_order,
    place,
    shipping_order,
)

UPDATE_PRICE = """
mutation { updateVariantPrice(input: {sku: "TEE-S", price: {amount: "99.00", currency: "USD"}}) {
  userErrors { code } } }"""


async def test_an_order_is_priced_reserved_and_pending(graphql, shop):
    payload = await place(graphql, shipping_order(("TEE-S", 2), ("TEE-M", 1)))
    order = payload["order"]
    assert payload["userErrors"] == []
    assert order["status"] == "PENDING"
    assert order["number"].startswith("SO-")
    assert order["total"] == {"amount": "59.70", "currency": "USD"}
    assert [(line["sku"], line["total"]["amount"]) for line in order["lines"]] == [
        ("TEE-S", "39.80"),
        ("TEE-M", "19.90"),
    ]
    assert order["history"] == [
        {"fromStatus": None, "toStatus": "PENDING", "actor": "admin", "note": None}
    ]
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 2)


async def test_a_line_comes_whole_from_the_first_location_that_can_fill_it(graphql, shop):
    order = (await place(graphql, shipping_order(("MUG", 2))))["order"]
    allocations = order["lines"][0]["allocations"]
    assert [(a["location"]["code"], a["quantity"]) for a in allocations] == [(shop.store, 2)]


async def test_a_line_is_split_only_when_no_single_location_can_fill_it(graphql, shop):
    order = (await place(graphql, shipping_order(("TEE-S", 12))))["order"]
    allocations = order["lines"][0]["allocations"]
    assert [(a["location"]["code"], a["quantity"]) for a in allocations] == [
        (shop.warehouse, 10),
        (shop.store, 2),
    ]
    assert await level(graphql, "TEE-S", shop.store) == (3, 2)


async def test_not_enough_stock_refuses_the_whole_order(graphql, shop):
    payload = await place(graphql, shipping_order(("TEE-M", 1), ("TEE-S", 14)))
    assert payload["order"] is None
    error = payload["userErrors"][0]
    assert error["code"] == "INSUFFICIENT_STOCK"
    assert error["field"] == ["input", "lines", "1"]
    assert "SKU TEE-S: 13 available" in error["message"]
    assert await level(graphql, "TEE-M", shop.warehouse) == (5, 0)


async def test_an_unknown_sku_is_not_found_and_names_the_line(graphql, shop):
    payload = await place(graphql, shipping_order(("TEE-S", 1), ("NOPE", 1)))
    assert payload["userErrors"][0]["code"] == "NOT_FOUND"
    assert payload["userErrors"][0]["field"] == ["input", "lines", "1", "sku"]


async def test_bad_quantities_and_missing_addresses_are_invalid_input(graphql, shop):
    zero = await place(graphql, shipping_order(("TEE-S", 0)))
    no_address = await place(graphql, shipping_order(("TEE-S", 1), shippingAddress=None))
    twice = await place(graphql, shipping_order(("TEE-S", 1), ("tee-s", 1)))
    no_lines = await place(graphql, shipping_order())
    for payload in (zero, no_address, twice, no_lines):
        assert payload["userErrors"][0]["code"] == "INVALID_INPUT"


async def test_a_pickup_order_reserves_at_the_pickup_store_only(graphql, shop):
    order = (await place(graphql, pickup_order(shop.store, ("TEE-S", 3))))["order"]
    assert order["pickupLocation"]["code"] == shop.store
    assert order["lines"][0]["allocations"][0]["location"]["code"] == shop.store
    short = await place(graphql, pickup_order(shop.store, ("TEE-S", 1)))
    assert short["userErrors"][0]["code"] == "INSUFFICIENT_STOCK"


async def test_a_warehouse_is_not_a_pickup_store(graphql, shop):
    payload = await place(graphql, pickup_order(shop.warehouse, ("TEE-S", 1)))
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"


async def test_the_price_is_a_snapshot_taken_at_placement(graphql, shop):
    order = (await place(graphql, shipping_order(("TEE-S", 1))))["order"]
    await graphql.admin(UPDATE_PRICE)
    again = await graphql.admin(
        "query($id: ID!) { order(id: $id) { total { amount } } }", {"id": order["id"]}
    )
    assert again["order"]["total"]["amount"] == "19.90"


async def test_a_retry_with_the_same_idempotency_key_returns_the_first_order(graphql, shop):
    request = shipping_order(("TEE-S", 2), idempotencyKey="checkout-42")
    first = (await place(graphql, request))["order"]
    second = (await place(graphql, request))["order"]
    assert second["id"] == first["id"]
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 2)
    listed = await graphql.admin(ORDERS)
    assert listed["orders"]["totalCount"] == 1


async def test_an_order_for_a_phone_nobody_has_is_refused(graphql, shop):
    payload = await place(graphql, shipping_order(("TEE-S", 1), customerPhone="+1 202 555 0100"))
    assert payload["userErrors"][0]["code"] == "NOT_FOUND"
    assert payload["userErrors"][0]["field"] == ["input", "customerPhone"]


async def test_orders_are_listed_newest_first_and_filtered(graphql, shop):
    await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer))
    await place(graphql, shipping_order(("MUG", 1), channel="MOBILE"))
    await place(graphql, pickup_order(shop.store, ("MUG", 1)))
    everything = await graphql.admin(ORDERS)
    mobile = await graphql.admin(ORDERS, {"filter": {"channel": "MOBILE"}})
    to_collect = await graphql.admin(ORDERS, {"filter": {"fulfilment": "PICKUP"}})
    ada = await graphql.admin(ORDERS, {"filter": {"customerEmail": shop.customer.upper()}})
    pending = await graphql.admin(ORDERS, {"filter": {"status": "PENDING"}})
    numbers = [e["node"]["number"] for e in everything["orders"]["edges"]]
    assert numbers == sorted(numbers, reverse=True)
    assert mobile["orders"]["totalCount"] == 1
    assert [e["node"]["number"] for e in to_collect["orders"]["edges"]] == numbers[:1]
    assert ada["orders"]["totalCount"] == 1
    assert pending["orders"]["totalCount"] == 3
