"""The shop the query-plan equivalence tests read, and the documents they send by hand.

`seed` fills a database through the API (the steps of the order, shipment, return,
payment, POS and transfer tests) with a shop that every read path has something to show:
products with several variants, stock at every location, customers, orders in every state
with lines, allocations, shipments and tracking, returns, payments and POS tenders. Each
step is committed before the two apps under comparison read anything, so what they read is
the same rows; nothing in it depends on when the test runs except timestamps stored once.

`HANDWRITTEN` are the queries that a generator seldom writes: fragments, aliases,
variables, directives, introspection, `node` and its abstract type, `__typename` at every
level, and fields a caller may not read (an error with a path, and nulls bubbling up).
"""

from __future__ import annotations

import base64
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from PIL import Image

from api.media.images import PillowImageDecoder
from api.media.storage import LocalMediaStorage
from domain.access import Principal, Role
from domain.commands.catalog import CreateProduct, NewVariant
from domain.commands.media import AddProductMedia
from domain.commands.options import CreateAttribute, NewOption, SetProductAttributes
from domain.model.media import DEFAULT_MAX_BYTES
from domain.model.options import AttributeValues, SelectedOption
from domain.usecases import catalog, media, options
from persistence.database import Database
from persistence.uow import SqlUnitOfWork
from tests.api import pos_documents as pos
from tests.api import returns_documents as returns
from tests.api import shipments_documents as shipments
from tests.api import transfers_documents as transfers
from tests.api.categories_documents import (
    create_category,
    create_collection,
    product_ids,
    set_collection,
    set_product_categories,
)
from tests.api.conftest import DEFAULT_STOCK, GraphQL, add_stock, build_shop
from tests.api.orders_documents import change, pickup_order, place, shipping_order
from tests.api.payments_documents import manual_payment, placed_order
from tests.api.response_values import strings_named
from tests.api.taxes_documents import (
    SET_VARIANT_TAX_CLASS,
    ST_B_ADDRESS,
    create_class,
    set_location_address,
    set_rate,
)

CUSTOMER = "ada@example.com"
STORE = "ST-B"
HOODIES = ("HOOD-S", "HOOD-M", "HOOD-L")
# A hoodie in every size at every location, and more tees where the shop had none.
MORE_STOCK = {(sku, location): 6 for sku in HOODIES for location in ("WH-A", "ST-B", "ST-C")}
MORE_STOCK |= {("TEE-S", "ST-C"): 2, ("TEE-M", "ST-B"): 7, ("MUG", "WH-A"): 12}
CREATE_SHIPPING_ZONE = """
mutation($input: CreateShippingZoneInput!) {
  createShippingZone(input: $input) { userErrors { code message } }
}"""
CREATE_SHIPPING_METHOD = """
mutation($input: CreateShippingMethodInput!) {
  createShippingMethod(input: $input) { userErrors { code message } }
}"""
UPDATE_SHIPPING_METHOD = """
mutation($input: UpdateShippingMethodInput!) {
  updateShippingMethod(input: $input) { userErrors { code message } }
}"""
SET_VARIANT_WEIGHTS = """
mutation($input: SetVariantWeightsInput!) {
  setVariantWeights(input: $input) { userErrors { code message } }
}"""


@dataclass(frozen=True)
class Known:
    """What the seeded shop holds, for arguments that name real things."""

    ids: tuple[str, ...]
    cursors: tuple[str, ...]
    pos_token: str

    def first(self, type_name: str) -> str:
        """The first global id of a type (ids are base64 of "Type:key")."""
        prefix = f"{type_name}:"
        return next(i for i in self.ids if base64.b64decode(i).decode().startswith(prefix))


