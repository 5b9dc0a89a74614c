"""Demo data for a first look: 2 warehouses, 3 stores, channels, ~20 products, stock,
customers, two suppliers, a gift box made from a bill of materials, a bookable service, and
what a storefront needs (api/demo_storefront.py: categories, taxes, shipping, promotions).

Everything goes through the same use cases as the API, so the stock arrives as RECEIVED
movements in the ledger like any other stock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from api.demo_storefront import CATEGORIES, SALES_TAX, seed_storefront
from domain.access import Principal
from domain.commands.catalog import CreateLocation, CreateProduct, NewVariant, SetChannelLocations
from domain.commands.customer_groups import AssignCustomerGroup, CreateCustomerGroup
from domain.commands.customers import CreateCustomer
from domain.commands.inventory import AdjustStock
from domain.commands.manufacturing import ComponentRequest, SetBillOfMaterials
from domain.commands.options import CreateAttribute, NewOption, SetProductAttributes
from domain.commands.purchasing import CreateSupplier, SetSupplierPrices, SupplierPriceRequest
from domain.commands.services import ConsumableRequest, SetServiceCapacity, SetServiceRecipe
from domain.model.catalog import ProductKind
from domain.model.identity import id_of
from domain.model.inventory import AdjustmentReason
from domain.model.locations import ChannelCode, LocationKind
from domain.model.options import AttributeValues, SelectedOption
from domain.usecases import (
    boms,
    catalog,
    customer_groups,
    customers,
    inventory,
    options,
    services,
)
from domain.usecases import suppliers as supplier_usecases
from persistence.database import Database
from persistence.reads import locations as location_reads
from persistence.uow import SqlUnitOfWork

LOCATIONS = [
    ("WH-EAST", "East warehouse", LocationKind.WAREHOUSE, "1 Dock Road, Newark"),
    ("WH-WEST", "West warehouse", LocationKind.WAREHOUSE, "9 Harbor Way, Oakland"),
    ("ST-DOWNTOWN", "Downtown store", LocationKind.STORE, "12 Main Street"),
    ("ST-MALL", "Mall store", LocationKind.STORE, "Riverside Mall, unit 40"),
    ("ST-AIRPORT", "Airport store", LocationKind.STORE, "Terminal 2, gate B"),
]
CHANNELS = {
    ChannelCode.WEB: ("WH-EAST", "WH-WEST", "ST-DOWNTOWN"),
    ChannelCode.MOBILE: ("WH-EAST", "WH-WEST", "ST-DOWNTOWN"),
    ChannelCode.POS: ("ST-DOWNTOWN", "ST-MALL", "ST-AIRPORT"),
    ChannelCode.WHOLESALE: ("WH-EAST", "WH-WEST"),
}
# (SKU stem, name, price, the option its variants differ by, that option's values: one
# variant each, named by its value).
PRODUCTS = [
    ("TEE", "Organic cotton T-shirt", "19.90", "Size", ["S", "M", "L"]),
    ("HOODIE", "Fleece hoodie", "49.00", "Size", ["S", "M", "L", "XL"]),
    ("JEANS", "Slim jeans", "69.00", "Waist", ["30", "32", "34"]),
    ("CAP", "Baseball cap", "15.00", "Colour", ["Black", "Navy"]),
    ("SOCKS", "Merino socks", "12.50", "Size", ["39-42", "43-46"]),
    ("MUG", "Stoneware mug", "9.90", "Glaze", ["White", "Sand"]),
    ("BOTTLE", "Steel water bottle", "24.00", "Capacity", ["500ml", "750ml"]),
    ("TOTE", "Canvas tote bag", "14.00", "Colour", ["Natural"]),
    ("SCARF", "Wool scarf", "35.00", "Colour", ["Grey", "Red"]),
    ("BEANIE", "Knit beanie", "18.00", "Colour", ["Black", "Mustard"]),
    ("SNEAKER", "Canvas sneaker", "59.00", "Size", ["40", "41", "42", "43", "44"]),
    ("BACKPACK", "Daypack 20L", "79.00", "Colour", ["Olive", "Black"]),
    ("NOTEBOOK", "Dotted notebook A5", "8.50", "Cover", ["Blue", "Black"]),
    ("PEN", "Gel pen", "2.90", "Ink", ["Black", "Blue", "Red"]),
    ("CANDLE", "Soy candle", "16.00", "Scent", ["Cedar", "Fig"]),
    ("TOWEL", "Linen towel", "22.00", "Colour", ["Stone", "Sage"]),
    ("APRON", "Denim apron", "29.00", "Size", ["One size"]),
    ("UMBRELLA", "Compact umbrella", "27.00", "Colour", ["Black"]),
    ("WALLET", "Leather wallet", "45.00", "Colour", ["Brown", "Black"]),
    ("SUNGLASSES", "Polarised sunglasses", "89.00", "Frame", ["Tortoise", "Black"]),
]
# The Material attribute (its values in order) and each product's value of it.
MATERIALS = {
    "TEE": "Organic cotton",
    "HOODIE": "Cotton fleece",
    "JEANS": "Denim",
    "SOCKS": "Merino wool",
    "SCARF": "Wool",
    "BEANIE": "Wool",
    "TOTE": "Canvas",
    "SNEAKER": "Canvas",
    "APRON": "Denim",
    "TOWEL": "Linen",
    "WALLET": "Leather",
}
CUSTOMERS = [
    ("ada@example.com", "Ada Lovelace", "+44 20 7946 0018"),
    ("grace@example.com", "Grace Hopper", "+1 202 555 0143"),
    ("alan@example.com", "Alan Turing", None),
]

# (code, name, lead time in days, contact, {sku: unit cost})
SUPPLIERS = [
    (
        "NORDTEX",
        "Nordic Textiles",
        14,
        "orders@nordtex.example",
        {"TEE-S": "6.50", "TEE-M": "6.50", "TEE-L": "6.80", "TOTE-NATURAL": "4.10"},
    ),
    (
        "POTTERY",
        "Stoneware Pottery Co.",
        7,
        "+1 555 0100",
        {"MUG-WHITE": "3.20", "MUG-SAND": "3.20", "CANDLE-CEDAR": "5.00", "CANDLE-FIG": "5.00"},
    ),
]
# A kit the East warehouse assembles: its bill of materials, per box.
GIFT_BOX = ("GIFTBOX-HOME", "Home gift box", "Home", "39.00")
GIFT_BOX_COMPONENTS = {"MUG-WHITE": 1, "CANDLE-CEDAR": 1, "TOTE-NATURAL": 1}
# A service the stores perform, using up thread they stock: (sku, slot minutes, places).
MONOGRAM = ("MONOGRAM-TOTE", "Monogram embroidery", "Tote", "8.00")
THREAD = ("THREAD-GOLD", "Embroidery thread", "Gold", "3.00")
MONOGRAM_CAPACITY = {"ST-MALL": (30, 2), "ST-DOWNTOWN": (60, 1)}


def demo_sku(stem: str, variant: str) -> str:
    return f"{stem}-{variant.upper().replace(' ', '').replace('/', '')}"


def demo_quantity(product_index: int, variant_index: int, location_index: int) -> int:
    """Varied but reproducible stock: warehouses hold more, some store shelves are empty."""
    base = 40 if location_index < 2 else 6
    return max(0, base - (product_index * 7 + variant_index * 3 + location_index * 5) % base)


async def database_is_empty(database: Database) -> bool:
    async with database.read_session() as session:
        return not await location_reads.locations(session, None)


async def seed_demo(database: Database, report: Callable[[str], object]) -> None:
    """Load the demo data; call only on an empty database. `report` hears what is being
    loaded, step by step."""
    seeder = Principal.system("demo-seed")

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(database)

    report(f"loading {len(LOCATIONS)} locations and the {len(CHANNELS)} channels they serve")
    for code, name, kind, address in LOCATIONS:
        await catalog.create_location(uow(), seeder, CreateLocation(code, name, kind, address))
    for channel, codes in CHANNELS.items():
        await catalog.set_channel_locations(uow(), seeder, SetChannelLocations(channel, codes))
    report(f"loading {len(CUSTOMERS)} customers and a trade customer group")
    created = [
        await customers.create_customer(uow(), seeder, CreateCustomer(email, name, phone))
        for email, name, phone in CUSTOMERS
    ]
    # Grace buys wholesale: group TRADE, 15 % off list prices, at least 6 units per line.
    await customer_groups.create_customer_group(
        uow(), seeder, CreateCustomerGroup("TRADE", "Trade customers", Decimal("15"), 6)
    )
    grace = next(customer for customer in created if customer.email == "grace@example.com")
    await customer_groups.assign_customer_group(
        uow(),
        seeder,
        AssignCustomerGroup(id_of(grace), "TRADE"),
    )
    now = datetime.now(UTC)
    variant_count = sum(len(values) for *_product, values in PRODUCTS)
    report(
        f"loading {len(PRODUCTS)} products with {variant_count} variants"
        f" and their stock at {len(LOCATIONS)} locations"
    )
    material = await options.create_attribute(
        uow(),
        seeder,
        CreateAttribute("Material", values=tuple(dict.fromkeys(MATERIALS.values()))),
    )
    product_ids: dict[str, int] = {}
    for p, (stem, name, price, option, values) in enumerate(PRODUCTS):
        variants = tuple(
            NewVariant(
                demo_sku(stem, v),
                v,
                Decimal(price),
                "USD",
                selected_options=(SelectedOption(option, v),),
            )
            for v in values
        )
        product = await catalog.create_product(
            uow(),
            seeder,
            CreateProduct(
                name,
                variants,
                f"Demo product: {name}.",
                options=(NewOption(option, tuple(values)),),
            ),
        )
        product_ids[stem] = id_of(product)
        if stem in MATERIALS:
            await options.set_product_attributes(
                uow(),
                seeder,
                SetProductAttributes(
                    id_of(product), (AttributeValues(material.slug, (MATERIALS[stem],)),)
                ),
            )
        for v, variant in enumerate(variants):
            for loc, (code, *_rest) in enumerate(LOCATIONS):
                quantity = demo_quantity(p, v, loc)
                if quantity:
                    await inventory.adjust_stock(
                        uow(),
                        seeder,
                        AdjustStock(
                            variant.sku, code, quantity, AdjustmentReason.RECEIVED, "demo stock"
                        ),
                        now,
                    )
    report(
        f"loading {len(SUPPLIERS)} suppliers and their prices, a gift box made from"
        f" {len(GIFT_BOX_COMPONENTS)} components, and a service bookable at"
        f" {len(MONOGRAM_CAPACITY)} stores"
    )
    await _seed_buying_making_and_services(uow, seeder, now)
    report(
        f"loading {len(CATEGORIES)} categories, sales tax in {len(SALES_TAX)} states, shipping"
        " in the US and two promotions (voucher WELCOME10)"
    )
    skus = {stem: [demo_sku(stem, v) for v in values] for stem, *_rest, values in PRODUCTS}
    await seed_storefront(uow, seeder, product_ids, skus, now)


async def _seed_buying_making_and_services(
    uow: Callable[[], SqlUnitOfWork], seeder: Principal, now: datetime
) -> None:
    for code, name, lead_time_days, contact, prices in SUPPLIERS:
        await supplier_usecases.create_supplier(
            uow(), seeder, CreateSupplier(code, name, lead_time_days, contact)
        )
        await supplier_usecases.set_supplier_prices(
            uow(),
            seeder,
            SetSupplierPrices(
                code,
                tuple(SupplierPriceRequest(sku, Decimal(cost)) for sku, cost in prices.items()),
            ),
        )
    for product, kind in (
        (GIFT_BOX, ProductKind.GOODS),
        (THREAD, ProductKind.GOODS),
        (MONOGRAM, ProductKind.SERVICE),
    ):
        await _create_single_variant_product(uow(), seeder, product, kind)
    await boms.set_bill_of_materials(
        uow(),
        seeder,
        SetBillOfMaterials(
            GIFT_BOX[0],
            tuple(ComponentRequest(sku, units) for sku, units in GIFT_BOX_COMPONENTS.items()),
        ),
    )
    await services.set_service_recipe(
        uow(), seeder, SetServiceRecipe(MONOGRAM[0], (ConsumableRequest(THREAD[0], 1),))
    )
    for code, (slot_minutes, places) in MONOGRAM_CAPACITY.items():
        await services.set_service_capacity(
            uow(), seeder, SetServiceCapacity(MONOGRAM[0], code, slot_minutes, places)
        )
        await inventory.adjust_stock(
            uow(),
            seeder,
            AdjustStock(THREAD[0], code, 20, AdjustmentReason.RECEIVED, "demo stock"),
            now,
        )


async def _create_single_variant_product(
    uow: SqlUnitOfWork, seeder: Principal, product: tuple[str, str, str, str], kind: ProductKind
) -> None:
    sku, name, variant_name, price = product
    await catalog.create_product(
        uow,
        seeder,
        CreateProduct(
            name,
            (NewVariant(sku, variant_name, Decimal(price), "USD"),),
            f"Demo product: {name}.",
            kind=kind,
        ),
    )
