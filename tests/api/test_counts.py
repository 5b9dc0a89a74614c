"""Stock counts and write-offs over GraphQL: snapshot, variances posted as corrections, all
or nothing; damaged units written off; who may count where."""

import asyncio

import pytest
from strawberry.relay import from_base64

from domain.access import Role
from tests.api.ledger_documents import assert_stock_holds
from tests.api.orders_documents import pickup_order, place
from tests.api.test_query_count import counting_statements

COUNT_FIELDS = """
  id number status startedBy startedAt submittedBy submittedAt
  location { code }
  lines { sku variant { sku } expected counted variance }
  history { sequence fromStatus toStatus actor }
"""
START = f"""
mutation($input: StartStockCountInput!) {{
  startStockCount(input: $input) {{
    stockCount {{ {COUNT_FIELDS} }} userErrors {{ field code message }}
  }}
}}"""
SUBMIT = f"""
mutation($input: SubmitStockCountInput!) {{
  submitStockCount(input: $input) {{
    stockCount {{ {COUNT_FIELDS} }} userErrors {{ field code message }}
  }}
}}"""
COUNT = f"query($id: ID!) {{ stockCount(id: $id) {{ {COUNT_FIELDS} }} }}"
NODE = "query($id: ID!) { node(id: $id) { ... on StockCount { number status } } }"
COUNTS = """
query($first: Int, $after: String, $filter: StockCountFilter) {
  stockCounts(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { number status location { code } } }
  }
}"""
COUNTS_WITH_LINES = """
{ stockCounts(first: 10) { edges { node {
  number location { code } lines { sku variant { sku } counted } history { toStatus }
} } } }"""
WRITE_OFF = """
mutation($input: WriteOffDamagedInput!) {
  writeOffDamaged(input: $input) {
    stockLevel { onHand reserved available damaged location { code } variant { sku } }
    userErrors { field code message }
  }
}"""
ADJUST = """
mutation($input: AdjustStockInput!) {
  adjustStock(input: $input) { stockLevel { onHand damaged } userErrors { code } }
}"""
LEVEL = """
query($sku: String!, $location: String!) {
  stockLevels(filter: {sku: $sku, locationCode: $location}) {
    edges { node { onHand reserved damaged } }
  }
}"""
MOVEMENTS = """
query($filter: StockMovementFilter) {
  stockMovements(first: 100, filter: $filter) {
    edges { node { kind onHandDelta reservedDelta damagedDelta reason reference note actor
                   variant { sku } location { code } } }
  }
}"""


async def start(graphql, location, skus=None, *, token=None):
    fields = {"locationCode": location} | ({"skus": skus} if skus is not None else {})
    data = await graphql.data(START, {"input": fields}, token=token or graphql.token(Role.ADMIN))
    return data["startStockCount"]


async def submit(graphql, count_id, *lines, token=None):
    fields = {"countId": count_id, "lines": [{"sku": s, "counted": c} for s, c in lines]}
    data = await graphql.data(SUBMIT, {"input": fields}, token=token or graphql.token(Role.ADMIN))
    return data["submitStockCount"]


async def started(graphql, location, skus=None):
    payload = await start(graphql, location, skus)
    assert payload["userErrors"] == []
    return payload["stockCount"]


async def level(graphql, sku, location):
    data = await graphql.admin(LEVEL, {"sku": sku, "location": location})
    node = data["stockLevels"]["edges"][0]["node"]
    return node["onHand"], node["reserved"], node["damaged"]


async def movements(graphql, **filter):
    data = await graphql.admin(MOVEMENTS, {"filter": filter})
    return [edge["node"] for edge in data["stockMovements"]["edges"]]


def reference(count):
    """What the movements of a count are referenced by: count:<its integer id>."""
    return f"count:{from_base64(count['id'])[1]}"


# -- starting ---------------------------------------------------------------------------


