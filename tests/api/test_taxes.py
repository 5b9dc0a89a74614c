"""Taxes over GraphQL: tax classes, rates by (country, region, class), variants' classes,
channels' tax-inclusive prices and locations' addresses; who may change and read them."""

import asyncio
from datetime import UTC, datetime

from domain.access import Role
from domain.model.locations import ChannelCode
from persistence.uow import SqlUnitOfWork
from tests.api.taxes_documents import (
    CREATE_TAX_CLASS,
    DELETE_TAX_RATE,
    SET_CHANNEL_TAX_SETTINGS,
    SET_LOCATION_ADDRESS,
    SET_TAX_RATE,
    SET_VARIANT_TAX_CLASS,
    ST_B_ADDRESS,
    create_class,
    set_rate,
)

TAX_CLASSES = "{ taxClasses { code name } }"
TAX_RATES = """
query($country: String) {
  taxRates(country: $country) { country region taxClass percent name }
}"""
VARIANT = "query($sku: String!) { variant(sku: $sku) { sku taxClass } }"
PRODUCTS = "{ products(first: 10) { edges { node { variants { sku taxClass } } } } }"
CHANGED_PRODUCTS = """
query($since: DateTime) {
  products(filter: {updatedSince: $since}) { edges { node { name } } }
}"""
CHANNELS = "{ channels { code pricesIncludeTax } }"
LOCATIONS = "{ locations { code address postalAddress { line1 region country formatted } } }"
STOCK_LOCATIONS = """
query($sku: String!) {
  variant(sku: $sku) { stockLevels { location { code postalAddress { country } } } }
}"""

NEW_YORK = {"country": "US", "region": "NY", "percent": "8.875", "name": "Sales tax"}


async def rates(graphql, country=None):
    return (await graphql.admin(TAX_RATES, {"country": country}))["taxRates"]


def only_error(payload):
    (error,) = payload["userErrors"]
    return error["field"], error["code"]


# -- tax classes -------------------------------------------------------------------------


async def test_standard_exists_and_a_new_class_is_listed_by_code(graphql):
    # when
    reduced = await create_class(graphql, " reduced ", "Reduced  rate")
    # then
    assert reduced == {"code": "REDUCED", "name": "Reduced rate"}
    assert (await graphql.admin(TAX_CLASSES))["taxClasses"] == [
        {"code": "REDUCED", "name": "Reduced rate"},
        {"code": "STANDARD", "name": "Standard"},
    ]


async def test_a_taken_tax_class_code_is_a_duplicate(graphql):
    # given
    await create_class(graphql, "REDUCED")
    # when
    again = await graphql.admin(CREATE_TAX_CLASS, {"input": {"code": "reduced", "name": "R"}})
    standard = await graphql.admin(CREATE_TAX_CLASS, {"input": {"code": "STANDARD", "name": "S"}})
    # then
    assert only_error(again["createTaxClass"]) == (["input", "code"], "DUPLICATE")
    assert only_error(standard["createTaxClass"]) == (["input", "code"], "DUPLICATE")
    assert len((await graphql.admin(TAX_CLASSES))["taxClasses"]) == 2


async def test_a_tax_class_needs_a_valid_code_and_name(graphql):
    bad_code = await graphql.admin(CREATE_TAX_CLASS, {"input": {"code": "a b", "name": "X"}})
    no_name = await graphql.admin(CREATE_TAX_CLASS, {"input": {"code": "ZERO", "name": " "}})
    assert only_error(bad_code["createTaxClass"]) == (["input", "code"], "INVALID_INPUT")
    assert only_error(no_name["createTaxClass"]) == (["input", "name"], "INVALID_INPUT")


# -- tax rates ---------------------------------------------------------------------------


async def test_a_rate_is_stored_with_its_region_as_the_iso_code(graphql):
    # when
    rate = await set_rate(graphql, **NEW_YORK)
    by_name = await set_rate(
        graphql, country="us", region="California", percent="7.25", name="Sales tax"
    )
    # then
    assert rate == {
        "country": "US",
        "region": "US-NY",
        "taxClass": None,
        "percent": "8.875",
        "name": "Sales tax",
    }
    assert by_name["region"] == "US-CA"
    assert [(r["region"], r["percent"]) for r in await rates(graphql, "us")] == [
        ("US-CA", "7.25"),
        ("US-NY", "8.875"),
    ]


