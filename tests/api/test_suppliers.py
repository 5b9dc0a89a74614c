"""Suppliers and what they charge: creating them, setting prices (a SKU may have prices from
several suppliers), reading them, and who may. Every test runs on SQLite and PostgreSQL."""

import pytest

from domain.access import Role
from tests.api.purchasing_documents import (
    SUPPLIER,
    SUPPLIERS,
    VARIANT_SUPPLIER_PRICES,
    create_supplier,
    set_supplier_prices,
)
from tests.api.test_query_count import counting_statements
from tests.api.transfers_documents import codes

SUPPLIER_NODE = "query($id: ID!) { node(id: $id) { ... on Supplier { code } } }"


def price(sku: str, unit_cost: str, currency: str | None = None) -> dict:
    entry = {"sku": sku, "unitCost": unit_cost}
    return entry if currency is None else entry | {"currency": currency}


async def test_a_supplier_is_created_and_found_by_its_code(graphql, shop):
    payload = await create_supplier(
        graphql, " acme ", lead_time_days=14, name=" Acme Textiles ", contact="orders@acme.example"
    )

    created = payload["supplier"]
    assert payload["userErrors"] == []
    assert (created["code"], created["name"], created["contact"], created["leadTimeDays"]) == (
        "ACME",
        "Acme Textiles",
        "orders@acme.example",
        14,
    )
    assert (await graphql.admin(SUPPLIER, {"code": "acme"}))["supplier"]["id"] == created["id"]
    assert (await graphql.admin(SUPPLIER, {"code": "NOPE"}))["supplier"] is None
    node = await graphql.admin(SUPPLIER_NODE, {"id": created["id"]})
    assert node == {"node": {"code": "ACME"}}


@pytest.mark.parametrize(
    ("code", "lead_time_days", "error", "field"),
    [
        ("ACME", 7, "DUPLICATE", "code"),
        ("AC ME", 7, "INVALID_INPUT", "code"),
        ("BOLT", -1, "INVALID_INPUT", "leadTimeDays"),
    ],
    ids=["duplicate", "bad-code", "negative-lead-time"],
)
async def test_a_supplier_that_breaks_a_rule_is_not_created(
    graphql, shop, code, lead_time_days, error, field
):
    await create_supplier(graphql, "ACME")

    payload = await create_supplier(graphql, code, lead_time_days=lead_time_days)

    assert payload["supplier"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(error, ["input", field])]
    assert (await graphql.admin(SUPPLIERS))["suppliers"]["totalCount"] == 1


async def test_prices_are_set_replaced_and_kept_per_supplier(graphql, shop):
    await create_supplier(graphql, "ACME")
    await set_supplier_prices(graphql, price("TEE-S", "4.2"), price("MUG", "1.10"))

    payload = await set_supplier_prices(graphql, price("tee-s", "3.95"), price("TEE-M", "4", "EUR"))

    assert payload["userErrors"] == []
    assert [(p["sku"], p["unitCost"]) for p in payload["supplier"]["prices"]] == [
        ("MUG", {"amount": "1.10", "currency": "USD"}),
        ("TEE-M", {"amount": "4.00", "currency": "EUR"}),
        ("TEE-S", {"amount": "3.95", "currency": "USD"}),
    ]


async def test_a_variant_shows_every_suppliers_price_with_its_lead_time(graphql, shop):
    await create_supplier(graphql, "BOLT", lead_time_days=3)
    await create_supplier(graphql, "ACME", lead_time_days=14)
    await set_supplier_prices(graphql, price("TEE-M", "4.20"), code="ACME")
    await set_supplier_prices(graphql, price("TEE-M", "5.10"), code="BOLT")

    data = await graphql.admin(VARIANT_SUPPLIER_PRICES, {"sku": "TEE-M"})

    assert [
        (p["supplier"]["code"], p["supplier"]["leadTimeDays"], p["unitCost"]["amount"])
        for p in data["variant"]["supplierPrices"]
    ] == [("ACME", 14, "4.20"), ("BOLT", 3, "5.10")]