async def test_a_count_snapshots_what_the_ledger_shows_on_hand(graphql, shop):
    count = await started(graphql, shop.store, ["mug", "TEE-S"])
    assert count["number"] == "SC-000001"
    assert count["status"] == "OPEN"
    assert count["location"] == {"code": shop.store}
    assert (count["startedBy"], count["submittedBy"], count["submittedAt"]) == ("admin", None, None)
    assert count["startedAt"].endswith("+00:00")
    assert count["lines"] == [
        {"sku": "MUG", "variant": {"sku": "MUG"}, "expected": 4, "counted": None, "variance": None},
        {
            "sku": "TEE-S",
            "variant": {"sku": "TEE-S"},
            "expected": 3,
            "counted": None,
            "variance": None,
        },
    ]
    assert count["history"] == [
        {"sequence": 1, "fromStatus": None, "toStatus": "OPEN", "actor": "admin"}
    ]


async def test_without_skus_a_count_covers_every_variant_at_the_location(graphql, shop):
    count = await started(graphql, shop.store)
    assert [(line["sku"], line["expected"]) for line in count["lines"]] == [
        ("MUG", 4),
        ("TEE-M", 0),
        ("TEE-S", 3),
    ]


async def test_starting_a_count_changes_no_stock(graphql, shop, database):
    count = await started(graphql, shop.store)
    assert await level(graphql, "MUG", shop.store) == (4, 0, 0)
    assert await movements(graphql, reference=reference(count)) == []
    await assert_stock_holds(database)


@pytest.mark.parametrize(
    ("location", "skus", "code", "field"),
    [
        ("ST-B", ["MUG", "SOCK"], "NOT_FOUND", ["input", "skus", "1"]),
        ("ST-B", ["MUG", "mug"], "INVALID_INPUT", ["input", "skus", "1"]),
        ("ST-B", [], "INVALID_INPUT", ["input", "skus"]),
        ("NOWHERE", None, "NOT_FOUND", ["input", "locationCode"]),
    ],
    ids=["unknown SKU", "SKU twice", "empty SKU list", "unknown location"],
)
async def test_a_count_that_cannot_start_is_refused(graphql, shop, location, skus, code, field):
    payload = await start(graphql, location, skus)
    assert payload["stockCount"] is None
    assert (payload["userErrors"][0]["code"], payload["userErrors"][0]["field"]) == (code, field)
    assert (await graphql.admin(COUNTS))["stockCounts"]["totalCount"] == 0


# -- submitting -------------------------------------------------------------------------


async def test_submitting_posts_each_variance_as_a_correction(graphql, shop, database):
    count = await started(graphql, shop.store, ["MUG", "TEE-S", "TEE-M"])
    payload = await submit(graphql, count["id"], ("MUG", 1), ("TEE-S", 5), ("TEE-M", 0))
    assert payload["userErrors"] == []
    submitted = payload["stockCount"]
    assert submitted["status"] == "SUBMITTED"
    assert submitted["submittedBy"] == "admin"
    assert submitted["submittedAt"].endswith("+00:00")
    assert [
        (line["sku"], line["expected"], line["counted"], line["variance"])
        for line in submitted["lines"]
    ] == [
        ("MUG", 4, 1, -3),
        ("TEE-S", 3, 5, 2),
        ("TEE-M", 0, 0, 0),
    ]
    assert await level(graphql, "MUG", shop.store) == (1, 0, 0)
    assert await level(graphql, "TEE-S", shop.store) == (5, 0, 0)
    posted = await movements(graphql, reference=reference(count))
    assert sorted((m["variant"]["sku"], m["onHandDelta"]) for m in posted) == [
        ("MUG", -3),
        ("TEE-S", 2),
    ]
    for movement in posted:
        assert (movement["kind"], movement["reason"], movement["reservedDelta"]) == (
            "ADJUSTMENT",
            "CORRECTION",
            0,
        )
        assert (movement["location"], movement["actor"]) == ({"code": shop.store}, "admin")
    assert [h["toStatus"] for h in submitted["history"]] == ["OPEN", "SUBMITTED"]
    await assert_stock_holds(database)


