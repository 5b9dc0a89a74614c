"""Purchase orders: who may see and change them, and how they are listed. Every test runs
on SQLite and PostgreSQL."""

import base64

import pytest

from domain.access import Role
from tests.api import purchasing_documents as po
from tests.api.ledger_documents import assert_stock_holds
from tests.api.purchasing_documents import (
    NODE,
    PURCHASE_ORDER,
    PURCHASE_ORDERS,
    TEE,
    cancel,
    create,
    level,
    ordered,
    receive,
    submit,
)
from tests.api.test_query_count import counting_statements
from tests.api.transfers_documents import codes

# The shop (tests/api/conftest.py): WH-A holds TEE-S 10 and TEE-M 5, ST-B holds TEE-S 3
# and MUG 4, ST-C holds nothing. ACME supplies.


@pytest.fixture(autouse=True)
async def acme(graphql, shop):
    assert (await po.create_supplier(graphql, "ACME"))["userErrors"] == []


# -- who may do what ---------------------------------------------------------------------


async def test_staff_buy_for_the_locations_they_work_at(graphql, database, shop):
    clerk = graphql.token(Role.STAFF, locations=(shop.store,), subject="store-clerk")
    order = await create(graphql, ("MUG", 6, "1.00"), location=shop.store, token=clerk)

    assert codes(await create(graphql, *TEE, location=shop.warehouse, token=clerk)) == ["FORBIDDEN"]
    order_id = order["purchaseOrder"]["id"]
    assert codes(await submit(graphql, order_id, token=clerk)) == []
    assert codes(await receive(graphql, order_id, ("MUG", 2), token=clerk)) == []
    cancelled = await cancel(graphql, order_id, token=clerk)

    assert [h["actor"] for h in cancelled["purchaseOrder"]["history"]] == ["store-clerk"] * 4
    assert await level(graphql, "MUG", shop.store) == (6, 6, 0)
    await assert_stock_holds(database)


async def test_staff_elsewhere_cannot_see_a_purchase_order_nor_learn_that_it_exists(graphql, shop):
    elsewhere = graphql.token(Role.STAFF, locations=(shop.other_store,))
    order = await ordered(graphql, *TEE)

    assert (await graphql.data(PURCHASE_ORDER, {"id": order["id"]}, token=elsewhere)) == {
        "purchaseOrder": None
    }
    assert (await graphql.data(NODE, {"id": order["id"]}, token=elsewhere)) == {"node": None}
    listed = await graphql.data(PURCHASE_ORDERS, token=elsewhere)
    assert listed["purchaseOrders"]["totalCount"] == 0
    for payload in (
        await receive(graphql, order["id"], ("TEE-M", 1), token=elsewhere),
        await cancel(graphql, order["id"], token=elsewhere),
    ):
        assert (payload["purchaseOrder"], codes(payload)) == (None, ["NOT_FOUND"])
        assert payload["userErrors"][0]["field"] == ["input", "purchaseOrderId"]
    assert await level(graphql, "TEE-M", shop.warehouse) == (5, 5, 1)


@pytest.mark.parametrize("role", ["pos", "customer", "anonymous"])
async def test_pos_terminals_customers_and_anonymous_callers_neither_see_nor_buy(
    graphql, shop, role
):
    token = {
        "pos": graphql.token(Role.POS, locations=(shop.warehouse,)),
        "customer": graphql.token(Role.CUSTOMER, customer=shop.customer),
        "anonymous": "",
    }[role]
    order = (await create(graphql, *TEE))["purchaseOrder"]

    created = await create(graphql, *TEE, token=token)
    submitted = await submit(graphql, order["id"], token=token)
    listed = await graphql.post(PURCHASE_ORDERS, token=token)
    one = await graphql.data(PURCHASE_ORDER, {"id": order["id"]}, token=token)
    node = await graphql.data(NODE, {"id": order["id"]}, token=token)

    assert codes(created) == codes(submitted) == ["FORBIDDEN"]
    assert listed["data"] is None
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert one == {"purchaseOrder": None}
    assert node == {"node": None}
    after = (await graphql.admin(PURCHASE_ORDER, {"id": order["id"]}))["purchaseOrder"]
    assert after["status"] == "DRAFT"


