"""Catalog over GraphQL: locations, channels, products, variants, prices."""

import base64

from domain.access import Role

CREATE_LOCATION = """
mutation($input: CreateLocationInput!) {
  createLocation(input: $input) {
    location { id code name kind address }
    userErrors { field code message }
  }
}"""
CREATE_PRODUCT = """
mutation($input: CreateProductInput!) {
  createProduct(input: $input) {
    product { id name status variants { sku name barcode price { amount currency } } }
    userErrors { field code message }
  }
}"""
UPDATE_PRICE = """
mutation($input: UpdateVariantPriceInput!) {
  updateVariantPrice(input: $input) {
    variant { sku price { amount currency } }
    userErrors { field code message }
  }
}"""
PRODUCTS = """
query($first: Int, $after: String, $filter: ProductFilter) {
  products(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { name variants { sku } } }
  }
}"""
VARIANT = "query($sku: String!) { variant(sku: $sku) { sku product { name } } }"
NODE = "query($id: ID!) { node(id: $id) { __typename ... on Product { name } } }"
PRODUCT = "query($id: ID!) { product(id: $id) { name variants { sku } } }"
CHANNELS = "{ channels { code name locations { code } } }"
SET_CHANNEL = """
mutation($input: SetChannelLocationsInput!) {
  setChannelLocations(input: $input) {
    channel { code locations { code } }
    userErrors { field code message }
  }
}"""


def product_input(name="Cap", skus=("CAP-1",), price="15.00"):
    return {
        "name": name,
        "variants": [
            {"sku": sku, "name": sku, "price": {"amount": price, "currency": "EUR"}} for sku in skus
        ],
    }


async def test_admin_creates_a_location(graphql):
    data = await graphql.admin(
        CREATE_LOCATION,
        {"input": {"code": "wh-north", "name": "North", "kind": "WAREHOUSE", "address": "1 Rd"}},
    )
    payload = data["createLocation"]
    assert payload["userErrors"] == []
    assert payload["location"]["code"] == "WH-NORTH"
    assert payload["location"]["kind"] == "WAREHOUSE"


async def test_a_location_code_is_unique(graphql, shop):
    data = await graphql.admin(
        CREATE_LOCATION, {"input": {"code": shop.store, "name": "Again", "kind": "STORE"}}
    )
    assert data["createLocation"]["location"] is None
    assert data["createLocation"]["userErrors"][0]["code"] == "DUPLICATE"


async def test_staff_may_not_create_locations(graphql):
    body = await graphql.data(
        CREATE_LOCATION,
        {"input": {"code": "X", "name": "X", "kind": "STORE"}},
        token=graphql.token(Role.STAFF),
    )
    assert body["createLocation"]["userErrors"][0]["code"] == "FORBIDDEN"


async def test_a_product_is_created_with_its_variants_and_money_stays_decimal(graphql):
    data = await graphql.admin(
        CREATE_PRODUCT, {"input": product_input(skus=("cap-red", "cap-blue"), price="15.10")}
    )
    product = data["createProduct"]["product"]
    assert [v["sku"] for v in product["variants"]] == ["CAP-RED", "CAP-BLUE"]
    assert product["variants"][0]["price"] == {"amount": "15.10", "currency": "EUR"}
    assert product["status"] == "ACTIVE"


async def test_a_taken_sku_is_refused_and_nothing_is_created(graphql, shop):
    data = await graphql.admin(CREATE_PRODUCT, {"input": product_input(skus=("NEW-1", "TEE-S"))})
    assert data["createProduct"]["userErrors"][0]["code"] == "DUPLICATE"
    assert (await graphql.data(VARIANT, {"sku": "NEW-1"}))["variant"] is None


async def test_a_price_with_three_decimals_is_invalid_input(graphql):
    data = await graphql.admin(CREATE_PRODUCT, {"input": product_input(price="1.005")})
    error = data["createProduct"]["userErrors"][0]
    assert error["code"] == "INVALID_INPUT"
    assert error["field"] == ["input", "variants", "0", "price"]


async def test_the_variant_price_can_be_changed(graphql, shop):
    data = await graphql.admin(
        UPDATE_PRICE, {"input": {"sku": "tee-s", "price": {"amount": "21.00", "currency": "USD"}}}
    )
    assert data["updateVariantPrice"]["variant"]["price"] == {"amount": "21.00", "currency": "USD"}


