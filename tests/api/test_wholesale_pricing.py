"""Wholesale terms: a customer group's prices and minimum quantities price WHOLESALE orders;
every other channel sells at list price."""

from domain.access import Role
from tests.api.orders_documents import level, place, shipping_order
from tests.api.test_query_count import counting_statements
from tests.api.wholesale_documents import (
    CUSTOMER,
    GROUP_NODE,
    GROUPS,
    MY_GROUP,
    assign_group,
    create_group,
    customer_by_email,
    set_prices,
    wholesale_order,
)


async def trade_customer(graphql, shop, **terms) -> str:
    """Ada in group TRADE (with these terms); returns her id."""
    await create_group(graphql, **terms)
    ada = await customer_by_email(graphql, shop.customer)
    await assign_group(graphql, ada["id"])
    return ada["id"]


def unit_prices(order: dict) -> list[tuple[str, str]]:
    return [(line["sku"], line["unitPrice"]["amount"]) for line in order["lines"]]


async def test_a_wholesale_order_pays_the_groups_own_price_else_the_discounted_list_price(
    graphql, shop
):
    await trade_customer(graphql, shop, discountPercent="10")
    await set_prices(graphql, {"sku": "TEE-S", "price": "12.00", "minimumQuantity": 2})

    placed = await place(
        graphql, wholesale_order(("TEE-S", 3), ("MUG", 2), customerEmail=shop.customer)
    )

    assert placed["userErrors"] == []
    assert unit_prices(placed["order"]) == [("TEE-S", "12.00"), ("MUG", "8.55")]
    assert placed["order"]["total"] == {"amount": "53.10", "currency": "USD"}


async def test_a_discount_is_rounded_half_up_to_the_cent(graphql, shop):
    await trade_customer(graphql, shop, discountPercent="12.5")

    placed = await place(graphql, wholesale_order(("TEE-S", 1), customerEmail=shop.customer))

    assert unit_prices(placed["order"]) == [("TEE-S", "17.41")]  # 19.90 * 0.875 = 17.4125


async def test_a_line_below_its_minimum_is_refused_and_nothing_is_reserved(graphql, shop):
    await trade_customer(graphql, shop)
    await set_prices(graphql, {"sku": "TEE-S", "price": "12.00", "minimumQuantity": 12})

    refused = await place(
        graphql, wholesale_order(("MUG", 1), ("TEE-S", 5), customerEmail=shop.customer)
    )

    assert refused["order"] is None
    assert refused["userErrors"] == [
        {
            "field": ["input", "lines", "1", "quantity"],
            "code": "BELOW_MINIMUM_QUANTITY",
            "message": "SKU TEE-S: at least 12 per order for group TRADE, 5 requested",
        }
    ]
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0)
    assert await level(graphql, "MUG", shop.store) == (4, 0)


async def test_the_groups_minimum_holds_for_skus_without_their_own(graphql, shop):
    await trade_customer(graphql, shop, minimumLineQuantity=3)
    await set_prices(graphql, {"sku": "TEE-S", "price": "12.00", "minimumQuantity": 1})

    fine = await place(
        graphql, wholesale_order(("TEE-S", 1), ("MUG", 3), customerEmail=shop.customer)
    )
    short = await place(graphql, wholesale_order(("TEE-M", 2), customerEmail=shop.customer))

    assert fine["userErrors"] == []
    assert short["userErrors"][0]["code"] == "BELOW_MINIMUM_QUANTITY"
    assert short["userErrors"][0]["message"] == (
        "SKU TEE-M: at least 3 per order for group TRADE, 2 requested"
    )


async def test_a_wholesale_order_needs_a_customer_in_a_group(graphql, shop):
    await create_group(graphql)

    no_group = await place(graphql, wholesale_order(("TEE-S", 1), customerEmail=shop.customer))
    nobody = await place(graphql, wholesale_order(("TEE-S", 1)))

    assert no_group["userErrors"] == [
        {
            "field": ["input", "customerEmail"],
            "code": "INVALID_INPUT",
            "message": "customer ada@example.com belongs to no customer group, "
            "so it cannot order WHOLESALE",
        }
    ]
    assert nobody["userErrors"][0]["code"] == "INVALID_INPUT"
    assert nobody["userErrors"][0]["field"] == ["input", "customerEmail"]
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0)


async def test_a_customer_taken_out_of_its_group_cannot_order_wholesale(graphql, shop):
    ada_id = await trade_customer(graphql, shop)

    removed = await assign_group(graphql, ada_id, code=None)
    refused = await place(graphql, wholesale_order(("TEE-S", 1), customerEmail=shop.customer))

    assert removed == {"customer": {"email": shop.customer, "group": None}, "userErrors": []}
    assert refused["userErrors"][0]["code"] == "INVALID_INPUT"


async def test_a_group_customer_pays_list_price_on_other_channels(graphql, shop):
    await trade_customer(graphql, shop, discountPercent="50")
    await set_prices(graphql, {"sku": "TEE-S", "price": "1.00"})

    web = await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer))

    assert unit_prices(web["order"]) == [("TEE-S", "19.90")]


