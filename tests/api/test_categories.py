"""Categories over GraphQL: the tree, slugs, moves, deletes and products in categories."""

import asyncio

from domain.access import Role
from tests.api.categories_documents import (
    CREATE_CATEGORY,
    DELETE_CATEGORY,
    MOVE_CATEGORY,
    SET_PRODUCT_CATEGORIES,
    UPDATE_CATEGORY,
    create_category,
    product_ids,
    set_product_categories,
)

CATEGORY = """
query($slug: String!) {
  category(slug: $slug) {
    name slug position
    parent { slug }
    children { slug position }
    ancestors { slug }
  }
}"""
ROOTS = """
query($first: Int, $after: String, $parentSlug: String) {
  categories(first: $first, after: $after, parentSlug: $parentSlug) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { slug position } }
  }
}"""
CATEGORY_PRODUCTS = """
query($slug: String!, $descendants: Boolean!, $first: Int, $after: String) {
  category(slug: $slug) {
    products(first: $first, after: $after, includeDescendants: $descendants) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { name } }
    }
  }
}"""


async def build_tree(graphql):
    """clothing > (shirts > (t-shirts), trousers); home."""
    clothing = await create_category(graphql, "Clothing")
    shirts = await create_category(graphql, "Shirts", parentId=clothing["id"])
    trousers = await create_category(graphql, "Trousers", parentId=clothing["id"])
    tees = await create_category(graphql, "T-Shirts", parentId=shirts["id"])
    home = await create_category(graphql, "Home")
    return {
        "clothing": clothing,
        "shirts": shirts,
        "trousers": trousers,
        "tees": tees,
        "home": home,
    }


async def slugs_of_roots(graphql, parent_slug=None):
    data = await graphql.data(ROOTS, {"parentSlug": parent_slug})
    return [edge["node"]["slug"] for edge in data["categories"]["edges"]]


async def test_a_tree_shows_parents_children_in_order_and_ancestors_root_first(graphql):
    # given
    await build_tree(graphql)
    # when
    tees = (await graphql.data(CATEGORY, {"slug": "t-shirts"}))["category"]
    clothing = (await graphql.data(CATEGORY, {"slug": "CLOTHING"}))["category"]
    # then
    assert tees["parent"] == {"slug": "shirts"}
    assert [a["slug"] for a in tees["ancestors"]] == ["clothing", "shirts"]
    assert clothing["ancestors"] == [] and clothing["parent"] is None
    assert clothing["children"] == [
        {"slug": "shirts", "position": 1},
        {"slug": "trousers", "position": 2},
    ]
    assert await slugs_of_roots(graphql) == ["clothing", "home"]
    assert await slugs_of_roots(graphql, "clothing") == ["shirts", "trousers"]


async def test_categories_page_by_position(graphql):
    # given
    for name in ("A", "B", "C"):
        await create_category(graphql, name)
    await create_category(graphql, "Z", position=1)
    # when
    first = (await graphql.data(ROOTS, {"first": 2}))["categories"]
    rest = (await graphql.data(ROOTS, {"first": 2, "after": first["pageInfo"]["endCursor"]}))[
        "categories"
    ]
    # then
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]
    assert [e["node"]["slug"] for e in first["edges"] + rest["edges"]] == ["z", "a", "b", "c"]
    assert [e["node"]["position"] for e in first["edges"] + rest["edges"]] == [1, 2, 3, 4]
    assert not rest["pageInfo"]["hasNextPage"]


async def test_an_unknown_parent_slug_is_not_found(graphql):
    body = await graphql.post(ROOTS, {"parentSlug": "nowhere"})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_slug_is_made_from_the_name_or_checked_when_given(graphql):
    # when
    made = await create_category(graphql, "  Été & Plage: Robes! ")
    given = await create_category(graphql, "Sale", slug=" Summer-Sale ")
    bad = await graphql.admin(CREATE_CATEGORY, {"input": {"name": "X", "slug": "two  words"}})
    # then
    assert made["slug"] == "ete-plage-robes"
    assert given["slug"] == "summer-sale"
    assert bad["createCategory"]["category"] is None
    assert bad["createCategory"]["userErrors"][0]["field"] == ["input", "slug"]
    assert bad["createCategory"]["userErrors"][0]["code"] == "INVALID_INPUT"