async def test_lines_not_counted_are_left_alone(graphql, shop, database):
    count = await started(graphql, shop.store)
    payload = await submit(graphql, count["id"], ("TEE-S", 2))
    lines = {line["sku"]: line for line in payload["stockCount"]["lines"]}
    assert (lines["MUG"]["counted"], lines["MUG"]["variance"]) == (None, None)
    assert lines["TEE-S"]["variance"] == -1
    assert await level(graphql, "MUG", shop.store) == (4, 0, 0)
    assert await level(graphql, "TEE-S", shop.store) == (2, 0, 0)
    await assert_stock_holds(database)


async def test_the_variance_is_against_the_snapshot_and_applied_to_the_level_as_it_is_now(
    graphql, shop, database
):
    count = await started(graphql, shop.store, ["MUG"])
    received = {"sku": "MUG", "locationCode": shop.store, "delta": 2, "reason": "RECEIVED"}
    await graphql.admin(ADJUST, {"input": received})
    payload = await submit(graphql, count["id"], ("MUG", 3))
    assert payload["stockCount"]["lines"][0]["variance"] == -1
    assert await level(graphql, "MUG", shop.store) == (5, 0, 0)
    await assert_stock_holds(database)


async def test_a_count_that_would_leave_less_on_hand_than_is_reserved_is_refused_whole(
    graphql, shop, database
):
    await place(graphql, pickup_order(shop.store, ("MUG", 3)))
    count = await started(graphql, shop.store, ["TEE-S", "MUG"])
    payload = await submit(graphql, count["id"], ("TEE-S", 9), ("MUG", 2))
    error = payload["userErrors"][0]
    assert payload["stockCount"] is None
    assert error["code"] == "INSUFFICIENT_STOCK"
    assert error["field"] == ["input", "lines", "1", "counted"]
    assert "SKU MUG" in error["message"]
    assert await level(graphql, "TEE-S", shop.store) == (3, 0, 0)
    assert await level(graphql, "MUG", shop.store) == (4, 3, 0)
    assert await movements(graphql, reference=reference(count)) == []
    unchanged = (await graphql.admin(COUNT, {"id": count["id"]}))["stockCount"]
    assert unchanged["status"] == "OPEN"
    assert [line["counted"] for line in unchanged["lines"]] == [None, None]
    assert len(unchanged["history"]) == 1
    await assert_stock_holds(database)


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([("MUG", 4), ("TEE-M", 1)], ["input", "lines", "1", "sku"]),
        ([("MUG", -1)], ["input", "lines", "0", "counted"]),
        ([("MUG", 1), ("mug", 2)], ["input", "lines", "1", "sku"]),
        ([], ["input", "lines"]),
    ],
    ids=["SKU not in the count", "negative count", "SKU twice", "nothing counted"],
)
async def test_an_invalid_submission_changes_nothing(graphql, shop, lines, field):
    count = await started(graphql, shop.store, ["MUG"])
    payload = await submit(graphql, count["id"], *lines)
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"
    assert payload["userErrors"][0]["field"] == field
    assert await level(graphql, "MUG", shop.store) == (4, 0, 0)
    status = (await graphql.admin(COUNT, {"id": count["id"]}))["stockCount"]["status"]
    assert status == "OPEN"


