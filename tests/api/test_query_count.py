"""A page costs a fixed number of SQL statements however long it is (no N+1).

Each relation is one DataLoader batch. When one loader is reached by two paths that finish
at different moments (locations of allocations and of shipments) it may run as one batch or
two, so the budget is a fixed bound rather than one exact number; an N+1 would exceed it by
the page size.
"""

from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import event

from domain.access import Principal
from domain.commands.catalog import CreateProduct, NewVariant
from domain.usecases import catalog
from persistence.uow import SqlUnitOfWork
from tests.api.orders_documents import SHIP_ORDER, change, place, shipping_order

CATALOG_PAGE = """
query($first: Int!) {
  products(first: $first) {
    totalCount
    edges { node { id name variants {
      sku price { amount currency }
      product { name }
      stockLevels { onHand reserved available location { code name } }
    } } }
  }
}"""
ORDERS_PAGE = """
query($first: Int!) {
  orders(first: $first) {
    edges { node {
      number status total { amount } customer { email } pickupLocation { code }
      lines { sku variant { sku } allocations { quantity location { code } } }
      history { toStatus } shipments { carrier lines { sku location { code } } }
    } }
  }
}"""


@contextmanager
def counting_statements(database):
    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
            statements.append(statement)

    engines = [engine.sync_engine for engine in database.engines]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)


async def statements_for(graphql, database, query, first):
    with counting_statements(database) as statements:
        data = await graphql.admin(query, {"first": first})
    return len(statements), data


async def add_products(database, count):
    seeder = Principal.system()
    for index in range(count):
        variants = tuple(
            NewVariant(f"P{index}-{size}", size, Decimal("5.00"), "USD") for size in ("S", "M")
        )
        await catalog.create_product(
            SqlUnitOfWork(database),
            seeder,
            CreateProduct(f"Product {index}", variants),
        )


async def test_a_catalog_page_costs_a_fixed_number_of_statements(graphql, database, shop):
    await add_products(database, 12)
    for first in (1, 14):
        count, data = await statements_for(graphql, database, CATALOG_PAGE, first)
        assert len(data["products"]["edges"]) == first
        # count + page, variants, their products, stock levels, locations
        assert count <= 6


async def test_an_orders_page_costs_a_fixed_number_of_statements(graphql, database, shop):
    for index in range(6):
        lines = [("TEE-S", 1), ("MUG", 1)] if index < 4 else [("TEE-S", 2)]
        order = (await place(graphql, shipping_order(*lines, customerEmail=shop.customer)))["order"]
        await change(graphql, "confirmOrder", order["id"])
        await graphql.admin(
            SHIP_ORDER,
            {
                "input": {
                    "orderId": order["id"],
                    "carrier": "DHL",
                    "trackingNumber": str(index),
                    "lines": [{"sku": "TEE-S", "quantity": 1}],
                }
            },
        )
    for first in (1, 6):
        count, data = await statements_for(graphql, database, ORDERS_PAGE, first)
        assert len(data["orders"]["edges"]) == first
        assert all(edge["node"]["shipments"] for edge in data["orders"]["edges"])
        # count + page, lines + allocations, customers, variants, history,
        # shipments + their lines, locations (one batch or two)
        assert count <= 11


async def test_the_total_count_is_only_counted_when_asked_for(graphql, database, shop):
    without_total = CATALOG_PAGE.replace("totalCount", "")
    with_count, _ = await statements_for(graphql, database, CATALOG_PAGE, 2)
    without_count, _ = await statements_for(graphql, database, without_total, 2)
    assert without_count == with_count - 1
