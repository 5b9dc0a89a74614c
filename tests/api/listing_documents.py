"""GraphQL documents and helpers of the products list: search, filters, sort orders."""

from __future__ import annotations

from typing import Any

PRODUCTS = """
query(
  $filter: ProductFilter, $sortKey: ProductSortKey! = ID, $reverse: Boolean! = false,
  $first: Int, $after: String, $last: Int, $before: String
) {
  products(
    filter: $filter, sortKey: $sortKey, reverse: $reverse,
    first: $first, after: $after, last: $last, before: $before
  ) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name } }
  }
}"""
CREATE_PRODUCT = """
mutation($input: CreateProductInput!) {
  createProduct(input: $input) { product { id name } userErrors { field code message } }
}"""
CREATE_ATTRIBUTE = """
mutation($input: CreateAttributeInput!) {
  createAttribute(input: $input) { userErrors { field code message } }
}"""
SET_PRODUCT_ATTRIBUTES = """
mutation($input: SetProductAttributesInput!) {
  setProductAttributes(input: $input) { userErrors { field code message } }
}"""


def variant(sku: str, price: str = "10.00", currency: str = "USD", **options: str) -> dict:
    return {
        "sku": sku,
        "name": sku,
        "price": {"amount": price, "currency": currency},
        "selectedOptions": [{"name": name, "value": value} for name, value in options.items()],
    }


async def create_product(
    graphql: Any,
    name: str,
    *variants: dict,
    description: str = "",
    options: dict[str, list[str]] | None = None,
) -> str:
    """A product created by an admin (the test fails if it is refused); its global id."""
    product = {
        "name": name,
        "description": description,
        "variants": list(variants),
        "options": [{"name": key, "values": values} for key, values in (options or {}).items()],
    }
    payload = (await graphql.admin(CREATE_PRODUCT, {"input": product}))["createProduct"]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["product"]["id"]


async def listed(graphql: Any, token: str | None = None, **variables: Any) -> dict:
    """The products connection for these variables, as `token`'s caller (anonymous: None)."""
    return (await graphql.data(PRODUCTS, variables, token=token))["products"]


def names(connection: dict) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


async def walk(graphql: Any, size: int, backwards: bool = False, **variables: Any) -> list[str]:
    """Every name of the list, page by page of `size`, from the start or from the end
    (then in the list's own order)."""
    walked: list[str] = []
    cursor = None
    while True:
        if backwards:
            page = await listed(graphql, last=size, before=cursor, **variables)
            walked = names(page) + walked
            more, cursor = page["pageInfo"]["hasPreviousPage"], page["pageInfo"]["startCursor"]
        else:
            page = await listed(graphql, first=size, after=cursor, **variables)
            walked += names(page)
            more, cursor = page["pageInfo"]["hasNextPage"], page["pageInfo"]["endCursor"]
        assert len(walked) <= page["totalCount"]
        if not more:
            return walked