async def test_a_slug_is_unique(graphql):
    # given
    await create_category(graphql, "Shoes")
    other = await create_category(graphql, "Boots")
    # when
    created = await graphql.admin(CREATE_CATEGORY, {"input": {"name": "SHOES"}})
    renamed = await graphql.admin(UPDATE_CATEGORY, {"input": {"id": other["id"], "slug": "shoes"}})
    # then
    assert created["createCategory"]["userErrors"][0]["code"] == "DUPLICATE"
    assert renamed["updateCategory"]["userErrors"][0]["code"] == "DUPLICATE"
    assert await slugs_of_roots(graphql) == ["shoes", "boots"]


async def test_concurrent_creates_of_one_slug_make_one_category(graphql):
    # when
    payloads = await asyncio.gather(
        *(graphql.admin(CREATE_CATEGORY, {"input": {"name": "Hats"}}) for _ in range(8))
    )
    # then
    created = [p for p in payloads if p["createCategory"]["category"] is not None]
    refused = [p["createCategory"]["userErrors"][0]["code"] for p in payloads if p not in created]
    assert len(created) == 1
    assert refused == ["DUPLICATE"] * 7
    assert await slugs_of_roots(graphql) == ["hats"]


async def test_update_changes_the_given_fields_only(graphql):
    # given
    shoes = await create_category(graphql, "Shoes", description="Feet")
    # when
    data = await graphql.admin(UPDATE_CATEGORY, {"input": {"id": shoes["id"], "name": "Footwear"}})
    # then
    category = data["updateCategory"]["category"]
    assert (category["name"], category["slug"], category["description"]) == (
        "Footwear",
        "shoes",
        "Feet",
    )


async def test_moving_a_category_takes_its_subtree_and_renumbers_both_levels(graphql):
    # given
    tree = await build_tree(graphql)
    # when
    data = await graphql.admin(
        MOVE_CATEGORY, {"input": {"id": tree["shirts"]["id"], "parentId": tree["home"]["id"]}}
    )
    made_root = await graphql.admin(
        MOVE_CATEGORY, {"input": {"id": tree["trousers"]["id"], "parentId": None, "position": 1}}
    )
    # then
    assert data["moveCategory"]["category"]["parent"] == {"slug": "home"}
    assert made_root["moveCategory"]["category"]["position"] == 1
    tees = (await graphql.data(CATEGORY, {"slug": "t-shirts"}))["category"]
    assert [a["slug"] for a in tees["ancestors"]] == ["home", "shirts"]
    assert await slugs_of_roots(graphql) == ["trousers", "clothing", "home"]
    assert (await graphql.data(CATEGORY, {"slug": "clothing"}))["category"]["children"] == []


async def test_a_category_cannot_move_under_itself_or_its_descendants(graphql):
    # given
    tree = await build_tree(graphql)
    clothing = tree["clothing"]["id"]
    # when
    refusals = [
        (await graphql.admin(MOVE_CATEGORY, {"input": {"id": clothing, "parentId": parent}}))[
            "moveCategory"
        ]
        for parent in (clothing, tree["shirts"]["id"], tree["tees"]["id"])
    ]
    # then
    for payload in refusals:
        assert payload["category"] is None
        assert payload["userErrors"][0]["code"] == "CATEGORY_CYCLE"
        assert payload["userErrors"][0]["field"] == ["input", "parentId"]
    assert (await graphql.data(CATEGORY, {"slug": "clothing"}))["category"]["parent"] is None


async def test_concurrent_crossing_moves_never_make_a_cycle(graphql):
    # given: five roots; each request moves one under the next, the last under the first
    roots = [await create_category(graphql, f"Node {index}") for index in range(5)]
    moves = [
        {"id": roots[i]["id"], "parentId": roots[(i + 1) % len(roots)]["id"]}
        for i in range(len(roots))
    ]
    # when
    payloads = await asyncio.gather(
        *(graphql.admin(MOVE_CATEGORY, {"input": move}) for move in moves)
    )
    # then: all but one moved; the last one found the loop it would close
    codes = [
        p["moveCategory"]["userErrors"][0]["code"]
        for p in payloads
        if p["moveCategory"]["userErrors"]
    ]
    assert codes == ["CATEGORY_CYCLE"]
    for root in roots:
        slug = root["slug"]
        ancestors = (await graphql.data(CATEGORY, {"slug": slug}))["category"]["ancestors"]
        assert slug not in [a["slug"] for a in ancestors]
    assert len(await slugs_of_roots(graphql)) == 1


