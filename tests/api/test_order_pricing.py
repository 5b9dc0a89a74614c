"""What an order costs, through placeOrder and priceOrder: tax by where goods go and by
tax class, prices with tax included or added, shipping charges, promotions and vouchers,
each discount on its lines with its source, and the tax summary."""

from __future__ import annotations

from domain.access import Role
from tests.api.pricing_documents import (
    CREATE_TAX_CLASS,
    PLACE_PRICED_ORDER,
    PRICE_ORDER,
    SAN_FRANCISCO,
    SET_VARIANT_TAX_CLASS,
    admin_ok,
    amounts,
    flat_shipping,
    prices_include_tax,
    promotion,
    tax_rate,
    web_order,
)


async def place(graphql, values):
    data = await graphql.admin(PLACE_PRICED_ORDER, {"input": values})
    return data["placeOrder"]


async def priced(graphql, values):
    data = await graphql.admin(PRICE_ORDER, {"input": values})
    return data["priceOrder"]


# -- taxes ----------------------------------------------------------------------------------


async def test_prices_with_tax_included_are_split_into_net_and_tax_per_line(graphql, shop):
    await tax_rate(graphql, "GB", "20")

    order = (await place(graphql, web_order(("TEE-S", 2), ("MUG", 1))))["order"]

    tee, mug = order["lines"]
    assert (tee["total"]["amount"], tee["net"]["amount"], tee["tax"]["amount"]) == (
        "39.80",
        "33.17",
        "6.63",
    )
    assert (mug["net"]["amount"], mug["tax"]["amount"]) == ("7.92", "1.58")
    assert tee["taxRate"] == {"name": "VAT", "percent": "20"}
    assert amounts(order) == {
        "subtotal": "49.30",
        "discount": "0.00",
        "tax": "8.21",
        "total": "49.30",
        "shipping": None,
    }
    assert order["taxSummary"] == [
        {"name": "VAT", "percent": "20", "net": {"amount": "41.09"}, "tax": {"amount": "8.21"}}
    ]


async def test_a_channel_without_tax_in_its_prices_adds_tax_on_top(graphql, shop):
    await tax_rate(graphql, "GB", "20")
    await prices_include_tax(graphql, "WEB", False)

    order = (await place(graphql, web_order(("TEE-S", 2))))["order"]

    assert order["pricesIncludeTax"] is False
    (line,) = order["lines"]
    assert (line["net"]["amount"], line["tax"]["amount"], line["total"]["amount"]) == (
        "39.80",
        "7.96",
        "47.76",
    )
    assert order["total"]["amount"] == "47.76"


async def test_the_most_specific_rate_applies_region_before_country_class_before_any(graphql, shop):
    await tax_rate(graphql, "US", "0", name="No sales tax")
    await tax_rate(graphql, "US", "7.25", name="CA sales tax", region="US-CA")
    await admin_ok(graphql, CREATE_TAX_CLASS, {"code": "FOOD", "name": "Food"})
    await tax_rate(graphql, "US", "0", name="CA food", region="US-CA", tax_class="FOOD")
    await admin_ok(graphql, SET_VARIANT_TAX_CLASS, {"skus": ["MUG"], "taxClass": "FOOD"})
    await prices_include_tax(graphql, "WEB", False)

    order = (await place(graphql, web_order(("TEE-S", 1), ("MUG", 1), address=SAN_FRANCISCO)))[
        "order"
    ]

    rates = [
        (line["sku"], line["taxRate"]["name"], line["tax"]["amount"]) for line in order["lines"]
    ]
    assert rates == [("TEE-S", "CA sales tax", "1.44"), ("MUG", "CA food", "0.00")]
    assert order["taxSummary"] == [
        {
            "name": "CA sales tax",
            "percent": "7.25",
            "net": {"amount": "19.90"},
            "tax": {"amount": "1.44"},
        }
    ]


async def test_no_rate_for_the_destination_means_no_tax(graphql, shop):
    await tax_rate(graphql, "DE", "19", name="MwSt")

    order = (await place(graphql, web_order(("MUG", 2))))["order"]

    assert order["lines"][0]["taxRate"] == {"name": "No tax", "percent": "0"}
    assert (order["taxTotal"]["amount"], order["total"]["amount"], order["taxSummary"]) == (
        "0.00",
        "19.00",
        [],
    )


