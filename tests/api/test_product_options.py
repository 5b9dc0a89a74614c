"""Variant options over GraphQL: a product's ordered options and values, the value of each
option a variant has, unique combinations (also under concurrent writes), values in use
that may not be dropped, and the storefront's variantBySelectedOptions."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from api.settings import RateLimitSettings
from domain.access import Role
from persistence.database import Database
from persistence.records import VariantOptionCombinationRecord
from tests.api.conftest import GraphQL, build_app, client_of

CREATE_PRODUCT = """
mutation($input: CreateProductInput!) {
  createProduct(input: $input) {
    product {
      id
      options { name position values optionValues { name hasVariants } }
      variants { id sku selectedOptions { name value } }
    }
    userErrors { field code message }
  }
}"""
SET_PRODUCT_OPTIONS = """
mutation($input: SetProductOptionsInput!) {
  setProductOptions(input: $input) {
    product {
      options { name position values optionValues { name hasVariants } }
      variants { sku selectedOptions { name value } }
    }
    userErrors { field code message }
  }
}"""
SET_VARIANT_OPTIONS = """
mutation($input: SetVariantOptionsInput!) {
  setVariantOptions(input: $input) {
    variant { sku selectedOptions { name value } }
    userErrors { field code message }
  }
}"""
VARIANT_BY_SELECTED_OPTIONS = """
query($id: ID!, $selected: [SelectedOptionInput!]!) {
  product(id: $id) { variantBySelectedOptions(selectedOptions: $selected) { sku } }
}"""
PRODUCT_OPTIONS = """
query($id: ID!) {
  product(id: $id) {
    options { name values optionValues { name hasVariants } }
    variants { sku selectedOptions { name value } }
  }
}"""

SIZES = ["XS", "S", "M", "L"]
COLOURS = ["Red", "Blue"]
UNLIMITED = RateLimitSettings(sign_in_per_email=None, sign_in_per_address=None, mutation=None)


def variant(sku: str, **selected: str) -> dict:
    return {
        "sku": sku,
        "name": sku,
        "price": {"amount": "25.00", "currency": "EUR"},
        "selectedOptions": [{"name": name, "value": value} for name, value in selected.items()],
    }


def jacket_input(*variants: dict) -> dict:
    return {
        "name": "Jacket",
        "options": [{"name": "Size", "values": SIZES}, {"name": "Colour", "values": COLOURS}],
        "variants": list(variants)
        or [
            variant("JK-S-RED", Size="S", Colour="Red"),
            variant("JK-M-RED", Size="M", Colour="Red"),
            variant("JK-M-BLUE", Size="M", Colour="Blue"),
        ],
    }


async def create_jacket(graphql: GraphQL, *variants: dict) -> dict:
    data = await graphql.admin(CREATE_PRODUCT, {"input": jacket_input(*variants)})
    assert data["createProduct"]["userErrors"] == []
    return data["createProduct"]["product"]


def by_sku(product: dict) -> dict[str, list[dict]]:
    return {v["sku"]: v["selectedOptions"] for v in product["variants"]}


async def test_a_product_is_created_with_ordered_options_and_its_variants_values(graphql):
    # given / when
    product = await create_jacket(graphql)
    # then
    assert product["options"] == [
        {
            "name": "Size",
            "position": 1,
            "values": SIZES,
            "optionValues": [
                {"name": "XS", "hasVariants": False},
                {"name": "S", "hasVariants": True},
                {"name": "M", "hasVariants": True},
                {"name": "L", "hasVariants": False},
            ],
        },
        {
            "name": "Colour",
            "position": 2,
            "values": COLOURS,
            "optionValues": [
                {"name": "Red", "hasVariants": True},
                {"name": "Blue", "hasVariants": True},
            ],
        },
    ]
    assert by_sku(product)["JK-M-BLUE"] == [
        {"name": "Size", "value": "M"},
        {"name": "Colour", "value": "Blue"},
    ]


async def test_names_and_values_are_matched_in_any_case_and_kept_in_the_products_spelling(
    graphql,
):
    # given / when
    product = await create_jacket(graphql, variant("JK-1", size="m", COLOUR="blue"))
    # then
    assert by_sku(product)["JK-1"] == [
        {"name": "Size", "value": "M"},
        {"name": "Colour", "value": "Blue"},
    ]


async def test_two_new_variants_may_not_have_the_same_combination(graphql):
    # given
    twins = jacket_input(
        variant("JK-A", Size="M", Colour="Red"), variant("JK-B", Colour="red", Size="m")
    )
    # when
    data = await graphql.admin(CREATE_PRODUCT, {"input": twins})
    # then
    payload = data["createProduct"]
    assert payload["product"] is None
    assert payload["userErrors"][0]["code"] == "OPTION_COMBINATION_TAKEN"
    assert payload["userErrors"][0]["field"] == ["input", "variants", "1", "selectedOptions"]


async def test_a_variant_of_a_product_with_options_must_have_a_value_of_each(graphql):
    # given
    incomplete = jacket_input(variant("JK-A", Size="M"))
    # when
    data = await graphql.admin(CREATE_PRODUCT, {"input": incomplete})
    # then
    error = data["createProduct"]["userErrors"][0]
    assert error["code"] == "INVALID_INPUT"
    assert error["field"] == ["input", "variants", "0", "selectedOptions"]
    assert "Colour" in error["message"]


async def test_an_unknown_option_or_value_is_refused_on_its_field(graphql):
    # given
    product = await create_jacket(graphql)
    # when
    unknown_value = await graphql.admin(
        SET_VARIANT_OPTIONS,
        {
            "input": {
                "sku": "JK-S-RED",
                "selectedOptions": [
                    {"name": "Size", "value": "XXL"},
                    {"name": "Colour", "value": "Red"},
                ],
            }
        },
    )
    unknown_option = await graphql.admin(
        SET_VARIANT_OPTIONS,
        {
            "input": {
                "sku": "JK-S-RED",
                "selectedOptions": [{"name": "Fit", "value": "Slim"}],
            }
        },
    )
    # then
    first = unknown_value["setVariantOptions"]["userErrors"][0]
    assert (first["code"], first["field"]) == (
        "INVALID_INPUT",
        ["input", "selectedOptions", "0", "value"],
    )
    second = unknown_option["setVariantOptions"]["userErrors"][0]
    assert (second["code"], second["field"]) == (
        "INVALID_INPUT",
        ["input", "selectedOptions", "0", "name"],
    )
    after = await graphql.data(PRODUCT_OPTIONS, {"id": product["id"]})
    assert by_sku(after["product"])["JK-S-RED"][0] == {"name": "Size", "value": "S"}


async def test_a_variant_takes_new_values_by_id_and_its_old_ones_are_free_again(graphql):
    # given
    product = await create_jacket(graphql)
    variant_id = next(v["id"] for v in product["variants"] if v["sku"] == "JK-S-RED")
    # when
    data = await graphql.admin(
        SET_VARIANT_OPTIONS,
        {
            "input": {
                "variantId": variant_id,
                "selectedOptions": [
                    {"name": "Colour", "value": "Blue"},
                    {"name": "Size", "value": "L"},
                ],
            }
        },
    )
    # then
    payload = data["setVariantOptions"]
    assert payload["userErrors"] == []
    assert payload["variant"]["selectedOptions"] == [
        {"name": "Size", "value": "L"},
        {"name": "Colour", "value": "Blue"},
    ]
    after = await graphql.data(PRODUCT_OPTIONS, {"id": product["id"]})
    sizes = after["product"]["options"][0]["optionValues"]
    assert {v["name"]: v["hasVariants"] for v in sizes} == {
        "XS": False,
        "S": False,
        "M": True,
        "L": True,
    }


async def test_a_variant_may_not_take_the_combination_of_another(graphql):
    # given
    await create_jacket(graphql)
    # when
    data = await graphql.admin(
        SET_VARIANT_OPTIONS,
        {
            "input": {
                "sku": "JK-S-RED",
                "selectedOptions": [
                    {"name": "Size", "value": "M"},
                    {"name": "Colour", "value": "Red"},
                ],
            }
        },
    )
    # then
    payload = data["setVariantOptions"]
    assert payload["variant"] is None
    assert payload["userErrors"][0]["code"] == "OPTION_COMBINATION_TAKEN"
    assert "JK-M-RED" in payload["userErrors"][0]["message"]


async def test_concurrent_writes_give_a_combination_to_exactly_one_variant(database: Database):
    # given: four variants, all raced to the same combination
    async with client_of(build_app(database, rate_limits=UNLIMITED)) as graphql:
        skus = [f"JK-{n}" for n in range(4)]
        await create_jacket(
            graphql,
            *(variant(sku, Size=size, Colour="Red") for sku, size in zip(skus, SIZES, strict=True)),
        )
        token = graphql.token(Role.ADMIN)
        target = [{"name": "Size", "value": "L"}, {"name": "Colour", "value": "Blue"}]
        # when
        results = await asyncio.gather(
            *(
                graphql.data(
                    SET_VARIANT_OPTIONS,
                    {"input": {"sku": sku, "selectedOptions": target}},
                    token=token,
                )
                for sku in skus
            )
        )
    # then
    outcomes = Counter(
        r["setVariantOptions"]["userErrors"][0]["code"]
        if r["setVariantOptions"]["userErrors"]
        else "WON"
        for r in results
    )
    assert outcomes == {"WON": 1, "OPTION_COMBINATION_TAKEN": 3}
    async with database.read_session() as session:
        combinations = (
            await session.execute(
                select(VariantOptionCombinationRecord.combination, func.count()).group_by(
                    VariantOptionCombinationRecord.combination
                )
            )
        ).all()
    assert len(combinations) == 4
    assert all(count == 1 for _, count in combinations)


async def test_the_database_itself_refuses_one_combination_for_two_variants(
    graphql, database: Database
):
    # given
    await create_jacket(graphql)
    async with database.read_session() as session:
        rows = (await session.execute(select(VariantOptionCombinationRecord))).scalars().all()
    first, second = rows[0], rows[1]
    # when / then: the unique constraint, not only the check before the write
    with pytest.raises(IntegrityError):
        async with database.writing() as session:
            await session.execute(
                delete(VariantOptionCombinationRecord).where(
                    VariantOptionCombinationRecord.variant_id == second.variant_id
                )
            )
            await session.execute(
                insert(VariantOptionCombinationRecord).values(
                    variant_id=second.variant_id,
                    product_id=second.product_id,
                    combination=first.combination,
                )
            )
            await session.commit()


async def test_options_keep_their_new_order_and_values_no_variant_has_may_go(graphql):
    # given
    product = await create_jacket(graphql)
    # when
    data = await graphql.admin(
        SET_PRODUCT_OPTIONS,
        {
            "input": {
                "productId": product["id"],
                "options": [
                    {"name": "colour", "values": ["Blue", "Red", "Green"]},
                    {"name": "Size", "values": ["M", "S", "XL"]},
                ],
            }
        },
    )
    # then
    payload = data["setProductOptions"]
    assert payload["userErrors"] == []
    assert [(o["name"], o["position"], o["values"]) for o in payload["product"]["options"]] == [
        ("colour", 1, ["Blue", "Red", "Green"]),
        ("Size", 2, ["M", "S", "XL"]),
    ]
    assert by_sku(payload["product"])["JK-M-BLUE"] == [
        {"name": "colour", "value": "Blue"},
        {"name": "Size", "value": "M"},
    ]


async def test_dropping_a_value_a_variant_has_is_refused_and_changes_nothing(graphql):
    # given
    product = await create_jacket(graphql)
    # when
    data = await graphql.admin(
        SET_PRODUCT_OPTIONS,
        {
            "input": {
                "productId": product["id"],
                "options": [{"name": "Size", "values": ["S", "L"]}],
            }
        },
    )
    # then
    error = data["setProductOptions"]["userErrors"][0]
    assert error["code"] == "OPTION_VALUE_IN_USE"
    assert error["field"] == ["input", "options"]
    assert "Size: M" in error["message"] and "Colour: Blue" in error["message"]
    after = await graphql.data(PRODUCT_OPTIONS, {"id": product["id"]})
    assert [o["values"] for o in after["product"]["options"]] == [SIZES, COLOURS]


async def test_a_new_option_gives_its_first_value_to_variants_with_values(graphql):
    # given
    product = await create_jacket(graphql)
    # when
    data = await graphql.admin(
        SET_PRODUCT_OPTIONS,
        {
            "input": {
                "productId": product["id"],
                "options": [
                    {"name": "Size", "values": SIZES},
                    {"name": "Colour", "values": COLOURS},
                    {"name": "Fit", "values": ["Regular", "Slim"]},
                ],
            }
        },
    )
    # then
    assert data["setProductOptions"]["userErrors"] == []
    assert by_sku(data["setProductOptions"]["product"])["JK-S-RED"] == [
        {"name": "Size", "value": "S"},
        {"name": "Colour", "value": "Red"},
        {"name": "Fit", "value": "Regular"},
    ]


async def test_options_of_a_product_are_validated_with_codes(graphql):
    # given
    product = await create_jacket(graphql)
    cases = {
        "blank name": ([{"name": " ", "values": ["A"]}], ["input", "options", "0"]),
        "no values": ([{"name": "Fit", "values": []}], ["input", "options", "0", "values"]),
        "twice": (
            [{"name": "Size", "values": SIZES}, {"name": "size", "values": ["A"]}],
            ["input", "options", "1"],
        ),
        "value twice": (
            [{"name": "Size", "values": ["S", "s"]}],
            ["input", "options", "0", "values", "1"],
        ),
    }
    for options, field in cases.values():
        # when
        data = await graphql.admin(
            SET_PRODUCT_OPTIONS, {"input": {"productId": product["id"], "options": options}}
        )
        # then
        error = data["setProductOptions"]["userErrors"][0]
        assert error["field"] == field
        assert error["code"] in ("INVALID_INPUT", "DUPLICATE")


async def test_variant_by_selected_options_finds_the_one_variant_with_them(graphql):
    # given
    product = await create_jacket(graphql)

    async def find(**selected: str):
        data = await graphql.data(
            VARIANT_BY_SELECTED_OPTIONS,
            {
                "id": product["id"],
                "selected": [{"name": n, "value": v} for n, v in selected.items()],
            },
        )
        found = data["product"]["variantBySelectedOptions"]
        return found and found["sku"]

    # when / then (read anonymously, as a storefront does)
    assert await find(Size="M", Colour="Blue") == "JK-M-BLUE"
    assert await find(colour="red", size="m") == "JK-M-RED"
    assert await find(Size="L", Colour="Red") is None
    assert await find(Size="M") is None


async def test_only_catalog_managers_set_options(graphql):
    # given
    product = await create_jacket(graphql)
    options = [{"name": "Size", "values": SIZES}, {"name": "Colour", "values": COLOURS}]
    variables = {"input": {"productId": product["id"], "options": options}}
    # when
    anonymous = await graphql.post(SET_PRODUCT_OPTIONS, variables)
    customer = await graphql.data(
        SET_PRODUCT_OPTIONS, variables, token=graphql.token(Role.CUSTOMER, customer="a@b.c")
    )
    staff = await graphql.data(SET_PRODUCT_OPTIONS, variables, token=graphql.token(Role.STAFF))
    # then
    assert anonymous["data"]["setProductOptions"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert customer["setProductOptions"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert staff["setProductOptions"]["userErrors"] == []


async def test_an_unknown_product_or_variant_is_not_found(graphql):
    # given
    product = await create_jacket(graphql)
    # when
    no_variant = await graphql.admin(
        SET_VARIANT_OPTIONS, {"input": {"sku": "NOPE", "selectedOptions": []}}
    )
    wrong_type = await graphql.admin(
        SET_PRODUCT_OPTIONS,
        {"input": {"productId": product["variants"][0]["id"], "options": []}},
    )
    # then
    assert no_variant["setVariantOptions"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert wrong_type["setProductOptions"]["userErrors"][0]["code"] == "NOT_FOUND"
