"""Low stock and replenishment suggestions over GraphQL."""

from domain.access import Role
from tests.api import purchasing_documents as purchasing
from tests.api import transfers_documents as transfers
from tests.api.orders_documents import pickup_order, place
from tests.api.test_query_count import counting_statements

LOW_STOCK = """
query($location: String!) {
  lowStock(locationCode: $location) {
    id onHand reserved available reorderPoint safetyStock variant { sku } location { code }
  }
}"""
SUGGESTIONS = """
query($location: String!) {
  replenishmentSuggestions(locationCode: $location) {
    sku variant { sku } fromLocation { code kind } toLocation { code kind }
    quantity storeAvailable reorderPoint storeOnTheWay
  }
}"""
THRESHOLDS = """
mutation($input: SetStockThresholdsInput!) {
  setStockThresholds(input: $input) { userErrors { code message } }
}"""
ADJUST = """
mutation($input: AdjustStockInput!) { adjustStock(input: $input) { userErrors { code } } }"""
CREATE_LOCATION = """
mutation($input: CreateLocationInput!) { createLocation(input: $input) { userErrors { code } } }"""
SECOND_WAREHOUSE = "WH-Z"


async def thresholds(graphql, sku, location, reorder_point, safety_stock=0):
    fields = {
        "sku": sku,
        "locationCode": location,
        "reorderPoint": reorder_point,
        "safetyStock": safety_stock,
    }
    data = await graphql.admin(THRESHOLDS, {"input": fields})
    assert data["setStockThresholds"]["userErrors"] == []


async def receive(graphql, sku, location, units):
    fields = {"sku": sku, "locationCode": location, "delta": units, "reason": "RECEIVED"}
    data = await graphql.admin(ADJUST, {"input": fields})
    assert data["adjustStock"]["userErrors"] == []


async def add_warehouse(graphql, code=SECOND_WAREHOUSE):
    fields = {"code": code, "name": code, "kind": "WAREHOUSE"}
    data = await graphql.admin(CREATE_LOCATION, {"input": fields})
    assert data["createLocation"]["userErrors"] == []


async def only_tee_s_low_at_the_store(graphql, shop, reorder_point, safety_stock=0):
    """ST-B holds 3 TEE-S, 4 MUG and (after this) 1 TEE-M, none of them low but TEE-S."""
    await receive(graphql, "TEE-M", shop.store, 1)
    await thresholds(graphql, "TEE-S", shop.store, reorder_point, safety_stock)


async def suggestions(graphql, location):
    data = await graphql.admin(SUGGESTIONS, {"location": location})
    return [
        (s["sku"], s["fromLocation"]["code"], s["toLocation"]["code"], s["quantity"])
        for s in data["replenishmentSuggestions"]
    ]


# -- low stock --------------------------------------------------------------------------


async def test_low_stock_lists_the_levels_at_or_below_their_reorder_point(graphql, shop):
    await receive(graphql, "TEE-M", shop.store, 2)
    await thresholds(graphql, "TEE-S", shop.store, reorder_point=3, safety_stock=1)  # at it
    await thresholds(graphql, "TEE-M", shop.store, reorder_point=1)  # above it
    await thresholds(graphql, "MUG", shop.warehouse, reorder_point=5)  # another location
    data = await graphql.admin(LOW_STOCK, {"location": "st-b"})
    assert [(level["variant"]["sku"], level["available"]) for level in data["lowStock"]] == [
        ("TEE-S", 3)
    ]
    level = data["lowStock"][0]
    assert (level["reorderPoint"], level["safetyStock"], level["location"]) == (
        3,
        1,
        {"code": shop.store},
    )


async def test_reserved_units_make_a_level_low(graphql, shop):
    await receive(graphql, "TEE-M", shop.store, 2)
    await thresholds(graphql, "MUG", shop.store, reorder_point=2)
    assert (await graphql.admin(LOW_STOCK, {"location": shop.store}))["lowStock"] == []
    await place(graphql, pickup_order(shop.store, ("MUG", 2)))
    low = (await graphql.admin(LOW_STOCK, {"location": shop.store}))["lowStock"]
    assert [(lvl["variant"]["sku"], lvl["onHand"], lvl["reserved"]) for lvl in low] == [
        ("MUG", 4, 2)
    ]


async def test_a_level_with_nothing_available_is_low_even_without_a_reorder_point(graphql, shop):
    data = await graphql.admin(LOW_STOCK, {"location": shop.other_store})
    assert sorted(level["variant"]["sku"] for level in data["lowStock"]) == [
        "MUG",
        "TEE-M",
        "TEE-S",
    ]


async def test_low_stock_levels_are_nodes(graphql, shop):
    await only_tee_s_low_at_the_store(graphql, shop, reorder_point=3, safety_stock=0)
    level = (await graphql.admin(LOW_STOCK, {"location": shop.store}))["lowStock"][0]
    node = await graphql.admin(
        "query($id: ID!) { node(id: $id) { ... on StockLevel { onHand } } }", {"id": level["id"]}
    )
    assert node["node"] == {"onHand": 3}


async def test_staff_and_pos_read_low_stock_and_others_may_not(graphql, shop):
    pos = graphql.token(Role.POS, locations=(shop.store,))
    assert "errors" not in await graphql.post(LOW_STOCK, {"location": shop.store}, token=pos)
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    for query in (LOW_STOCK, SUGGESTIONS):
        for token in (customer, None):
            body = await graphql.post(query, {"location": shop.store}, token=token)
            assert body["data"] is None
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_unknown_location_is_not_found(graphql, shop):
    for query in (LOW_STOCK, SUGGESTIONS):
        body = await graphql.post(query, {"location": "NOWHERE"}, token=graphql.token(Role.ADMIN))
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


