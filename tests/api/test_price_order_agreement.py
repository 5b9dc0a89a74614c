"""priceOrder and placeOrder price every cart alike: random carts (lines, channels with
and without tax in their prices, destinations, pickups, vouchers, shipping methods) are
priced by one and placed by the other, on a shop with taxes, shipping and promotions."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from persistence.database import Database
from tests.api.conftest import build_app, build_shop, client_of
from tests.api.pricing_documents import (
    CREATE_METHOD,
    CREATE_TAX_CLASS,
    LONDON,
    PLACE_PRICED_ORDER,
    PRICE_ORDER,
    SAN_FRANCISCO,
    SET_LOCATION_ADDRESS,
    SET_VARIANT_TAX_CLASS,
    SET_WEIGHTS,
    admin_ok,
    flat_shipping,
    prices_include_tax,
    promotion,
    tax_rate,
)
from tests.conftest import BACKENDS, fresh_database

SKUS = ("TEE-S", "TEE-M", "MUG")
EXAMPLES = {"sqlite": 40, "postgresql": 20}
PLENTY = {(sku, place): 100_000 for sku in SKUS for place in ("WH-A", "ST-B")}

lines = st.dictionaries(st.sampled_from(SKUS), st.integers(1, 12), min_size=1, max_size=3)
destinations = st.sampled_from(["LONDON", "SAN_FRANCISCO", "PICKUP"])
carts = st.fixed_dictionaries(
    {
        "lines": lines,
        "channel": st.sampled_from(["WEB", "MOBILE"]),
        "destination": destinations,
        "vouchers": st.lists(
            st.sampled_from(["TENOFF", "HALFMUG", "ONCEEACH"]), unique=True, max_size=2
        ),
        "method": st.sampled_from(["STANDARD", "EXPRESS"]),
    }
)


def order_input(cart: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "channel": cart["channel"],
        "lines": [{"sku": sku, "quantity": units} for sku, units in cart["lines"].items()],
        "voucherCodes": cart["vouchers"],
        "customerEmail": "ada@example.com",
    }
    if cart["destination"] == "PICKUP":
        return {**values, "fulfilment": "PICKUP", "pickupLocationCode": "ST-B"}
    if cart["destination"] == "SAN_FRANCISCO":  # no zone covers it: no method, no charge
        return {**values, "fulfilment": "SHIPPING", "shippingAddress": SAN_FRANCISCO}
    return {
        **values,
        "fulfilment": "SHIPPING",
        "shippingAddress": LONDON,
        "shippingMethodCode": cart["method"],
    }


async def set_up(url: str) -> None:
    database = Database(url)
    try:
        await build_shop(database, PLENTY)
        async with client_of(build_app(database)) as graphql:
            await tax_rate(graphql, "GB", "20")
            await admin_ok(graphql, CREATE_TAX_CLASS, {"code": "REDUCED", "name": "Reduced"})
            await tax_rate(graphql, "GB", "5", tax_class="REDUCED")
            await admin_ok(graphql, SET_VARIANT_TAX_CLASS, {"skus": ["MUG"], "taxClass": "REDUCED"})
            await tax_rate(graphql, "US", "7.25", name="CA sales tax", region="US-CA")
            await prices_include_tax(graphql, "MOBILE", False)
            await admin_ok(
                graphql, SET_LOCATION_ADDRESS, {"code": "ST-B", "address": {**LONDON, "name": None}}
            )
            await flat_shipping(
                graphql, "STANDARD", "4.99", free_above="60", channels=("WEB", "MOBILE")
            )
            await admin_ok(
                graphql,
                SET_WEIGHTS,
                {
                    "lines": [
                        {"sku": "TEE-S", "weightGrams": 180},
                        {"sku": "MUG", "weightGrams": 450},
                    ]
                },
            )
            await admin_ok(
                graphql,
                CREATE_METHOD,
                {
                    "code": "EXPRESS",
                    "name": "Express",
                    "zoneCode": "UK",
                    "pricing": "BY_WEIGHT",
                    "brackets": [
                        {"upToGrams": 1000, "price": {"amount": "7.50", "currency": "USD"}},
                        {"upToGrams": 3000, "price": {"amount": "12.00", "currency": "USD"}},
                    ],
                    "channels": ["WEB", "MOBILE"],
                },
            )
            await promotion(
                graphql, "Everyday", "PERCENTAGE", "5", stackable=True, channels=["WEB", "MOBILE"]
            )
            await promotion(graphql, "3 for 2", "BUY_X_GET_Y", "100", buyQuantity=2, getQuantity=1)
            await promotion(
                graphql,
                "Ten off",
                "ORDER_FIXED_AMOUNT",
                "10",
                currency="USD",
                minimumSubtotal="40",
                stackable=True,
                channels=["WEB", "MOBILE"],
                voucherCodes=[{"code": "TENOFF"}],
            )
            await promotion(
                graphql, "Half a mug", "PERCENTAGE", "50", voucherCodes=[{"code": "HALFMUG"}]
            )
            await promotion(
                graphql,
                "Once each",
                "PERCENTAGE",
                "15",
                stackable=True,
                channels=["WEB", "MOBILE"],
                voucherCodes=[{"code": "ONCEEACH", "perCustomerLimit": 1}],
            )
    finally:
        await database.dispose()


async def price_then_place(url: str, cart: dict[str, Any]) -> None:
    database = Database(url)
    try:
        async with client_of(build_app(database)) as graphql:
            values = {"input": order_input(cart)}
            price = (await graphql.admin(PRICE_ORDER, values))["priceOrder"]
            placed = (await graphql.admin(PLACE_PRICED_ORDER, values))["placeOrder"]
    finally:
        await database.dispose()
    assert price["userErrors"] == placed["userErrors"]
    if placed["order"] is not None:
        order = {key: value for key, value in placed["order"].items() if key != "id"}
        assert price["price"] == order


async def placed_orders(url: str) -> int:
    database = Database(url)
    try:
        async with client_of(build_app(database)) as graphql:
            data = await graphql.admin("{ orders(first: 1) { totalCount } }")
    finally:
        await database.dispose()
    return data["orders"]["totalCount"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_price_order_and_place_order_agree_on_every_cart(backend, templates, tmp_path):
    with fresh_database(backend, templates, tmp_path) as url:
        asyncio.run(set_up(url))

        @settings(
            max_examples=EXAMPLES[backend],
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(carts)
        def agree(cart: dict[str, Any]) -> None:
            asyncio.run(price_then_place(url, cart))

        agree()
        # Most carts are placed, not refused alike: the agreement is on prices, not errors.
        assert asyncio.run(placed_orders(url)) >= EXAMPLES[backend] // 2
