"""The order lifecycle: every transition, the illegal ones, and what each does to stock."""

from tests.api.orders_documents import (
    SHIP_ORDER,
    change,
    level,
    pickup_order,
    place,
    shipping_order,
)


async def ship(graphql, order_id, *lines, carrier="UPS", tracking="1Z999"):
    data = await graphql.admin(
        SHIP_ORDER,
        {
            "input": {
                "orderId": order_id,
                "carrier": carrier,
                "trackingNumber": tracking,
                "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
            }
        },
    )
    return data["shipOrder"]


async def confirmed_order(graphql, *lines):
    order = (await place(graphql, shipping_order(*lines)))["order"]
    return (await change(graphql, "confirmOrder", order["id"]))["order"]


async def test_a_shipping_order_goes_from_pending_to_completed(graphql, shop):
    order = await confirmed_order(graphql, ("TEE-S", 3), ("TEE-M", 1))
    partly = await ship(graphql, order["id"], ("TEE-S", 1))
    assert partly["order"]["status"] == "PARTIALLY_SHIPPED"
    fully = await ship(graphql, order["id"], ("TEE-S", 2), ("TEE-M", 1), tracking="1Z1000")
    assert fully["order"]["status"] == "SHIPPED"
    delivered = await change(graphql, "markOrderDelivered", order["id"])
    completed = await change(graphql, "completeOrder", order["id"])
    history = [(h["fromStatus"], h["toStatus"]) for h in completed["order"]["history"]]
    assert delivered["order"]["status"] == "DELIVERED"
    assert history == [
        (None, "PENDING"),
        ("PENDING", "CONFIRMED"),
        ("CONFIRMED", "PARTIALLY_SHIPPED"),
        ("PARTIALLY_SHIPPED", "SHIPPED"),
        ("SHIPPED", "DELIVERED"),
        ("DELIVERED", "COMPLETED"),
    ]
    assert [s["trackingNumber"] for s in completed["order"]["shipments"]] == ["1Z999", "1Z1000"]


async def test_shipping_turns_reserved_units_into_a_sale(graphql, shop):
    order = await confirmed_order(graphql, ("TEE-S", 3))
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 3)
    shipped = await ship(graphql, order["id"], ("TEE-S", 2))
    assert await level(graphql, "TEE-S", shop.warehouse) == (8, 1)
    line = shipped["order"]["lines"][0]
    assert line["fulfilledQuantity"] == 2
    assert shipped["order"]["shipments"][0]["lines"] == [
        {"sku": "TEE-S", "quantity": 2, "location": {"code": shop.warehouse}}
    ]


async def test_more_than_is_left_to_ship_is_refused(graphql, shop):
    order = await confirmed_order(graphql, ("TEE-S", 2))
    payload = await ship(graphql, order["id"], ("TEE-S", 3))
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 2)


async def test_a_shipment_needs_a_carrier_and_tracking_number(graphql, shop):
    order = await confirmed_order(graphql, ("TEE-S", 1))
    payload = await ship(graphql, order["id"], ("TEE-S", 1), carrier=" ")
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"


async def test_a_pending_order_cannot_ship(graphql, shop):
    order = (await place(graphql, shipping_order(("TEE-S", 1))))["order"]
    payload = await ship(graphql, order["id"], ("TEE-S", 1))
    assert payload["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert "PENDING" in payload["userErrors"][0]["message"]


async def test_a_pickup_order_is_made_ready_and_collected(graphql, shop):
    order = (await place(graphql, pickup_order(shop.store, ("MUG", 2))))["order"]
    await change(graphql, "confirmOrder", order["id"])
    ready = await change(graphql, "markOrderReadyForPickup", order["id"])
    assert ready["order"]["status"] == "READY_FOR_PICKUP"
    assert await level(graphql, "MUG", shop.store) == (4, 2)
    collected = await change(graphql, "completeOrder", order["id"])
    assert collected["order"]["status"] == "COMPLETED"
    assert await level(graphql, "MUG", shop.store) == (2, 0)


async def test_a_pickup_order_cannot_ship_and_a_shipping_order_is_never_ready_for_pickup(
    graphql, shop
):
    pickup = (await place(graphql, pickup_order(shop.store, ("MUG", 1))))["order"]
    await change(graphql, "confirmOrder", pickup["id"])
    shipping = await confirmed_order(graphql, ("TEE-S", 1))
    shipped_pickup = await ship(graphql, pickup["id"], ("MUG", 1))
    ready_shipping = await change(graphql, "markOrderReadyForPickup", shipping["id"])
    assert shipped_pickup["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert ready_shipping["userErrors"][0]["code"] == "INVALID_TRANSITION"


async def test_cancelling_releases_every_reservation(graphql, shop):
    order = await confirmed_order(graphql, ("TEE-S", 12))
    cancelled = await change(graphql, "cancelOrder", order["id"])
    assert cancelled["order"]["status"] == "CANCELLED"
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0)
    assert await level(graphql, "TEE-S", shop.store) == (3, 0)


async def test_a_shipped_order_cannot_be_cancelled_and_nothing_changes(graphql, shop):
    order = await confirmed_order(graphql, ("TEE-S", 1))
    await ship(graphql, order["id"], ("TEE-S", 1))
    payload = await change(graphql, "cancelOrder", order["id"])
    assert payload["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert await level(graphql, "TEE-S", shop.warehouse) == (9, 0)


async def test_a_completed_order_cannot_be_confirmed_again(graphql, shop):
    order = (await place(graphql, pickup_order(shop.store, ("MUG", 1))))["order"]
    for step in ("confirmOrder", "markOrderReadyForPickup", "completeOrder"):
        await change(graphql, step, order["id"])
    payload = await change(graphql, "confirmOrder", order["id"])
    assert payload["userErrors"][0]["code"] == "INVALID_TRANSITION"


async def test_an_id_of_another_type_is_not_found(graphql, shop):
    products = await graphql.admin("{ products(first: 1) { edges { node { id } } } }")
    product_id = products["products"]["edges"][0]["node"]["id"]
    payload = await change(graphql, "confirmOrder", product_id)
    assert payload["userErrors"][0]["code"] == "NOT_FOUND"
    assert payload["userErrors"][0]["field"] == ["input", "orderId"]
