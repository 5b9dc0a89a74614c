"""Credit limits: a WHOLESALE order that would take its customer past its limit (its own,
else its group's) is refused, unless an admin overrides it; what the customer owes is what
its orders that are not cancelled lack to be paid, in the limit's currency."""

from __future__ import annotations

import asyncio

from domain.access import Role
from tests.api.conftest import add_stock, build_shop
from tests.api.orders_documents import level, place, status_mutation
from tests.api.payments_documents import manual_payment
from tests.api.test_query_count import counting_statements
from tests.api.wholesale_documents import (
    assign_group,
    create_group,
    customer_by_email,
    set_prices,
    wholesale_order,
)

CREDIT_FIELDS = """
  creditLimit { amount currency } ownCreditLimit { amount currency }
  creditUsed { amount currency } availableCredit { amount currency }
"""
SET_CUSTOMER_CREDIT_LIMIT = f"""
mutation($input: SetCustomerCreditLimitInput!) {{ setCustomerCreditLimit(input: $input) {{
  customer {{ email {CREDIT_FIELDS} }} userErrors {{ field code message }} }} }}"""
SET_GROUP_CREDIT_LIMIT = """
mutation($input: SetCustomerGroupCreditLimitInput!) {
  setCustomerGroupCreditLimit(input: $input) {
    customerGroup { code creditLimit { amount currency } } userErrors { field code message }
} }"""
CUSTOMER_CREDIT = f"query($id: ID!) {{ customer(id: $id) {{ email {CREDIT_FIELDS} }} }}"
MY_CREDIT = f"{{ me {{ customer {{ email {CREDIT_FIELDS} }} }} }}"
CUSTOMERS_CREDIT = f"{{ customers(first: 50) {{ edges {{ node {{ email {CREDIT_FIELDS} }} }} }} }}"
CANCEL_ORDER = status_mutation("cancelOrder")
CREATE_PRODUCT = """
mutation($input: CreateProductInput!) { createProduct(input: $input) {
  product { name } userErrors { field code message } } }"""

UNIT_PRICE = "30.00"  # TEE-S costs group TRADE 30.00 USD a unit


def usd(amount: str) -> dict:
    return {"amount": amount, "currency": "USD"}


async def trade_customer(graphql, shop) -> str:
    """Ada in group TRADE, which pays 30.00 USD for a TEE-S; her customer id."""
    await create_group(graphql)
    await set_prices(graphql, {"sku": "TEE-S", "price": UNIT_PRICE})
    ada = await customer_by_email(graphql, shop.customer)
    await assign_group(graphql, ada["id"])
    return ada["id"]


async def set_group_limit(graphql, limit: dict | None, token: str | None = None) -> dict:
    data = await graphql.data(
        SET_GROUP_CREDIT_LIMIT,
        {"input": {"groupCode": "TRADE", "limit": limit}},
        token=token or graphql.token(Role.ADMIN),
    )
    return data["setCustomerGroupCreditLimit"]


async def set_customer_limit(
    graphql, customer_id: str, limit: dict | None, token: str | None = None
) -> dict:
    data = await graphql.data(
        SET_CUSTOMER_CREDIT_LIMIT,
        {"input": {"customerId": customer_id, "limit": limit}},
        token=token or graphql.token(Role.ADMIN),
    )
    return data["setCustomerCreditLimit"]


async def credit_of(graphql, customer_id: str) -> dict:
    return (await graphql.admin(CUSTOMER_CREDIT, {"id": customer_id}))["customer"]


async def tees(graphql, shop, units: int, token: str | None = None, **extra) -> dict:
    """Ada's WHOLESALE order of `units` TEE-S (30.00 USD each)."""
    return await place(
        graphql, wholesale_order(("TEE-S", units), customerEmail=shop.customer, **extra), token
    )


async def test_an_order_past_the_groups_limit_is_refused_and_nothing_is_reserved(graphql, shop):
    ada_id = await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("100.00"))
    first = await tees(graphql, shop, 3)

    refused = await tees(graphql, shop, 1)

    assert first["userErrors"] == []
    assert refused["order"] is None
    assert refused["userErrors"] == [
        {
            "field": ["input", "lines"],
            "code": "CREDIT_LIMIT_EXCEEDED",
            "message": "this order would pass the customer's credit limit: exposure 90.00 USD "
            "+ order 30.00 USD > limit 100.00 USD (orders in other currencies are not "
            "counted); take a payment first, or have an admin place it with "
            "overrideCreditLimit",
        }
    ]
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 3)
    assert await credit_of(graphql, ada_id) == {
        "email": shop.customer,
        "creditLimit": usd("100.00"),
        "ownCreditLimit": None,
        "creditUsed": usd("90.00"),
        "availableCredit": usd("10.00"),
    }