async def test_setting_a_rate_again_replaces_it_rather_than_adding_one(graphql):
    # given
    await create_class(graphql, "REDUCED")
    await set_rate(graphql, country="DE", percent="19", name="MwSt")
    await set_rate(graphql, country="DE", taxClass="REDUCED", percent="7", name="MwSt")
    # when
    replaced = await set_rate(graphql, country="de", percent="19.0000", name="VAT")
    await set_rate(graphql, country="DE", taxClass="reduced", percent="5", name="MwSt")
    # then
    assert replaced["percent"] == "19" and replaced["name"] == "VAT"
    assert await rates(graphql, "DE") == [
        {"country": "DE", "region": None, "taxClass": None, "percent": "19", "name": "VAT"},
        {"country": "DE", "region": None, "taxClass": "REDUCED", "percent": "5", "name": "MwSt"},
    ]


async def test_rates_are_listed_by_country_or_all(graphql):
    # given
    await set_rate(graphql, country="GB", percent="20", name="VAT")
    await set_rate(graphql, **NEW_YORK)
    await set_rate(graphql, country="US", percent="0", name="No sales tax")
    # when
    everything = await rates(graphql)
    # then
    assert [(r["country"], r["region"]) for r in everything] == [
        ("GB", None),
        ("US", None),
        ("US", "US-NY"),
    ]
    assert await rates(graphql, "FR") == []


async def test_a_rate_with_a_bad_key_or_value_is_refused_at_its_field(graphql):
    cases = [
        ({"country": "XX"}, ["input", "country"], "INVALID_INPUT"),
        ({"country": "US", "region": "Atlantis"}, ["input", "region"], "INVALID_INPUT"),
        ({"country": "GB", "region": "US-NY"}, ["input", "region"], "INVALID_INPUT"),
        ({"country": "US", "taxClass": "LUXURY"}, ["input", "taxClass"], "NOT_FOUND"),
        ({"country": "US", "percent": "100.5"}, ["input", "percent"], "INVALID_INPUT"),
        ({"country": "US", "percent": "-1"}, ["input", "percent"], "INVALID_INPUT"),
        ({"country": "US", "percent": "8.87501"}, ["input", "percent"], "INVALID_INPUT"),
        ({"country": "US", "name": ""}, ["input", "name"], "INVALID_INPUT"),
    ]
    for change, field, code in cases:
        rate = {"country": "US", "percent": "5", "name": "Tax", **change}
        payload = (await graphql.admin(SET_TAX_RATE, {"input": rate}))["setTaxRate"]
        assert payload["taxRate"] is None, change
        assert only_error(payload) == (field, code), change
    assert await rates(graphql) == []


async def test_deleting_a_rate_removes_exactly_its_key(graphql):
    # given
    await create_class(graphql, "REDUCED")
    await set_rate(graphql, country="FR", percent="20", name="TVA")
    await set_rate(graphql, country="FR", taxClass="REDUCED", percent="5.5", name="TVA")
    # when
    deleted = await graphql.admin(
        DELETE_TAX_RATE, {"input": {"country": "fr", "taxClass": "REDUCED"}}
    )
    # then
    assert deleted["deleteTaxRate"]["deletedTaxRate"]["percent"] == "5.5"
    assert [r["taxClass"] for r in await rates(graphql, "FR")] == [None]


async def test_deleting_a_rate_that_is_not_there_is_not_found(graphql):
    # given
    await set_rate(graphql, country="FR", percent="20", name="TVA")
    # when
    regional = await graphql.admin(DELETE_TAX_RATE, {"input": {"country": "FR", "region": "Corse"}})
    # then
    assert only_error(regional["deleteTaxRate"]) == (["input", "country"], "NOT_FOUND")
    assert len(await rates(graphql, "FR")) == 1


async def test_concurrent_settings_of_one_rate_leave_one_row(graphql):
    # when
    percents = [f"{n}.5" for n in range(8)]
    results = await asyncio.gather(
        *(
            graphql.admin(
                SET_TAX_RATE,
                {"input": {**NEW_YORK, "taxClass": None, "percent": percent}},
            )
            for percent in percents
        )
    )
    # then
    assert all(result["setTaxRate"]["userErrors"] == [] for result in results)
    (stored,) = await rates(graphql, "US")
    assert stored["region"] == "US-NY" and stored["percent"] in percents


# -- variants' classes -------------------------------------------------------------------


