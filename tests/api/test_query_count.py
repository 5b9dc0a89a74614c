"""A page costs a fixed number of SQL statements however long it is (no N+1).

Each relation is one DataLoader batch. When one loader is reached by two paths that finish
at different moments (locations of allocations and of shipments) it may run as one batch or
two, so the budget is a fixed bound rather than one exact number; an N+1 would exceed it by
the page size.
"""

import io
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

from PIL import Image
from sqlalchemy import event

from api.media.images import PillowImageDecoder
from api.media.storage import LocalMediaStorage
from domain.access import Principal, Role
from domain.commands.catalog import CreateProduct, NewVariant
from domain.commands.media import AddProductMedia
from domain.commands.options import CreateAttribute, NewOption, SetProductAttributes
from domain.model.media import DEFAULT_MAX_BYTES
from domain.model.options import AttributeValues, SelectedOption
from domain.usecases import catalog, media, options
from persistence.uow import SqlUnitOfWork
from tests.api.categories_documents import (
    create_category,
    create_collection,
    product_ids,
    set_collection,
    set_product_categories,
)
from tests.api.conftest import build_app, client_of
from tests.api.orders_documents import SHIP_ORDER, change, place, shipping_order

CATALOG_PAGE = """
query($first: Int!) {
  products(first: $first) {
    totalCount
    edges { node { id name media { url alt variants { sku } } variants {
      sku price { amount currency } media { alt }
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


# The same pages read from the end of their lists (`last`, as Relay's backward paging).
CATALOG_PAGE_FROM_THE_END = CATALOG_PAGE.replace(
    "products(first: $first)", "products(last: $first)"
)
ORDERS_PAGE_FROM_THE_END = ORDERS_PAGE.replace("orders(first: $first)", "orders(last: $first)")


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
    """`count` products of two variants, each with an image shown for its first variant."""
    seeder = Principal.system()
    for index in range(count):
        variants = tuple(
            NewVariant(f"P{index}-{size}", size, Decimal("5.00"), "USD") for size in ("S", "M")
        )
        product = await catalog.create_product(
            SqlUnitOfWork(database),
            seeder,
            CreateProduct(f"Product {index}", variants),
        )
        await add_image(database, product.id, (product.variants[0].id,), colour=(index, 0, 0))


async def add_image(database, product_id, variant_ids, colour):
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), colour).save(buffer, format="PNG")
    data = buffer.getvalue()

    async def read():
        return data

    with tempfile.TemporaryDirectory() as directory:  # pages read the rows, not the bytes
        add = media.add_product_media(
            LocalMediaStorage(directory), PillowImageDecoder(), DEFAULT_MAX_BYTES
        )
        command = AddProductMedia(product_id, "image/png", len(data), read, "front", variant_ids)
        await add(SqlUnitOfWork(database), Principal.system(), command, datetime.now(UTC))


async def test_a_catalog_page_costs_a_fixed_number_of_statements(graphql, database, shop):
    await add_products(database, 12)
    for first in (1, 14):
        count, data = await statements_for(graphql, database, CATALOG_PAGE, first)
        assert len(data["products"]["edges"]) == first
        # count + page, variants, their products, stock levels, locations, the products'
        # media and their variants, the variants' media
        assert count <= 9


async def test_a_catalog_page_from_the_end_costs_what_one_from_the_start_does(
    graphql, database, shop
):
    # given more products than a page
    await add_products(database, 12)
    for size in (1, 14):
        # when a page is read from the start and from the end
        forwards, _ = await statements_for(graphql, database, CATALOG_PAGE, size)
        backwards, data = await statements_for(graphql, database, CATALOG_PAGE_FROM_THE_END, size)
        # then both stay within a forward page's bound, whatever their size (a page of
        # other products may skip a read: the first has no image with variants, the last has)
        assert len(data["products"]["edges"]) == size
        assert forwards <= 9 and backwards <= 9
    # and the whole list (14 products), the same rows either way, costs the same
    assert backwards == forwards


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
        for page in (ORDERS_PAGE, ORDERS_PAGE_FROM_THE_END):
            count, data = await statements_for(graphql, database, page, first)
            assert len(data["orders"]["edges"]) == first
            assert all(edge["node"]["shipments"] for edge in data["orders"]["edges"])
            # count + page, lines + allocations, customers, variants, history,
            # shipments + their lines, locations (one batch or two)
            assert count <= 11


OPTIONS_PAGE = """
query($first: Int!) {
  products(first: $first) {
    edges { node {
      options { name values optionValues { name hasVariants } }
      attributes { slug values }
      variantBySelectedOptions(selectedOptions: [{name: "Size", value: "M"}]) { sku }
      variants { sku selectedOptions { name value } }
    } }
  }
}"""


async def add_products_with_options(database, count):
    seeder = Principal.system()
    await options.create_attribute(
        SqlUnitOfWork(database), seeder, CreateAttribute("Material", values=("Cotton",))
    )
    for index in range(count):
        variants = tuple(
            NewVariant(
                f"O{index}-{size}",
                size,
                Decimal("5.00"),
                "USD",
                selected_options=(SelectedOption("Size", size),),
            )
            for size in ("S", "M")
        )
        product = await catalog.create_product(
            SqlUnitOfWork(database),
            seeder,
            CreateProduct(
                f"Shirt {index}", variants, options=(NewOption("Size", ("S", "M", "L")),)
            ),
        )
        await options.set_product_attributes(
            SqlUnitOfWork(database),
            seeder,
            SetProductAttributes(product.id or 0, (AttributeValues("material", ("Cotton",)),)),
        )


async def test_options_and_attributes_of_a_page_cost_a_fixed_number_of_statements(
    graphql, database
):
    await add_products_with_options(database, 8)
    for first in (1, 8):
        count, data = await statements_for(graphql, database, OPTIONS_PAGE, first)
        nodes = [edge["node"] for edge in data["products"]["edges"]]
        assert len(nodes) == first
        assert all(node["variantBySelectedOptions"]["sku"].endswith("-M") for node in nodes)
        assert all(
            node["attributes"] == [{"slug": "material", "values": ["Cotton"]}] for node in nodes
        )
        # count + page, variants, options, attributes, selected options
        assert count <= 6


async def test_the_total_count_is_only_counted_when_asked_for(graphql, database, shop):
    without_total = CATALOG_PAGE.replace("totalCount", "")
    with_count, _ = await statements_for(graphql, database, CATALOG_PAGE, 2)
    without_count, _ = await statements_for(graphql, database, without_total, 2)
    assert without_count == with_count - 1


CATALOG_WITH_STOCK = """
query($first: Int!) {
  products(first: $first) {
    edges { node { id name variants {
      sku price { amount currency }
      stockLevels { onHand reserved available location { code } }
    } } }
  }
}"""
PRODUCTS_ALONE = """
query($first: Int!) { products(first: $first) { edges { node { id name } } } }"""
PRODUCT_WITH_STOCK = """
query($id: ID!) {
  product(id: $id) { id name variants {
    sku price { amount currency }
    stockLevels { onHand reserved available location { code } }
  } }
}"""

PRODUCT_ALONE = """query($id: ID!) { product(id: $id) { id name } }"""


@contextmanager
def counting_reads(database):
    """Sessions that read, each a transaction of its own (on PostgreSQL the loaders' are in
    autocommit, yet each still begins one on its connection)."""
    reads = []

    def count(*args):
        reads.append(1)

    engines = [engine.sync_engine for engine in database.engines]
    for engine in engines:
        event.listen(engine, "begin", count)
    try:
        yield reads
    finally:
        for engine in engines:
            event.remove(engine, "begin", count)


async def cost_of(graphql, database, query, first, token=None, variables=None):
    with counting_reads(database) as reads, counting_statements(database) as statements:
        body = await graphql.post(query, variables or {"first": first}, token=token)
    return len(reads), statements, body


async def test_a_catalog_page_reads_its_variants_and_stock_in_its_own_read(graphql, database, shop):
    # given products with variants, some with stock
    await add_products(database, 12)
    admin = graphql.token(Role.ADMIN)
    for first in (1, 14):
        # when a page asks for its variants and their stock, and the same page alone
        alone, alone_statements, _ = await cost_of(graphql, database, PRODUCTS_ALONE, first, admin)
        reads, statements, body = await cost_of(graphql, database, CATALOG_WITH_STOCK, first, admin)
        # then the children cost one statement per level and no read of their own
        assert len(body["data"]["products"]["edges"]) == first
        assert len(statements) == len(alone_statements) + 2
        assert reads == alone


async def test_a_prefetched_catalog_page_shows_what_each_product_loads_alone(
    graphql, database, shop
):
    # given the first catalog page with variants and stock, read with the page
    page = await graphql.admin(CATALOG_WITH_STOCK, {"first": 10})
    products = [edge["node"] for edge in page["products"]["edges"]]
    assert any(variant["stockLevels"] for p in products for variant in p["variants"])
    # when each product is read alone, its children through the loaders
    alone = [
        (await graphql.admin(PRODUCT_WITH_STOCK, {"id": product["id"]}))["product"]
        for product in products
    ]
    # then the page shows the same
    assert products == alone


async def test_a_catalog_page_reads_no_stock_for_a_caller_who_may_not_see_it(
    graphql, database, shop
):
    # given a customer, who may not read stock
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    # when it asks a catalog page for stock
    _, statements, body = await cost_of(graphql, database, CATALOG_WITH_STOCK, 5, customer)
    # then it is refused, and no stock was read for it
    assert body["errors"]
    assert not [s for s in statements if "stock_levels" in s]


async def test_a_product_reads_its_variants_and_stock_in_one_read(graphql, database, shop):
    # given a product with variants and stock
    page = await graphql.admin(PRODUCTS_ALONE, {"first": 1})
    product = {"id": page["products"]["edges"][0]["node"]["id"]}
    admin = graphql.token(Role.ADMIN)
    # when it is read with its variants and their stock, and alone
    alone, alone_statements, _ = await cost_of(graphql, database, PRODUCT_ALONE, 0, admin, product)
    reads, statements, body = await cost_of(
        graphql, database, PRODUCT_WITH_STOCK, 0, admin, product
    )
    # then variants and stock take one statement each, and one read between them
    assert any(variant["stockLevels"] for variant in body["data"]["product"]["variants"])
    assert len(statements) == len(alone_statements) + 2
    assert reads == alone + 1


ORDERS_WITH_LINES = """
query($first: Int!) {
  orders(first: $first) { edges { node {
    id number lines { sku quantity total { amount } backorderedQuantity
      allocations { quantity fulfilled } }
  } } }
}"""
ORDERS_ALONE = """
query($first: Int!) { orders(first: $first) { edges { node { id number } } } }"""
ORDER_WITH_LINES = """
query($id: ID!) {
  order(id: $id) {
    id number lines { sku quantity total { amount } backorderedQuantity
      allocations { quantity fulfilled } }
  }
}"""


async def test_an_orders_page_reads_its_lines_in_its_own_read(graphql, database, shop):
    # given orders of one and of two lines
    for lines in ([("TEE-S", 1)], [("TEE-S", 1), ("MUG", 2)], [("MUG", 1)]):
        await place(graphql, shipping_order(*lines, customerEmail=shop.customer))
    admin = graphql.token(Role.ADMIN)
    for first in (1, 3):
        # when a page asks for its orders' lines, and the same page alone
        alone, alone_statements, _ = await cost_of(graphql, database, ORDERS_ALONE, first, admin)
        reads, statements, body = await cost_of(graphql, database, ORDERS_WITH_LINES, first, admin)
        # then lines and their allocations cost a statement each and no read of their own
        assert len(body["data"]["orders"]["edges"]) == first
        assert len(statements) == len(alone_statements) + 2
        assert reads == alone


async def test_a_prefetched_orders_page_shows_the_lines_each_order_loads_alone(graphql, shop):
    # given orders, the first with two lines, read as a page with their lines
    for lines in ([("TEE-S", 1), ("MUG", 2)], [("MUG", 1)]):
        await place(graphql, shipping_order(*lines, customerEmail=shop.customer))
    page = await graphql.admin(ORDERS_WITH_LINES, {"first": 10})
    orders = [edge["node"] for edge in page["orders"]["edges"]]
    # when each order is read alone, its lines through the loader
    alone = [
        (await graphql.admin(ORDER_WITH_LINES, {"id": order["id"]}))["order"] for order in orders
    ]
    # then the page shows the same lines
    assert sorted(len(order["lines"]) for order in orders) == [1, 2]
    assert orders == alone


CUSTOMERS_WITH_ORDER_LINES = """
{ customers(first: 10) { edges { node {
  email orders(first: 10) { edges { node { number lines { sku } } } }
} } } }"""


async def test_the_lines_of_every_customers_orders_are_read_in_one_statement(database, shop):
    """With query plans: every customer's orders are awaited together (one level), so their
    lines make one batch. graphql-core completes each customer's orders on its own and may
    batch their lines apart."""
    async with client_of(build_app(database, query_plans="on")) as graphql:
        # given two customers with orders
        for email in (shop.customer, shop.other_customer):
            await place(graphql, shipping_order(("TEE-S", 1), customerEmail=email))
        # when a page of customers shows their orders' lines
        _, statements, body = await cost_of(
            graphql, database, CUSTOMERS_WITH_ORDER_LINES, 0, graphql.token(Role.ADMIN)
        )
    # then the lines of all their orders are read at once, not once per customer
    customers = [edge["node"] for edge in body["data"]["customers"]["edges"]]
    assert sum(len(c["orders"]["edges"]) for c in customers) >= 2
    assert len([s for s in statements if "FROM order_lines" in s]) == 1


CATEGORIES_PAGE = """
query($first: Int!) {
  categories(first: $first) {
    totalCount
    edges { node {
      slug parent { slug } ancestors { slug }
      children { slug children { slug } }
      products(first: 5, includeDescendants: true) {
        totalCount edges { node { name categories { slug } } }
      }
    } }
  }
}"""
COLLECTIONS_PAGE = """
query($first: Int!) {
  collections(first: $first) {
    totalCount
    edges { node {
      slug channels { code locations { code } }
      products(first: 5) { totalCount edges { node { name categories { ancestors { slug } } } } }
    } }
  }
}"""


async def add_categories_and_collections(graphql, count):
    """`count` root categories, each with a child holding a product; `count` collections,
    each with two products, published on WEB."""
    products = list((await product_ids(graphql)).values())
    for index in range(count):
        root = await create_category(graphql, f"Root {index}")
        child = await create_category(graphql, f"Child {index}", parentId=root["id"])
        await set_product_categories(graphql, products[index], root["id"], child["id"])
        collection = await create_collection(graphql, f"Collection {index}")
        await set_collection(graphql, collection["id"], products[index : index + 2], ["WEB"])


async def test_category_and_collection_pages_cost_a_fixed_number_of_statements(
    graphql, database, shop
):
    # given
    await add_products(database, 6)
    await add_categories_and_collections(graphql, 6)
    # categories: count + page, ancestors, children, their children, products + their
    # counts, the products' categories; collections: count + page, channels, their
    # locations (ids, then locations), products + counts, categories, their ancestors
    for page, bound in ((CATEGORIES_PAGE, 8), (COLLECTIONS_PAGE, 9)):
        # when
        small, _ = await statements_for(graphql, database, page, 1)
        large, data = await statements_for(graphql, database, page, 6)
        # then
        assert len(next(iter(data.values()))["edges"]) == 6
        assert small == large <= bound


CREATE_PROMOTION = """
mutation($input: CreatePromotionInput!) {
  createPromotion(input: $input) { userErrors { field code message } }
}"""
PROMOTIONS_PAGE = """
query($first: Int) {
  promotions(first: $first) {
    totalCount
    edges { node {
      name channels
      products { name } categories { slug } collections { slug } customerGroups { code }
      voucherCodes { code used }
    } }
  }
}"""


async def test_a_promotions_page_costs_a_fixed_number_of_statements(graphql, database, shop):
    # given
    products = await product_ids(graphql)
    await create_category(graphql, "Kitchen")
    await create_collection(graphql, "Picks")
    for index in range(6):
        fields = {
            "name": f"Promotion {index}",
            "kind": "PERCENTAGE",
            "value": "5",
            "channels": ["WEB", "POS"],
            "productIds": list(products.values()),
            "categorySlugs": ["kitchen"],
            "collectionSlugs": ["picks"],
            "voucherCodes": [{"code": f"CODE-{index}"}],
        }
        payload = (await graphql.admin(CREATE_PROMOTION, {"input": fields}))["createPromotion"]
        assert payload["userErrors"] == []
    # when
    small, _ = await statements_for(graphql, database, PROMOTIONS_PAGE, 1)
    large, data = await statements_for(graphql, database, PROMOTIONS_PAGE, 6)
    # then: count + page, then one read each for channels, products, categories,
    # collections, customer groups and voucher codes
    assert len(data["promotions"]["edges"]) == 6
    assert small == large <= 8