async def test_concurrent_moves_that_lock_different_rows_never_make_a_cycle(graphql):
    # given: pairs of trees x > q and y > p; moving x under p and y under q at once would
    # each pass a check made before the other commits, and together close x > p... > x
    pairs = []
    for index in range(4):
        x = await create_category(graphql, f"X {index}")
        y = await create_category(graphql, f"Y {index}")
        q = await create_category(graphql, f"Q {index}", parentId=x["id"])
        p = await create_category(graphql, f"P {index}", parentId=y["id"])
        pairs.append(({"id": x["id"], "parentId": p["id"]}, {"id": y["id"], "parentId": q["id"]}))
    # when
    payloads = await asyncio.gather(
        *(graphql.admin(MOVE_CATEGORY, {"input": move}) for pair in pairs for move in pair)
    )
    # then: of each pair, one moved and the other found the loop it would close
    for first, second in zip(payloads[::2], payloads[1::2], strict=True):
        errors = first["moveCategory"]["userErrors"] + second["moveCategory"]["userErrors"]
        assert [error["code"] for error in errors] == ["CATEGORY_CYCLE"]
    for index in range(4):
        for name in ("x", "y", "p", "q"):
            slug = f"{name}-{index}"
            ancestors = (await graphql.data(CATEGORY, {"slug": slug}))["category"]["ancestors"]
            assert slug not in [a["slug"] for a in ancestors]


async def test_a_category_with_children_cannot_be_deleted(graphql):
    # given
    tree = await build_tree(graphql)
    # when
    payload = (await graphql.admin(DELETE_CATEGORY, {"input": {"id": tree["shirts"]["id"]}}))[
        "deleteCategory"
    ]
    # then
    assert payload["deletedCategoryId"] is None
    assert payload["userErrors"][0]["code"] == "CATEGORY_HAS_CHILDREN"


async def test_deleting_a_category_removes_its_memberships_and_closes_the_gap(graphql, shop):
    # given
    tree = await build_tree(graphql)
    products = await product_ids(graphql)
    await set_product_categories(graphql, products["Mug"], tree["shirts"]["id"], tree["home"]["id"])
    await graphql.admin(DELETE_CATEGORY, {"input": {"id": tree["tees"]["id"]}})
    # when
    payload = (await graphql.admin(DELETE_CATEGORY, {"input": {"id": tree["shirts"]["id"]}}))[
        "deleteCategory"
    ]
    # then
    assert payload["deletedCategoryId"] == tree["shirts"]["id"]
    assert (await graphql.data(CATEGORY, {"slug": "shirts"}))["category"] is None
    assert (await graphql.data(CATEGORY, {"slug": "trousers"}))["category"]["position"] == 1
    mug = await graphql.data(
        "query($id: ID!) { product(id: $id) { categories { slug } } }", {"id": products["Mug"]}
    )
    assert mug["product"]["categories"] == [{"slug": "home"}]


async def test_a_product_sits_in_several_categories_and_they_list_it(graphql, shop):
    # given
    tree = await build_tree(graphql)
    products = await product_ids(graphql)
    # when
    product = await set_product_categories(
        graphql, products["T-shirt"], tree["tees"]["id"], tree["home"]["id"]
    )
    await set_product_categories(graphql, products["Mug"], tree["home"]["id"])
    # then
    assert product["categories"] == [{"slug": "home"}, {"slug": "t-shirts"}]
    home = await graphql.data(CATEGORY_PRODUCTS, {"slug": "home", "descendants": False})
    assert [e["node"]["name"] for e in home["category"]["products"]["edges"]] == ["T-shirt", "Mug"]


