"""Products published on some sales channels only: what anonymous callers, customers,
POS terminals and staff see (X-Channel header, `channel` argument), and placeOrder."""

import pytest

from domain.access import Role
from tests.api.categories_documents import (
    create_category,
    create_collection,
    product_ids,
    set_collection,
    set_product_categories,
)
from tests.api.listing_documents import PRODUCTS, names
from tests.api.orders_documents import place, shipping_order

SET_PRODUCT_CHANNELS = """
mutation($input: SetProductChannelsInput!) {
  setProductChannels(input: $input) {
    product { name channels { code } }
    userErrors { field code message }
  }
}"""
PRODUCT = "query($id: ID!) { product(id: $id) { name channels { code } } }"
NODE = "query($id: ID!) { node(id: $id) { ... on Product { name } } }"
VARIANT = 'query { variant(sku: "MUG") { sku product { name } } }'
CATEGORY_PRODUCTS = """
query { category(slug: "kitchen") { products { totalCount edges { node { name } } } } }"""
COLLECTION_PRODUCTS = """
query($channel: ChannelCode) {
  collections(channel: $channel) { edges { node {
    products { totalCount edges { node { name } } }
  } } }
}"""


async def post(graphql, query: str, variables=None, *, token=None, channel=None) -> dict:
    """A request as `token`'s caller (anonymous: None), naming `channel` in X-Channel."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if channel is not None:
        headers["X-Channel"] = channel
    response = await graphql.http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def data(graphql, query: str, variables=None, **caller) -> dict:
    body = await post(graphql, query, variables, **caller)
    assert "errors" not in body, body["errors"]
    return body["data"]


async def publish(graphql, product_id: str, *channels: str) -> dict:
    payload = (
        await graphql.admin(
            SET_PRODUCT_CHANNELS,
            {"input": {"productId": product_id, "channelCodes": list(channels)}},
        )
    )["setProductChannels"]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["product"]


async def given_the_mug_sold_in_stores_only(graphql) -> str:
    """The Mug published on POS only; the T-shirt everywhere. The Mug's global id."""
    mug = (await product_ids(graphql))["Mug"]
    await publish(graphql, mug, "POS")
    return mug


async def test_a_product_is_published_on_every_channel_until_told_otherwise(graphql, shop):
    mug = (await product_ids(graphql))["Mug"]
    product = (await graphql.admin(PRODUCT, {"id": mug}))["product"]
    assert [c["code"] for c in product["channels"]] == ["WEB", "MOBILE", "POS", "WHOLESALE"]


async def test_publishing_replaces_the_channels(graphql, shop):
    mug = (await product_ids(graphql))["Mug"]
    product = await publish(graphql, mug, "WHOLESALE", "WEB")
    assert [c["code"] for c in product["channels"]] == ["WEB", "WHOLESALE"]