# -- shipping -------------------------------------------------------------------------------


async def test_the_shipping_charge_is_added_and_taxed_like_goods(graphql, shop):
    await tax_rate(graphql, "GB", "20")
    await flat_shipping(graphql, "STANDARD", "4.99")

    order = (await place(graphql, web_order(("MUG", 1), method="standard")))["order"]

    assert order["shipping"] == {
        "methodCode": "STANDARD",
        "methodName": "Standard",
        "net": {"amount": "4.16"},
        "tax": {"amount": "0.83"},
        "total": {"amount": "4.99"},
        "taxRate": {"name": "VAT", "percent": "20"},
    }
    assert amounts(order) == {
        "subtotal": "9.50",
        "discount": "0.00",
        "tax": "2.41",
        "total": "14.49",
        "shipping": "4.99",
    }


async def test_shipping_is_free_from_the_threshold(graphql, shop):
    await flat_shipping(graphql, "STANDARD", "4.99", free_above="39.80")

    below = await priced(graphql, web_order(("TEE-S", 1), method="STANDARD"))
    at = await priced(graphql, web_order(("TEE-S", 2), method="STANDARD"))

    assert below["price"]["shipping"]["total"]["amount"] == "4.99"
    assert at["price"]["shipping"]["total"]["amount"] == "0.00"


async def test_a_zone_with_methods_needs_one_chosen_and_offered(graphql, shop):
    await flat_shipping(graphql, "STANDARD", "4.99")
    await flat_shipping(graphql, "COURIER", "9.99", channels=("MOBILE",))

    none = await place(graphql, web_order(("MUG", 1)))
    other_channel = await place(graphql, web_order(("MUG", 1), method="COURIER"))
    pickup = await place(
        graphql,
        web_order(("MUG", 1), method="STANDARD", fulfilment="PICKUP", pickupLocationCode="ST-B"),
    )

    assert none["userErrors"][0]["code"] == "SHIPPING_UNAVAILABLE"
    assert "STANDARD" in none["userErrors"][0]["message"]
    assert other_channel["userErrors"][0]["field"] == ["input", "shippingMethodCode"]
    assert other_channel["userErrors"][0]["code"] == "SHIPPING_UNAVAILABLE"
    assert pickup["userErrors"][0]["field"] == ["input", "shippingMethodCode"]
    assert (await graphql.admin("{ orders(first: 1) { totalCount } }"))["orders"]["totalCount"] == 0


# -- promotions and vouchers ----------------------------------------------------------------


async def test_an_automatic_promotion_is_recorded_on_each_line_it_touches(graphql, shop):
    await promotion(graphql, "Winter sale", "PERCENTAGE", "25")

    order = (await place(graphql, web_order(("TEE-S", 2), ("MUG", 1))))["order"]

    tee, mug = order["lines"]
    assert tee["discounts"] == [
        {"source": "PROMOTION", "name": "Winter sale", "code": None, "amount": {"amount": "9.95"}}
    ]
    assert (tee["undiscountedTotal"]["amount"], tee["total"]["amount"]) == ("39.80", "29.85")
    assert mug["discountTotal"]["amount"] == "2.38"
    assert amounts(order)["discount"] == "12.33"
    assert order["total"]["amount"] == "36.97"


async def test_a_voucher_applies_only_when_named_and_says_why_it_cannot(graphql, shop):
    await promotion(
        graphql,
        "Ten off",
        "ORDER_FIXED_AMOUNT",
        "10",
        currency="USD",
        minimumSubtotal="30",
        voucherCodes=[{"code": "TENOFF"}],
    )

    plain = (await priced(graphql, web_order(("TEE-S", 2))))["price"]
    with_code = (await priced(graphql, web_order(("TEE-S", 2), vouchers=("tenoff",))))["price"]
    too_small = await priced(graphql, web_order(("MUG", 1), vouchers=("TENOFF",)))
    unknown = await priced(graphql, web_order(("MUG", 1), vouchers=("NOPE123",)))

    assert plain["discountTotal"]["amount"] == "0.00"
    assert with_code["discountTotal"]["amount"] == "10.00"
    assert with_code["lines"][0]["discounts"][0]["source"] == "VOUCHER"
    assert with_code["lines"][0]["discounts"][0]["code"] == "TENOFF"
    assert (too_small["userErrors"][0]["code"], too_small["userErrors"][0]["field"]) == (
        "VOUCHER_INVALID",
        ["input", "voucherCodes", "0"],
    )
    assert unknown["userErrors"][0]["code"] == "VOUCHER_INVALID"


