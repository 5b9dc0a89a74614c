"""Filtering and sorting products: category (with or without its subcategories),
attributes, option values, price range, stock at a location, and every sort order both
ways, paged forwards and backwards."""

import pytest

from domain.access import Role
from tests.api.categories_documents import create_category, set_product_categories
from tests.api.conftest import add_stock
from tests.api.listing_documents import (
    CREATE_ATTRIBUTE,
    PRODUCTS,
    SET_PRODUCT_ATTRIBUTES,
    create_product,
    listed,
    names,
    variant,
    walk,
)
from tests.api.test_query_count import counting_statements

SIZES = {"Size": ["S", "M", "L"]}


async def given_a_wardrobe(graphql) -> dict[str, str]:
    """Jackets (a category under Clothing) and a scarf (in Clothing), in sizes and
    materials; the shop's T-shirt and Mug are in no category."""
    clothing = await create_category(graphql, "Clothing")
    jackets = await create_category(graphql, "Jackets", parentId=clothing["id"])
    ids = {
        "Parka": await create_product(
            graphql,
            "Parka",
            variant("PARKA-S", "120.00", Size="S"),
            variant("PARKA-L", "140.00", Size="L"),
            options=SIZES,
        ),
        "Blazer": await create_product(
            graphql, "Blazer", variant("BLAZER-M", "80.00", Size="M"), options=SIZES
        ),
        "Scarf": await create_product(graphql, "Scarf", variant("SCARF", "15.00")),
    }
    await set_product_categories(graphql, ids["Parka"], jackets["id"])
    await set_product_categories(graphql, ids["Blazer"], jackets["id"])
    await set_product_categories(graphql, ids["Scarf"], clothing["id"])
    await graphql.admin(CREATE_ATTRIBUTE, {"input": {"name": "Material"}})
    for name, material in (("Parka", "Down"), ("Blazer", "Wool"), ("Scarf", "Wool")):
        body = await graphql.admin(
            SET_PRODUCT_ATTRIBUTES,
            {
                "input": {
                    "productId": ids[name],
                    "attributes": [{"slug": "material", "values": [material]}],
                }
            },
        )
        assert body["setProductAttributes"]["userErrors"] == []
    return ids


async def test_a_category_lists_its_subcategories_products_unless_told_not_to(graphql, shop):
    await given_a_wardrobe(graphql)
    every = await listed(graphql, filter={"categorySlug": "Clothing"})
    own = await listed(graphql, filter={"categorySlug": "clothing", "includeSubcategories": False})
    assert names(every) == ["Parka", "Blazer", "Scarf"]
    assert names(own) == ["Scarf"]
    assert names(await listed(graphql, filter={"categorySlug": "jackets"})) == ["Parka", "Blazer"]


async def test_an_unknown_category_lists_nothing(graphql, shop):
    await given_a_wardrobe(graphql)
    assert names(await listed(graphql, filter={"categorySlug": "nowhere"})) == []


async def test_attributes_match_any_of_their_values_and_every_attribute_given(graphql, shop):
    await given_a_wardrobe(graphql)
    wool = await listed(
        graphql, filter={"attributes": [{"attribute": "material", "values": ["WOOL"]}]}
    )
    either = await listed(
        graphql,
        filter={"attributes": [{"attribute": "Material", "values": ["wool", "down"]}]},
    )
    none = await listed(
        graphql, filter={"attributes": [{"attribute": "colour", "values": ["wool"]}]}
    )
    assert names(wool) == ["Blazer", "Scarf"]
    assert names(either) == ["Parka", "Blazer", "Scarf"]
    assert names(none) == []


async def test_options_find_products_with_a_variant_of_that_size(graphql, shop):
    await given_a_wardrobe(graphql)
    large = await listed(graphql, filter={"options": [{"name": "size", "values": ["l"]}]})
    medium_or_large = await listed(
        graphql, filter={"options": [{"name": "Size", "values": ["M", "L"]}]}
    )
    assert names(large) == ["Parka"]
    assert names(medium_or_large) == ["Parka", "Blazer"]


async def test_a_price_range_finds_products_with_a_variant_priced_within(graphql, shop):
    await given_a_wardrobe(graphql)
    mid = await listed(
        graphql, filter={"priceRange": {"currency": "usd", "min": "80", "max": "130.00"}}
    )
    cheap = await listed(graphql, filter={"priceRange": {"currency": "USD", "max": "19.90"}})
    euros = await listed(graphql, filter={"priceRange": {"currency": "EUR", "min": "0"}})
    assert names(mid) == ["Parka", "Blazer"]
    assert names(cheap) == ["T-shirt", "Mug", "Scarf"]
    assert names(euros) == []


async def test_a_bad_price_range_is_a_clear_error(graphql, shop):
    body = await graphql.post(PRODUCTS, {"filter": {"priceRange": {"currency": "XYZ"}}})
    assert "not an ISO 4217 currency" in body["errors"][0]["message"]


async def test_in_stock_at_finds_products_available_there_even_for_anonymous(
    graphql, database, shop
):
    # given TEE-S and MUG at ST-B; a parka in stock at WH-A only
    await given_a_wardrobe(graphql)
    await add_stock(database, {("PARKA-L", "WH-A"): 2})
    # when an anonymous storefront asks (a yes/no filter: no quantity is shown)
    at_store = await listed(graphql, filter={"inStockAt": "st-b"})
    at_warehouse = await listed(graphql, filter={"inStockAt": "WH-A"})
    # then
    assert names(at_store) == ["T-shirt", "Mug"]
    assert names(at_warehouse) == ["T-shirt", "Parka"]


