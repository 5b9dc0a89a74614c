"""Searching products: full-text through the database (SQLite FTS5, PostgreSQL tsvector),
words and word starts, SKUs, relevance, and an index that follows every write."""

from sqlalchemy import text

from tests.api.listing_documents import PRODUCTS, create_product, listed, names, variant


async def given_clothes(graphql) -> None:
    await create_product(graphql, "Zip Hoodie", variant("HOOD-S"), description="Warm cotton fleece")
    await create_product(
        graphql, "Rain Jacket", variant("JACK-M"), description="Light, cotton lined"
    )
    await create_product(graphql, "Cotton Cotton Tee", variant("TEE-COT"), description="Cotton")


async def test_a_search_finds_products_by_whole_words_in_any_case(graphql, shop):
    # given
    await given_clothes(graphql)
    # when
    found = await listed(graphql, filter={"search": "FLEECE"})
    # then
    assert names(found) == ["Zip Hoodie"]
    assert found["totalCount"] == 1


async def test_the_last_word_is_matched_as_the_start_of_a_word(graphql, shop):
    await given_clothes(graphql)
    assert names(await listed(graphql, filter={"search": "hoo"})) == ["Zip Hoodie"]
    assert names(await listed(graphql, filter={"search": "zip hoo"})) == ["Zip Hoodie"]
    # an earlier word must be whole
    assert names(await listed(graphql, filter={"search": "hoo zip"})) == []


async def test_every_word_must_be_found(graphql, shop):
    await given_clothes(graphql)
    assert names(await listed(graphql, filter={"search": "cotton rain"})) == ["Rain Jacket"]
    assert names(await listed(graphql, filter={"search": "cotton"})) == [
        "Zip Hoodie",
        "Rain Jacket",
        "Cotton Cotton Tee",
    ]


async def test_a_sku_or_its_start_finds_its_product(graphql, shop):
    await given_clothes(graphql)
    assert names(await listed(graphql, filter={"search": "jack-m"})) == ["Rain Jacket"]
    assert names(await listed(graphql, filter={"search": "TEE-"})) == [
        "T-shirt",
        "Cotton Cotton Tee",
    ]
    assert names(await listed(graphql, filter={"search": "mug"})) == ["Mug"]


async def test_relevance_puts_the_best_match_first_both_ways(graphql, shop):
    # given three products that say "cotton" once, twice in the name, and in the name
    await given_clothes(graphql)
    # when
    best_first = await listed(graphql, filter={"search": "cotton"}, sortKey="RELEVANCE")
    worst_first = await listed(
        graphql, filter={"search": "cotton"}, sortKey="RELEVANCE", reverse=True
    )
    # then the one that says it most, in its name, comes first
    assert names(best_first)[0] == "Cotton Cotton Tee"
    assert names(worst_first) == names(best_first)[::-1]


async def test_relevance_pages_forwards_and_backwards_with_stable_cursors(graphql, shop):
    await given_clothes(graphql)
    search = {"filter": {"search": "cotton"}, "sortKey": "RELEVANCE"}
    whole = names(await listed(graphql, **search))
    first = await listed(graphql, first=1, **search)
    rest = await listed(graphql, first=5, after=first["pageInfo"]["endCursor"], **search)
    back = await listed(graphql, last=1, before=rest["pageInfo"]["startCursor"], **search)
    assert names(first) + names(rest) == whole
    assert names(back) == names(first)


async def test_relevance_without_a_search_is_a_clear_error(graphql, shop):
    body = await graphql.post(PRODUCTS, {"sortKey": "RELEVANCE"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "RELEVANCE needs filter.search" in body["errors"][0]["message"]


async def test_a_search_without_words_finds_nothing(graphql, shop):
    assert names(await listed(graphql, filter={"search": ' -*" '})) == []
    by_relevance = await listed(graphql, filter={"search": "%"}, sortKey="RELEVANCE")
    assert names(by_relevance) == []


async def test_a_new_product_is_found_at_once(graphql, shop):
    # given a product created through the API
    await create_product(graphql, "Wool Beanie", variant("BEAN-1"), description="Knitted")
    # then its name, description and SKU find it
    for words in ("beanie", "knit", "bean-1"):
        assert names(await listed(graphql, filter={"search": words})) == ["Wool Beanie"]


async def test_the_index_follows_a_renamed_product_and_a_new_variant(graphql, database, shop):
    # given a product renamed and given a variant by writes outside the products list
    async with database.write_engine.begin() as connection:
        await connection.execute(text("UPDATE products SET name = 'Mug Grande' WHERE name = 'Mug'"))
        await connection.execute(
            text(
                "INSERT INTO variants (product_id, sku, name, price_cents, currency, updated_at) "
                "SELECT id, 'CUP-XL', 'Extra large', 1200, 'USD', created_at FROM products "
                "WHERE name = 'Mug Grande'"
            )
        )
    # then the search finds it by its new name and its new SKU, no more by what it lost
    assert names(await listed(graphql, filter={"search": "grande"})) == ["Mug Grande"]
    assert names(await listed(graphql, filter={"search": "cup-xl"})) == ["Mug Grande"]
    assert names(await listed(graphql, filter={"search": "extra large"})) == ["Mug Grande"]
    async with database.write_engine.begin() as connection:
        await connection.execute(text("DELETE FROM variants WHERE sku = 'CUP-XL'"))
    assert names(await listed(graphql, filter={"search": "cup-xl"})) == []
