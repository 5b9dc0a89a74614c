"""bulkSetStock over GraphQL: many levels of one location in one transaction, each changed
line one ledger movement, a few statements however many lines, and races with orders."""

import asyncio
import json
import random
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.access import Principal, Role
from domain.commands.catalog import CreateProduct, NewVariant
from domain.usecases import catalog
from persistence.records import OutboxEventRecord, StockMovementRecord
from persistence.uow import SqlUnitOfWork
from tests.api.conftest import build_shop
from tests.api.ledger_documents import assert_stock_holds, level_of
from tests.api.orders_documents import pickup_order, place
from tests.api.test_query_count import counting_statements

BULK_SET_STOCK = """
mutation($input: BulkSetStockInput!) {
  bulkSetStock(input: $input) {
    stockLevels { onHand reserved available variant { sku } location { code } }
    movementsWritten
    userErrors { field code message }
  }
}"""
ADJUST = """
mutation($input: AdjustStockInput!) {
  adjustStock(input: $input) { stockLevel { onHand } userErrors { code } }
}"""
SET_THRESHOLDS = """
mutation($input: SetStockThresholdsInput!) {
  setStockThresholds(input: $input) { userErrors { code } }
}"""
MOVEMENTS = """
query($filter: StockMovementFilter) {
  stockMovements(first: 100, filter: $filter) {
    totalCount
    edges { node { kind onHandDelta damagedDelta reason note actor variant { sku } } }
  }
}"""


def bulk(location, *lines, **extra):
    return {"input": {"locationCode": location, "quantities": list(lines)} | extra}


async def bulk_set(graphql, variables, token=None):
    token = token or graphql.token(Role.ADMIN)
    return (await graphql.data(BULK_SET_STOCK, variables, token=token))["bulkSetStock"]


async def movement_count(graphql) -> int:
    return (await graphql.admin(MOVEMENTS))["stockMovements"]["totalCount"]


async def add_variants(database, count, prefix="BULK"):
    """One product with `count` variants, SKUs BULK-0000, BULK-0001, …"""
    variants = tuple(
        NewVariant(f"{prefix}-{index:04}", f"V{index}", Decimal("5.00"), "USD")
        for index in range(count)
    )
    await catalog.create_product(
        SqlUnitOfWork(database), Principal.system(), CreateProduct(f"{prefix} goods", variants)
    )
    return [variant.sku for variant in variants]


async def test_lines_set_on_hand_or_change_it_each_change_one_movement(graphql, shop):
    # given TEE-S 3, MUG 4 and TEE-M 0 at the store
    # when one call sets TEE-S to 10, takes 1 MUG, and sets TEE-M to 0 (as it is)
    payload = await bulk_set(
        graphql,
        bulk(
            shop.store,
            {"sku": "TEE-S", "onHand": 10},
            {"sku": "mug", "delta": -1},
            {"sku": "TEE-M", "onHand": 0},
            note="shelf count 12",
        ),
    )
    # then the levels come back in line order, and two movements were written
    assert payload["userErrors"] == []
    assert [
        (level["variant"]["sku"], level["location"]["code"], level["onHand"])
        for level in payload["stockLevels"]
    ] == [("TEE-S", shop.store, 10), ("MUG", shop.store, 3), ("TEE-M", shop.store, 0)]
    assert payload["movementsWritten"] == 2
    ledger = await graphql.admin(MOVEMENTS, {"filter": {"locationCode": shop.store}})
    newest = [edge["node"] for edge in ledger["stockMovements"]["edges"][:2]]
    assert sorted((n["variant"]["sku"], n["onHandDelta"]) for n in newest) == [
        ("MUG", -1),
        ("TEE-S", 7),
    ]
    assert {(n["kind"], n["reason"], n["note"], n["actor"]) for n in newest} == {
        ("ADJUSTMENT", "CORRECTION", "shelf count 12", "admin")
    }


async def test_a_level_never_stocked_before_is_set(graphql, shop, database):
    # given TEE-M has never had a unit, nor a movement, at the other store
    # when its on hand is set there
    payload = await bulk_set(graphql, bulk(shop.other_store, {"sku": "TEE-M", "onHand": 7}))
    # then the level holds the units, and the ledger explains them
    assert payload["stockLevels"][0]["onHand"] == 7
    assert await level_of(graphql, "TEE-M", shop.other_store, "onHand") == (7,)
    await assert_stock_holds(database)


async def test_lines_that_change_nothing_write_no_movement(graphql, shop):
    # given the levels as they are
    before = await movement_count(graphql)
    # when every line leaves its level as it is
    payload = await bulk_set(
        graphql, bulk(shop.store, {"sku": "TEE-S", "onHand": 3}, {"sku": "MUG", "delta": 0})
    )
    # then nothing is written
    assert payload["userErrors"] == []
    assert payload["movementsWritten"] == 0
    assert [level["onHand"] for level in payload["stockLevels"]] == [3, 4]
    assert await movement_count(graphql) == before