async def test_changing_the_price_of_an_unknown_sku_is_not_found(graphql, shop):
    data = await graphql.admin(
        UPDATE_PRICE, {"input": {"sku": "NOPE", "price": {"amount": "1.00", "currency": "USD"}}}
    )
    assert data["updateVariantPrice"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_anonymous_callers_read_the_catalog(graphql, shop):
    data = await graphql.data(PRODUCTS, {"first": 10})
    assert data["products"]["totalCount"] == 2
    assert [e["node"]["name"] for e in data["products"]["edges"]] == ["T-shirt", "Mug"]


async def test_products_are_paged_with_cursors(graphql, shop):
    first = (await graphql.data(PRODUCTS, {"first": 1}))["products"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await graphql.data(PRODUCTS, {"first": 1, "after": first["pageInfo"]["endCursor"]}))[
        "products"
    ]
    assert [e["node"]["name"] for e in second["edges"]] == ["Mug"]
    assert second["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": second["edges"][0]["cursor"],
    }


async def test_products_can_be_searched_by_name_or_sku(graphql, shop):
    by_name = await graphql.data(PRODUCTS, {"filter": {"search": "shirt"}})
    by_sku = await graphql.data(PRODUCTS, {"filter": {"sku": "mug"}})
    assert [e["node"]["name"] for e in by_name["products"]["edges"]] == ["T-shirt"]
    assert [e["node"]["name"] for e in by_sku["products"]["edges"]] == ["Mug"]


async def test_a_page_larger_than_100_is_refused(graphql):
    body = await graphql.post(PRODUCTS, {"first": 101})
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "first must be between 0 and 100" in body["errors"][0]["message"]


async def test_a_forged_cursor_is_a_clear_error(graphql):
    body = await graphql.post(PRODUCTS, {"after": "not-a-cursor"})
    assert "is not a cursor" in body["errors"][0]["message"]


async def test_a_variant_is_found_by_sku_and_a_product_by_global_id(graphql, shop):
    data = await graphql.data(VARIANT, {"sku": "TEE-M"})
    assert data["variant"]["product"]["name"] == "T-shirt"
    products = await graphql.data("{ products(first: 1) { edges { node { id } } } }")
    product_id = products["products"]["edges"][0]["node"]["id"]
    node = await graphql.data(NODE, {"id": product_id})
    assert node["node"] == {"__typename": "Product", "name": "T-shirt"}


async def test_a_product_id_finds_that_product_and_no_other_type_or_unknown_key(graphql, shop):
    # given the global ids of a product and of a location, and one of no product
    products = await graphql.data("{ products(first: 1) { edges { node { id } } } }")
    product_id = products["products"]["edges"][0]["node"]["id"]
    location_id = (await graphql.data("{ locations { id } }"))["locations"][0]["id"]
    unknown_id = base64.b64encode(b"Product:999999").decode()
    # when each is asked for as a product, with its variants
    ids = (product_id, location_id, unknown_id)
    found = [(await graphql.data(PRODUCT, {"id": id}))["product"] for id in ids]
    # then only the product is found, with its own variants
    tee_shirt = {"name": "T-shirt", "variants": [{"sku": "TEE-S"}, {"sku": "TEE-M"}]}
    assert found == [tee_shirt, None, None]


async def test_channels_list_their_locations_in_order(graphql, shop):
    await graphql.admin(
        SET_CHANNEL, {"input": {"channel": "WEB", "locationCodes": [shop.store, shop.warehouse]}}
    )
    channels = {c["code"]: c for c in (await graphql.data(CHANNELS))["channels"]}
    assert [loc["code"] for loc in channels["WEB"]["locations"]] == [shop.store, shop.warehouse]
    assert set(channels) == {"WEB", "MOBILE", "POS", "WHOLESALE"}


async def test_a_channel_cannot_use_an_unknown_location(graphql, shop):
    data = await graphql.admin(
        SET_CHANNEL, {"input": {"channel": "WEB", "locationCodes": ["NOWHERE"]}}
    )
    assert data["setChannelLocations"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_a_variable_of_the_wrong_shape_is_a_clear_graphql_error(graphql):
    body = await graphql.post(PRODUCTS, {"filter": {"colour": "red"}})
    assert "unknown field 'colour'" in body["errors"][0]["message"]
