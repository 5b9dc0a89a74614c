"""GraphQL documents and set-up helpers of taxes, shared by the tax tests and the query
plan tests' shop."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import GraphQL

CREATE_TAX_CLASS = """
mutation($input: CreateTaxClassInput!) {
  createTaxClass(input: $input) {
    taxClass { code name }
    userErrors { field code message }
  }
}"""
SET_TAX_RATE = """
mutation($input: SetTaxRateInput!) {
  setTaxRate(input: $input) {
    taxRate { country region taxClass percent name }
    userErrors { field code message }
  }
}"""
DELETE_TAX_RATE = """
mutation($input: DeleteTaxRateInput!) {
  deleteTaxRate(input: $input) {
    deletedTaxRate { country region taxClass percent name }
    userErrors { field code message }
  }
}"""
SET_VARIANT_TAX_CLASS = """
mutation($input: SetVariantTaxClassInput!) {
  setVariantTaxClass(input: $input) {
    variants { sku taxClass }
    userErrors { field code message }
  }
}"""
SET_CHANNEL_TAX_SETTINGS = """
mutation($input: SetChannelTaxSettingsInput!) {
  setChannelTaxSettings(input: $input) {
    channel { code pricesIncludeTax }
    userErrors { field code message }
  }
}"""
SET_LOCATION_ADDRESS = """
mutation($input: SetLocationAddressInput!) {
  setLocationAddress(input: $input) {
    location { code postalAddress { line1 city postalCode region country } }
    userErrors { field code message }
  }
}"""
ST_B_ADDRESS = {
    "line1": "1 Main Street",
    "city": "Albany",
    "postalCode": "12207",
    "region": "New York",
    "country": "us",
}


async def create_class(graphql: GraphQL, code: str, name: str = "A class") -> Any:
    data = await graphql.admin(CREATE_TAX_CLASS, {"input": {"code": code, "name": name}})
    assert data["createTaxClass"]["userErrors"] == []
    return data["createTaxClass"]["taxClass"]


async def set_rate(graphql: GraphQL, **rate: Any) -> Any:
    data = await graphql.admin(SET_TAX_RATE, {"input": rate})
    assert data["setTaxRate"]["userErrors"] == []
    return data["setTaxRate"]["taxRate"]


async def set_location_address(graphql: GraphQL, code: str, address: dict[str, Any]) -> Any:
    data = await graphql.admin(SET_LOCATION_ADDRESS, {"input": {"code": code, "address": address}})
    assert data["setLocationAddress"]["userErrors"] == []
    return data["setLocationAddress"]["location"]
