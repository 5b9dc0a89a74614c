"""Promotions and voucher codes over GraphQL: created and changed by admins, read by staff,
every refusal on its field, and voucher codes unique even under a race."""

import asyncio

import pytest

from domain.access import Role
from tests.api.categories_documents import (
    create_category,
    create_collection,
    product_ids,
)
from tests.api.wholesale_documents import create_group

PROMOTION_FIELDS = """
  id name kind value currency channels startsAt endsAt stackable
  buyQuantity getQuantity minimumSubtotal needsVoucher active
  products { name } categories { slug } collections { slug } customerGroups { code }
  voucherCodes { code usageLimit perCustomerLimit used }
"""
CREATE_PROMOTION = f"""
mutation($input: CreatePromotionInput!) {{
  createPromotion(input: $input) {{
    promotion {{ {PROMOTION_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
UPDATE_PROMOTION = f"""
mutation($input: UpdatePromotionInput!) {{
  updatePromotion(input: $input) {{
    promotion {{ {PROMOTION_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
ADD_VOUCHER_CODES = """
mutation($input: AddVoucherCodesInput!) {
  addVoucherCodes(input: $input) {
    promotion { needsVoucher voucherCodes { code usageLimit perCustomerLimit used } }
    userErrors { field code message }
  }
}"""
PROMOTIONS = f"""
query($first: Int, $after: String, $active: Boolean) {{
  promotions(first: $first, after: $after, active: $active) {{
    totalCount
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {PROMOTION_FIELDS} }} }}
  }}
}}"""
NODE = "query($id: ID!) { node(id: $id) { ... on Promotion { name } } }"
TEN_PERCENT = {"name": "Ten off", "kind": "PERCENTAGE", "value": "10", "channels": ["WEB"]}


async def create(graphql, **fields):
    data = await graphql.admin(CREATE_PROMOTION, {"input": TEN_PERCENT | fields})
    return data["createPromotion"]


async def created(graphql, **fields):
    payload = await create(graphql, **fields)
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["promotion"]


async def update(graphql, promotion_id, **fields):
    data = await graphql.admin(UPDATE_PROMOTION, {"input": {"id": promotion_id} | fields})
    return data["updatePromotion"]


async def add_codes(graphql, promotion_id, *codes, token=None):
    variables = {"input": {"promotionId": promotion_id, "codes": list(codes)}}
    data = await graphql.data(
        ADD_VOUCHER_CODES, variables, token=token or graphql.token(Role.ADMIN)
    )
    return data["addVoucherCodes"]


def errors(payload):
    """Each userError as (its field's path below `input`, joined by dots; its code)."""
    return [
        (".".join(error["field"][1:]) if error["field"] else None, error["code"])
        for error in payload["userErrors"]
    ]


async def test_a_percentage_promotion_is_created_active_and_automatic(graphql, shop):
    # when
    promotion = await created(graphql, channels=["WEB", "POS", "WEB"], stackable=True)
    # then
    assert promotion["kind"] == "PERCENTAGE" and promotion["value"] == "10.00"
    assert promotion["channels"] == ["WEB", "POS"]
    assert promotion["active"] and promotion["stackable"] and not promotion["needsVoucher"]
    assert promotion["voucherCodes"] == [] and promotion["products"] == []
    assert promotion["buyQuantity"] is None and promotion["currency"] is None


async def test_each_kind_is_created_with_what_it_needs(graphql, shop):
    # when
    fixed = await created(
        graphql, name="Five off", kind="FIXED_AMOUNT", value="5.5", currency="usd"
    )
    three_for_two = await created(
        graphql, name="3 for 2", kind="BUY_X_GET_Y", value="100", buyQuantity=2, getQuantity=1
    )
    order_percent = await created(
        graphql,
        name="Big basket",
        kind="ORDER_PERCENTAGE",
        value="12.5",
        currency="USD",
        minimumSubtotal="100",
    )
    order_fixed = await created(
        graphql, name="Twenty off", kind="ORDER_FIXED_AMOUNT", value="20", currency="USD"
    )
    # then
    assert (fixed["value"], fixed["currency"]) == ("5.50", "USD")
    assert (three_for_two["buyQuantity"], three_for_two["getQuantity"]) == (2, 1)
    assert three_for_two["value"] == "100.00"
    assert (order_percent["value"], order_percent["minimumSubtotal"]) == ("12.50", "100.00")
    assert order_fixed["kind"] == "ORDER_FIXED_AMOUNT" and order_fixed["value"] == "20.00"


async def test_a_promotion_targets_products_categories_collections_and_groups(graphql, shop):
    # given
    products = await product_ids(graphql)
    await create_category(graphql, "Kitchen")
    await create_collection(graphql, "Summer Picks")
    await create_group(graphql)
    # when
    promotion = await created(
        graphql,
        productIds=[products["Mug"]],
        categorySlugs=["KITCHEN"],
        collectionSlugs=["summer-picks"],
        customerGroupCodes=["trade"],
        startsAt="2026-01-01T00:00:00+02:00",
        endsAt="2027-01-01T00:00:00Z",
    )
    # then
    assert promotion["products"] == [{"name": "Mug"}]
    assert promotion["categories"] == [{"slug": "kitchen"}]
    assert promotion["collections"] == [{"slug": "summer-picks"}]
    assert promotion["customerGroups"] == [{"code": "TRADE"}]
    assert promotion["startsAt"] == "2025-12-31T22:00:00+00:00"
    assert promotion["endsAt"] == "2027-01-01T00:00:00+00:00"


async def test_unknown_targets_are_not_found_on_their_place_in_the_input(graphql, shop):
    # given
    products = await product_ids(graphql)
    await create_category(graphql, "Kitchen")
    # when
    unknown_category = await create(graphql, categorySlugs=["kitchen", "garden"])
    unknown_collection = await create(graphql, collectionSlugs=["nope"])
    unknown_group = await create(graphql, customerGroupCodes=["VIP"])
    foreign_id = await create(graphql, productIds=[products["Mug"], "Q3VzdG9tZXI6MQ=="])
    missing_product = await create(graphql, productIds=["UHJvZHVjdDo5OTk5"])
    # then
    assert errors(unknown_category) == [("categorySlugs.1", "NOT_FOUND")]
    assert errors(unknown_collection) == [("collectionSlugs.0", "NOT_FOUND")]
    assert errors(unknown_group) == [("customerGroupCodes.0", "NOT_FOUND")]
    assert errors(foreign_id) == [("productIds.1", "NOT_FOUND")]
    assert errors(missing_product) == [("productIds.0", "NOT_FOUND")]
    listed = await graphql.admin(PROMOTIONS)
    assert listed["promotions"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"value": "0"}, "value"),
        ({"value": "-5"}, "value"),
        ({"value": "100.5"}, "value"),
        ({"value": "12.345"}, "value"),
        ({"kind": "FIXED_AMOUNT", "value": "5"}, "currency"),
        ({"kind": "FIXED_AMOUNT", "value": "5.001", "currency": "USD"}, "value"),
        ({"currency": "XYZ"}, "currency"),
        ({"minimumSubtotal": "50"}, "currency"),
        ({"minimumSubtotal": "50.001", "currency": "USD"}, "minimumSubtotal"),
        ({"kind": "BUY_X_GET_Y", "value": "100", "getQuantity": 1}, "buyQuantity"),
        ({"kind": "BUY_X_GET_Y", "value": "100", "buyQuantity": 2}, "getQuantity"),
        (
            {"kind": "BUY_X_GET_Y", "value": "100", "buyQuantity": 0, "getQuantity": 1},
            "buyQuantity",
        ),
        ({"channels": []}, "channels"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"startsAt": "2026-02-01T00:00:00Z", "endsAt": "2026-01-01T00:00:00Z"}, "endsAt"),
        ({"startsAt": "2026-02-01T00:00:00"}, "startsAt"),
        ({"voucherCodes": [{"code": "OK-CODE"}, {"code": "no"}]}, "voucherCodes.1.code"),
        ({"voucherCodes": [{"code": "SPRING", "usageLimit": 0}]}, "voucherCodes.0.usageLimit"),
        (
            {"voucherCodes": [{"code": "SPRING", "perCustomerLimit": -1}]},
            "voucherCodes.0.perCustomerLimit",
        ),
    ],
)
async def test_a_promotion_that_makes_no_sense_is_refused_on_its_field(graphql, fields, field):
    # when
    payload = await create(graphql, **fields)
    # then
    assert payload["promotion"] is None
    assert errors(payload) == [(field, "INVALID_INPUT")]


async def test_a_promotion_with_voucher_codes_needs_one(graphql):
    # when
    promotion = await created(
        graphql,
        voucherCodes=[
            {"code": " spring-10 ", "usageLimit": 100, "perCustomerLimit": 1},
            {"code": "WELCOME"},
        ],
    )
    # then
    assert promotion["needsVoucher"]
    assert promotion["voucherCodes"] == [
        {"code": "SPRING-10", "usageLimit": 100, "perCustomerLimit": 1, "used": 0},
        {"code": "WELCOME", "usageLimit": None, "perCustomerLimit": None, "used": 0},
    ]


async def test_a_voucher_code_is_unique_across_promotions_in_any_case(graphql):
    # given
    first = await created(graphql, voucherCodes=[{"code": "SPRING"}])
    second = await created(graphql, name="Other")
    # when
    taken_on_create = await create(graphql, voucherCodes=[{"code": "xyz1"}, {"code": "spring"}])
    twice_in_one = await create(graphql, voucherCodes=[{"code": "AUTUMN"}, {"code": "autumn"}])
    taken_on_add = await add_codes(graphql, second["id"], {"code": "Spring"})
    # then
    assert errors(taken_on_create) == [("voucherCodes.1.code", "DUPLICATE")]
    assert errors(twice_in_one) == [("voucherCodes.1.code", "DUPLICATE")]
    assert errors(taken_on_add) == [("codes.0.code", "DUPLICATE")]
    listed = await graphql.admin(PROMOTIONS)
    assert listed["promotions"]["totalCount"] == 2
    assert [p["node"]["voucherCodes"] for p in listed["promotions"]["edges"]][1] == []
    assert first["voucherCodes"][0]["code"] == "SPRING"


async def test_adding_voucher_codes_makes_a_promotion_need_one(graphql):
    # given
    promotion = await created(graphql)
    # when
    payload = await add_codes(
        graphql, promotion["id"], {"code": "vip-1", "usageLimit": 5}, {"code": "VIP-2"}
    )
    none_at_all = await add_codes(graphql, promotion["id"])
    unknown = await add_codes(graphql, "UHJvbW90aW9uOjk5OTk=", {"code": "VIP-3"})
    # then
    assert errors(payload) == []
    assert payload["promotion"]["needsVoucher"]
    assert [code["code"] for code in payload["promotion"]["voucherCodes"]] == ["VIP-1", "VIP-2"]
    assert errors(none_at_all) == [("codes", "INVALID_INPUT")]
    assert errors(unknown) == [("promotionId", "NOT_FOUND")]


async def test_concurrent_adds_of_one_code_keep_one_and_refuse_the_rest(graphql):
    # given
    promotions = [await created(graphql, name=f"Promotion {i}") for i in range(4)]
    # when
    payloads = await asyncio.gather(
        *(add_codes(graphql, promotions[i % 4]["id"], {"code": "RACE"}) for i in range(8))
    )
    # then
    kept = [p for p in payloads if p["promotion"] is not None]
    refused = [errors(p) for p in payloads if p["promotion"] is None]
    assert len(kept) == 1
    assert len(refused) == 7
    assert all(len(found) == 1 and found[0][1] == "DUPLICATE" for found in refused)
    listed = await graphql.admin(PROMOTIONS)
    codes = [c["code"] for e in listed["promotions"]["edges"] for c in e["node"]["voucherCodes"]]
    assert codes == ["RACE"]


async def test_a_promotion_is_updated_field_by_field(graphql, shop):
    # given
    products = await product_ids(graphql)
    await create_collection(graphql, "Picks")
    promotion = await created(graphql, productIds=[products["Mug"]], stackable=True)
    # when
    renamed = await update(graphql, promotion["id"], name="Twelve off", value="12")
    as_bogo = await update(
        graphql,
        promotion["id"],
        kind="BUY_X_GET_Y",
        value="50",
        buyQuantity=1,
        getQuantity=1,
        collectionSlugs=["picks"],
        productIds=[],
    )
    as_fixed = await update(
        graphql, promotion["id"], kind="ORDER_FIXED_AMOUNT", value="7.25", currency="EUR"
    )
    stopped = await update(graphql, promotion["id"], active=False, channels=["WHOLESALE"])
    # then
    assert renamed["promotion"]["name"] == "Twelve off"
    assert renamed["promotion"]["value"] == "12.00"
    assert renamed["promotion"]["products"] == [{"name": "Mug"}]
    assert (as_bogo["promotion"]["buyQuantity"], as_bogo["promotion"]["getQuantity"]) == (1, 1)
    assert as_bogo["promotion"]["products"] == []
    assert as_bogo["promotion"]["collections"] == [{"slug": "picks"}]
    assert as_fixed["promotion"]["buyQuantity"] is None
    assert (as_fixed["promotion"]["value"], as_fixed["promotion"]["currency"]) == ("7.25", "EUR")
    assert as_fixed["promotion"]["stackable"] and as_fixed["promotion"]["name"] == "Twelve off"
    assert not stopped["promotion"]["active"]
    assert stopped["promotion"]["channels"] == ["WHOLESALE"]


async def test_an_update_that_breaks_a_rule_changes_nothing(graphql, shop):
    # given
    promotion = await created(graphql)
    # when
    to_fixed_without_currency = await update(graphql, promotion["id"], kind="FIXED_AMOUNT")
    too_much = await update(graphql, promotion["id"], value="101")
    unknown_category = await update(graphql, promotion["id"], categorySlugs=["nowhere"])
    unknown_promotion = await update(graphql, "UHJvbW90aW9uOjk5OTk=", name="x")
    not_an_id = await update(graphql, "nope", name="x")
    # then
    assert errors(to_fixed_without_currency) == [("currency", "INVALID_INPUT")]
    assert errors(too_much) == [("value", "INVALID_INPUT")]
    assert errors(unknown_category) == [("categorySlugs.0", "NOT_FOUND")]
    assert errors(unknown_promotion) == [("id", "NOT_FOUND")]
    assert errors(not_an_id) == [("id", "INVALID_INPUT")]
    listed = await graphql.admin(PROMOTIONS)
    node = listed["promotions"]["edges"][0]["node"]
    assert (node["kind"], node["value"], node["categories"]) == ("PERCENTAGE", "10.00", [])


async def test_promotions_page_and_filter_by_active(graphql):
    # given
    for i in range(3):
        await created(graphql, name=f"P{i}")
    stopped = await created(graphql, name="Stopped")
    await update(graphql, stopped["id"], active=False)
    # when
    first = (await graphql.admin(PROMOTIONS, {"first": 2}))["promotions"]
    after = first["pageInfo"]["endCursor"]
    rest = (await graphql.admin(PROMOTIONS, {"first": 2, "after": after}))["promotions"]
    active = (await graphql.admin(PROMOTIONS, {"active": True}))["promotions"]
    inactive = (await graphql.admin(PROMOTIONS, {"active": False}))["promotions"]
    # then
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]
    names = [e["node"]["name"] for e in first["edges"] + rest["edges"]]
    assert names == ["P0", "P1", "P2", "Stopped"]
    assert active["totalCount"] == 3
    assert [e["node"]["name"] for e in inactive["edges"]] == ["Stopped"]


async def test_staff_read_promotions_and_only_admins_change_them(graphql, shop):
    # given
    promotion = await created(graphql, voucherCodes=[{"code": "STAFFONLY"}])
    staff = graphql.token(Role.STAFF)
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    # when
    read_by_staff = await graphql.data(PROMOTIONS, token=staff)
    node_by_staff = await graphql.data(NODE, {"id": promotion["id"]}, token=staff)
    created_by_staff = await graphql.data(CREATE_PROMOTION, {"input": TEN_PERCENT}, token=staff)
    updated_by_staff = await graphql.data(
        UPDATE_PROMOTION, {"input": {"id": promotion["id"], "name": "x"}}, token=staff
    )
    added_by_staff = await add_codes(graphql, promotion["id"], {"code": "MORE"}, token=staff)
    read_by_customer = await graphql.post(PROMOTIONS, token=customer)
    read_anonymously = await graphql.post(PROMOTIONS)
    node_by_customer = await graphql.data(NODE, {"id": promotion["id"]}, token=customer)
    # then
    assert read_by_staff["promotions"]["edges"][0]["node"]["voucherCodes"][0]["code"] == (
        "STAFFONLY"
    )
    assert node_by_staff["node"] == {"name": "Ten off"}
    assert errors(created_by_staff["createPromotion"]) == [(None, "FORBIDDEN")]
    assert errors(updated_by_staff["updatePromotion"]) == [(None, "FORBIDDEN")]
    assert errors(added_by_staff) == [(None, "FORBIDDEN")]
    for body in (read_by_customer, read_anonymously):
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert node_by_customer["node"] is None


async def test_an_update_sending_null_removes_the_window_currency_and_minimum(graphql):
    # given
    promotion = await created(
        graphql,
        kind="ORDER_PERCENTAGE",
        currency="USD",
        minimumSubtotal="50",
        startsAt="2026-01-01T00:00:00Z",
        endsAt="2027-01-01T00:00:00Z",
    )
    fixed = await created(graphql, name="Fixed", kind="FIXED_AMOUNT", value="2", currency="USD")
    # when
    kept = await update(graphql, promotion["id"], name="Renamed")
    cleared = await update(
        graphql, promotion["id"], startsAt=None, endsAt=None, minimumSubtotal=None, currency=None
    )
    fixed_without_currency = await update(graphql, fixed["id"], currency=None)
    # then
    assert (kept["promotion"]["endsAt"], kept["promotion"]["minimumSubtotal"]) == (
        "2027-01-01T00:00:00+00:00",
        "50.00",
    )
    after = cleared["promotion"]
    assert (after["startsAt"], after["endsAt"], after["minimumSubtotal"], after["currency"]) == (
        None,
        None,
        None,
        None,
    )
    assert errors(fixed_without_currency) == [("currency", "INVALID_INPUT")]