async def test_only_catalog_managers_publish_and_bad_input_changes_nothing(graphql, shop):
    mug = (await product_ids(graphql))["Mug"]
    as_customer = await graphql.data(
        SET_PRODUCT_CHANNELS,
        {"input": {"productId": mug, "channelCodes": ["POS"]}},
        token=graphql.token(Role.CUSTOMER, customer=shop.customer),
    )
    twice = await graphql.admin(
        SET_PRODUCT_CHANNELS, {"input": {"productId": mug, "channelCodes": ["POS", "POS"]}}
    )
    assert as_customer["setProductChannels"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert twice["setProductChannels"]["userErrors"][0]["field"] == ["input", "channelCodes"]
    assert len((await graphql.admin(PRODUCT, {"id": mug}))["product"]["channels"]) == 4


@pytest.mark.parametrize(
    ("role", "channel", "sees_mug"),
    [
        (None, None, False),  # anonymous: WEB
        (None, "POS", True),
        (None, "mobile", False),
        (Role.CUSTOMER, None, False),
        (Role.CUSTOMER, "POS", True),
        (Role.POS, None, True),  # a terminal sells what is published on POS
        (Role.POS, "WEB", True),
        (Role.STAFF, None, True),
        (Role.STAFF, "WEB", True),
    ],
)
async def test_who_sees_a_product_published_on_pos_only(graphql, shop, role, channel, sees_mug):
    # given
    mug = await given_the_mug_sold_in_stores_only(graphql)
    token = None
    if role is not None:
        token = graphql.token(role, customer=shop.customer if role is Role.CUSTOMER else None)
    # when
    listed = (await data(graphql, PRODUCTS, token=token, channel=channel))["products"]
    by_id = (await data(graphql, PRODUCT, {"id": mug}, token=token, channel=channel))["product"]
    # then
    expected = ["T-shirt", "Mug"] if sees_mug else ["T-shirt"]
    assert names(listed) == expected
    assert listed["totalCount"] == len(expected)
    assert (by_id is not None) is sees_mug


async def test_an_unpublished_product_is_absent_everywhere_for_an_anonymous_caller(graphql, shop):
    # given the mug in a category and a collection published on WEB, but itself on POS only
    kitchen = await create_category(graphql, "Kitchen")
    mug = (await product_ids(graphql))["Mug"]
    await set_product_categories(graphql, mug, kitchen["id"])
    collection = await create_collection(graphql, "Gifts")
    await set_collection(graphql, collection["id"], [mug], ["WEB"])
    await publish(graphql, mug, "POS")
    # when an anonymous caller looks for it every way it can
    product = (await data(graphql, PRODUCT, {"id": mug}))["product"]
    node = (await data(graphql, NODE, {"id": mug}))["node"]
    variant = (await data(graphql, VARIANT))["variant"]
    category = (await data(graphql, CATEGORY_PRODUCTS))["category"]["products"]
    collections = (await data(graphql, COLLECTION_PRODUCTS))["collections"]["edges"]
    # then it is nowhere
    assert product is None
    assert node is None
    assert variant is None
    assert category == {"totalCount": 0, "edges": []}
    assert collections[0]["node"]["products"] == {"totalCount": 0, "edges": []}
    # while staff still see it
    staff = graphql.token(Role.STAFF)
    assert (await data(graphql, VARIANT, token=staff))["variant"]["sku"] == "MUG"
    assert (await data(graphql, CATEGORY_PRODUCTS, token=staff))["category"]["products"][
        "totalCount"
    ] == 1


async def test_the_channel_header_shows_that_channels_products_in_categories(graphql, shop):
    kitchen = await create_category(graphql, "Kitchen")
    mug = await given_the_mug_sold_in_stores_only(graphql)
    await set_product_categories(graphql, mug, kitchen["id"])
    in_store = (await data(graphql, CATEGORY_PRODUCTS, channel="POS"))["category"]["products"]
    assert [edge["node"]["name"] for edge in in_store["edges"]] == ["Mug"]


async def test_an_unknown_channel_is_a_bad_request(graphql, shop):
    body = await post(graphql, PRODUCTS, channel="MARS")
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "'MARS' is not a channel" in body["errors"][0]["message"]


async def test_staff_filter_by_published_on(graphql, shop):
    await given_the_mug_sold_in_stores_only(graphql)
    on_web = await graphql.admin(PRODUCTS, {"filter": {"publishedOn": "WEB"}})
    on_pos = await graphql.admin(PRODUCTS, {"filter": {"publishedOn": "POS"}})
    assert names(on_web["products"]) == ["T-shirt"]
    assert names(on_pos["products"]) == ["T-shirt", "Mug"]


async def test_place_order_refuses_a_product_not_published_on_its_channel(graphql, shop):
    # given the mug sold in stores only
    await given_the_mug_sold_in_stores_only(graphql)
    # when a WEB order holds it
    refused = await place(graphql, shipping_order(("TEE-S", 1), ("MUG", 1)))
    # then it is refused at its line, and a POS order may hold it
    assert refused["order"] is None
    assert refused["userErrors"][0]["code"] == "NOT_PUBLISHED"
    assert refused["userErrors"][0]["field"] == ["input", "lines", "1", "sku"]
    accepted = await place(graphql, shipping_order(("MUG", 1), channel="POS"))
    assert accepted["userErrors"] == []
