"""Curated collections over GraphQL: manual order, channels, who sees which."""

import asyncio

from domain.access import Role
from tests.api.categories_documents import (
    CREATE_COLLECTION,
    SET_COLLECTION_CHANNELS,
    SET_COLLECTION_PRODUCTS,
    create_collection,
    product_ids,
    set_collection,
)

COLLECTIONS = """
query($channel: ChannelCode, $first: Int, $after: String) {
  collections(channel: $channel, first: $first, after: $after) {
    totalCount
    edges { node { slug channels { code } } }
  }
}"""
COLLECTION = """
query($slug: String!, $channel: ChannelCode, $first: Int, $after: String) {
  collection(slug: $slug, channel: $channel) {
    name slug
    products(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { name } }
    }
  }
}"""
UPDATE_COLLECTION = """
mutation($input: UpdateCollectionInput!) {
  updateCollection(input: $input) {
    collection { name slug description }
    userErrors { field code message }
  }
}"""
DELETE_COLLECTION = """
mutation($input: DeleteCollectionInput!) {
  deleteCollection(input: $input) {
    deletedCollectionId
    userErrors { field code message }
  }
}"""
COLLECTION_FROM_THE_END = """
query($slug: String!, $last: Int, $before: String) {
  collection(slug: $slug) {
    products(last: $last, before: $before) {
      pageInfo { hasNextPage hasPreviousPage startCursor }
      edges { node { name } }
    }
  }
}"""
NODE = "query($id: ID!) { node(id: $id) { ... on Collection { slug } } }"
COLLECTIONS_WITH_IDS = "{ collections(first: 100) { edges { node { id slug } } } }"


async def names_in(graphql, slug, **variables):
    data = await graphql.admin(COLLECTION, {"slug": slug, **variables})
    return [edge["node"]["name"] for edge in data["collection"]["products"]["edges"]]


async def slugs_seen(graphql, token, channel=None):
    data = await graphql.data(COLLECTIONS, {"channel": channel}, token=token)
    return [edge["node"]["slug"] for edge in data["collections"]["edges"]]


async def test_a_collection_keeps_its_products_in_the_order_given(graphql, shop):
    # given
    products = await product_ids(graphql)
    picks = await create_collection(graphql, "Summer Picks")
    # when
    await set_collection(graphql, picks["id"], [products["Mug"], products["T-shirt"]], ["WEB"])
    first_order = await names_in(graphql, "summer-picks")
    await set_collection(graphql, picks["id"], [products["T-shirt"], products["Mug"]], ["WEB"])
    # then
    assert picks["slug"] == "summer-picks"
    assert first_order == ["Mug", "T-shirt"]
    assert await names_in(graphql, "summer-picks") == ["T-shirt", "Mug"]


async def test_a_collections_products_page_in_its_order(graphql, shop):
    # given
    products = await product_ids(graphql)
    picks = await create_collection(graphql, "Picks")
    await set_collection(graphql, picks["id"], [products["Mug"], products["T-shirt"]], [])
    # when
    page = (await graphql.admin(COLLECTION, {"slug": "picks", "first": 1}))["collection"]
    after = page["products"]["pageInfo"]["endCursor"]
    rest = await names_in(graphql, "picks", after=after)
    # then
    assert page["products"]["totalCount"] == 2 and page["products"]["pageInfo"]["hasNextPage"]
    assert [e["node"]["name"] for e in page["products"]["edges"]] == ["Mug"]
    assert rest == ["T-shirt"]


async def test_a_collections_products_page_backwards_in_its_order(graphql, shop):
    # given
    products = await product_ids(graphql)
    picks = await create_collection(graphql, "Picks")
    await set_collection(graphql, picks["id"], [products["T-shirt"], products["Mug"]], [])
    # when
    variables = {"slug": "picks", "last": 1}
    end = (await graphql.admin(COLLECTION_FROM_THE_END, variables))["collection"]["products"]
    before = end["pageInfo"]["startCursor"]
    variables = {"slug": "picks", "last": 1, "before": before}
    start = (await graphql.admin(COLLECTION_FROM_THE_END, variables))["collection"]["products"]
    # then
    assert [edge["node"]["name"] for edge in end["edges"]] == ["Mug"]
    assert end["pageInfo"]["hasPreviousPage"] and not end["pageInfo"]["hasNextPage"]
    assert [edge["node"]["name"] for edge in start["edges"]] == ["T-shirt"]
    assert not start["pageInfo"]["hasPreviousPage"] and start["pageInfo"]["hasNextPage"]