@pytest.mark.parametrize(
    ("prices", "code", "error", "field"),
    [
        ([price("TEE-S", "1")], "NOPE", "NOT_FOUND", "supplierCode"),
        ([price("TEE-S", "1"), price("SOCKS", "1")], "ACME", "NOT_FOUND", "prices.1.sku"),
        ([price("TEE-S", "1"), price("tee-s", "2")], "ACME", "INVALID_INPUT", "prices.1.sku"),
        ([price("TEE-S", "-1")], "ACME", "INVALID_INPUT", "prices.0.unitCost"),
        ([price("TEE-S", "1", "US")], "ACME", "INVALID_INPUT", "prices.0.currency"),
        ([], "ACME", "INVALID_INPUT", "prices"),
    ],
    ids=["no-supplier", "unknown-sku", "twice", "negative", "bad-currency", "none"],
)
async def test_prices_that_break_a_rule_change_nothing(graphql, shop, prices, code, error, field):
    await create_supplier(graphql, "ACME")
    await set_supplier_prices(graphql, price("TEE-S", "4.20"))

    payload = await set_supplier_prices(graphql, *prices, code=code)

    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        (error, ["input", *field.split(".")])
    ]
    stored = (await graphql.admin(SUPPLIER, {"code": "ACME"}))["supplier"]["prices"]
    assert [(p["sku"], p["unitCost"]["amount"]) for p in stored] == [("TEE-S", "4.20")]


async def test_staff_bound_to_a_store_manage_suppliers_too(graphql, shop):
    clerk = graphql.token(Role.STAFF, locations=(shop.store,))

    created = await create_supplier(graphql, "ACME", token=clerk)
    priced = await set_supplier_prices(graphql, price("MUG", "1"), token=clerk)

    assert codes(created) == codes(priced) == []
    assert (await graphql.data(SUPPLIERS, token=clerk))["suppliers"]["totalCount"] == 1


@pytest.mark.parametrize("role", ["pos", "customer", "anonymous"])
async def test_pos_terminals_customers_and_anonymous_callers_neither_see_nor_change_suppliers(
    graphql, shop, role
):
    token = {
        "pos": graphql.token(Role.POS, locations=(shop.store,)),
        "customer": graphql.token(Role.CUSTOMER, customer=shop.customer),
        "anonymous": "",
    }[role]
    acme = (await create_supplier(graphql, "ACME"))["supplier"]
    await set_supplier_prices(graphql, price("MUG", "1"))

    created = await create_supplier(graphql, "BOLT", token=token)
    priced = await set_supplier_prices(graphql, price("MUG", "0"), token=token)
    reads = [
        await graphql.post(SUPPLIERS, token=token),
        await graphql.post(SUPPLIER, {"code": "ACME"}, token=token),
        await graphql.post(VARIANT_SUPPLIER_PRICES, {"sku": "MUG"}, token=token),
    ]
    node = await graphql.data(SUPPLIER_NODE, {"id": acme["id"]}, token=token)

    assert codes(created) == codes(priced) == ["FORBIDDEN"]
    assert [read["errors"][0]["extensions"]["code"] for read in reads] == ["FORBIDDEN"] * 3
    assert node == {"node": None}
    stored = (await graphql.admin(SUPPLIER, {"code": "ACME"}))["supplier"]["prices"]
    assert [p["unitCost"]["amount"] for p in stored] == ["1.00"]


async def test_suppliers_page_with_cursors(graphql, shop):
    for code in ("ACME", "BOLT", "CRATE"):
        await create_supplier(graphql, code)

    page_one = (await graphql.admin(SUPPLIERS, {"first": 2}))["suppliers"]
    after = page_one["pageInfo"]["endCursor"]
    page_two = (await graphql.admin(SUPPLIERS, {"first": 2, "after": after}))["suppliers"]

    assert [e["node"]["code"] for e in page_one["edges"]] == ["ACME", "BOLT"]
    assert [e["node"]["code"] for e in page_two["edges"]] == ["CRATE"]
    assert page_one["totalCount"] == 3


CATALOG_WITH_COSTS = """
query($first: Int!) { products(first: $first) { edges { node {
  variants { sku supplierPrices { unitCost { amount } supplier { code leadTimeDays } } }
} } } }"""


async def test_supplier_prices_of_a_page_of_variants_cost_a_fixed_number_of_statements(
    graphql, database, shop
):
    for code in ("ACME", "BOLT"):
        await create_supplier(graphql, code)
        await set_supplier_prices(
            graphql, price("TEE-S", "1"), price("TEE-M", "2"), price("MUG", "3"), code=code
        )
    for first in (1, 2):
        with counting_statements(database) as statements:
            data = await graphql.admin(CATALOG_WITH_COSTS, {"first": first})
        variants = [v for e in data["products"]["edges"] for v in e["node"]["variants"]]
        assert all(len(v["supplierPrices"]) == 2 for v in variants)
        # products, variants, prices, suppliers
        assert len(statements) <= 4