# -- replenishment suggestions ---------------------------------------------------------------


async def test_the_warehouse_that_can_spare_the_most_covers_the_whole_need(graphql, shop):
    await add_warehouse(graphql)
    await receive(graphql, "TEE-S", SECOND_WAREHOUSE, 4)  # could cover it, but spares less
    await only_tee_s_low_at_the_store(graphql, shop, reorder_point=3, safety_stock=3)
    data = await graphql.admin(SUGGESTIONS, {"location": shop.store})
    assert data["replenishmentSuggestions"] == [
        {
            "sku": "TEE-S",
            "variant": {"sku": "TEE-S"},
            "fromLocation": {"code": shop.warehouse, "kind": "WAREHOUSE"},
            "toLocation": {"code": shop.store, "kind": "STORE"},
            "quantity": 3,  # reorder point 3 + safety stock 3 - 3 available
            "storeAvailable": 3,
            "reorderPoint": 3,
            "storeOnTheWay": 0,
        }
    ]


async def test_units_already_on_their_way_to_the_store_are_not_suggested_again(graphql, shop):
    await only_tee_s_low_at_the_store(graphql, shop, reorder_point=3, safety_stock=3)
    need = await suggestions(graphql, shop.store)

    await transfers.shipped(graphql, ("TEE-S", 1))  # in transit
    in_transit = await suggestions(graphql, shop.store)
    requested = (await transfers.create(graphql, ("TEE-S", 1)))["transfer"]
    await transfers.request(graphql, requested["id"])  # held at the warehouse, not shipped
    and_requested = await suggestions(graphql, shop.store)
    await purchasing.create_supplier(graphql)
    await purchasing.ordered(graphql, ("TEE-S", 1, "4.20"), location=shop.store)  # incoming

    assert [units for *_, units in need + in_transit + and_requested] == [3, 2, 1]
    data = await graphql.admin(SUGGESTIONS, {"location": shop.store})
    assert data["replenishmentSuggestions"] == []
    still_low = await graphql.admin(LOW_STOCK, {"location": shop.store})
    assert [level["variant"]["sku"] for level in still_low["lowStock"]] == ["TEE-S"]


async def test_the_need_is_split_when_one_warehouse_cannot_cover_it(graphql, shop):
    await add_warehouse(graphql)
    await receive(graphql, "TEE-S", SECOND_WAREHOUSE, 4)
    await thresholds(graphql, "TEE-S", shop.warehouse, reorder_point=0, safety_stock=5)
    await only_tee_s_low_at_the_store(graphql, shop, reorder_point=3, safety_stock=7)
    assert await suggestions(graphql, shop.store) == [
        ("TEE-S", shop.warehouse, shop.store, 5),  # 10 available, 5 kept as safety stock
        ("TEE-S", SECOND_WAREHOUSE, shop.store, 2),
    ]


async def test_units_reserved_at_a_warehouse_are_not_spare(graphql, shop):
    await only_tee_s_low_at_the_store(graphql, shop, reorder_point=3, safety_stock=9)
    web_order = {
        "channel": "WEB",
        "fulfilment": "SHIPPING",
        "shippingAddress": {
            "line1": "1 Road",
            "city": "Springfield",
            "postalCode": "62701",
            "country": "US",
        },
        "lines": [{"sku": "TEE-S", "quantity": 4}],
    }
    await place(graphql, {"input": web_order})  # reserved at WH-A, the channel's first choice
    assert await suggestions(graphql, shop.store) == [("TEE-S", shop.warehouse, shop.store, 6)]


async def test_a_low_level_no_warehouse_can_help_with_gets_no_suggestion(graphql, shop):
    await receive(graphql, "TEE-M", shop.store, 1)
    await thresholds(graphql, "MUG", shop.store, reorder_point=4)
    low = (await graphql.admin(LOW_STOCK, {"location": shop.store}))["lowStock"]
    assert [level["variant"]["sku"] for level in low] == ["MUG"]
    assert await suggestions(graphql, shop.store) == []


async def test_a_store_with_nothing_low_needs_nothing(graphql, shop):
    await receive(graphql, "TEE-M", shop.store, 1)
    assert await suggestions(graphql, shop.store) == []


async def test_suggestions_are_for_stores_only(graphql, shop):
    body = await graphql.post(
        SUGGESTIONS, {"location": shop.warehouse}, token=graphql.token(Role.ADMIN)
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "WH-A is a WAREHOUSE" in body["errors"][0]["message"]


async def test_suggestions_cost_the_same_queries_however_many_levels_are_low(
    graphql, shop, database
):
    await add_warehouse(graphql)
    await receive(graphql, "MUG", SECOND_WAREHOUSE, 9)
    await only_tee_s_low_at_the_store(graphql, shop, reorder_point=3)
    with counting_statements(database) as one_low:
        assert len(await suggestions(graphql, shop.store)) == 1
    await thresholds(graphql, "TEE-M", shop.store, reorder_point=1)
    await thresholds(graphql, "MUG", shop.store, reorder_point=4)
    with counting_statements(database) as three_low:
        assert len(await suggestions(graphql, shop.store)) == 3
    assert len(three_low) == len(one_low)
