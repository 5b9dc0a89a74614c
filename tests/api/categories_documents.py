"""GraphQL documents and helpers shared by the tests of categories and collections."""

from __future__ import annotations

from typing import Any

CATEGORY_FIELDS = "id name slug description position parent { slug }"
CREATE_CATEGORY = f"""
mutation($input: CreateCategoryInput!) {{
  createCategory(input: $input) {{
    category {{ {CATEGORY_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
UPDATE_CATEGORY = f"""
mutation($input: UpdateCategoryInput!) {{
  updateCategory(input: $input) {{
    category {{ {CATEGORY_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
MOVE_CATEGORY = f"""
mutation($input: MoveCategoryInput!) {{
  moveCategory(input: $input) {{
    category {{ {CATEGORY_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
DELETE_CATEGORY = """
mutation($input: DeleteCategoryInput!) {
  deleteCategory(input: $input) {
    deletedCategoryId
    userErrors { field code message }
  }
}"""
SET_PRODUCT_CATEGORIES = """
mutation($input: SetProductCategoriesInput!) {
  setProductCategories(input: $input) {
    product { name categories { slug } }
    userErrors { field code message }
  }
}"""
CREATE_COLLECTION = """
mutation($input: CreateCollectionInput!) {
  createCollection(input: $input) {
    collection { id name slug description }
    userErrors { field code message }
  }
}"""
SET_COLLECTION_PRODUCTS = """
mutation($input: SetCollectionProductsInput!) {
  setCollectionProducts(input: $input) {
    collection { slug products { edges { node { name } } } }
    userErrors { field code message }
  }
}"""
SET_COLLECTION_CHANNELS = """
mutation($input: SetCollectionChannelsInput!) {
  setCollectionChannels(input: $input) {
    collection { slug channels { code } }
    userErrors { field code message }
  }
}"""
PRODUCT_IDS = "{ products(first: 100) { edges { node { id name } } } }"


async def create_category(graphql: Any, name: str, **fields: Any) -> dict[str, Any]:
    """A category created by an admin (the test fails if it is refused)."""
    payload = (await graphql.admin(CREATE_CATEGORY, {"input": {"name": name, **fields}}))[
        "createCategory"
    ]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["category"]


async def product_ids(graphql: Any) -> dict[str, str]:
    """The global id of every product, by name."""
    data = await graphql.admin(PRODUCT_IDS)
    return {edge["node"]["name"]: edge["node"]["id"] for edge in data["products"]["edges"]}


async def set_product_categories(
    graphql: Any, product_id: str, *category_ids: str
) -> dict[str, Any]:
    payload = (
        await graphql.admin(
            SET_PRODUCT_CATEGORIES,
            {"input": {"productId": product_id, "categoryIds": list(category_ids)}},
        )
    )["setProductCategories"]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["product"]


async def create_collection(graphql: Any, name: str, **fields: Any) -> dict[str, Any]:
    payload = (await graphql.admin(CREATE_COLLECTION, {"input": {"name": name, **fields}}))[
        "createCollection"
    ]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["collection"]


async def set_collection(
    graphql: Any, collection_id: str, product_ids: list[str], channels: list[str]
) -> None:
    """Give a collection these products, in order, and publish it on these channels."""
    for document, variables in (
        (SET_COLLECTION_PRODUCTS, {"id": collection_id, "productIds": product_ids}),
        (SET_COLLECTION_CHANNELS, {"id": collection_id, "channelCodes": channels}),
    ):
        data = await graphql.admin(document, {"input": variables})
        assert next(iter(data.values()))["userErrors"] == []
