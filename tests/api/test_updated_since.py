"""Syncing by `updatedSince`: the orders, products, stock levels and customers lists name
exactly the rows changed at or after a time, and every write that changes such a row
moves its `updatedAt`."""

import asyncio
import json
from datetime import UTC, datetime

from domain.access import Role
from tests.api import test_payment_events
from tests.api.orders_documents import SHIP_ORDER, change, place, shipping_order
from tests.api.transfers_documents import SET_THRESHOLDS, receive, shipped

LEVELS = """
query($since: DateTime, $last: Int) {
  stockLevels(last: $last, filter: {updatedSince: $since}) {
    totalCount edges { node { updatedAt variant { sku } location { code } } }
  }
}"""
PRODUCTS = """
query($since: DateTime) {
  products(filter: {updatedSince: $since}) { edges { node { name updatedAt } } }
}"""
ORDERS = """
query($since: DateTime) {
  orders(filter: {updatedSince: $since}) { edges { node { id number updatedAt } } }
}"""
CUSTOMERS = """
query($since: DateTime) {
  customers(filter: {updatedSince: $since}) { edges { node { id email updatedAt } } }
}"""
STOCK_CHANGED = """
subscription { stockLevelChanged(locationCode: "ST-B", sku: "TEE-M") { id updatedAt } }"""
STORED_LEVEL = """
{ stockLevels(filter: {sku: "TEE-M", locationCode: "ST-B"}) { edges { node { id updatedAt } } } }"""
ADJUST_STOCK = """
mutation($sku: String!, $location: String!, $delta: Int!) {
  adjustStock(input: {sku: $sku, locationCode: $location, delta: $delta, reason: RECEIVED}) {
    userErrors { code }
  }
}"""
UPDATE_PRICE = """
mutation($sku: String!) {
  updateVariantPrice(input: {sku: $sku, price: {amount: "24.00", currency: "USD"}}) {
    userErrors { code }
  }
}"""
CREATE_LOCATION = """
mutation($code: String!) {
  createLocation(input: {code: $code, name: $code, kind: STORE}) { userErrors { code } }
}"""
CREATE_CUSTOMER = """
mutation($email: String!) {
  createCustomer(input: {email: $email, name: "New"}) { userErrors { code } }
}"""
ADD_ADDRESS = """
mutation($id: ID!) {
  addCustomerAddress(input: {customerId: $id, label: "Home", address: {
    line1: "1 Main Street", city: "Springfield", postalCode: "62701", region: "IL",
    country: "US"
  }}) {
    userErrors { code }
  }
}"""
ADD_NOTE = """
mutation($id: ID!) {
  addCustomerNote(input: {customerId: $id, note: "Prefers pickup"}) { userErrors { code } }
}"""
SET_CREDIT_LIMIT = """
mutation($id: ID!) {
  setCustomerCreditLimit(input: {customerId: $id, limit: {amount: "500", currency: "USD"}}) {
    userErrors { code }
  }
}"""


# The shop served on a real port, for subscriptions over WebSocket.
live = test_payment_events.live


def now() -> str:
    return datetime.now(UTC).isoformat()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def levels_changed_since(graphql, since: str) -> set[tuple[str, str]]:
    data = await graphql.admin(LEVELS, {"since": since, "last": 100})
    return {
        (edge["node"]["variant"]["sku"], edge["node"]["location"]["code"])
        for edge in data["stockLevels"]["edges"]
    }


async def customers_changed_since(graphql, since: str) -> set[str]:
    data = await graphql.admin(CUSTOMERS, {"since": since})
    return {edge["node"]["email"] for edge in data["customers"]["edges"]}


async def customer_id(graphql, email: str) -> str:
    data = await graphql.admin(CUSTOMERS, {"since": None})
    return next(e["node"]["id"] for e in data["customers"]["edges"] if e["node"]["email"] == email)


async def test_adjusting_stock_marks_only_that_level_changed(graphql, shop):
    # given a time after the shop was stocked
    since = now()
    assert await levels_changed_since(graphql, since) == set()
    # when one level is adjusted
    await graphql.admin(ADJUST_STOCK, {"sku": "MUG", "location": shop.store, "delta": 2})
    # then it alone is listed as changed since, and its updatedAt is after that time
    assert await levels_changed_since(graphql, since) == {("MUG", shop.store)}
    data = await graphql.admin(LEVELS, {"since": since})
    assert at(data["stockLevels"]["edges"][0]["node"]["updatedAt"]) >= at(since)