async def test_variant_filters_hold_for_one_same_variant(graphql, database, shop):
    # given the parka: S at 120 in stock nowhere, L at 140 in stock at WH-A
    await given_a_wardrobe(graphql)
    await add_stock(database, {("PARKA-L", "WH-A"): 2})
    # when asking for a small one in stock, or a large one under 130
    small_in_stock = await listed(
        graphql, filter={"options": [{"name": "Size", "values": ["S"]}], "inStockAt": "WH-A"}
    )
    large_cheap = await listed(
        graphql,
        filter={
            "options": [{"name": "Size", "values": ["L"]}],
            "priceRange": {"currency": "USD", "max": "130"},
        },
    )
    # then no variant is both
    assert names(small_in_stock) == []
    assert names(large_cheap) == []


async def test_filters_combine(graphql, shop):
    await given_a_wardrobe(graphql)
    found = await listed(
        graphql,
        filter={
            "categorySlug": "clothing",
            "attributes": [{"attribute": "material", "values": ["wool", "down"]}],
            "options": [{"name": "Size", "values": ["M", "L"]}],
            "priceRange": {"currency": "USD", "min": "50"},
            "search": "blaz",
        },
        sortKey="PRICE",
    )
    assert names(found) == ["Blazer"]
    assert found["totalCount"] == 1


ORDERS = {
    "ID": ["T-shirt", "Mug", "Parka", "Blazer", "Scarf"],
    "NAME": ["Blazer", "Mug", "Parka", "Scarf", "T-shirt"],
    # lowest variant price: 9.50, 15, 19.90, 80, 120
    "PRICE": ["Mug", "Scarf", "T-shirt", "Blazer", "Parka"],
    "CREATED_AT": ["T-shirt", "Mug", "Parka", "Blazer", "Scarf"],
}


@pytest.mark.parametrize("sort_key", list(ORDERS))
@pytest.mark.parametrize("reverse", [False, True])
async def test_every_order_pages_both_ways_with_the_same_result(graphql, shop, sort_key, reverse):
    # given five products
    await given_a_wardrobe(graphql)
    expected = ORDERS[sort_key][::-1] if reverse else ORDERS[sort_key]
    # when the list is walked by pages of 2, from the start and from the end
    forwards = await walk(graphql, 2, sortKey=sort_key, reverse=reverse)
    backwards = await walk(graphql, 2, backwards=True, sortKey=sort_key, reverse=reverse)
    # then
    assert forwards == expected
    assert backwards == expected


async def test_products_sharing_a_sort_value_page_by_id(graphql, shop):
    # given three products at the same price
    for name in ("Pen A", "Pen B", "Pen C"):
        await create_product(graphql, name, variant(name.replace(" ", "-"), "1.00"))
    pens = {"filter": {"search": "pen"}, "sortKey": "PRICE"}
    # then a page of one at a time goes through them all, once each
    assert await walk(graphql, 1, **pens) == ["Pen A", "Pen B", "Pen C"]
    assert await walk(graphql, 1, backwards=True, **pens) == ["Pen A", "Pen B", "Pen C"]


async def test_a_cursor_of_another_order_is_refused(graphql, shop):
    by_name = await listed(graphql, first=1, sortKey="NAME")
    cursor = by_name["pageInfo"]["endCursor"]
    for sort_key in ("PRICE", "ID"):
        body = await graphql.post(PRODUCTS, {"first": 1, "after": cursor, "sortKey": sort_key})
        assert "not a cursor" in body["errors"][0]["message"]


async def test_a_customer_filters_and_sorts_as_anyone(graphql, shop):
    await given_a_wardrobe(graphql)
    token = graphql.token(Role.CUSTOMER, customer=shop.customer)
    found = await listed(
        graphql, token, filter={"categorySlug": "jackets"}, sortKey="NAME", reverse=True
    )
    assert names(found) == ["Parka", "Blazer"]


CATEGORY_PAGE = """
query($first: Int!) {
  products(
    first: $first, sortKey: PRICE,
    filter: {
      categorySlug: "clothing", options: [{name: "Size", values: ["S", "M", "L"]}],
      priceRange: {currency: "USD", max: "1000"}, inStockAt: "WH-A"
    }
  ) {
    totalCount
    edges { cursor node { name channels { code } variants { sku price { amount } } } }
  }
}"""


async def test_a_filtered_sorted_page_costs_a_fixed_number_of_statements(graphql, database, shop):
    # given eight sized products in a category, in stock
    clothing = await create_category(graphql, "Clothing")
    for index in range(8):
        product = await create_product(
            graphql,
            f"Coat {index}",
            variant(f"COAT-{index}", f"{50 + index}.00", Size="M"),
            options=SIZES,
        )
        await set_product_categories(graphql, product, clothing["id"])
        await add_stock(database, {(f"COAT-{index}", "WH-A"): 1})
    for first in (1, 8):
        # when a page of one and a page of eight are read
        with counting_statements(database) as statements:
            data = await graphql.data(CATEGORY_PAGE, {"first": first})
        # then both cost the same: the count, the page, variants, channels
        assert len(data["products"]["edges"]) == first
        assert data["products"]["totalCount"] == 8
        assert len(statements) == 4, statements