CREATE_PROMOTION = """
mutation($input: CreatePromotionInput!) {
  createPromotion(input: $input) { promotion { id } userErrors { field code message } }
}"""
UPDATE_PROMOTION = """
mutation($input: UpdatePromotionInput!) {
  updatePromotion(input: $input) { promotion { id } userErrors { field code message } }
}"""
PROMOTION_IDS = "{ promotions(first: 10) { edges { node { id } } } }"
INVENTORY = """{
  products(first: 100) { edges { cursor node { id variants { id stockLevels { id } } } } }
  locations { id }
  customers(first: 100) { edges { cursor node { id } } }
  orders(first: 100) { edges { cursor node {
    id shipments { id } payments { id } returns { id }
  } } }
  returns(first: 100) { edges { cursor node { id } } }
  transfers(first: 100) { edges { cursor node { id } } }
  stockMovements(first: 100) { edges { cursor node { id } } }
  posTerminals(first: 100) { edges { cursor node { id } } }
  categories(first: 100) { edges { cursor node { id children { id } } } }
  collections(first: 100) { edges { cursor node { id } } }
  promotions(first: 100) { edges { cursor node { id } } }
}"""


async def seed(database: Database, client: GraphQL) -> Known:
    """Fill `database` with the shop, through `client` (an app over it)."""
    await build_shop(database, DEFAULT_STOCK)
    hoodie = await catalog.create_product(
        SqlUnitOfWork(database),
        Principal.system("test-setup"),
        CreateProduct(
            "Hoodie",
            tuple(
                NewVariant(
                    sku,
                    sku[-1],
                    Decimal("49.00"),
                    "USD",
                    selected_options=(SelectedOption("Size", sku[-1]),),
                )
                for sku in HOODIES
            ),
            options=(NewOption("Size", ("XS", "S", "M", "L")),),
        ),
    )
    await _attributes(database, hoodie.id or 0)
    await add_stock(database, MORE_STOCK)
    await _categories_and_collections(client)
    await _promotions(client)
    await _media(database)
    await _taxes(client)
    await _shipping(client)
    await _orders(client)
    terminal = await pos.register(client, STORE)
    report = await pos.sync(
        client,
        terminal["token"],
        pos.sale(
            ("MUG", 1, "9.50"), sale_id="00000000-0000-4000-8000-000000000001", email=CUSTOMER
        ),
        pos.sale(
            ("HOOD-M", 1, "49.00"),
            sale_id="00000000-0000-4000-8000-000000000002",
            paid=(("CASH", "20.00"), ("CARD", "29.00")),
        ),
    )
    assert pos.statuses(report) == ["ACCEPTED", "ACCEPTED"], report
    transfer = await transfers.shipped(client, ("HOOD-L", 2))
    assert transfer["status"] == "IN_TRANSIT", transfer
    data = await client.admin(INVENTORY)
    return Known(
        ids=tuple(sorted(set(strings_named(data, "id")))),
        cursors=tuple(sorted(set(strings_named(data, "cursor")))),
        pos_token=terminal["token"],
    )


async def _categories_and_collections(client: GraphQL) -> None:
    """Clothing > Tops > Hoodies, and Home; a collection on WEB, and one published nowhere."""
    products = await product_ids(client)
    clothing = await create_category(client, "Clothing")
    tops = await create_category(client, "Tops", parentId=clothing["id"])
    hoodies = await create_category(client, "Hoodies", parentId=tops["id"])
    home = await create_category(client, "Home")
    await set_product_categories(client, products["Hoodie"], hoodies["id"], clothing["id"])
    await set_product_categories(client, products["T-shirt"], tops["id"])
    await set_product_categories(client, products["Mug"], home["id"])
    picks = await create_collection(client, "Picks")
    await set_collection(client, picks["id"], [products["Mug"], products["Hoodie"]], ["WEB"])
    await create_collection(client, "Draft")