async def test_repeated_or_unknown_products_change_nothing(graphql, shop):
    # given
    products = await product_ids(graphql)
    picks = await create_collection(graphql, "Picks")
    await set_collection(graphql, picks["id"], [products["Mug"]], [])
    # when
    repeated = await graphql.admin(
        SET_COLLECTION_PRODUCTS,
        {"input": {"id": picks["id"], "productIds": [products["Mug"], products["Mug"]]}},
    )
    foreign = await graphql.admin(
        SET_COLLECTION_PRODUCTS, {"input": {"id": picks["id"], "productIds": [picks["id"]]}}
    )
    # then
    assert repeated["setCollectionProducts"]["userErrors"][0]["code"] == "DUPLICATE"
    assert foreign["setCollectionProducts"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert await names_in(graphql, "picks") == ["Mug"]


async def test_anonymous_callers_and_customers_see_only_what_their_channel_publishes(graphql, shop):
    # given
    web = await create_collection(graphql, "Web only")
    both = await create_collection(graphql, "Everywhere")
    await create_collection(graphql, "Draft")
    await set_collection(graphql, web["id"], [], ["WEB"])
    await set_collection(graphql, both["id"], [], ["WEB", "MOBILE"])
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    # when / then: a storefront's channel is WEB unless it names another
    for token in (None, customer):
        assert await slugs_seen(graphql, token) == ["web-only", "everywhere"]
        assert await slugs_seen(graphql, token, "MOBILE") == ["everywhere"]
        assert await slugs_seen(graphql, token, "POS") == []
        hidden = await graphql.data(COLLECTION, {"slug": "web-only", "channel": "MOBILE"})
        assert hidden["collection"] is None
        draft = await graphql.data(NODE, {"id": await _draft_id(graphql)}, token=token)
        assert draft["node"] is None


async def test_staff_see_every_collection_or_those_of_a_channel(graphql, shop):
    # given
    web = await create_collection(graphql, "Web only")
    await create_collection(graphql, "Draft")
    await set_collection(graphql, web["id"], [], ["WEB"])
    staff = graphql.token(Role.STAFF)
    # when / then
    assert await slugs_seen(graphql, staff) == ["web-only", "draft"]
    assert await slugs_seen(graphql, staff, "WEB") == ["web-only"]
    draft = await graphql.data(NODE, {"id": await _draft_id(graphql)}, token=staff)
    assert draft["node"] == {"slug": "draft"}


async def test_channels_are_replaced_and_unknown_repeats_refused(graphql, shop):
    # given
    picks = await create_collection(graphql, "Picks")
    # when
    first = await graphql.admin(
        SET_COLLECTION_CHANNELS, {"input": {"id": picks["id"], "channelCodes": ["POS", "WEB"]}}
    )
    repeated = await graphql.admin(
        SET_COLLECTION_CHANNELS, {"input": {"id": picks["id"], "channelCodes": ["WEB", "WEB"]}}
    )
    cleared = await graphql.admin(
        SET_COLLECTION_CHANNELS, {"input": {"id": picks["id"], "channelCodes": []}}
    )
    # then
    channels = first["setCollectionChannels"]["collection"]["channels"]
    assert sorted(c["code"] for c in channels) == ["POS", "WEB"]
    assert repeated["setCollectionChannels"]["userErrors"][0]["code"] == "DUPLICATE"
    assert cleared["setCollectionChannels"]["collection"]["channels"] == []
    assert await slugs_seen(graphql, None) == []


async def test_slugs_of_collections_are_unique_also_under_races(graphql):
    # given
    await create_collection(graphql, "Gifts")
    other = await create_collection(graphql, "Presents")
    # when
    renamed = await graphql.admin(
        UPDATE_COLLECTION, {"input": {"id": other["id"], "slug": "GIFTS"}}
    )
    raced = await asyncio.gather(
        *(graphql.admin(CREATE_COLLECTION, {"input": {"name": "New In"}}) for _ in range(8))
    )
    # then
    assert renamed["updateCollection"]["userErrors"][0]["code"] == "DUPLICATE"
    created = [p for p in raced if p["createCollection"]["collection"] is not None]
    codes = {p["createCollection"]["userErrors"][0]["code"] for p in raced if p not in created}
    assert len(created) == 1 and codes == {"DUPLICATE"}
    assert await slugs_seen(graphql, graphql.token(Role.ADMIN)) == ["gifts", "presents", "new-in"]


async def test_update_and_delete_a_collection(graphql, shop):
    # given
    products = await product_ids(graphql)
    picks = await create_collection(graphql, "Picks")
    await set_collection(graphql, picks["id"], [products["Mug"]], ["WEB"])
    # when
    updated = await graphql.admin(
        UPDATE_COLLECTION, {"input": {"id": picks["id"], "description": "Our favourites"}}
    )
    deleted = await graphql.admin(DELETE_COLLECTION, {"input": {"id": picks["id"]}})
    # then
    assert updated["updateCollection"]["collection"] == {
        "name": "Picks",
        "slug": "picks",
        "description": "Our favourites",
    }
    assert deleted["deleteCollection"]["deletedCollectionId"] == picks["id"]
    assert (await graphql.admin(COLLECTION, {"slug": "picks"}))["collection"] is None
    assert await slugs_seen(graphql, None) == []
    assert "Mug" in await product_ids(graphql)


async def test_only_catalog_managers_change_collections(graphql, shop):
    # given
    picks = await create_collection(graphql, "Picks")
    attempts = [
        (CREATE_COLLECTION, {"name": "Other"}),
        (UPDATE_COLLECTION, {"id": picks["id"], "name": "Mine"}),
        (SET_COLLECTION_PRODUCTS, {"id": picks["id"], "productIds": []}),
        (SET_COLLECTION_CHANNELS, {"id": picks["id"], "channelCodes": ["WEB"]}),
        (DELETE_COLLECTION, {"id": picks["id"]}),
    ]
    callers = [None, graphql.token(Role.CUSTOMER, customer=shop.customer), graphql.token(Role.POS)]
    for token in callers:
        for document, variables in attempts:
            # when
            data = await graphql.data(document, {"input": variables}, token=token)
            # then
            assert next(iter(data.values()))["userErrors"][0]["code"] == "FORBIDDEN"
    assert await slugs_seen(graphql, graphql.token(Role.STAFF)) == ["picks"]


async def _draft_id(graphql):
    """The id of the collection "draft", as an admin sees it."""
    edges = (await graphql.admin(COLLECTIONS_WITH_IDS))["collections"]["edges"]
    return next(edge["node"]["id"] for edge in edges if edge["node"]["slug"] == "draft")
