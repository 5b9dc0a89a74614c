"""Product attributes over GraphQL: definitions with their known values (`attributes`), a
product's attribute values set and replaced as a whole, permissions and validation."""

from __future__ import annotations

from domain.access import Role

CREATE_ATTRIBUTE = """
mutation($input: CreateAttributeInput!) {
  createAttribute(input: $input) {
    attribute { name slug values }
    userErrors { field code message }
  }
}"""
SET_PRODUCT_ATTRIBUTES = """
mutation($input: SetProductAttributesInput!) {
  setProductAttributes(input: $input) {
    product { name attributes { name slug values } }
    userErrors { field code message }
  }
}"""
ATTRIBUTES = "{ attributes { name slug values } }"
PRODUCTS = "{ products(first: 10) { edges { node { id name attributes { slug values } } } } }"


async def product_ids(graphql) -> dict[str, str]:
    data = await graphql.data(PRODUCTS)
    return {edge["node"]["name"]: edge["node"]["id"] for edge in data["products"]["edges"]}


async def create_attribute(graphql, name: str, values: list[str], slug: str | None = None):
    data = await graphql.admin(
        CREATE_ATTRIBUTE, {"input": {"name": name, "slug": slug, "values": values}}
    )
    assert data["createAttribute"]["userErrors"] == []
    return data["createAttribute"]["attribute"]


async def test_an_attribute_is_defined_with_its_values_and_a_slug_from_its_name(graphql):
    # when
    attribute = await create_attribute(graphql, "Fabric Care", ["Hand wash", "Machine wash"])
    await create_attribute(graphql, "Brand", [], slug="brand")
    # then
    assert attribute == {
        "name": "Fabric Care",
        "slug": "fabric-care",
        "values": ["Hand wash", "Machine wash"],
    }
    listed = await graphql.data(ATTRIBUTES)
    assert listed["attributes"] == [
        {"name": "Brand", "slug": "brand", "values": []},
        {"name": "Fabric Care", "slug": "fabric-care", "values": ["Hand wash", "Machine wash"]},
    ]


async def test_a_slug_is_unique_and_well_formed(graphql):
    # given
    await create_attribute(graphql, "Material", ["Cotton"])
    # when
    again = await graphql.admin(
        CREATE_ATTRIBUTE, {"input": {"name": "Material 2", "slug": "material"}}
    )
    malformed = await graphql.admin(
        CREATE_ATTRIBUTE, {"input": {"name": "Odd", "slug": "Not a slug!"}}
    )
    twice = await graphql.admin(
        CREATE_ATTRIBUTE, {"input": {"name": "Colour", "values": ["Red", "red"]}}
    )
    # then
    assert again["createAttribute"]["userErrors"][0]["code"] == "DUPLICATE"
    error = malformed["createAttribute"]["userErrors"][0]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "slug"])
    error = twice["createAttribute"]["userErrors"][0]
    assert (error["code"], error["field"]) == ("DUPLICATE", ["input", "values", "1"])


async def test_a_products_attributes_are_set_then_replaced_as_a_whole(graphql, shop):
    # given
    await create_attribute(graphql, "Material", ["Cotton", "Linen"])
    await create_attribute(graphql, "Brand", ["Acme"])
    tee = (await product_ids(graphql))["T-shirt"]
    # when
    first = await graphql.admin(
        SET_PRODUCT_ATTRIBUTES,
        {
            "input": {
                "productId": tee,
                "attributes": [
                    {"slug": "material", "values": ["linen", "Cotton"]},
                    {"slug": "brand", "values": ["Acme"]},
                ],
            }
        },
    )
    second = await graphql.admin(
        SET_PRODUCT_ATTRIBUTES,
        {"input": {"productId": tee, "attributes": [{"slug": "material", "values": ["Wool"]}]}},
    )
    # then
    assert first["setProductAttributes"]["product"]["attributes"] == [
        {"name": "Brand", "slug": "brand", "values": ["Acme"]},
        {"name": "Material", "slug": "material", "values": ["Cotton", "Linen"]},
    ]
    assert second["setProductAttributes"]["product"]["attributes"] == [
        {"name": "Material", "slug": "material", "values": ["Wool"]}
    ]
    listed = {a["slug"]: a["values"] for a in (await graphql.data(ATTRIBUTES))["attributes"]}
    assert listed["material"] == ["Cotton", "Linen", "Wool"]
    mug = next(
        e["node"]
        for e in (await graphql.data(PRODUCTS))["products"]["edges"]
        if e["node"]["name"] == "Mug"
    )
    assert mug["attributes"] == []  # another product's attributes are its own


async def test_an_unknown_attribute_or_product_changes_nothing(graphql, shop):
    # given
    await create_attribute(graphql, "Material", ["Cotton"])
    tee = (await product_ids(graphql))["T-shirt"]
    # when
    unknown = await graphql.admin(
        SET_PRODUCT_ATTRIBUTES,
        {
            "input": {
                "productId": tee,
                "attributes": [
                    {"slug": "material", "values": ["Silk"]},
                    {"slug": "origin", "values": ["Italy"]},
                ],
            }
        },
    )
    twice = await graphql.admin(
        SET_PRODUCT_ATTRIBUTES,
        {
            "input": {
                "productId": tee,
                "attributes": [
                    {"slug": "material", "values": ["Cotton"]},
                    {"slug": "Material", "values": ["Cotton"]},
                ],
            }
        },
    )
    # then
    error = unknown["setProductAttributes"]["userErrors"][0]
    assert (error["code"], error["field"]) == ("NOT_FOUND", ["input", "attributes", "1", "slug"])
    assert twice["setProductAttributes"]["userErrors"][0]["code"] == "DUPLICATE"
    listed = await graphql.data(ATTRIBUTES)
    assert listed["attributes"][0]["values"] == ["Cotton"]  # Silk was not kept
    data = await graphql.data(PRODUCTS)
    assert all(edge["node"]["attributes"] == [] for edge in data["products"]["edges"])


async def test_only_catalog_managers_define_and_set_attributes(graphql, shop):
    # given
    tee = (await product_ids(graphql))["T-shirt"]
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    # when
    refused = await graphql.data(CREATE_ATTRIBUTE, {"input": {"name": "Material"}}, token=customer)
    anonymous = await graphql.post(
        SET_PRODUCT_ATTRIBUTES, {"input": {"productId": tee, "attributes": []}}
    )
    staff = await graphql.data(
        CREATE_ATTRIBUTE, {"input": {"name": "Material"}}, token=graphql.token(Role.STAFF)
    )
    # then
    assert refused["createAttribute"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert anonymous["data"]["setProductAttributes"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert staff["createAttribute"]["attribute"]["slug"] == "material"
    assert (await graphql.data(ATTRIBUTES))["attributes"][0]["name"] == "Material"