async def _promotions(client: GraphQL) -> None:
    """A promotion with targets of every kind and voucher codes, and a stopped automatic
    one with a currency and a minimum."""
    products = await product_ids(client)
    for fields in (
        {
            "name": "Hoodie week",
            "kind": "BUY_X_GET_Y",
            "value": "50",
            "buyQuantity": 2,
            "getQuantity": 1,
            "channels": ["WEB", "POS"],
            "stackable": True,
            "productIds": [products["Hoodie"]],
            "categorySlugs": ["tops"],
            "collectionSlugs": ["picks"],
            "startsAt": "2026-01-01T00:00:00Z",
            "voucherCodes": [
                {"code": "HOODIES", "usageLimit": 100, "perCustomerLimit": 1},
                {"code": "STAFF-HOODIES"},
            ],
        },
        {
            "name": "Ten off big orders",
            "kind": "ORDER_FIXED_AMOUNT",
            "value": "10",
            "currency": "USD",
            "minimumSubtotal": "100",
            "channels": ["WEB"],
        },
    ):
        payload = (await client.admin(CREATE_PROMOTION, {"input": fields}))["createPromotion"]
        assert payload["userErrors"] == [], payload["userErrors"]
    stopped = (await client.admin(PROMOTION_IDS))["promotions"]["edges"][-1]["node"]["id"]
    payload = (await client.admin(UPDATE_PROMOTION, {"input": {"id": stopped, "active": False}}))[
        "updatePromotion"
    ]
    assert payload["userErrors"] == [], payload["userErrors"]


async def _shipping(client: GraphQL) -> None:
    """Two zones; a FLAT method free above a threshold, a BY_WEIGHT one, and an inactive
    one (staff see it, others do not); weights of some variants, one left unweighed."""
    for code, countries in (("EU", ["FR", "DE"]), ("UK", ["GB"])):
        created = await client.admin(
            CREATE_SHIPPING_ZONE, {"input": {"code": code, "name": code, "countries": countries}}
        )
        assert created["createShippingZone"]["userErrors"] == [], created
    usd = "USD"
    methods = [
        {
            "code": "EU-STANDARD",
            "pricing": "FLAT",
            "price": {"amount": "4.90", "currency": usd},
            "freeAbove": {"amount": "50", "currency": usd},
            "taxClass": "REDUCED",
            "channels": ["WEB", "MOBILE"],
        },
        {
            "code": "EU-PARCEL",
            "pricing": "BY_WEIGHT",
            "brackets": [
                {"upToGrams": 1000, "price": {"amount": "5", "currency": usd}},
                {"upToGrams": None, "price": {"amount": "12", "currency": usd}},
            ],
            "channels": ["WEB"],
        },
        {
            "code": "UK-EXPRESS",
            "pricing": "FLAT",
            "price": {"amount": "9", "currency": usd},
            "channels": ["WEB"],
        },
    ]
    for method in methods:
        zone = method["code"][:2]
        created = await client.admin(
            CREATE_SHIPPING_METHOD, {"input": {"name": method["code"], "zoneCode": zone, **method}}
        )
        assert created["createShippingMethod"]["userErrors"] == [], created
    changed = await client.admin(
        UPDATE_SHIPPING_METHOD, {"input": {"code": "UK-EXPRESS", "active": False}}
    )
    assert changed["updateShippingMethod"]["userErrors"] == [], changed
    weights = [("TEE-S", 180), ("TEE-M", 200), ("MUG", 350), ("HOOD-S", 600), ("HOOD-M", 650)]
    weighed = await client.admin(
        SET_VARIANT_WEIGHTS,
        {"input": {"lines": [{"sku": sku, "weightGrams": grams} for sku, grams in weights]}},
    )
    assert weighed["setVariantWeights"]["userErrors"] == [], weighed


async def _attributes(database: Database, product_id: int) -> None:
    """Attribute definitions, one with no values, and the hoodie's values of one."""
    seeder = Principal.system("test-setup")
    for name, values in (("Material", ("Cotton", "Fleece")), ("Brand", ())):
        await options.create_attribute(
            SqlUnitOfWork(database), seeder, CreateAttribute(name, values=values)
        )
    await options.set_product_attributes(
        SqlUnitOfWork(database),
        seeder,
        SetProductAttributes(product_id, (AttributeValues("material", ("Cotton", "Fleece")),)),
    )


async def _taxes(client: GraphQL) -> None:
    """A reduced class with the mug in it, rates of a country, a class and a region, and the
    store's address."""
    await create_class(client, "REDUCED", "Reduced rate")
    await set_rate(client, country="US", percent="4", name="Sales tax")
    await set_rate(client, country="US", taxClass="REDUCED", percent="1", name="Sales tax")
    await set_rate(client, country="US", region="NY", percent="8.875", name="Sales tax")
    changed = await client.admin(
        SET_VARIANT_TAX_CLASS, {"input": {"skus": ["MUG"], "taxClass": "REDUCED"}}
    )
    assert changed["setVariantTaxClass"]["userErrors"] == [], changed
    await set_location_address(client, STORE, ST_B_ADDRESS)