async def test_a_reason_moves_units_as_an_adjustment_does(graphql, shop):
    # when units are set lower as DAMAGED
    payload = await bulk_set(
        graphql, bulk(shop.store, {"sku": "MUG", "onHand": 1}, reason="DAMAGED")
    )
    # then they move from on hand to damaged, as adjustStock would move them
    assert payload["stockLevels"][0]["onHand"] == 1
    assert await level_of(graphql, "MUG", shop.store, "onHand", "damaged") == (1, 3)


VALID = {"sku": "TEE-S", "onHand": 10}
REFUSALS = {
    "both onHand and delta": (
        [{"sku": "MUG", "onHand": 1, "delta": 1}],
        "INVALID_INPUT",
        "1.onHand",
    ),
    "neither onHand nor delta": ([{"sku": "MUG"}], "INVALID_INPUT", "1.onHand"),
    "a negative onHand": ([{"sku": "MUG", "onHand": -1}], "INVALID_INPUT", "1.onHand"),
    "a SKU twice": ([{"sku": "tee-s", "delta": 1}], "INVALID_INPUT", "1.sku"),
    "an unknown SKU": ([{"sku": "NOPE", "delta": 1}], "NOT_FOUND", "1.sku"),
    "on hand below zero": ([{"sku": "MUG", "delta": -5}], "INSUFFICIENT_STOCK", "1.delta"),
    "a stale expected quantity": (
        [{"sku": "MUG", "onHand": 9, "expectedOnHand": 3}],
        "STALE_QUANTITY",
        "1.expectedOnHand",
    ),
    "a reason the wrong way": ([{"sku": "MUG", "onHand": 1}], "INVALID_INPUT", "1.onHand"),
}


@pytest.mark.parametrize("case", REFUSALS)
async def test_a_refused_line_refuses_the_whole_call(graphql, shop, case):
    # given a valid first line and a second the rules refuse
    lines, code, field = REFUSALS[case]
    extra = {"reason": "RECEIVED"} if case == "a reason the wrong way" else {}
    before = await movement_count(graphql)
    # when they are sent together
    payload = await bulk_set(graphql, bulk(shop.store, VALID, *lines, **extra))
    # then the second line is named, and the first did not change its level either
    error = payload["userErrors"][0]
    assert (error["code"], error["field"]) == (code, ["input", "quantities", *field.split(".")])
    assert payload["stockLevels"] == []
    assert await level_of(graphql, "TEE-S", shop.store, "onHand") == (3,)
    assert await movement_count(graphql) == before


async def test_on_hand_may_not_fall_below_what_orders_hold(graphql, shop):
    # given an order holds 3 of the 4 mugs at the store
    order = await place(graphql, pickup_order(shop.store, ("MUG", 3)))
    assert order["userErrors"] == []
    # when a line would leave 2 on hand
    payload = await bulk_set(graphql, bulk(shop.store, VALID, {"sku": "MUG", "onHand": 2}))
    # then it is refused, saying how many are free
    error = payload["userErrors"][0]
    assert (error["code"], error["field"]) == (
        "INSUFFICIENT_STOCK",
        ["input", "quantities", "1", "onHand"],
    )
    assert "SKU MUG: 1 available at ST-B, 2 requested" in error["message"]
    assert await level_of(graphql, "TEE-S", shop.store, "onHand") == (3,)


async def test_an_unknown_location_is_refused(graphql, shop):
    payload = await bulk_set(graphql, bulk("NOWHERE", VALID))
    assert (payload["userErrors"][0]["code"], payload["userErrors"][0]["field"]) == (
        "NOT_FOUND",
        ["input", "locationCode"],
    )


async def test_more_than_a_thousand_lines_are_refused(graphql, shop):
    lines = [{"sku": f"SKU-{index}", "onHand": 1} for index in range(1001)]
    payload = await bulk_set(graphql, bulk(shop.store, *lines))
    error = payload["userErrors"][0]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "quantities"])
    assert "at most 1000 lines" in error["message"]


async def test_no_line_at_all_is_refused(graphql, shop):
    payload = await bulk_set(graphql, bulk(shop.store))
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"


async def test_compare_and_set_applies_only_to_the_quantity_it_saw(graphql, shop):
    # given a count that saw 3 T-shirts
    seen = {"sku": "TEE-S", "onHand": 5, "expectedOnHand": 3}
    # when it is sent, and sent again after the level changed
    first = await bulk_set(graphql, bulk(shop.store, seen))
    again = await bulk_set(graphql, bulk(shop.store, seen))
    # then the first applies and the second is stale
    assert first["stockLevels"][0]["onHand"] == 5
    assert again["userErrors"][0]["code"] == "STALE_QUANTITY"
    assert "on hand is 5, not the expected 3" in again["userErrors"][0]["message"]


async def test_staff_set_stock_only_where_they_work_and_customers_never(graphql, shop):
    clerk = graphql.token(Role.STAFF, locations=(shop.store,))
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    here = await bulk_set(graphql, bulk(shop.store, VALID), token=clerk)
    there = await bulk_set(graphql, bulk(shop.warehouse, VALID), token=clerk)
    theirs = await bulk_set(graphql, bulk(shop.store, VALID), token=customer)
    assert here["userErrors"] == []
    assert there["userErrors"][0]["code"] == "FORBIDDEN"
    assert theirs["userErrors"][0]["code"] == "FORBIDDEN"