async def test_an_order_that_reaches_the_limit_exactly_is_placed(graphql, shop):
    await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("90.00"))

    placed = await tees(graphql, shop, 3)

    assert placed["userErrors"] == []


async def test_a_customers_own_limit_overrides_its_groups(graphql, shop):
    ada_id = await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("1000.00"))
    own = await set_customer_limit(graphql, ada_id, usd("50.00"))

    refused = await tees(graphql, shop, 2)
    await set_customer_limit(graphql, ada_id, usd("200.00"))
    placed = await tees(graphql, shop, 5)

    assert own["userErrors"] == []
    assert own["customer"]["ownCreditLimit"] == usd("50.00")
    assert own["customer"]["creditLimit"] == usd("50.00")
    assert refused["userErrors"][0]["code"] == "CREDIT_LIMIT_EXCEEDED"
    assert placed["userErrors"] == []
    assert (await credit_of(graphql, ada_id))["availableCredit"] == usd("50.00")


async def test_clearing_a_customers_own_limit_lets_its_groups_hold_again(graphql, shop):
    ada_id = await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("40.00"))
    await set_customer_limit(graphql, ada_id, usd("500.00"))

    cleared = await set_customer_limit(graphql, ada_id, None)
    refused = await tees(graphql, shop, 2)

    assert cleared["customer"]["ownCreditLimit"] is None
    assert cleared["customer"]["creditLimit"] == usd("40.00")
    assert refused["userErrors"][0]["code"] == "CREDIT_LIMIT_EXCEEDED"


async def test_without_a_limit_credit_is_unlimited(graphql, shop):
    ada_id = await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("10.00"))

    cleared = await set_group_limit(graphql, None)
    placed = await tees(graphql, shop, 10)

    assert cleared == {"customerGroup": {"code": "TRADE", "creditLimit": None}, "userErrors": []}
    assert placed["userErrors"] == []
    assert await credit_of(graphql, ada_id) == {
        "email": shop.customer,
        "creditLimit": None,
        "ownCreditLimit": None,
        "creditUsed": None,
        "availableCredit": None,
    }


async def test_a_payment_frees_credit(graphql, shop):
    ada_id = await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("100.00"))
    first = (await tees(graphql, shop, 3))["order"]
    refused = await tees(graphql, shop, 2)

    paid = await manual_payment(graphql, first["id"], "50.00", "pay-1")
    placed = await tees(graphql, shop, 2)

    assert refused["userErrors"][0]["code"] == "CREDIT_LIMIT_EXCEEDED"
    assert paid["userErrors"] == []
    assert placed["userErrors"] == []
    assert (await credit_of(graphql, ada_id))["creditUsed"] == usd("100.00")  # 40 + 60


async def test_a_cancelled_order_frees_credit(graphql, shop):
    await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("100.00"))
    first = (await tees(graphql, shop, 3))["order"]

    cancelled = await graphql.admin(CANCEL_ORDER, {"input": {"orderId": first["id"]}})
    placed = await tees(graphql, shop, 3)

    assert cancelled["cancelOrder"]["userErrors"] == []
    assert placed["userErrors"] == []


async def test_a_backorder_counts_in_full(graphql, shop):
    ada_id = await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("500.00"))

    backordered = await tees(graphql, shop, 15, allowBackorder=True)  # 13 in stock

    assert backordered["order"]["status"] == "BACKORDERED"
    assert (await credit_of(graphql, ada_id))["creditUsed"] == usd("450.00")
    more = await tees(graphql, shop, 2, allowBackorder=True)
    assert more["userErrors"][0]["code"] == "CREDIT_LIMIT_EXCEEDED"


async def test_an_admin_may_place_an_order_past_the_limit_and_its_history_says_so(graphql, shop):
    ada_id = await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("100.00"))
    await tees(graphql, shop, 3)

    placed = await tees(graphql, shop, 2, overrideCreditLimit=True)

    assert placed["userErrors"] == []
    assert placed["order"]["history"] == [
        {
            "fromStatus": None,
            "toStatus": "PENDING",
            "actor": "admin",
            "note": "credit limit overridden by admin: exposure 90.00 USD + order 60.00 USD "
            "> limit 100.00 USD",
        }
    ]
    assert (await credit_of(graphql, ada_id))["availableCredit"] == usd("0.00")


async def test_an_override_that_overrides_nothing_leaves_no_note(graphql, shop):
    await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("100.00"))

    placed = await tees(graphql, shop, 1, overrideCreditLimit=True)

    assert placed["order"]["history"][0]["note"] is None