async def _media(database: Database) -> None:
    """Two images of the hoodie, the second shown for its M size. Queries read their rows
    only, so the bytes go to a directory that is gone once they are added."""
    async with SqlUnitOfWork(database) as uow:
        medium = (await uow.catalog.variants_by_sku(["HOOD-M"]))["HOOD-M"]
    assert medium.id is not None and medium.product_id is not None
    with tempfile.TemporaryDirectory() as directory:
        add = media.add_product_media(
            LocalMediaStorage(directory), PillowImageDecoder(), DEFAULT_MAX_BYTES
        )
        for colour, alt, variant_ids in (
            ("grey", "Hoodie", ()),
            ("navy", "Hoodie, M", (medium.id,)),
        ):
            buffer = io.BytesIO()
            Image.new("RGB", (4, 3), colour).save(buffer, format="PNG")
            data = buffer.getvalue()

            async def read(data: bytes = data) -> bytes:
                return data

            command = AddProductMedia(
                product_id=medium.product_id,
                content_type="image/png",
                byte_size=len(data),
                read=read,
                alt=alt,
                variant_ids=variant_ids,
            )
            await add(SqlUnitOfWork(database), Principal.system("test-setup"), command, now())


def now() -> datetime:
    return datetime.now(UTC)


async def _orders(client: GraphQL) -> None:
    """Orders of the customer's and of nobody's, in every state, with what follows them."""

    async def order(variables: dict[str, Any], *steps: str) -> str:
        placed = await place(client, variables)
        assert not placed["userErrors"], placed
        order_id: str = placed["order"]["id"]
        for step in steps:
            assert not (await change(client, step, order_id))["userErrors"]
        return order_id

    await order(shipping_order(("TEE-S", 1)))  # PENDING
    await order(shipping_order(("TEE-S", 2), ("MUG", 1), customerEmail=CUSTOMER), "confirmOrder")
    await order(pickup_order(STORE, ("MUG", 1), customerEmail=CUSTOMER), "confirmOrder")
    await order(pickup_order(STORE, ("TEE-S", 1)), "confirmOrder", "markOrderReadyForPickup")
    await order(shipping_order(("HOOD-S", 1), customerEmail=CUSTOMER), "cancelOrder")
    # Shipped in a parcel the carrier reports on, then delivered.
    _, parcel = await shipments.shipped_order(
        client, ("TEE-M", 1), ("HOOD-M", 2), customer=CUSTOMER
    )
    for status, hours in (("IN_TRANSIT", 3), ("DELIVERED", 30)):
        assert not (await shipments.track(client, parcel, status, hours))["userErrors"]
    # Shipped, and some of it sent back: one return received, one only requested.
    sent = await returns.shipped_order(client, ("TEE-S", 2), ("HOOD-L", 1))
    approved = await returns.approved_return(client, sent["id"], ("TEE-S", 1, "DAMAGED"))
    received = await returns.receive(client, approved["id"], "WH-A", ("TEE-S", 1, "DAMAGED"))
    assert not received["userErrors"], received
    requested = await returns.request_return(client, sent["id"], ("HOOD-L", 1, "WRONG_SIZE"))
    assert not requested["userErrors"], requested
    # Paid in full, and paid in part.
    for lines, paid in (((("HOOD-S", 1),), "49.00"), ((("MUG", 2),), "5.00")):
        unpaid = await placed_order(client, *lines, customerEmail=CUSTOMER)
        recorded = await manual_payment(client, unpaid["id"], paid, key=f"pay-{unpaid['number']}")
        assert not recorded["userErrors"], recorded


# -- queries written by hand ------------------------------------------------------------------

MONEY = "fragment Money on Money { __typename amount currency }"