async def test_placing_and_shipping_an_order_mark_its_level_and_order_changed(graphql, shop):
    # given a time before an order is placed
    since = now()
    # when an order reserves a unit at the warehouse
    order = (await place(graphql, shipping_order(("TEE-M", 1))))["order"]
    # then the reserved level and the order are listed as changed since
    assert await levels_changed_since(graphql, since) == {("TEE-M", shop.warehouse)}
    orders = (await graphql.admin(ORDERS, {"since": since}))["orders"]["edges"]
    assert [edge["node"]["id"] for edge in orders] == [order["id"]]
    # when, later, the order is confirmed and shipped
    shipping = now()
    assert await levels_changed_since(graphql, shipping) == set()
    await change(graphql, "confirmOrder", order["id"])
    shipment = {"orderId": order["id"], "carrier": "DHL", "trackingNumber": "1"}
    shipment["lines"] = [{"sku": "TEE-M", "quantity": 1}]
    await graphql.admin(SHIP_ORDER, {"input": shipment})
    # then the level it shipped from, and the order, changed again
    assert await levels_changed_since(graphql, shipping) == {("TEE-M", shop.warehouse)}
    orders = (await graphql.admin(ORDERS, {"since": shipping}))["orders"]["edges"]
    assert [edge["node"]["id"] for edge in orders] == [order["id"]]


async def test_a_transfer_marks_the_levels_it_moves_changed(graphql, shop):
    # given a time before a transfer is shipped
    since = now()
    # when a transfer leaves the warehouse for the store
    transfer = await shipped(graphql, ("TEE-S", 2))
    # then both ends changed: on hand at the warehouse, in transit at the store
    assert await levels_changed_since(graphql, since) == {
        ("TEE-S", shop.warehouse),
        ("TEE-S", shop.store),
    }
    # when, later, the store receives it
    receiving = now()
    assert (await receive(graphql, transfer["id"], ("TEE-S", 2)))["userErrors"] == []
    # then only the store's level changed again
    assert await levels_changed_since(graphql, receiving) == {("TEE-S", shop.store)}


async def test_thresholds_and_a_new_location_mark_levels_changed(graphql, shop):
    # given a time after the shop was set up
    since = now()
    # when a level's thresholds are set
    thresholds = {"sku": "MUG", "locationCode": shop.store, "reorderPoint": 2, "safetyStock": 1}
    await graphql.admin(SET_THRESHOLDS, {"input": thresholds})
    # then that level changed
    assert await levels_changed_since(graphql, since) == {("MUG", shop.store)}
    # when a location is added, with an empty level of every goods variant
    added = now()
    await graphql.admin(CREATE_LOCATION, {"code": "ST-NEW"})
    # then its new levels are listed as changed since
    assert await levels_changed_since(graphql, added) == {
        ("TEE-S", "ST-NEW"),
        ("TEE-M", "ST-NEW"),
        ("MUG", "ST-NEW"),
    }


async def test_customer_edits_mark_the_customer_changed(graphql, shop):
    ada = await customer_id(graphql, shop.customer)
    for mutation in (ADD_ADDRESS, ADD_NOTE, SET_CREDIT_LIMIT):
        # given a time before the edit
        since = now()
        assert await customers_changed_since(graphql, since) == set()
        # when the customer is edited
        data = await graphql.admin(mutation, {"id": ada})
        assert next(iter(data.values()))["userErrors"] == []
        # then it alone is listed as changed since
        assert await customers_changed_since(graphql, since) == {shop.customer}
    # and a new customer is changed since before it was created
    since = now()
    await graphql.admin(CREATE_CUSTOMER, {"email": "new@example.com"})
    assert await customers_changed_since(graphql, since) == {"new@example.com"}


async def test_a_variant_price_change_marks_its_product_changed(graphql, shop):
    # given a time after the catalog was set up
    since = now()
    assert (await graphql.admin(PRODUCTS, {"since": since}))["products"]["edges"] == []
    # when a variant of the T-shirt is repriced
    data = await graphql.admin(UPDATE_PRICE, {"sku": "TEE-M"})
    assert data["updateVariantPrice"]["userErrors"] == []
    # then the T-shirt, and not the mug, is listed as changed since
    products = (await graphql.admin(PRODUCTS, {"since": since}))["products"]["edges"]
    assert [edge["node"]["name"] for edge in products] == ["T-shirt"]
    assert at(products[0]["node"]["updatedAt"]) >= at(since)


async def test_without_updated_since_every_row_is_listed(graphql, shop):
    # when the lists are read with a null updatedSince
    levels = (await graphql.admin(LEVELS, {"since": None}))["stockLevels"]
    customers = await customers_changed_since(graphql, None)
    # then nothing is left out
    assert levels["totalCount"] == 9  # three variants at three locations
    assert customers == {shop.customer, shop.other_customer}


async def test_a_stock_event_carries_the_updated_at_stored_for_its_level(live):
    # given a stock screen at the store, on a level the shop's stocking left alone (the
    # events of that stocking may still be on their way when it subscribes)
    pos = live.graphql.token(Role.POS, locations=("ST-B",))
    async with live.subscribed(pos, STOCK_CHANGED) as ws:
        # when the level is adjusted
        await live.graphql.admin(ADJUST_STOCK, {"sku": "TEE-M", "location": "ST-B", "delta": 2})
        message = json.loads(await asyncio.wait_for(ws.recv(), test_payment_events.WAIT))
    # then the event tells the updatedAt a sync reads for that level
    level = message["payload"]["data"]["stockLevelChanged"]
    stored = await live.graphql.admin(STORED_LEVEL)
    assert level == stored["stockLevels"]["edges"][0]["node"]
