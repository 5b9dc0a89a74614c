"""A fresh database per benchmark run, migrated and filled with a catalog and stock.

SQLite gets a file in a temporary directory; PostgreSQL gets `CREATE DATABASE` with a unique
name, dropped again at the end. Seeding uses bulk Core inserts (seconds, not minutes),
gives every product a category below CATEGORY_ROOT, a Size option (its variants' names)
and every channel, and keeps the stock ledger honest: every non-zero level has one
RECEIVED adjustment movement of the same quantity, so `omniorder verify-stock` passes on
the seeded database.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from persistence.database import Database
from persistence.migrate import upgrade_to_head
from persistence.records import (
    CategoryRecord,
    ChannelLocationRecord,
    ChannelRecord,
    LocationRecord,
    OrderLineRecord,
    OrderRecord,
    ProductCategoryRecord,
    ProductChannelRecord,
    ProductOptionRecord,
    ProductOptionValueRecord,
    ProductRecord,
    StockLevelRecord,
    StockMovementRecord,
    VariantOptionCombinationRecord,
    VariantOptionValueRecord,
    VariantRecord,
)

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCATIONS = [
    ("WH-EAST", "East warehouse", "WAREHOUSE", "1 Dock Road, Newark"),
    ("WH-WEST", "West warehouse", "WAREHOUSE", "9 Harbor Way, Oakland"),
    ("ST-DOWNTOWN", "Downtown store", "STORE", "12 Main Street"),
    ("ST-MALL", "Mall store", "STORE", "Riverside Mall, unit 40"),
    ("ST-AIRPORT", "Airport store", "STORE", "Terminal 2, gate B"),
]
CHANNELS = {
    "WEB": ("WH-EAST", "WH-WEST", "ST-DOWNTOWN"),
    "MOBILE": ("WH-EAST", "WH-WEST", "ST-DOWNTOWN"),
    "POS": ("ST-DOWNTOWN", "ST-MALL", "ST-AIRPORT"),
    "WHOLESALE": ("WH-EAST", "WH-WEST"),
}
VARIANT_NAMES = ["XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL"]
OUT_OF_STOCK_SHARE = 0.02  # variants with no stock anywhere
EMPTY_SHELF_SHARE = 0.3  # store levels at zero
SEED_ACTOR = "bench-seed"
CATEGORY_ROOT = "clothing"  # every product sits in one of its subcategories
SUBCATEGORIES = 4


@dataclass(frozen=True)
class Seeded:
    products: int
    variants: int
    locations: int
    levels: int
    movements: int
    units: int
    web_skus: tuple[str, ...]  # SKUs with stock at a location the WEB channel fulfils from

    @property
    def size(self) -> str:
        per_product = self.variants // max(self.products, 1)
        return f"{self.products}p x {per_product}v x {self.locations}loc"


@contextlib.asynccontextmanager
async def fresh_database(backend: str, postgres_admin_dsn: str) -> AsyncIterator[str]:
    """Yield the SQLAlchemy URL of a new, empty database; remove it afterwards."""
    if backend == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix="omniorder-bench-"))
        try:
            yield f"sqlite+aiosqlite:///{directory / 'bench.db'}"
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return
    require_loopback(postgres_admin_dsn)
    name = f"omniorder_bench_{uuid.uuid4().hex[:10]}"
    await _admin(postgres_admin_dsn, f'CREATE DATABASE "{name}"')
    try:
        base = postgres_admin_dsn.rsplit("/", 1)[0]
        yield base.replace("postgresql://", "postgresql+asyncpg://", 1) + f"/{name}"
    finally:
        await _admin(postgres_admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def require_loopback(dsn: str) -> None:
    host = urlsplit(dsn).hostname
    if host not in LOOPBACK_HOSTS:
        raise SystemExit(f"the benchmark only talks to this machine; {host!r} is not loopback")


async def _admin(dsn: str, statement: str) -> None:
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def migrate_and_seed(url: str, *, products: int, variants: int, seed: int) -> Seeded:
    database = Database(url)
    try:
        await upgrade_to_head(database.write_engine)
        return await _seed(database, products=products, variants=variants, seed=seed)
    finally:
        await database.dispose()


async def _seed(database: Database, *, products: int, variants: int, seed: int) -> Seeded:
    if not 1 <= variants <= len(VARIANT_NAMES):
        raise ValueError(f"variants per product must be 1-{len(VARIANT_NAMES)}")
    rng = random.Random(seed)
    now = datetime.now(UTC)
    async with database.write_engine.begin() as connection:
        await connection.execute(
            insert(LocationRecord),
            [
                {"code": code, "name": name, "kind": kind, "address": address}
                for code, name, kind, address in LOCATIONS
            ],
        )
        location_ids = dict(
            (await connection.execute(select(LocationRecord.code, LocationRecord.id))).all()
        )
        channel_ids = dict(
            (await connection.execute(select(ChannelRecord.code, ChannelRecord.id))).all()
        )
        await connection.execute(
            insert(ChannelLocationRecord),
            [
                {
                    "channel_id": channel_ids[channel],
                    "location_id": location_ids[code],
                    "position": i,
                }
                for channel, codes in CHANNELS.items()
                for i, code in enumerate(codes)
            ],
        )

        await connection.execute(
            insert(ProductRecord),
            [
                {
                    "name": f"Bench product {p:05d}",
                    "description": f"Product {p} of the benchmark catalog, for load tests.",
                    "status": "ACTIVE",
                    "created_at": now,
                    "updated_at": now,
                }
                for p in range(products)
            ],
        )
        product_ids = (
            await connection.scalars(select(ProductRecord.id).order_by(ProductRecord.id))
        ).all()
        await connection.execute(
            insert(VariantRecord),
            [
                {
                    "product_id": product_id,
                    "sku": f"BENCH-{p:05d}-{name}",
                    "name": name,
                    "barcode": f"{4_000_000_000_000 + p * 10 + v}",
                    "price_cents": rng.randrange(500, 20_000, 10),
                    "currency": "USD",
                    "updated_at": now,
                }
                for p, product_id in enumerate(product_ids)
                for v, name in enumerate(VARIANT_NAMES[:variants])
            ],
        )
        variant_rows = (
            await connection.execute(
                select(VariantRecord.id, VariantRecord.sku).order_by(VariantRecord.id)
            )
        ).all()
        await _publish_everywhere(connection, product_ids, channel_ids.values())
        await _sort_into_categories(connection, product_ids, now)
        await _give_sizes(connection, product_ids, VARIANT_NAMES[:variants])

        levels, movements = [], []
        web_location_ids = {location_ids[code] for code in CHANNELS["WEB"]}
        web_skus: list[str] = []
        for variant_id, sku in variant_rows:
            out_of_stock = rng.random() < OUT_OF_STOCK_SHARE
            for code, _name, kind, _address in LOCATIONS:
                quantity = 0 if out_of_stock else _quantity(rng, kind)
                location_id = location_ids[code]
                levels.append(
                    {
                        "variant_id": variant_id,
                        "location_id": location_id,
                        "on_hand": quantity,
                        "reserved": 0,
                    }
                )
                if quantity:
                    movements.append(_received(variant_id, location_id, quantity, now))
                    if location_id in web_location_ids and (not web_skus or web_skus[-1] != sku):
                        web_skus.append(sku)
        await connection.execute(insert(StockLevelRecord), levels)
        await connection.execute(insert(StockMovementRecord), movements)

    return Seeded(
        products=len(product_ids),
        variants=len(variant_rows),
        locations=len(LOCATIONS),
        levels=len(levels),
        movements=len(movements),
        units=sum(m["on_hand_delta"] for m in movements),
        web_skus=tuple(web_skus),
    )


async def _publish_everywhere(
    connection: AsyncConnection, product_ids: Sequence[int], channel_ids: Iterable[int]
) -> None:
    """Every product on every channel, as createProduct publishes a new one."""
    channels = list(channel_ids)
    await connection.execute(
        insert(ProductChannelRecord),
        [{"product_id": p, "channel_id": c} for p in product_ids for c in channels],
    )


async def _sort_into_categories(
    connection: AsyncConnection, product_ids: Sequence[int], now: datetime
) -> None:
    """A root category, CATEGORY_ROOT, with SUBCATEGORIES below it; each product in one
    of them, in turn."""
    timestamps = {"created_at": now, "updated_at": now}
    root_id = await connection.scalar(
        insert(CategoryRecord)
        .values(name="Clothing", slug=CATEGORY_ROOT, position=1, **timestamps)
        .returning(CategoryRecord.id)
    )
    await connection.execute(
        insert(CategoryRecord),
        [
            {"name": f"Line {c}", "slug": f"line-{c}", "parent_id": root_id, "position": c}
            | timestamps
            for c in range(1, SUBCATEGORIES + 1)
        ],
    )
    children = (
        await connection.scalars(
            select(CategoryRecord.id)
            .where(CategoryRecord.parent_id == root_id)
            .order_by(CategoryRecord.position)
        )
    ).all()
    await connection.execute(
        insert(ProductCategoryRecord),
        [
            {"product_id": p, "category_id": children[i % len(children)]}
            for i, p in enumerate(product_ids)
        ],
    )


async def _give_sizes(
    connection: AsyncConnection, product_ids: Sequence[int], sizes: Sequence[str]
) -> None:
    """A Size option on every product, its variants (named by size) one value each."""
    await connection.execute(
        insert(ProductOptionRecord),
        [{"product_id": p, "name": "Size", "position": 1} for p in product_ids],
    )
    options = dict(
        (
            await connection.execute(select(ProductOptionRecord.product_id, ProductOptionRecord.id))
        ).all()
    )
    await connection.execute(
        insert(ProductOptionValueRecord),
        [
            {"option_id": option, "value": size, "position": i}
            for option in options.values()
            for i, size in enumerate(sizes, 1)
        ],
    )
    values = {
        (option, value): key
        for option, value, key in await connection.execute(
            select(
                ProductOptionValueRecord.option_id,
                ProductOptionValueRecord.value,
                ProductOptionValueRecord.id,
            )
        )
    }
    variants = (
        await connection.execute(
            select(VariantRecord.id, VariantRecord.product_id, VariantRecord.name)
        )
    ).all()
    selected = [
        (variant, product, options[product], values[(options[product], name)])
        for variant, product, name in variants
    ]
    await connection.execute(
        insert(VariantOptionValueRecord),
        [{"variant_id": v, "option_id": o, "value_id": k} for v, _p, o, k in selected],
    )
    await connection.execute(
        insert(VariantOptionCombinationRecord),
        [{"variant_id": v, "product_id": p, "combination": str(k)} for v, p, _o, k in selected],
    )


def _quantity(rng: random.Random, kind: str) -> int:
    if kind == "WAREHOUSE":
        return rng.randint(50, 300)
    return 0 if rng.random() < EMPTY_SHELF_SHARE else rng.randint(1, 12)


def _received(variant_id: int, location_id: int, quantity: int, at: datetime) -> dict[str, Any]:
    """The ledger entry that explains a seeded level, as the adjustStock use case writes it."""
    return {
        "variant_id": variant_id,
        "location_id": location_id,
        "kind": "ADJUSTMENT",
        "on_hand_delta": quantity,
        "reserved_delta": 0,
        "reason": "RECEIVED",
        "reference": "adjustment",
        "note": "benchmark seed",
        "actor": SEED_ACTOR,
        "occurred_at": at,
    }


@dataclass(frozen=True)
class OrderTally:
    orders: int
    units_ordered: int
    units_reserved: int


async def tally_orders(url: str) -> OrderTally:
    """What the database holds after the run, to compare with what the clients were told."""
    database = Database(url)
    try:
        async with database.read_session() as session:
            orders = await session.scalar(select(func.count()).select_from(OrderRecord))
            ordered = await session.scalar(select(func.sum(OrderLineRecord.quantity)))
            reserved = await session.scalar(select(func.sum(StockLevelRecord.reserved)))
    finally:
        await database.dispose()
    return OrderTally(int(orders or 0), int(ordered or 0), int(reserved or 0))
