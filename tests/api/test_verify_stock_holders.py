"""`omniorder verify-stock` checks each level's reserved, in-transit and incoming units
against the open documents holding them, on SQLite and PostgreSQL: real activity of every
kind passes; a level or a document changed behind the ledger's back is named.

The shop (tests/api/conftest.py): WH-A holds TEE-S 10 and TEE-M 5, ST-B holds TEE-S 3 and
MUG 4, ST-C holds nothing; the workshop (manufacturing_documents.py) adds parts at WH-A.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url, text

from api import cli
from api.app import create_app
from api.settings import Settings
from persistence.database import Database
from tests.api import manufacturing_documents as making
from tests.api import purchasing_documents as buying
from tests.api import transfers_documents as moving
from tests.api.conftest import DEFAULT_STOCK, SECRET, GraphQL, build_shop
from tests.api.orders_documents import SHIP_ORDER, change, pickup_order, place, shipping_order
from tests.api.wholesale_documents import join_trade_group, wholesale_order
from tests.conftest import BACKENDS, Templates, _admin, _asyncpg_url, fresh_database

ALL_HOLD = "0 reserved, in-transit or incoming quantities disagree with their documents"
LEDGER_HOLDS = "0 stock levels disagree with the ledger"


@dataclass(frozen=True)
class Activity:
    """Numbers of the documents the corruptions below pick on."""

    cancelled: str  # an order for TEE-M 1 at WH-A, confirmed then cancelled
    partly_shipped: str  # an order for TEE-S 2 (1 shipped) and TEE-M 1, from WH-A
    requested: str  # a transfer of TEE-S 2 from WH-A to ST-C, requested
    in_transit: str  # a transfer of TEE-S 1 from ST-B to ST-C, shipped
    released: str  # a work order for one TABLE at WH-A (LEG 4, TOP 1, SCREW 8)
    purchase_order: str  # TEE-M 5 for WH-A, 1 received


async def placed(graphql, variables: dict, *steps: str) -> dict:
    payload = await place(graphql, variables)
    assert payload["userErrors"] == [], payload
    for step in steps:
        changed = await change(graphql, step, payload["order"]["id"])
        assert changed["userErrors"] == [], changed
    return payload["order"]


async def ship(graphql, order: dict, sku: str, quantity: int) -> None:
    lines = [{"sku": sku, "quantity": quantity}]
    shipment = {"orderId": order["id"], "carrier": "UPS", "trackingNumber": "1Z", "lines": lines}
    shipped = await graphql.admin(SHIP_ORDER, {"input": shipment})
    assert shipped["shipOrder"]["userErrors"] == [], shipped


def ok(payload: dict) -> dict:
    assert payload["userErrors"] == [], payload
    return payload


async def activity(graphql, database, shop) -> Activity:
    """Through the API: orders that hold stock and orders that no longer do, transfers,
    purchase and work orders at every step that holds units, and past it."""
    await join_trade_group(graphql, shop.customer)
    await placed(graphql, shipping_order(("TEE-S", 1)))  # PENDING
    await placed(graphql, shipping_order(("TEE-S", 2)), "confirmOrder")
    partly = await placed(graphql, shipping_order(("TEE-S", 2), ("TEE-M", 1)), "confirmOrder")
    await ship(graphql, partly, "TEE-S", 1)  # PARTIALLY_SHIPPED
    cancelled = await placed(graphql, shipping_order(("TEE-M", 1)), "confirmOrder", "cancelOrder")
    gone = await placed(graphql, shipping_order(("MUG", 1)), "confirmOrder")
    await ship(graphql, gone, "MUG", 1)  # SHIPPED
    await placed(graphql, pickup_order(shop.store, ("MUG", 1)), "confirmOrder")
    await placed(
        graphql,
        pickup_order(shop.store, ("TEE-S", 1)),
        "confirmOrder",
        "markOrderReadyForPickup",
        "completeOrder",
    )
    await placed(
        graphql,
        pickup_order(shop.store, ("MUG", 1)),
        "confirmOrder",
        "markOrderReadyForPickup",
    )
    # 4 TEE-M are free at WH-A: the wholesale order takes them and waits for 2 more
    backorder = wholesale_order(("TEE-M", 6), customerEmail=shop.customer, allowBackorder=True)
    assert (await placed(graphql, backorder))["status"] == "BACKORDERED"
    # a purchase order partly received: the unit that arrives goes to the backorder
    ok(await buying.create_supplier(graphql, "ACME"))
    purchase_order = await buying.ordered(graphql, ("TEE-M", 5, "4.20"))
    ok(await buying.receive(graphql, purchase_order["id"], ("TEE-M", 1)))
    # transfers requested, in transit, received and cancelled
    requested = (await moving.create(graphql, ("TEE-S", 2), destination=shop.other_store))[
        "transfer"
    ]
    ok(await moving.request(graphql, requested["id"]))
    in_transit = await moving.shipped(
        graphql, ("TEE-S", 1), origin=shop.store, destination=shop.other_store
    )
    received = await moving.shipped(graphql, ("TEE-S", 1), destination=shop.other_store)
    ok(await moving.receive(graphql, received["id"], ("TEE-S", 1)))
    dropped = (await moving.create(graphql, ("TEE-S", 1)))["transfer"]
    ok(await moving.request(graphql, dropped["id"]))
    ok(await moving.cancel(graphql, dropped["id"]))
    # work orders released, part made, planned and cancelled
    await making.build_workshop(database)
    await making.table_and_leg_boms(graphql)
    released = (await making.create(graphql, "TABLE", 1))["workOrder"]
    ok(await making.step(graphql, "releaseWorkOrder", released["id"]))
    legs = await making.started(graphql, "LEG", 2)
    ok(await making.complete(graphql, legs["id"], 1))  # PARTIALLY_COMPLETED
    ok(await making.create(graphql, "TABLE", 1))  # PLANNED
    stopped = (await making.create(graphql, "LEG", 1))["workOrder"]
    ok(await making.step(graphql, "releaseWorkOrder", stopped["id"]))
    ok(await making.step(graphql, "cancelWorkOrder", stopped["id"]))
    return Activity(
        cancelled=cancelled["number"],
        partly_shipped=partly["number"],
        requested=requested["number"],
        in_transit=in_transit["number"],
        released=released["number"],
        purchase_order=purchase_order["number"],
    )


def level_where(sku: str, location: str) -> str:
    return (
        f"variant_id = (SELECT id FROM variants WHERE sku = '{sku}')"
        f" AND location_id = (SELECT id FROM locations WHERE code = '{location}')"
    )


@dataclass(frozen=True)
class BusyShop:
    """A database with the activity in it, made once per back-end and copied for each test
    that changes it."""

    backend: str
    url: str
    numbers: Activity
    directory: Path

    @contextlib.contextmanager
    def copy(self) -> Iterator[str]:
        if self.backend == "sqlite":
            path = self.directory / f"{uuid.uuid4().hex[:10]}.db"
            shutil.copyfile(str(make_url(self.url).database), path)
            yield f"sqlite+aiosqlite:///{path}"
            return
        name = f"omniorder_test_{uuid.uuid4().hex[:10]}"
        source = make_url(self.url).database
        asyncio.run(_admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
        try:
            yield _asyncpg_url(name)
        finally:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def make_busy(url: str) -> Activity:
    database = Database(url)
    try:
        shop = await build_shop(database, DEFAULT_STOCK)
        settings = Settings(database_url=url, secret=SECRET)
        app = create_app(settings, database=database)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await activity(GraphQL(http, app.state.tokens), database, shop)
    finally:
        await database.dispose()  # every connection closed: a copy may take it as template


@pytest.fixture(scope="module", params=BACKENDS)
def busy(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BusyShop]:
    directory = tmp_path_factory.mktemp("busy")
    with fresh_database(request.param, templates, directory) as url:
        yield BusyShop(request.param, url, asyncio.run(make_busy(url)), directory)


async def quantity_of(url: str, sku: str, location: str, quantity: str) -> int:
    database = Database(url)
    try:
        async with database.read_session() as session:
            statement = f"SELECT {quantity} FROM stock_levels WHERE {level_where(sku, location)}"
            return (await session.execute(text(statement))).scalar_one()
    finally:
        await database.dispose()


async def corrupt(url: str, statement: str, numbers: Activity) -> None:
    database = Database(url)
    try:
        async with database.writing() as session:
            await session.execute(text(statement), vars(numbers))
            await session.commit()
    finally:
        await database.dispose()


def verify_stock(url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> tuple[int, str]:
    """`omniorder verify-stock` on the database at `url`: its exit code and what it printed."""
    monkeypatch.setenv("DATABASE_URL", url)
    code = cli.main(["verify-stock"])
    return code, capsys.readouterr().out


HELD = {
    # pending 1 + confirmed 2 + partly shipped 1 + the requested transfer 2
    ("TEE-S", "WH-A", "reserved"): 6,
    # partly shipped 1 + the backorder's 4, and then 1 of the purchase order
    ("TEE-M", "WH-A", "reserved"): 6,
    ("TEE-M", "WH-A", "incoming"): 4,  # 5 ordered, 1 received
    ("MUG", "ST-B", "reserved"): 2,  # two pickups not collected
    ("TEE-S", "ST-C", "in_transit"): 1,
    ("SCREW", "WH-A", "reserved"): 8,  # the TABLE released
    ("DOWEL", "WH-A", "reserved"): 2,  # the one LEG still to make
}


def test_real_activity_of_every_kind_passes_and_every_holder_counts(busy, monkeypatch, capsys):
    # given orders, transfers, purchase and work orders that hold units, and ones past it
    # when the stock is verified
    code, printed = verify_stock(busy.url, monkeypatch, capsys)
    # then nothing disagrees, and every kind of holder held units
    assert code == 0, printed
    assert LEDGER_HOLDS in printed
    assert ALL_HOLD in printed
    for (sku, location, quantity), units in HELD.items():
        assert asyncio.run(quantity_of(busy.url, sku, location, quantity)) == units


# what is changed; where it shows: SKU, location, quantity, level change, holders change;
# how many held quantities then disagree
CORRUPTIONS = {
    "a reserved unit lost": (
        f"UPDATE stock_levels SET reserved = reserved - 1 WHERE {level_where('TEE-S', 'WH-A')}",
        ("TEE-S", "WH-A", "reserved", -1, 0),
        1,
    ),
    "a unit in transit made up": (
        f"UPDATE stock_levels SET in_transit = in_transit + 1 WHERE {level_where('TEE-S', 'ST-C')}",
        ("TEE-S", "ST-C", "in_transit", 1, 0),
        1,
    ),
    "an incoming unit lost": (
        f"UPDATE stock_levels SET incoming = incoming - 1 WHERE {level_where('TEE-M', 'WH-A')}",
        ("TEE-M", "WH-A", "incoming", -1, 0),
        1,
    ),
    "an order left CONFIRMED after its cancel released it": (
        "UPDATE orders SET status = 'CONFIRMED' WHERE number = :cancelled",
        ("TEE-M", "WH-A", "reserved", 0, 1),
        1,
    ),
    "a shipped unit not counted as fulfilled": (
        "UPDATE order_allocations SET fulfilled = fulfilled - 1"
        " WHERE order_id = (SELECT id FROM orders WHERE number = :partly_shipped)"
        " AND fulfilled > 0",
        ("TEE-S", "WH-A", "reserved", 0, 1),
        1,
    ),
    "a requested transfer back to DRAFT": (
        "UPDATE transfers SET status = 'DRAFT' WHERE number = :requested",
        ("TEE-S", "WH-A", "reserved", 0, -2),
        1,
    ),
    "a transfer in transit marked RECEIVED": (
        "UPDATE transfers SET status = 'RECEIVED' WHERE number = :in_transit",
        ("TEE-S", "ST-C", "in_transit", 0, -1),
        1,
    ),
    "a released work order back to PLANNED": (
        "UPDATE work_orders SET status = 'PLANNED' WHERE number = :released",
        ("SCREW", "WH-A", "reserved", 0, -8),
        3,  # LEG, TOP and SCREW
    ),
    "a purchase order line received once more": (
        "UPDATE purchase_order_lines SET received = received + 1 WHERE purchase_order_id ="
        " (SELECT id FROM purchase_orders WHERE number = :purchase_order)",
        ("TEE-M", "WH-A", "incoming", 0, -1),
        1,
    ),
}


@pytest.mark.parametrize(
    ("statement", "shows", "disagreeing"), CORRUPTIONS.values(), ids=CORRUPTIONS
)
def test_verify_stock_names_a_held_quantity_changed_behind_the_ledgers_back(
    busy, statement, shows, disagreeing, monkeypatch, capsys
):
    sku, location, quantity, level_change, held_change = shows
    with busy.copy() as url:
        # given the activity, and one level or document changed by hand
        before = asyncio.run(quantity_of(url, sku, location, quantity))
        asyncio.run(corrupt(url, statement, busy.numbers))
        # when the stock is verified
        code, printed = verify_stock(url, monkeypatch, capsys)
    # then it fails, naming the level, the quantity, what the level and its holders say
    assert code == 1, printed
    assert (
        f"{sku} at {location}: level {quantity}={before + level_change}; "
        f"held by documents {quantity}={before + held_change}"
    ) in printed
    assert f"{disagreeing} reserved, in-transit or incoming quantities disagree" in printed
    if not level_change:  # the ledger still balances: only the holders can tell
        assert LEDGER_HOLDS in printed