async def test_a_submitted_count_cannot_be_submitted_again(graphql, shop, database):
    count = await started(graphql, shop.store, ["MUG"])
    await submit(graphql, count["id"], ("MUG", 3))
    again = await submit(graphql, count["id"], ("MUG", 1))
    assert again["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert await level(graphql, "MUG", shop.store) == (3, 0, 0)
    await assert_stock_holds(database)


async def test_an_id_of_another_type_is_not_found(graphql, shop):
    products = await graphql.admin("{ products(first: 1) { edges { node { id } } } }")
    product_id = products["products"]["edges"][0]["node"]["id"]
    payload = await submit(graphql, product_id, ("MUG", 1))
    assert payload["userErrors"][0]["code"] == "NOT_FOUND"
    assert payload["userErrors"][0]["field"] == ["input", "countId"]


# -- who may count ----------------------------------------------------------------------


async def test_staff_and_pos_count_only_where_they_work(graphql, shop):
    for role in (Role.STAFF, Role.POS):
        clerk = graphql.token(role, locations=(shop.store,))
        here = await start(graphql, shop.store, ["MUG"], token=clerk)
        there = await start(graphql, shop.warehouse, ["MUG"], token=clerk)
        assert here["userErrors"] == []
        assert here["stockCount"]["startedBy"] == role.value.lower()
        assert there["userErrors"][0]["code"] == "FORBIDDEN"


async def test_customers_and_anonymous_callers_may_not_count(graphql, shop):
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    for token in (customer, None):
        body = await graphql.post(START, {"input": {"locationCode": shop.store}}, token=token)
        assert body["data"]["startStockCount"]["userErrors"][0]["code"] == "FORBIDDEN"
        listed = await graphql.post(COUNTS, token=token)
        assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_count_elsewhere_is_invisible_and_cannot_be_submitted(graphql, shop):
    count = await started(graphql, shop.warehouse, ["TEE-S"])
    clerk = graphql.token(Role.STAFF, locations=(shop.store,))
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    for token in (clerk, customer):
        assert (await graphql.data(COUNT, {"id": count["id"]}, token=token))["stockCount"] is None
        assert (await graphql.data(NODE, {"id": count["id"]}, token=token))["node"] is None
    payload = await submit(graphql, count["id"], ("TEE-S", 1), token=clerk)
    assert payload["userErrors"][0]["code"] == "NOT_FOUND"
    listed = await graphql.data(COUNTS, token=clerk)
    assert listed["stockCounts"]["totalCount"] == 0
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0, 0)


# -- reading ----------------------------------------------------------------------------


async def test_counts_are_listed_newest_first_and_filtered(graphql, shop):
    first = await started(graphql, shop.store, ["MUG"])
    await started(graphql, shop.warehouse, ["TEE-S"])
    await started(graphql, shop.store, ["TEE-S"])
    await submit(graphql, first["id"], ("MUG", 4))
    everything = (await graphql.admin(COUNTS))["stockCounts"]
    assert [e["node"]["number"] for e in everything["edges"]] == [
        "SC-000003",
        "SC-000002",
        "SC-000001",
    ]
    at_store = await graphql.admin(COUNTS, {"filter": {"locationCode": "st-b"}})
    assert [e["node"]["number"] for e in at_store["stockCounts"]["edges"]] == [
        "SC-000003",
        "SC-000001",
    ]
    open_at_store = await graphql.admin(
        COUNTS, {"filter": {"locationCode": shop.store, "status": "OPEN"}}
    )
    assert [e["node"]["number"] for e in open_at_store["stockCounts"]["edges"]] == ["SC-000003"]
    submitted = await graphql.admin(COUNTS, {"filter": {"status": "SUBMITTED"}})
    assert submitted["stockCounts"]["totalCount"] == 1


async def test_counts_are_paged_with_cursors(graphql, shop):
    for _ in range(3):
        await started(graphql, shop.store, ["MUG"])
    page = (await graphql.admin(COUNTS, {"first": 2}))["stockCounts"]
    rest = (await graphql.admin(COUNTS, {"first": 2, "after": page["pageInfo"]["endCursor"]}))[
        "stockCounts"
    ]
    assert page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["number"] for e in page["edges"] + rest["edges"]] == [
        "SC-000003",
        "SC-000002",
        "SC-000001",
    ]
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_a_clerk_sees_the_counts_where_it_works(graphql, shop):
    count = await started(graphql, shop.store, ["MUG"])
    await started(graphql, shop.warehouse, ["TEE-S"])
    pos = graphql.token(Role.POS, locations=(shop.store,))
    listed = (await graphql.data(COUNTS, token=pos))["stockCounts"]
    assert [e["node"]["number"] for e in listed["edges"]] == ["SC-000001"]
    node = await graphql.data(NODE, {"id": count["id"]}, token=pos)
    assert node["node"] == {"number": "SC-000001", "status": "OPEN"}


# -- writing off damaged units ------------------------------------------------------------


async def damage(graphql, shop, units):
    fields = {"sku": "TEE-S", "locationCode": shop.store, "delta": -units, "reason": "DAMAGED"}
    data = await graphql.admin(ADJUST, {"input": fields})
    assert data["adjustStock"]["userErrors"] == []