async def test_variants_are_standard_until_put_in_a_class(graphql, shop, database):
    # given
    await create_class(graphql, "REDUCED")
    # when
    data = await graphql.admin(
        SET_VARIANT_TAX_CLASS, {"input": {"skus": ["tee-m", "MUG"], "taxClass": "reduced"}}
    )
    # then
    assert data["setVariantTaxClass"]["variants"] == [
        {"sku": "TEE-M", "taxClass": "REDUCED"},
        {"sku": "MUG", "taxClass": "REDUCED"},
    ]
    listed = (await graphql.data(PRODUCTS))["products"]["edges"]
    classes = {v["sku"]: v["taxClass"] for e in listed for v in e["node"]["variants"]}
    assert classes == {"TEE-S": "STANDARD", "TEE-M": "REDUCED", "MUG": "REDUCED"}
    # and what an order is priced from sees the class
    async with SqlUnitOfWork(database) as uow:
        variants = await uow.catalog.variants_by_sku(["TEE-S", "MUG"])
    assert (variants["TEE-S"].tax_class, variants["MUG"].tax_class) == (None, "REDUCED")


async def test_a_null_tax_class_puts_variants_back_in_standard(graphql, shop):
    # given
    await create_class(graphql, "ZERO")
    await graphql.admin(SET_VARIANT_TAX_CLASS, {"input": {"skus": ["MUG"], "taxClass": "ZERO"}})
    # when
    data = await graphql.admin(
        SET_VARIANT_TAX_CLASS, {"input": {"skus": ["MUG"], "taxClass": None}}
    )
    # then
    assert data["setVariantTaxClass"]["variants"] == [{"sku": "MUG", "taxClass": "STANDARD"}]
    assert (await graphql.data(VARIANT, {"sku": "MUG"}))["variant"]["taxClass"] == "STANDARD"


async def test_an_unknown_sku_or_class_changes_no_variant(graphql, shop):
    # given
    await create_class(graphql, "ZERO")
    # when
    unknown_sku = await graphql.admin(
        SET_VARIANT_TAX_CLASS, {"input": {"skus": ["MUG", "NOPE"], "taxClass": "ZERO"}}
    )
    unknown_class = await graphql.admin(
        SET_VARIANT_TAX_CLASS, {"input": {"skus": ["MUG"], "taxClass": "LUXURY"}}
    )
    twice = await graphql.admin(
        SET_VARIANT_TAX_CLASS, {"input": {"skus": ["MUG", "mug"], "taxClass": "ZERO"}}
    )
    too_many = await graphql.admin(
        SET_VARIANT_TAX_CLASS,
        {"input": {"skus": [f"SKU-{n}" for n in range(101)], "taxClass": "ZERO"}},
    )
    # then
    assert only_error(unknown_sku["setVariantTaxClass"]) == (["input", "skus", "1"], "NOT_FOUND")
    assert only_error(unknown_class["setVariantTaxClass"]) == (["input", "taxClass"], "NOT_FOUND")
    assert only_error(twice["setVariantTaxClass"]) == (["input", "skus", "1"], "INVALID_INPUT")
    assert only_error(too_many["setVariantTaxClass"]) == (["input", "skus"], "INVALID_INPUT")
    assert (await graphql.data(VARIANT, {"sku": "MUG"}))["variant"]["taxClass"] == "STANDARD"


async def test_a_changed_tax_class_marks_its_product_changed_for_syncing(graphql, shop):
    # given
    await create_class(graphql, "ZERO")
    await asyncio.sleep(0.01)
    since = datetime.now(UTC).isoformat()
    # when
    await graphql.admin(SET_VARIANT_TAX_CLASS, {"input": {"skus": ["MUG"], "taxClass": "ZERO"}})
    # then
    changed = (await graphql.admin(CHANGED_PRODUCTS, {"since": since}))["products"]["edges"]
    assert [edge["node"]["name"] for edge in changed] == ["Mug"]


# -- channels and locations --------------------------------------------------------------


async def test_wholesale_prices_are_net_and_a_channel_can_be_switched(graphql, database):
    # given
    before = {c["code"]: c["pricesIncludeTax"] for c in (await graphql.data(CHANNELS))["channels"]}
    # when
    data = await graphql.admin(
        SET_CHANNEL_TAX_SETTINGS, {"input": {"channel": "WEB", "pricesIncludeTax": False}}
    )
    # then
    assert before == {"WEB": True, "MOBILE": True, "POS": True, "WHOLESALE": False}
    assert data["setChannelTaxSettings"]["channel"] == {"code": "WEB", "pricesIncludeTax": False}
    async with SqlUnitOfWork(database) as uow:
        web = await uow.locations.channel(ChannelCode.WEB)
        pos = await uow.locations.channel(ChannelCode.POS)
    assert (web.prices_include_tax, pos.prices_include_tax) == (False, True)


