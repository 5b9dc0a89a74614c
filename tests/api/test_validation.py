"""Validation through well-kept libraries, over GraphQL on both databases: amounts to their
currency's ISO 4217 minor unit, phones in E.164 under a default region, email addresses."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from persistence.database import Database
from tests.api.conftest import SECRET, GraphQL, Shop, add_stock
from tests.api.orders_documents import place, shipping_order
from tests.api.wholesale_documents import CREATE_CUSTOMER, CUSTOMERS

CREATE_PRODUCT = """
mutation($input: CreateProductInput!) { createProduct(input: $input) {
  product { variants { sku price { amount currency } } } userErrors { field code message } } }"""
UPDATE_PRICE = """
mutation($input: UpdateVariantPriceInput!) { updateVariantPrice(input: $input) {
  variant { price { amount currency } } userErrors { field code message } } }"""
VARIANT = "query($sku: String!) { variant(sku: $sku) { price { amount currency } } }"


def product(sku: str, amount: str, currency: str) -> dict:
    price = {"amount": amount, "currency": currency}
    return {"input": {"name": sku, "variants": [{"sku": sku, "name": sku, "price": price}]}}


@pytest.fixture
async def gb(database: Database) -> AsyncIterator[GraphQL]:
    """A client of a service whose default phone region is GB."""
    settings = Settings(database_url=str(database.url), secret=SECRET, phone_region="GB")
    app = create_app(settings, database=database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphQL(http, app.state.tokens)


async def test_a_yen_price_has_no_decimals_and_an_order_of_it_totals_whole_yen(
    graphql, shop: Shop, database: Database
):
    created = await graphql.admin(CREATE_PRODUCT, product("FAN", "1500", "JPY"))
    await add_stock(database, {("FAN", shop.warehouse): 5})

    placed = await place(graphql, shipping_order(("FAN", 3)))

    assert created["createProduct"]["product"]["variants"][0]["price"] == {
        "amount": "1500",
        "currency": "JPY",
    }
    assert placed["userErrors"] == []
    assert placed["order"]["total"] == {"amount": "4500", "currency": "JPY"}
    assert placed["order"]["lines"][0]["unitPrice"] == {"amount": "1500"}


async def test_a_bahraini_dinar_price_keeps_three_decimals(graphql, shop):
    created = await graphql.admin(CREATE_PRODUCT, product("LAMP", "1.25", "BHD"))
    changed = await graphql.admin(
        UPDATE_PRICE, {"input": {"sku": "LAMP", "price": {"amount": "0.125", "currency": "BHD"}}}
    )

    assert created["createProduct"]["userErrors"] == []
    assert created["createProduct"]["product"]["variants"][0]["price"]["amount"] == "1.250"
    assert changed["updateVariantPrice"]["variant"]["price"] == {
        "amount": "0.125",
        "currency": "BHD",
    }
    assert (await graphql.data(VARIANT, {"sku": "LAMP"}))["variant"]["price"]["amount"] == "0.125"


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("1500.5", "JPY", "amount 1500.5 has more decimals than JPY has (0)"),
        ("9.999", "USD", "amount 9.999 has more decimals than USD has (2)"),
        ("1.2345", "KWD", "amount 1.2345 has more decimals than KWD has (3)"),
        ("10.00", "XYZ", "currency 'XYZ' is not an ISO 4217 currency code"),
    ],
)
async def test_an_amount_its_currency_cannot_hold_is_invalid_input_and_nothing_is_created(
    graphql, shop, amount, currency, message
):
    refused = await graphql.admin(CREATE_PRODUCT, product("ODD", amount, currency))

    assert refused["createProduct"] == {
        "product": None,
        "userErrors": [
            {
                "field": ["input", "variants", "0", "price"],
                "code": "INVALID_INPUT",
                "message": message,
            }
        ],
    }
    assert (await graphql.data(VARIANT, {"sku": "ODD"}))["variant"] is None


async def test_a_national_number_under_gb_is_the_customer_its_international_form_names(gb, shop):
    created = await gb.admin(
        CREATE_CUSTOMER,
        {"input": {"email": "kim@example.com", "name": "Kim", "phone": "020 7946 0958"}},
    )

    placed = await place(gb, shipping_order(("TEE-S", 1), customerPhone="+44 20 7946 0958"))
    found = [
        (await gb.admin(CUSTOMERS, {"filter": {"search": typed}}))["customers"]["edges"]
        for typed in ("+44 20 7946 0958", "020 7946 0958", "020 7946")
    ]

    assert created["createCustomer"]["customer"]["phone"] == "+442079460958"
    assert placed["order"]["customer"] == {"email": "kim@example.com"}
    assert [[e["node"]["email"] for e in edges] for edges in found] == [["kim@example.com"]] * 3


async def test_without_a_default_region_a_national_number_is_refused_saying_how_to_fix_it(
    graphql, shop
):
    refused = await graphql.admin(
        CREATE_CUSTOMER,
        {"input": {"email": "kim@example.com", "name": "Kim", "phone": "020 7946 0958"}},
    )

    assert refused["createCustomer"]["customer"] is None
    [error] = refused["createCustomer"]["userErrors"]
    assert (error["field"], error["code"]) == (["input", "phone"], "INVALID_INPUT")
    assert "no country code" in error["message"]
    assert "OMNIORDER_PHONE_REGION" in error["message"]


async def test_a_number_that_is_no_valid_phone_number_is_refused(gb, shop):
    refused = await place(gb, shipping_order(("TEE-S", 1), customerPhone="+1 555 0100"))

    assert refused["order"] is None
    assert refused["userErrors"] == [
        {
            "field": ["input", "customerPhone"],
            "code": "INVALID_INPUT",
            "message": "'+1 555 0100' is not a valid number for country code +1",
        }
    ]


@pytest.mark.parametrize("email", ["kim@example", "kim@localhost", "kim@@example.com"])
async def test_a_bad_email_is_refused_naming_the_field(graphql, shop, email):
    created = await graphql.admin(
        CREATE_CUSTOMER, {"input": {"email": email, "name": "Kim", "phone": None}}
    )
    placed = await place(graphql, shipping_order(("TEE-S", 1), customerEmail=email))

    assert [
        created["createCustomer"]["userErrors"][0]["field"],
        placed["userErrors"][0]["field"],
    ] == [
        ["input", "email"],
        ["input", "customerEmail"],
    ]
    assert {
        created["createCustomer"]["userErrors"][0]["code"],
        placed["userErrors"][0]["code"],
    } == {"INVALID_INPUT"}


async def test_an_email_is_stored_lower_case_with_its_domain_normalised(graphql, shop):
    created = await graphql.admin(
        CREATE_CUSTOMER, {"input": {"email": " Kim.Lee@EXAMPLE.com ", "name": "Kim"}}
    )
    again = await place(graphql, shipping_order(("TEE-S", 1), customerEmail="KIM.LEE@example.COM"))

    assert created["createCustomer"]["customer"]["email"] == "kim.lee@example.com"
    assert again["order"]["customer"] == {"email": "kim.lee@example.com"}