CATALOG = (
    """
query Catalog($first: Int!, $withStock: Boolean!, $skipBarcode: Boolean = true) {
  __typename
  page: products(first: $first) {
    __typename totalCount
    pageInfo { __typename hasNextPage endCursor }
    edges { __typename cursor node { ...ProductCard } }
  }
  again: products(first: 1) { edges { node { id title: name } } }
}
fragment ProductCard on Product {
  __typename id name status kind createdAt
  media {
    __typename id url alt position contentType width height byteSize createdAt
    variants { sku }
  }
  variants {
    __typename sku name barcode @skip(if: $skipBarcode)
    media { __typename id alt position }
    price { ...Money }
    stockLevels @include(if: $withStock) {
      __typename onHand available location { __typename code kind }
    }
  }
}
"""
    + MONEY
)

# The same page without directives, which a plan leaves to graphql-core.
CATALOG_PAGE = (
    """
query CatalogPage($first: Int!) {
  __typename
  page: products(first: $first) {
    __typename totalCount
    edges { __typename cursor node {
      __typename id name
      variants {
        __typename sku price { ...Money }
        stockLevels { __typename onHand reserved available location { code } }
      }
    } }
  }
}
"""
    + MONEY
)

SHIPPING = (
    """
query Shipping($channel: ChannelCode!, $country: String!) {
  shippingZones {
    __typename code name countries
    methods {
      __typename code pricing active taxClass channels price { ...Money }
      freeAbove { ...Money } brackets { upToGrams price { ...Money } } zone { code }
    }
  }
  checkout: shippingMethods(channel: $channel, country: $country) { code zone { countries } }
  nowhere: shippingMethods(channel: $channel, country: "US") { code }
  products(first: 5) { edges { node { variants { sku weightGrams } } } }
}
"""
    + MONEY
)

ORDERS = (
    """
query Orders($first: Int) {
  orders(first: $first) {
    totalCount
    edges { node {
      __typename id number status channel fulfilment paymentStatus
      shippingAddress { line1 countryName formatted }
      total { ...Money } totalPaid { ...Money } balanceDue { ...Money }
      customer { __typename email name }
      pickupLocation { code }
      lines {
        __typename sku quantity fulfilledQuantity backorderedQuantity unitPrice { ...Money }
        allocations { quantity fulfilled location { code } }
        variant { sku product { name } }
      }
      history { fromStatus toStatus actor note }
      shipments { carrier status trackingEvents { status occurredAt } }
      returns { number status refund { ...Money } }
      tenders { method amount { ...Money } }
      payments { method state amount { ...Money } entries { sequence kind amount { amount } } }
    } }
  }
}
"""
    + MONEY
)

ONE_ORDER = """
query One($id: ID!, $missing: ID!) {
  order(id: $id) { id number status customer { email orders(first: 2) { totalCount } } }
  nothing: order(id: $missing) { id }
  node(id: $id) {
    __typename id
    ... on Order { number lines { sku } }
    ... on Product { name }
  }
}"""

# Every order by its id, whoever's it is: a caller sees its own (a customer's, a store's),
# and null for the others.
ORDER_COUNT = 12
EVERY_ORDER = (
    "query("
    + ", ".join(f"$o{n}: ID!" for n in range(1, ORDER_COUNT + 1))
    + ") {\n"
    + "\n".join(f"  o{n}: order(id: $o{n}) {{ ...Seen }}" for n in range(1, ORDER_COUNT + 1))
    + """
}
fragment Seen on Order {
  __typename number status paymentStatus balanceDue { amount }
  customer { email } pickupLocation { code }
  lines { sku quantity allocations { quantity location { code } } }
}"""
)

NODES = """
query Nodes($product: ID!, $shipment: ID!, $return: ID!, $terminal: ID!, $location: ID!) {
  product: node(id: $product) { __typename ... on Product { name variants { sku } } }
  shipment: node(id: $shipment) {
    __typename id ... on Shipment { status order { number } lines { sku quantity } }
  }
  return: node(id: $return) { __typename ... on Return { number status lines { sku reason } } }
  terminal: node(id: $terminal) { __typename ... on PosTerminal { name store { code } } }
  location: node(id: $location) { __typename ... on Location { code kind } }
}"""