def write_off_input(shop, quantity, **extra):
    return {"input": {"sku": "TEE-S", "locationCode": shop.store, "quantity": quantity} | extra}


async def test_writing_off_disposes_of_damaged_units_only(graphql, shop, database):
    await damage(graphql, shop, 2)
    data = await graphql.admin(WRITE_OFF, write_off_input(shop, 1, note="crushed"))
    payload = data["writeOffDamaged"]
    assert payload["userErrors"] == []
    assert payload["stockLevel"] == {
        "onHand": 1,
        "reserved": 0,
        "available": 1,
        "damaged": 1,
        "location": {"code": shop.store},
        "variant": {"sku": "TEE-S"},
    }
    newest = (await movements(graphql, kind="WRITE_OFF"))[0]
    assert (newest["onHandDelta"], newest["reservedDelta"], newest["damagedDelta"]) == (0, 0, -1)
    assert (newest["note"], newest["actor"]) == ("crushed", "admin")
    await assert_stock_holds(database)


async def test_more_than_is_damaged_cannot_be_written_off(graphql, shop, database):
    await damage(graphql, shop, 1)
    data = await graphql.admin(WRITE_OFF, write_off_input(shop, 2))
    error = data["writeOffDamaged"]["userErrors"][0]
    assert error["code"] == "INSUFFICIENT_STOCK"
    assert error["field"] == ["input", "quantity"]
    assert "SKU TEE-S: 1 damaged at ST-B, 2 requested" in error["message"]
    assert await level(graphql, "TEE-S", shop.store) == (2, 0, 1)
    await assert_stock_holds(database)


@pytest.mark.parametrize("quantity", [0, -1])
async def test_a_write_off_needs_a_positive_quantity(graphql, shop, quantity):
    await damage(graphql, shop, 1)
    data = await graphql.admin(WRITE_OFF, write_off_input(shop, quantity))
    assert data["writeOffDamaged"]["userErrors"][0]["code"] == "INVALID_INPUT"
    assert await level(graphql, "TEE-S", shop.store) == (2, 0, 1)


async def test_only_staff_at_the_location_write_off(graphql, shop):
    await damage(graphql, shop, 2)
    here = graphql.token(Role.STAFF, locations=(shop.store,))
    elsewhere = graphql.token(Role.STAFF, locations=(shop.warehouse,))
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    for token in (elsewhere, customer, None):
        data = await graphql.data(WRITE_OFF, write_off_input(shop, 1), token=token)
        assert data["writeOffDamaged"]["userErrors"][0]["code"] == "FORBIDDEN"
    allowed = await graphql.data(WRITE_OFF, write_off_input(shop, 1), token=here)
    assert allowed["writeOffDamaged"]["stockLevel"]["damaged"] == 1


async def test_two_submissions_of_one_count_at_once_post_its_variances_once(
    graphql, shop, database
):
    count = await started(graphql, shop.store, ["MUG"])
    payloads = await asyncio.gather(
        submit(graphql, count["id"], ("MUG", 1)), submit(graphql, count["id"], ("MUG", 2))
    )
    refused = [p for p in payloads if p["userErrors"]]
    assert len(refused) == 1
    assert refused[0]["userErrors"][0]["code"] == "INVALID_TRANSITION"
    accepted = next(p for p in payloads if not p["userErrors"])
    counted = accepted["stockCount"]["lines"][0]["counted"]
    assert await level(graphql, "MUG", shop.store) == (counted, 0, 0)
    assert len(await movements(graphql, reference=reference(count))) == 1
    await assert_stock_holds(database)


async def test_a_page_of_counts_costs_the_same_queries_however_long_it_is(graphql, shop, database):
    await started(graphql, shop.store)
    with counting_statements(database) as one:
        await graphql.admin(COUNTS_WITH_LINES)
    for _ in range(4):
        await started(graphql, shop.store)
    with counting_statements(database) as five:
        data = await graphql.admin(COUNTS_WITH_LINES)
    assert len(data["stockCounts"]["edges"]) == 5
    assert len(five) == len(one)