async def test_a_location_gets_a_checked_postal_address(graphql, shop, database):
    # when
    data = await graphql.admin(
        SET_LOCATION_ADDRESS, {"input": {"code": " st-b ", "address": ST_B_ADDRESS}}
    )
    # then
    assert data["setLocationAddress"]["location"] == {
        "code": "ST-B",
        "postalAddress": {
            "line1": "1 Main Street",
            "city": "Albany",
            "postalCode": "12207",
            "region": "US-NY",
            "country": "US",
        },
    }
    listed = {loc["code"]: loc for loc in (await graphql.data(LOCATIONS))["locations"]}
    assert listed["ST-B"]["postalAddress"]["formatted"] == [
        "1 Main Street",
        "Albany, NY 12207",
        "United States",
    ]
    assert listed["WH-A"]["postalAddress"] is None
    levels = (await graphql.admin(STOCK_LOCATIONS, {"sku": "TEE-S"}))["variant"]["stockLevels"]
    assert {level["location"]["code"]: level["location"]["postalAddress"] for level in levels}[
        "ST-B"
    ] == {"country": "US"}
    # and where sales at the store are taxed is known to the domain
    async with SqlUnitOfWork(database) as uow:
        store = (await uow.locations.by_code(["ST-B"]))["ST-B"]
    assert store.postal_address is not None
    assert (store.postal_address.country, store.postal_address.region) == ("US", "US-NY")


async def test_a_bad_location_address_is_refused_field_by_field(graphql, shop):
    # when
    bad = await graphql.admin(
        SET_LOCATION_ADDRESS,
        {"input": {"code": "ST-B", "address": {**ST_B_ADDRESS, "postalCode": "ABC"}}},
    )
    missing = await graphql.admin(
        SET_LOCATION_ADDRESS, {"input": {"code": "NOWHERE", "address": ST_B_ADDRESS}}
    )
    # then
    assert only_error(bad["setLocationAddress"]) == (
        ["input", "address", "postalCode"],
        "INVALID_INPUT",
    )
    assert only_error(missing["setLocationAddress"]) == (["input", "code"], "NOT_FOUND")
    listed = {loc["code"]: loc for loc in (await graphql.data(LOCATIONS))["locations"]}
    assert listed["ST-B"]["postalAddress"] is None


# -- who may ------------------------------------------------------------------------------

WRITES = [
    (CREATE_TAX_CLASS, "createTaxClass", {"code": "ZERO", "name": "Zero"}),
    (SET_TAX_RATE, "setTaxRate", {"country": "GB", "percent": "20", "name": "VAT"}),
    (DELETE_TAX_RATE, "deleteTaxRate", {"country": "GB"}),
    (SET_VARIANT_TAX_CLASS, "setVariantTaxClass", {"skus": ["MUG"], "taxClass": None}),
    (
        SET_CHANNEL_TAX_SETTINGS,
        "setChannelTaxSettings",
        {"channel": "WEB", "pricesIncludeTax": False},
    ),
    (SET_LOCATION_ADDRESS, "setLocationAddress", {"code": "ST-B", "address": ST_B_ADDRESS}),
]


async def test_only_admins_change_taxes(graphql, shop):
    # given
    await set_rate(graphql, country="GB", percent="20", name="VAT")
    callers = {
        "staff": graphql.token(Role.STAFF),
        "customer": graphql.token(Role.CUSTOMER, customer=shop.customer),
        "pos": graphql.token(Role.POS, locations=(shop.store,)),
    }
    for who, token in callers.items():
        for document, name, change in WRITES:
            # when
            payload = (await graphql.data(document, {"input": change}, token=token))[name]
            # then
            assert only_error(payload)[1] == "FORBIDDEN", (who, name)
    assert (await graphql.data(CHANNELS))["channels"][0]["pricesIncludeTax"] is True
    assert len(await rates(graphql)) == 1


async def test_staff_read_taxes_and_customers_do_not(graphql, shop):
    # given
    await set_rate(graphql, country="GB", percent="20", name="VAT")
    staff = graphql.token(Role.STAFF, locations=(shop.store,))
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)
    # when
    read = await graphql.data(TAX_RATES, {"country": "GB"}, token=staff)
    classes = await graphql.data(TAX_CLASSES, token=staff)
    refused = [
        await graphql.post(document, token=token)
        for document in (TAX_CLASSES, TAX_RATES)
        for token in (customer, None)
    ]
    # then
    assert read["taxRates"][0]["percent"] == "20"
    assert classes["taxClasses"] == [{"code": "STANDARD", "name": "Standard"}]
    assert all(body["errors"][0]["extensions"]["code"] == "FORBIDDEN" for body in refused)


async def test_a_variants_tax_class_is_readable_by_anyone(graphql, shop):
    assert (await graphql.data(VARIANT, {"sku": "TEE-S"}))["variant"] == {
        "sku": "TEE-S",
        "taxClass": "STANDARD",
    }