async def test_a_non_stackable_promotion_competes_with_the_stackable_ones(graphql, shop):
    await promotion(graphql, "Five percent", "PERCENTAGE", "5", stackable=True)
    await promotion(graphql, "Seven percent", "PERCENTAGE", "7", stackable=True)
    await promotion(graphql, "Ten percent", "PERCENTAGE", "10", stackable=False)

    line = (await priced(graphql, web_order(("TEE-S", 10))))["price"]["lines"][0]

    assert [d["name"] for d in line["discounts"]] == ["Five percent", "Seven percent"]
    assert line["discountTotal"]["amount"] == "23.88"


async def test_buy_two_get_one_free_takes_the_cheapest_unit(graphql, shop):
    await promotion(graphql, "3 for 2", "BUY_X_GET_Y", "100", buyQuantity=2, getQuantity=1)

    price = (await priced(graphql, web_order(("TEE-S", 2), ("MUG", 1))))["price"]

    assert [line["discountTotal"]["amount"] for line in price["lines"]] == ["0.00", "9.50"]


async def test_a_promotion_runs_only_on_its_channels(graphql, shop):
    await promotion(graphql, "Web only", "PERCENTAGE", "50")

    price = await priced(
        graphql,
        {**web_order(("TEE-S", 1)), "channel": "MOBILE"},
    )

    assert price["price"]["discountTotal"]["amount"] == "0.00"


# -- priceOrder -----------------------------------------------------------------------------


async def test_price_order_reserves_nothing_and_counts_no_voucher_use(graphql, shop):
    await promotion(
        graphql, "Once", "PERCENTAGE", "10", voucherCodes=[{"code": "ONCE", "usageLimit": 1}]
    )

    for _ in range(3):
        preview = await priced(graphql, web_order(("TEE-S", 10), vouchers=("ONCE",)))
        assert preview["userErrors"] == []
    placed = await place(graphql, web_order(("TEE-S", 10), vouchers=("ONCE",)))
    again = await place(graphql, web_order(("TEE-S", 1), vouchers=("ONCE",)))

    assert placed["userErrors"] == []
    assert again["userErrors"][0]["code"] == "VOUCHER_USED_UP"


async def test_a_preview_knows_a_customer_used_its_once_per_customer_voucher(graphql, shop):
    await promotion(
        graphql,
        "Welcome",
        "PERCENTAGE",
        "10",
        voucherCodes=[{"code": "HELLO", "perCustomerLimit": 1}],
    )
    assert (await place(graphql, web_order(("MUG", 1), vouchers=("HELLO",))))["userErrors"] == []

    mine = await priced(graphql, web_order(("MUG", 1), vouchers=("HELLO",)))
    theirs = await priced(
        graphql, web_order(("MUG", 1), vouchers=("HELLO",), customerEmail="bob@example.com")
    )

    assert (mine["userErrors"][0]["code"], mine["userErrors"][0]["field"]) == (
        "VOUCHER_USED_UP",
        ["input", "voucherCodes", "0"],
    )
    assert theirs["userErrors"] == []


async def test_price_order_needs_a_caller(graphql, shop):
    body = await graphql.post(PRICE_ORDER, {"input": web_order(("MUG", 1))})

    assert body["data"]["priceOrder"]["userErrors"][0]["code"] == "FORBIDDEN"


async def test_a_customer_previews_its_own_cart(graphql, shop):
    token = graphql.token(Role.CUSTOMER, customer=shop.customer)

    data = await graphql.data(PRICE_ORDER, {"input": web_order(("MUG", 2))}, token=token)

    assert data["priceOrder"]["price"]["total"]["amount"] == "19.00"