async def test_set_product_categories_replaces_them(graphql, shop):
    # given
    tree = await build_tree(graphql)
    products = await product_ids(graphql)
    await set_product_categories(graphql, products["Mug"], tree["home"]["id"])
    # when
    product = await set_product_categories(graphql, products["Mug"], tree["trousers"]["id"])
    emptied = await set_product_categories(graphql, products["T-shirt"])
    # then
    assert product["categories"] == [{"slug": "trousers"}]
    assert emptied["categories"] == []


async def test_unknown_or_repeated_categories_change_nothing(graphql, shop):
    # given
    tree = await build_tree(graphql)
    products = await product_ids(graphql)
    await set_product_categories(graphql, products["Mug"], tree["home"]["id"])
    home = tree["home"]["id"]
    # when
    repeated = await graphql.admin(
        SET_PRODUCT_CATEGORIES,
        {"input": {"productId": products["Mug"], "categoryIds": [home, home]}},
    )
    foreign = await graphql.admin(
        SET_PRODUCT_CATEGORIES,
        {"input": {"productId": products["Mug"], "categoryIds": [products["T-shirt"]]}},
    )
    # then
    assert repeated["setProductCategories"]["userErrors"][0]["code"] == "DUPLICATE"
    assert foreign["setProductCategories"]["userErrors"][0]["code"] == "NOT_FOUND"
    mug = await graphql.data(
        "query($id: ID!) { product(id: $id) { categories { slug } } }", {"id": products["Mug"]}
    )
    assert mug["product"]["categories"] == [{"slug": "home"}]


async def test_include_descendants_lists_the_products_of_the_whole_subtree_once(graphql, shop):
    # given
    tree = await build_tree(graphql)
    products = await product_ids(graphql)
    await set_product_categories(
        graphql, products["T-shirt"], tree["tees"]["id"], tree["shirts"]["id"]
    )
    await set_product_categories(graphql, products["Mug"], tree["clothing"]["id"])
    # when
    own = await graphql.data(CATEGORY_PRODUCTS, {"slug": "clothing", "descendants": False})
    whole = await graphql.data(CATEGORY_PRODUCTS, {"slug": "clothing", "descendants": True})
    page = await graphql.data(
        CATEGORY_PRODUCTS, {"slug": "clothing", "descendants": True, "first": 1}
    )
    after = page["category"]["products"]["pageInfo"]["endCursor"]
    rest = await graphql.data(
        CATEGORY_PRODUCTS, {"slug": "clothing", "descendants": True, "after": after}
    )
    # then
    assert [e["node"]["name"] for e in own["category"]["products"]["edges"]] == ["Mug"]
    listed = whole["category"]["products"]
    assert [e["node"]["name"] for e in listed["edges"]] == ["T-shirt", "Mug"]
    assert listed["totalCount"] == 2
    assert page["category"]["products"]["pageInfo"]["hasNextPage"]
    assert [e["node"]["name"] for e in rest["category"]["products"]["edges"]] == ["Mug"]


async def test_only_catalog_managers_change_categories(graphql, shop):
    # given
    shoes = await create_category(graphql, "Shoes")
    products = await product_ids(graphql)
    attempts = [
        (CREATE_CATEGORY, {"name": "Hats"}),
        (UPDATE_CATEGORY, {"id": shoes["id"], "name": "Boots"}),
        (MOVE_CATEGORY, {"id": shoes["id"], "parentId": None}),
        (DELETE_CATEGORY, {"id": shoes["id"]}),
        (SET_PRODUCT_CATEGORIES, {"productId": products["Mug"], "categoryIds": [shoes["id"]]}),
    ]
    callers = [None, graphql.token(Role.CUSTOMER, customer=shop.customer), graphql.token(Role.POS)]
    for token in callers:
        for document, variables in attempts:
            # when
            data = await graphql.data(document, {"input": variables}, token=token)
            # then
            payload = next(iter(data.values()))
            assert payload["userErrors"][0]["code"] == "FORBIDDEN"
    staff = graphql.token(Role.STAFF)
    data = await graphql.data(CREATE_CATEGORY, {"input": {"name": "Hats"}}, token=staff)
    assert data["createCategory"]["userErrors"] == []
    assert await slugs_of_roots(graphql) == ["shoes", "hats"]