# Fields some callers may not read, beside ones they may: errors with paths, and nulls
# that bubble up to the nearest nullable parent.
MIXED = """
{
  me { __typename role subject locationCodes customer { email orderCount } }
  channels { __typename code }
  locations { code kind }
  variant(sku: "TEE-S") { sku price { amount } stockLevels { location { code } onHand } }
  stockLevels(first: 5) { edges { node { onHand variant { sku } location { code } } } }
  stockMovements(first: 3) { edges { node { kind onHandDelta } } }
  customers(first: 3) { edges { node { email orderCount lifetimeValue { amount currency } } } }
  returns(first: 3) { edges { node { number status order { number } } } }
  transfers(first: 3) { edges { node { number status lines { sku quantity } } } }
  posTerminals(first: 3) { edges { node { name lastSyncedAt } } }
  lowStock(locationCode: "ST-B") { onHand variant { sku } }
}"""

INTROSPECTION = """
{
  __schema { queryType { name } types { name kind } }
  __type(name: "Order") { name fields { name type { kind name ofType { name } } } }
}"""

CATEGORIES_AND_COLLECTIONS = """
query($first: Int!, $descendants: Boolean!) {
  categories(first: $first) { totalCount edges { cursor node {
    id slug position parent { slug } ancestors { slug }
    children { slug children { slug } }
    products(first: 2, includeDescendants: $descendants) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { name categories { slug } } }
    }
  } } }
  category(slug: "tops") { name ancestors { name } }
  collections(first: $first) { totalCount edges { node {
    slug channels { code }
    products(first: 5) { totalCount edges { cursor node { name } } }
  } } }
  collection(slug: "draft") { slug }
}"""

BAD_VARIABLES = "query($first: Int!) { products(first: $first) { totalCount } }"


@dataclass(frozen=True)
class Handwritten:
    name: str
    document: str
    variables: Callable[[Known], dict[str, Any]]


HANDWRITTEN = (
    Handwritten("catalog", CATALOG, lambda _: {"first": 10, "withStock": True}),
    Handwritten("catalog without stock", CATALOG, lambda _: {"first": 2, "withStock": False}),
    Handwritten("catalog page", CATALOG_PAGE, lambda _: {"first": 10}),
    Handwritten("orders", ORDERS, lambda _: {"first": 20}),
    Handwritten(
        "one order",
        ONE_ORDER,
        lambda known: {"id": known.first("Order"), "missing": "T3JkZXI6OTk5OQ=="},
    ),
    Handwritten(
        "every order",
        EVERY_ORDER,
        lambda _: {
            f"o{n}": base64.b64encode(f"Order:{n}".encode()).decode()
            for n in range(1, ORDER_COUNT + 1)
        },
    ),
    Handwritten(
        "nodes",
        NODES,
        lambda known: {
            "product": known.first("Product"),
            "shipment": known.first("Shipment"),
            "return": known.first("Return"),
            "terminal": known.first("PosTerminal"),
            "location": known.first("Location"),
        },
    ),
    Handwritten(
        "categories and collections",
        CATEGORIES_AND_COLLECTIONS,
        lambda _: {"first": 10, "descendants": True},
    ),
    Handwritten("shipping", SHIPPING, lambda _: {"channel": "WEB", "country": "fr"}),
    Handwritten("mixed permissions", MIXED, lambda _: {}),
    Handwritten("introspection", INTROSPECTION, lambda _: {}),
    Handwritten("a page too large", BAD_VARIABLES, lambda _: {"first": 1000}),
    Handwritten("a variable missing", BAD_VARIABLES, lambda _: {}),
)

ROLES = ("ADMIN", "STAFF", "POS", "CUSTOMER", "anonymous")


def token_of(client: GraphQL, known: Known, role: str) -> str | None:
    """A caller's token: STAFF and POS bound to the store, CUSTOMER the one with orders."""
    if role == "ADMIN":
        return client.token(Role.ADMIN)
    if role == "STAFF":
        return client.token(Role.STAFF, locations=(STORE,))
    if role == "POS":
        return known.pos_token
    if role == "CUSTOMER":
        return client.token(Role.CUSTOMER, customer=CUSTOMER)
    return None
