"""GraphQL documents and set-up helpers shared by the order pricing tests: tax rates,
shipping zones and methods, promotions and vouchers, and priced orders."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import GraphQL

PRICE_FIELDS = """
  subtotal { amount } discountTotal { amount } taxTotal { amount } total { amount currency }
  pricesIncludeTax
  shipping { methodCode methodName net { amount } tax { amount } total { amount }
             taxRate { name percent } }
  taxSummary { name percent net { amount } tax { amount } }
  lines {
    sku quantity unitPrice { amount } undiscountedTotal { amount } discountTotal { amount }
    discounts { source name code amount { amount } }
    net { amount } tax { amount } total { amount } taxRate { name percent }
  }
"""
PLACE_PRICED_ORDER = f"""
mutation($input: PlaceOrderInput!) {{
  placeOrder(input: $input) {{ order {{ id {PRICE_FIELDS} }} userErrors {{ field code message }} }}
}}"""
PRICE_ORDER = f"""
mutation($input: PlaceOrderInput!) {{
  priceOrder(input: $input) {{ price {{ {PRICE_FIELDS} }} userErrors {{ field code message }} }}
}}"""
ERRORS = "userErrors { field code message }"
SET_TAX_RATE = f"mutation($input: SetTaxRateInput!) {{ setTaxRate(input: $input) {{ {ERRORS} }} }}"
CREATE_TAX_CLASS = (
    f"mutation($input: CreateTaxClassInput!) {{ createTaxClass(input: $input) {{ {ERRORS} }} }}"
)
SET_VARIANT_TAX_CLASS = f"""
mutation($input: SetVariantTaxClassInput!) {{ setVariantTaxClass(input: $input) {{ {ERRORS} }} }}"""
SET_CHANNEL_TAX = f"""
mutation($input: SetChannelTaxSettingsInput!) {{
  setChannelTaxSettings(input: $input) {{ {ERRORS} }} }}"""
SET_LOCATION_ADDRESS = f"""
mutation($input: SetLocationAddressInput!) {{ setLocationAddress(input: $input) {{ {ERRORS} }} }}"""
CREATE_ZONE = f"""
mutation($input: CreateShippingZoneInput!) {{ createShippingZone(input: $input) {{ {ERRORS} }} }}"""
CREATE_METHOD = f"""
mutation($input: CreateShippingMethodInput!) {{
  createShippingMethod(input: $input) {{ {ERRORS} }} }}"""
SET_WEIGHTS = f"""
mutation($input: SetVariantWeightsInput!) {{ setVariantWeights(input: $input) {{ {ERRORS} }} }}"""
CREATE_PROMOTION = f"""
mutation($input: CreatePromotionInput!) {{ createPromotion(input: $input) {{ {ERRORS} }} }}"""
VOUCHER_USES = """
{ promotions(first: 50) { edges { node { name voucherCodes { code used usageLimit } } } } }"""

LONDON = {
    "name": "Ada Lovelace",
    "line1": "10 Downing Street",
    "city": "London",
    "postalCode": "SW1A 2AA",
    "country": "GB",
}
SAN_FRANCISCO = {
    "line1": "1 Market Street",
    "city": "San Francisco",
    "postalCode": "94105",
    "region": "CA",
    "country": "US",
}


async def admin_ok(graphql: GraphQL, document: str, values: dict[str, Any]) -> None:
    """Run an admin set-up mutation that must succeed."""
    data = await graphql.admin(document, {"input": values})
    (payload,) = data.values()
    assert payload["userErrors"] == [], payload["userErrors"]


async def tax_rate(
    graphql: GraphQL,
    country: str,
    percent: str,
    *,
    name: str = "VAT",
    region: str | None = None,
    tax_class: str | None = None,
) -> None:
    await admin_ok(
        graphql,
        SET_TAX_RATE,
        {
            "country": country,
            "region": region,
            "taxClass": tax_class,
            "percent": percent,
            "name": name,
        },
    )


async def prices_include_tax(graphql: GraphQL, channel: str, included: bool) -> None:
    await admin_ok(graphql, SET_CHANNEL_TAX, {"channel": channel, "pricesIncludeTax": included})


async def flat_shipping(
    graphql: GraphQL,
    code: str = "STANDARD",
    price: str = "4.99",
    *,
    zone: str = "UK",
    countries: tuple[str, ...] = ("GB",),
    free_above: str | None = None,
    channels: tuple[str, ...] = ("WEB",),
) -> None:
    """A zone of `countries` (made once) with one FLAT method priced in USD."""
    zones = await graphql.admin("{ shippingZones { code } }")
    if zone not in [z["code"] for z in zones["shippingZones"]]:
        await admin_ok(graphql, CREATE_ZONE, {"code": zone, "name": zone, "countries": countries})
    await admin_ok(
        graphql,
        CREATE_METHOD,
        {
            "code": code,
            "name": code.title(),
            "zoneCode": zone,
            "pricing": "FLAT",
            "price": {"amount": price, "currency": "USD"},
            "freeAbove": None if free_above is None else {"amount": free_above, "currency": "USD"},
            "channels": list(channels),
        },
    )


async def promotion(graphql: GraphQL, name: str, kind: str, value: str, **fields: Any) -> None:
    """A promotion on WEB unless `channels` says otherwise; other fields as
    CreatePromotionInput names them (voucherCodes, productIds, stackable…)."""
    await admin_ok(
        graphql,
        CREATE_PROMOTION,
        {"name": name, "kind": kind, "value": value, "channels": ["WEB"], **fields},
    )


def web_order(
    *lines: tuple[str, int],
    address: dict[str, Any] | None = None,
    vouchers: tuple[str, ...] = (),
    method: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "channel": "WEB",
        "fulfilment": "SHIPPING",
        "shippingAddress": address or LONDON,
        "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        "voucherCodes": list(vouchers),
        "shippingMethodCode": method,
        "customerEmail": "ada@example.com",
        **extra,
    }


def amounts(priced: dict[str, Any]) -> dict[str, Any]:
    """The figures of a priced order or price, amounts as strings."""
    return {
        "subtotal": priced["subtotal"]["amount"],
        "discount": priced["discountTotal"]["amount"],
        "tax": priced["taxTotal"]["amount"],
        "total": priced["total"]["amount"],
        "shipping": priced["shipping"]["total"]["amount"] if priced["shipping"] else None,
    }
