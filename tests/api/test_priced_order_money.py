"""Where a priced order's money goes: captures on shipment take each shipped unit's share of
its line (after discounts, with tax) and the shipping charge with the first parcel, adding
up to the total; POS lines take a clerk's discount and are taxed at the store, as booked
services are; wholesale group prices are where WHOLESALE promotions start."""

from __future__ import annotations

from persistence.ledger_invariants import verify_ledger
from tests.api.orders_documents import status_mutation
from tests.api.pos_documents import register, sale, sync
from tests.api.pricing_documents import (
    LONDON,
    PLACE_PRICED_ORDER,
    SET_LOCATION_ADDRESS,
    admin_ok,
    flat_shipping,
    promotion,
    tax_rate,
    web_order,
)
from tests.api.services_documents import book, create_service, set_capacity, tomorrow
from tests.api.test_shipment_capture import authorize, capture_on, captures, ship
from tests.api.wholesale_documents import (
    join_trade_group,
    set_prices,
    wholesale_order,
)

CONFIRM = status_mutation("confirmOrder")
POS_LINES = """
query($id: ID!) { order(id: $id) { total { amount } taxTotal { amount } pricesIncludeTax
  lines { sku total { amount } net { amount } tax { amount }
          discounts { source name amount { amount } } } } }"""


async def ledger_holds(database):
    async with database.read_session() as session:
        assert (await verify_ledger(session)).offenders == []


async def test_captures_on_shipment_add_up_to_a_discounted_order_with_shipping(
    graphql, shop, database
):
    # given a channel capturing on shipment, 10% off everything and 4.99 shipping
    await capture_on(graphql, "SHIPMENT")
    await promotion(graphql, "Tenth off", "PERCENTAGE", "10")
    await flat_shipping(graphql, "STANDARD", "4.99")
    placed = await graphql.admin(
        PLACE_PRICED_ORDER,
        {"input": web_order(("TEE-S", 3), ("MUG", 1), method="STANDARD")},
    )
    order = placed["placeOrder"]["order"]
    assert order["total"]["amount"] == "67.27"  # 53.73 + 8.55 + 4.99
    await graphql.admin(CONFIRM, {"input": {"orderId": order["id"]}})
    await authorize(graphql, order["id"], "hold")

    # when it ships one T-shirt, then two, then the mug
    first = await ship(graphql, order["id"], ("TEE-S", 1))
    second = await ship(graphql, order["id"], ("TEE-S", 2))
    last = await ship(graphql, order["id"], ("MUG", 1))

    # then each parcel took its share, the first the shipping too, and all of it the total
    assert captures(first["payments"][0]) == ["22.90"]  # 17.91 + 4.99
    assert captures(second["payments"][0]) == ["22.90", "35.82"]
    assert captures(last["payments"][0]) == ["22.90", "35.82", "8.55"]
    assert (last["paymentStatus"], last["totalPaid"]["amount"]) == ("PAID", "67.27")
    await ledger_holds(database)


async def test_a_pos_line_discount_is_a_manual_discount_taxed_at_the_store(graphql, shop, database):
    # given VAT at 20% where the store is
    await tax_rate(graphql, "GB", "20")
    await admin_ok(graphql, SET_LOCATION_ADDRESS, {"code": shop.store, "address": LONDON})
    till = await register(graphql, shop.store)
    discounted = sale(("TEE-S", 2, "19.90"), paid=(("CARD", "34.80"),))
    discounted["lines"][0]["discount"] = "5.00"

    # when the till syncs the sale
    report = await sync(graphql, till["token"], discounted)

    # then the line is 39.80 less 5.00, VAT included in it
    (result,) = report["results"]
    assert result["status"] == "ACCEPTED", result
    order = (await graphql.admin(POS_LINES, {"id": result["order"]["id"]}))["order"]
    (line,) = order["lines"]
    assert (line["total"]["amount"], line["net"]["amount"], line["tax"]["amount"]) == (
        "34.80",
        "29.00",
        "5.80",
    )
    assert line["discounts"] == [
        {"source": "MANUAL", "name": "Discount at the till", "amount": {"amount": "5.00"}}
    ]
    assert (order["total"]["amount"], order["taxTotal"]["amount"]) == ("34.80", "5.80")
    await ledger_holds(database)


async def test_a_pos_discount_above_its_line_rejects_the_sale(graphql, shop):
    till = await register(graphql, shop.store)
    too_much = sale(("MUG", 1, "9.50"), paid=(("CARD", "9.50"),))
    too_much["lines"][0]["discount"] = "9.51"

    report = await sync(graphql, till["token"], too_much)

    (result,) = report["results"]
    assert result["status"] == "REJECTED"
    assert result["error"]["field"][-2:] == ["0", "discount"]


async def test_wholesale_promotions_start_from_the_group_price(graphql, shop):
    # given a trade group paying 15.00 for TEE-S, and 10% off on WHOLESALE
    await join_trade_group(graphql, shop.customer)
    await set_prices(graphql, {"sku": "TEE-S", "price": "15.00"})
    await promotion(graphql, "Trade week", "PERCENTAGE", "10", channels=["WHOLESALE"])

    order = await graphql.admin(
        PLACE_PRICED_ORDER,
        wholesale_order(("TEE-S", 4), customerEmail=shop.customer),
    )

    (line,) = order["placeOrder"]["order"]["lines"]
    assert line["unitPrice"]["amount"] == "15.00"
    assert line["discounts"][0]["amount"]["amount"] == "6.00"
    assert line["total"]["amount"] == "54.00"


async def test_a_booked_service_is_taxed_where_it_is_performed(graphql, shop, database):
    await create_service(graphql, "CUT", "30.00")
    await set_capacity(graphql, shop.store, 2)
    await tax_rate(graphql, "GB", "20")
    await admin_ok(graphql, SET_LOCATION_ADDRESS, {"code": shop.store, "address": LONDON})

    booked = await book(graphql, shop.store, tomorrow(10), customerEmail=shop.customer)

    order = (await graphql.admin(POS_LINES, {"id": booked["order"]["id"]}))["order"]
    (line,) = order["lines"]
    assert (line["total"]["amount"], line["net"]["amount"], line["tax"]["amount"]) == (
        "30.00",
        "25.00",
        "5.00",
    )
    assert order["taxTotal"]["amount"] == "5.00"
    await ledger_holds(database)