async def test_a_price_set_again_replaces_it_and_a_null_price_removes_it(graphql, shop):
    await trade_customer(graphql, shop, discountPercent="10")
    await set_prices(
        graphql,
        {"sku": "TEE-S", "price": "12.00", "minimumQuantity": 6},
        {"sku": "mug", "price": "5.00"},
    )

    replaced = await set_prices(graphql, {"sku": "TEE-S", "price": "11.50"})
    removed = await set_prices(graphql, {"sku": "MUG", "price": None})
    placed = await place(
        graphql, wholesale_order(("TEE-S", 1), ("MUG", 1), customerEmail=shop.customer)
    )

    assert replaced["customerGroup"]["prices"] == [
        {
            "sku": "MUG",
            "price": {"amount": "5.00", "currency": "USD"},
            "minimumQuantity": None,
            "variant": {"name": "Mug"},
        },
        {
            "sku": "TEE-S",
            "price": {"amount": "11.50", "currency": "USD"},
            "minimumQuantity": None,
            "variant": {"name": "S"},
        },
    ]
    assert [p["sku"] for p in removed["customerGroup"]["prices"]] == ["TEE-S"]
    assert unit_prices(placed["order"]) == [("TEE-S", "11.50"), ("MUG", "8.55")]


async def test_group_terms_are_checked_before_anything_is_stored(graphql, shop):
    created = await create_group(graphql, code="trade", discountPercent="12.345")
    over = await create_group(graphql, discountPercent="101")
    await create_group(graphql)
    twice = await create_group(graphql, code=" Trade ")
    unknown_sku = await set_prices(graphql, {"sku": "NOPE", "price": "1.00"})
    negative = await set_prices(graphql, {"sku": "TEE-S", "price": "-1"})
    unknown_group = await set_prices(graphql, {"sku": "TEE-S", "price": "1.00"}, code="RETAIL")
    ada = await customer_by_email(graphql, shop.customer)
    no_such_group = await assign_group(graphql, ada["id"], code="RETAIL")

    assert [
        (r["userErrors"][0]["code"], r["userErrors"][0]["field"])
        for r in (created, over, twice, unknown_sku, negative, unknown_group, no_such_group)
    ] == [
        ("INVALID_INPUT", ["input", "discountPercent"]),
        ("INVALID_INPUT", ["input", "discountPercent"]),
        ("DUPLICATE", ["input", "code"]),
        ("NOT_FOUND", ["input", "prices", "0", "sku"]),
        ("INVALID_INPUT", ["input", "prices", "0", "price"]),
        ("NOT_FOUND", ["input", "groupCode"]),
        ("NOT_FOUND", ["input", "groupCode"]),
    ]


async def test_staff_see_every_group_and_a_customer_only_its_own(graphql, shop):
    await trade_customer(graphql, shop, discountPercent="7.5", minimumLineQuantity=2)
    retail = (await create_group(graphql, code="RETAIL", name="Retail"))["customerGroup"]
    ada_id = (await customer_by_email(graphql, shop.customer))["id"]
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    till = graphql.token(Role.POS, locations=(shop.store,))

    listed = await graphql.data(GROUPS, token=till)
    mine = await graphql.data(MY_GROUP, token=ada)
    other = await graphql.data(GROUP_NODE, {"id": retail["id"]}, token=ada)
    own_id = listed["customerGroups"]["edges"][0]["node"]["id"]
    own = await graphql.data(GROUP_NODE, {"id": own_id}, token=ada)
    by_customer = await graphql.post(GROUPS, token=ada)
    anonymous = await graphql.post(GROUPS)
    shown = await graphql.admin(CUSTOMER, {"id": ada_id})

    assert listed["customerGroups"]["totalCount"] == 2
    assert listed["customerGroups"]["edges"][0]["node"] | {"id": None} == {
        "id": None,
        "code": "TRADE",
        "name": "Trade customers",
        "discountPercent": "7.50",
        "minimumLineQuantity": 2,
        "prices": [],
    }
    assert mine["me"]["customer"]["group"] == {
        "code": "TRADE",
        "discountPercent": "7.50",
        "prices": [],
    }
    assert own["node"] == {"code": "TRADE"}
    assert other["node"] is None
    assert by_customer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert shown["customer"]["group"] == {"code": "TRADE"}


async def test_admins_and_staff_set_terms_and_others_may_not(graphql, shop):
    clerk = graphql.token(Role.STAFF, locations=(shop.store,))
    till = graphql.token(Role.POS, locations=(shop.store,))
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    ada_id = (await customer_by_email(graphql, shop.customer))["id"]

    by_staff = await create_group(graphql, token=clerk)
    priced_by_staff = await set_prices(graphql, {"sku": "TEE-S", "price": "9.00"}, token=clerk)
    by_till = await create_group(graphql, code="POS", token=till)
    priced_by_till = await set_prices(graphql, {"sku": "TEE-S", "price": "1.00"}, token=till)
    assigned_by_till = await assign_group(graphql, ada_id, token=till)
    assigned_by_self = await assign_group(graphql, ada_id, token=ada)
    assigned_by_staff = await assign_group(graphql, ada_id, token=clerk)

    assert by_staff["userErrors"] == []
    assert priced_by_staff["userErrors"] == []
    assert assigned_by_staff["customer"]["group"] == {"code": "TRADE"}
    for refused in (by_till, priced_by_till, assigned_by_till, assigned_by_self):
        assert refused["userErrors"][0]["code"] == "FORBIDDEN"
    prices = (await graphql.admin(GROUPS))["customerGroups"]["edges"][0]["node"]["prices"]
    assert [p["price"]["amount"] for p in prices] == ["9.00"]


async def test_a_page_of_groups_with_their_prices_costs_a_fixed_number_of_statements(
    graphql, shop, database
):
    for code in ("TRADE", "RESELLER", "EXPORT"):
        await create_group(graphql, code=code)
        await set_prices(
            graphql, {"sku": "TEE-S", "price": "9.00"}, {"sku": "MUG", "price": "4.00"}, code=code
        )

    with counting_statements(database) as statements:
        listed = await graphql.admin(GROUPS)

    assert [len(e["node"]["prices"]) for e in listed["customerGroups"]["edges"]] == [2, 2, 2]
    assert len(statements) <= 4  # count + page, prices, variants
