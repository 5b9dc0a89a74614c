"""Stock over GraphQL: adjustments, compare-and-set, the ledger, who may see and change it."""

from domain.access import Role
from tests.api.ledger_documents import assert_stock_holds

ADJUST = """
mutation($input: AdjustStockInput!) {
  adjustStock(input: $input) {
    stockLevel { onHand reserved available location { code } variant { sku } }
    userErrors { field code message }
  }
}"""
LEVELS = """
query($filter: StockLevelFilter) {
  stockLevels(first: 100, filter: $filter) {
    totalCount
    edges { node { onHand reserved available variant { sku } location { code } } }
  }
}"""
MOVEMENTS = """
query($filter: StockMovementFilter) {
  stockMovements(first: 100, filter: $filter) {
    totalCount
    edges { node { kind onHandDelta reservedDelta reason reference note actor occurredAt } }
  }
}"""
VARIANT_LEVELS = """
query { variant(sku: "TEE-S") { stockLevels { onHand location { code } } } }"""


def adjust_input(shop, delta, reason="RECEIVED", **extra):
    fields = {"sku": "TEE-S", "locationCode": shop.store, "delta": delta, "reason": reason}
    return {"input": fields | extra}


async def test_receiving_stock_raises_on_hand_and_writes_a_movement(graphql, shop):
    data = await graphql.admin(ADJUST, adjust_input(shop, 5, note="pallet 7"))
    level = data["adjustStock"]["stockLevel"]
    assert (level["onHand"], level["reserved"], level["available"]) == (8, 0, 8)
    ledger = await graphql.admin(
        MOVEMENTS, {"filter": {"sku": "TEE-S", "locationCode": shop.store}}
    )
    newest = ledger["stockMovements"]["edges"][0]["node"]
    assert newest["kind"] == "ADJUSTMENT"
    assert (newest["onHandDelta"], newest["reason"], newest["note"]) == (5, "RECEIVED", "pallet 7")
    assert newest["occurredAt"].endswith("+00:00")


async def test_on_hand_never_goes_negative(graphql, shop):
    data = await graphql.admin(ADJUST, adjust_input(shop, -4, "LOST"))
    error = data["adjustStock"]["userErrors"][0]
    assert error["code"] == "INSUFFICIENT_STOCK"
    assert "SKU TEE-S: 3 available at ST-B, 4 requested" in error["message"]


async def test_a_reason_that_only_removes_cannot_add(graphql, shop):
    data = await graphql.admin(ADJUST, adjust_input(shop, 2, "DAMAGED"))
    assert data["adjustStock"]["userErrors"][0]["code"] == "INVALID_INPUT"


async def test_a_stale_expected_quantity_is_refused_and_changes_nothing(graphql, shop):
    stale = await graphql.admin(ADJUST, adjust_input(shop, -1, "CORRECTION", expectedOnHand=2))
    fresh = await graphql.admin(ADJUST, adjust_input(shop, -1, "CORRECTION", expectedOnHand=3))
    assert stale["adjustStock"]["userErrors"][0]["code"] == "STALE_QUANTITY"
    assert fresh["adjustStock"]["stockLevel"]["onHand"] == 2
    ledger = await graphql.admin(MOVEMENTS, {"filter": {"kind": "ADJUSTMENT"}})
    corrections = [
        e for e in ledger["stockMovements"]["edges"] if e["node"]["reason"] == "CORRECTION"
    ]
    assert len(corrections) == 1


async def test_staff_bound_to_a_store_adjusts_only_there(graphql, shop):
    clerk = graphql.token(Role.STAFF, locations=(shop.store,))
    here = await graphql.data(ADJUST, adjust_input(shop, 1), token=clerk)
    elsewhere = adjust_input(shop, 1)
    elsewhere["input"]["locationCode"] = shop.warehouse
    there = await graphql.data(ADJUST, elsewhere, token=clerk)
    assert here["adjustStock"]["userErrors"] == []
    assert there["adjustStock"]["userErrors"][0]["code"] == "FORBIDDEN"


async def test_customers_and_anonymous_callers_may_not_adjust_stock(graphql, shop):
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    for token in (customer, None):
        data = await graphql.data(ADJUST, adjust_input(shop, 1), token=token)
        assert data["adjustStock"]["userErrors"][0]["code"] == "FORBIDDEN"


async def test_stock_levels_are_filtered_by_sku_and_location(graphql, shop):
    data = await graphql.admin(LEVELS, {"filter": {"sku": "tee-s", "locationCode": "wh-a"}})
    assert data["stockLevels"]["totalCount"] == 1
    node = data["stockLevels"]["edges"][0]["node"]
    assert (node["variant"]["sku"], node["location"]["code"], node["onHand"]) == (
        "TEE-S",
        "WH-A",
        10,
    )


async def test_a_variant_lists_its_level_at_every_location(graphql, shop):
    data = await graphql.admin(VARIANT_LEVELS)
    levels = {
        level["location"]["code"]: level["onHand"] for level in data["variant"]["stockLevels"]
    }
    assert levels == {"WH-A": 10, "ST-B": 3, "ST-C": 0}


async def test_anonymous_callers_may_not_read_stock(graphql, shop):
    body = await graphql.post(LEVELS)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    nested = await graphql.post(VARIANT_LEVELS)
    assert nested["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_every_level_equals_the_sum_of_its_movements(graphql, shop, database):
    await graphql.admin(ADJUST, adjust_input(shop, 7))
    await graphql.admin(ADJUST, adjust_input(shop, -2, "DAMAGED"))
    await assert_stock_holds(database)