async def test_only_an_admin_may_override_a_credit_limit(graphql, shop):
    await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("100.00"))
    staff = graphql.token(Role.STAFF)
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)

    by_staff = await tees(graphql, shop, 1, token=staff, overrideCreditLimit=True)
    by_customer = await tees(graphql, shop, 1, token=ada, overrideCreditLimit=True)

    assert by_staff["order"] is None
    assert by_staff["userErrors"][0]["code"] == "FORBIDDEN"
    assert by_customer["userErrors"][0]["code"] == "FORBIDDEN"
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0)


async def test_orders_in_another_currency_are_not_counted(graphql, database, shop):
    ada_id = await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("100.00"))
    created = await graphql.admin(
        CREATE_PRODUCT,
        {
            "input": {
                "name": "Scarf",
                "variants": [
                    {"sku": "SCARF", "name": "Scarf", "price": {"amount": "80", "currency": "EUR"}}
                ],
            }
        },
    )
    assert created["createProduct"]["userErrors"] == []
    await add_stock(database, {("SCARF", shop.warehouse): 5})

    in_euros = await place(
        graphql, wholesale_order(("SCARF", 2), customerEmail=shop.customer)
    )  # 160 EUR: no limit in EUR judges it
    in_dollars = await tees(graphql, shop, 3)

    assert in_euros["userErrors"] == []
    assert in_dollars["userErrors"] == []
    assert (await credit_of(graphql, ada_id))["creditUsed"] == usd("90.00")


async def test_limits_are_set_by_admins_only_and_must_be_money(graphql, shop):
    ada_id = await trade_customer(graphql, shop)
    staff = graphql.token(Role.STAFF)

    by_staff = await set_customer_limit(graphql, ada_id, usd("10.00"), token=staff)
    group_by_staff = await set_group_limit(graphql, usd("10.00"), token=staff)
    negative = await set_customer_limit(graphql, ada_id, usd("-1.00"))
    unknown = await set_group_limit(graphql, {"amount": "10", "currency": "XYZ"})

    assert by_staff["userErrors"][0]["code"] == "FORBIDDEN"
    assert group_by_staff["userErrors"][0]["code"] == "FORBIDDEN"
    assert negative["userErrors"][0]["code"] == "INVALID_INPUT"
    assert negative["userErrors"][0]["field"] == ["input", "limit"]
    assert unknown["userErrors"][0]["code"] == "INVALID_INPUT"
    assert (await credit_of(graphql, ada_id))["creditLimit"] is None


async def test_a_customer_sees_its_own_credit(graphql, shop):
    await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("100.00"))
    await tees(graphql, shop, 1)

    mine = await graphql.data(MY_CREDIT, token=graphql.token(Role.CUSTOMER, customer=shop.customer))

    assert mine["me"]["customer"]["creditUsed"] == usd("30.00")
    assert mine["me"]["customer"]["availableCredit"] == usd("70.00")


async def test_a_page_of_customers_reads_its_credit_in_one_query(graphql, database, shop):
    ada_id = await trade_customer(graphql, shop)
    bob = await customer_by_email(graphql, shop.other_customer)
    await assign_group(graphql, bob["id"])
    await set_group_limit(graphql, usd("100.00"))
    await set_customer_limit(graphql, ada_id, usd("300.00"))
    await tees(graphql, shop, 2)

    with counting_statements(database) as statements:
        listed = await graphql.admin(CUSTOMERS_CREDIT)

    credit = {
        e["node"]["email"]: (e["node"]["creditLimit"], e["node"]["availableCredit"])
        for e in listed["customers"]["edges"]
    }
    assert credit == {
        shop.customer: (usd("300.00"), usd("240.00")),
        shop.other_customer: (usd("100.00"), usd("100.00")),
    }
    assert len(statements) <= 3  # count + page, credit


CLIENTS = 12


async def test_concurrent_orders_never_pass_the_limit_together(graphql, database):
    # given a limit of 100.00 and room in stock for every order
    shop = await build_shop(database, {("TEE-S", "WH-A"): CLIENTS})
    ada_id = await trade_customer(graphql, shop)
    await set_group_limit(graphql, usd("100.00"))

    # when twelve orders of 30.00 each arrive at once
    payloads = await asyncio.gather(*(tees(graphql, shop, 1) for _ in range(CLIENTS)))

    # then exactly three fit, and the customer owes no more than its limit
    placed = [p for p in payloads if p["order"] is not None]
    refused = [p["userErrors"][0]["code"] for p in payloads if p["order"] is None]
    assert len(placed) == 3
    assert refused == ["CREDIT_LIMIT_EXCEEDED"] * (CLIENTS - 3)
    assert (await credit_of(graphql, ada_id))["creditUsed"] == usd("90.00")
    assert await level(graphql, "TEE-S", shop.warehouse) == (CLIENTS, 3)