async def test_each_changed_level_publishes_its_change_and_a_crossed_reorder_point(
    graphql, shop, database
):
    # given the store's T-shirts are low at 1 or fewer available
    await graphql.admin(
        SET_THRESHOLDS,
        {
            "input": {
                "sku": "TEE-S",
                "locationCode": shop.store,
                "reorderPoint": 1,
                "safetyStock": 0,
            }
        },
    )
    async with database.read_session() as session:
        last = await session.scalar(select(func.max(OutboxEventRecord.id))) or 0
    # when one call takes T-shirts down to 1, adds mugs and leaves TEE-M as it is
    await bulk_set(
        graphql,
        bulk(
            shop.store,
            {"sku": "TEE-S", "onHand": 1},
            {"sku": "MUG", "delta": 2},
            {"sku": "TEE-M", "delta": 0},
        ),
    )
    # then one StockLevelChanged per changed level is in the outbox, the low one marked
    async with database.read_session() as session:
        payloads = await session.scalars(
            select(OutboxEventRecord.payload)
            .where(OutboxEventRecord.id > last, OutboxEventRecord.kind == "StockLevelChanged")
            .order_by(OutboxEventRecord.id)
        )
        events = [json.loads(payload) for payload in payloads]
    assert sorted((e["onHand"], e["crossedReorderPoint"]) for e in events) == [
        (1, True),
        (6, False),
    ]


async def test_ten_lines_and_five_hundred_cost_the_same_statements(graphql, shop, database):
    # given 500 variants
    skus = await add_variants(database, 500)
    lines = [{"sku": sku, "delta": 2} for sku in skus]
    # when 10 lines, then 500, are set in one call each
    with counting_statements(database) as ten:
        small = await bulk_set(graphql, bulk(shop.warehouse, *lines[:10]))
    with counting_statements(database) as five_hundred:
        large = await bulk_set(graphql, bulk(shop.warehouse, *lines))
    # then both cost the same statements (executemany counts once)
    assert (small["movementsWritten"], large["movementsWritten"]) == (10, 500)
    assert [level["onHand"] for level in large["stockLevels"][:11]] == [4] * 10 + [2]
    assert len(five_hundred) == len(ten), five_hundred
    # location, variants, held levels, UPDATE, movements, backorders, outbox; the payload's
    # levels and their variants
    assert len(ten) <= 9, ten
    await assert_stock_holds(database)


CALLS = 12


async def test_concurrent_bulk_changes_orders_and_adjustments_keep_the_ledger(graphql, database):
    # given 20 units of each of three SKUs at the store
    shop = await build_shop(database, {(sku, "ST-B"): 20 for sku in ("TEE-S", "TEE-M", "MUG")})
    rng = random.Random(16)
    bulks = [
        bulk(
            shop.store,
            *(
                {"sku": sku, "delta": rng.choice([-6, -3, 2, 5])}
                for sku in ("MUG", "TEE-S", "TEE-M")
            ),
        )
        for _ in range(CALLS)
    ]
    adjustments = [
        {"sku": rng.choice(["TEE-S", "MUG"]), "locationCode": shop.store, "delta": 1}
        for _ in range(CALLS)
    ]
    # when bulk changes, adjustments and pickup orders of the same SKUs all run at once
    results = await asyncio.gather(
        *(bulk_set(graphql, variables) for variables in bulks),
        *(
            graphql.admin(ADJUST, {"input": adjustment | {"reason": "FOUND"}})
            for adjustment in adjustments
        ),
        *(place(graphql, pickup_order(shop.store, ("MUG", 2), ("TEE-S", 1))) for _ in range(CALLS)),
    )
    bulk_results = results[:CALLS]
    adjusted = results[CALLS : 2 * CALLS]
    orders = results[2 * CALLS :]
    # then on hand is what it was plus every applied change, reserved what the orders hold
    for sku in ("TEE-S", "TEE-M", "MUG"):
        expected = 20
        for variables, result in zip(bulks, bulk_results, strict=True):
            if not result["userErrors"]:
                expected += next(
                    line["delta"] for line in variables["input"]["quantities"] if line["sku"] == sku
                )
        expected += sum(
            1
            for adjustment, result in zip(adjustments, adjusted, strict=True)
            if adjustment["sku"] == sku and not result["adjustStock"]["userErrors"]
        )
        held = sum(
            {"MUG": 2, "TEE-S": 1}.get(sku, 0) for order in orders if not order["userErrors"]
        )
        assert await level_of(graphql, sku, shop.store, "onHand", "reserved") == (expected, held)
    refused = {error["code"] for result in bulk_results for error in result["userErrors"]}
    assert refused <= {"INSUFFICIENT_STOCK"}
    assert any(not result["userErrors"] for result in bulk_results)
    await assert_stock_holds(database)
    async with database.read_session() as session:
        written = await session.scalar(
            select(func.count())
            .select_from(StockMovementRecord)
            .where(StockMovementRecord.reason == "CORRECTION")
        )
    assert written == 3 * sum(1 for result in bulk_results if not result["userErrors"])