@pytest.mark.parametrize("node_id", ["0", "999", str(2**31)])
async def test_an_id_that_names_no_purchase_order_is_not_found(graphql, shop, node_id):
    order_id = base64.b64encode(f"PurchaseOrder:{node_id}".encode()).decode()

    payload = await submit(graphql, order_id)

    assert codes(payload) == ["NOT_FOUND"]
    assert (await graphql.admin(PURCHASE_ORDER, {"id": order_id}))["purchaseOrder"] is None


async def test_an_id_of_another_type_is_not_found(graphql, shop):
    products = await graphql.admin("{ products(first: 1) { edges { node { id } } } }")
    product_id = products["products"]["edges"][0]["node"]["id"]

    payload = await cancel(graphql, product_id)

    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("NOT_FOUND", ["input", "purchaseOrderId"])
    ]
    assert (await graphql.admin(PURCHASE_ORDER, {"id": product_id}))["purchaseOrder"] is None


# -- listing them ------------------------------------------------------------------------


async def test_purchase_orders_are_listed_newest_first_and_filtered(graphql, shop):
    await po.create_supplier(graphql, "BOLT")
    first = (await create(graphql, *TEE))["purchaseOrder"]
    await create(graphql, ("MUG", 1, "1.00"), supplier="BOLT", location=shop.store)
    await ordered(graphql, *TEE, location=shop.store)
    await submit(graphql, first["id"])

    async def numbers(**filter):
        data = await graphql.admin(PURCHASE_ORDERS, {"filter": filter})
        return [edge["node"]["number"] for edge in data["purchaseOrders"]["edges"]]

    assert await numbers() == ["PO-000003", "PO-000002", "PO-000001"]
    assert await numbers(status="ORDERED") == ["PO-000003", "PO-000001"]
    assert await numbers(supplierCode="bolt") == ["PO-000002"]
    assert await numbers(locationCode="ST-B") == ["PO-000003", "PO-000002"]
    assert await numbers(status="DRAFT", supplierCode="ACME") == []


async def test_staff_list_the_purchase_orders_for_where_they_work(graphql, shop):
    await create(graphql, *TEE, location=shop.warehouse)
    await create(graphql, *TEE, location=shop.store)
    store = graphql.token(Role.STAFF, locations=(shop.store,))

    data = await graphql.data(PURCHASE_ORDERS, token=store)

    assert [e["node"]["number"] for e in data["purchaseOrders"]["edges"]] == ["PO-000002"]
    assert data["purchaseOrders"]["totalCount"] == 1


async def test_purchase_orders_page_with_cursors_and_are_nodes(graphql, shop):
    for _ in range(3):
        await create(graphql, *TEE)

    page_one = (await graphql.admin(PURCHASE_ORDERS, {"first": 2}))["purchaseOrders"]
    after = page_one["pageInfo"]["endCursor"]
    page_two = (await graphql.admin(PURCHASE_ORDERS, {"first": 2, "after": after}))[
        "purchaseOrders"
    ]
    listed = await graphql.admin(PURCHASE_ORDERS, {"first": 1})
    newest = listed["purchaseOrders"]["edges"][0]["node"]

    assert [e["node"]["number"] for e in page_one["edges"]] == ["PO-000003", "PO-000002"]
    assert [e["node"]["number"] for e in page_two["edges"]] == ["PO-000001"]
    assert page_two["pageInfo"]["hasNextPage"] is False
    assert newest["number"] == "PO-000003"


PURCHASE_ORDERS_PAGE = """
query($first: Int!) {
  purchaseOrders(first: $first) {
    totalCount
    edges { node {
      number status total { amount } supplier { code name } location { code }
      lines { sku quantity received unitCost { amount } variant { sku name } }
      history { sequence toStatus actor }
    } }
  }
}"""


async def test_a_page_of_purchase_orders_costs_a_fixed_number_of_statements(
    graphql, database, shop
):
    for index in range(6):
        order = (await create(graphql, ("TEE-S", 1, "1"), ("TEE-M", 1, "2"), ("MUG", 1, "3")))[
            "purchaseOrder"
        ]
        if index % 2:
            await submit(graphql, order["id"])
    for first in (1, 6):
        with counting_statements(database) as statements:
            data = await graphql.admin(PURCHASE_ORDERS_PAGE, {"first": first})
        assert len(data["purchaseOrders"]["edges"]) == first
        assert all(len(e["node"]["lines"]) == 3 for e in data["purchaseOrders"]["edges"])
        # count + page, suppliers, locations, lines, variants, history
        assert len(statements) <= 7
