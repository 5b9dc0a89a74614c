"""Shipping zones and methods over GraphQL, and variants' weights: what each mutation
stores, what it refuses, who may call it, and the rule that a country is in one zone (also
when zones are created at once)."""

import asyncio

from domain.access import Role
from domain.model.locations import ChannelCode
from domain.money import Money
from persistence.uow import SqlUnitOfWork
from tests.api.test_query_count import counting_statements

ZONE_FIELDS = "code name countries methods { code active }"
METHOD_FIELDS = """
code name pricing active taxClass channels
zone { code }
price { amount currency }
freeAbove { amount currency }
brackets { upToGrams price { amount currency } }
"""
CREATE_ZONE = f"""
mutation($input: CreateShippingZoneInput!) {{
  createShippingZone(input: $input) {{
    shippingZone {{ {ZONE_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
UPDATE_ZONE = f"""
mutation($input: UpdateShippingZoneInput!) {{
  updateShippingZone(input: $input) {{
    shippingZone {{ {ZONE_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
CREATE_METHOD = f"""
mutation($input: CreateShippingMethodInput!) {{
  createShippingMethod(input: $input) {{
    shippingMethod {{ {METHOD_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
UPDATE_METHOD = f"""
mutation($input: UpdateShippingMethodInput!) {{
  updateShippingMethod(input: $input) {{
    shippingMethod {{ {METHOD_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
SET_WEIGHTS = """
mutation($input: SetVariantWeightsInput!) {
  setVariantWeights(input: $input) {
    variants { sku weightGrams }
    userErrors { field code message }
  }
}"""
ZONES = f"query {{ shippingZones {{ {ZONE_FIELDS} }} }}"
OFFERED = """
query($channel: ChannelCode!, $country: String!) {
  shippingMethods(channel: $channel, country: $country) { code }
}"""
VARIANT = "query($sku: String!) { variant(sku: $sku) { sku weightGrams } }"
PRODUCT_OF = "query($sku: String!) { variant(sku: $sku) { product { updatedAt } } }"


def usd(amount):
    return {"amount": amount, "currency": "USD"}


def flat(code="EU-STANDARD", zone="EU", **changes):
    return {
        "code": code,
        "name": "Standard",
        "zoneCode": zone,
        "pricing": "FLAT",
        "price": usd("4.90"),
        "channels": ["WEB", "MOBILE"],
        **changes,
    }


def by_weight(code="EU-PARCEL", zone="EU", **changes):
    return {
        "code": code,
        "name": "Parcel",
        "zoneCode": zone,
        "pricing": "BY_WEIGHT",
        "brackets": [
            {"upToGrams": 1000, "price": usd("5.00")},
            {"upToGrams": 5000, "price": usd("9.00")},
            {"upToGrams": None, "price": usd("20.00")},
        ],
        "channels": ["WEB"],
        **changes,
    }


async def create_zone(graphql, code, countries, name=None):
    data = await graphql.admin(
        CREATE_ZONE, {"input": {"code": code, "name": name or code, "countries": countries}}
    )
    payload = data["createShippingZone"]
    assert payload["userErrors"] == []
    return payload["shippingZone"]


async def create_method(graphql, method):
    data = await graphql.admin(CREATE_METHOD, {"input": method})
    payload = data["createShippingMethod"]
    assert payload["userErrors"] == []
    return payload["shippingMethod"]


def refusal(payload):
    """The payload's one userError as (field path, code), and that nothing was shown."""
    (subject,) = [value for key, value in payload.items() if key != "userErrors"]
    assert subject is None
    (error,) = payload["userErrors"]
    return error["field"], error["code"]


async def zones(graphql, token=None):
    return (await graphql.data(ZONES, token=token))["shippingZones"]


async def offered(graphql, channel, country, token=None):
    data = await graphql.data(OFFERED, {"channel": channel, "country": country}, token=token)
    return [method["code"] for method in data["shippingMethods"]]


# -- zones ---------------------------------------------------------------------------


async def test_a_zone_keeps_its_countries_upper_case_and_everyone_reads_it(graphql):
    # when
    zone = await create_zone(graphql, " eu ", ["fr", " De", "IT"], name="  European   Union ")
    # then
    expected = {
        "code": "EU",
        "name": "European Union",
        "countries": ["DE", "FR", "IT"],
        "methods": [],
    }
    assert zone == expected
    assert await zones(graphql) == [expected]  # anonymous


async def test_a_zone_with_a_country_that_is_no_iso_code_or_twice_is_invalid(graphql):
    # when
    unknown = await graphql.admin(
        CREATE_ZONE, {"input": {"code": "EU", "name": "EU", "countries": ["FR", "XX"]}}
    )
    twice = await graphql.admin(
        CREATE_ZONE, {"input": {"code": "EU", "name": "EU", "countries": ["FR", "fr"]}}
    )
    bad_code = await graphql.admin(
        CREATE_ZONE, {"input": {"code": "E U", "name": "EU", "countries": []}}
    )
    # then
    assert refusal(unknown["createShippingZone"]) == (
        ["input", "countries", "1"],
        "INVALID_INPUT",
    )
    assert refusal(twice["createShippingZone"]) == (["input", "countries", "1"], "INVALID_INPUT")
    assert refusal(bad_code["createShippingZone"]) == (["input", "code"], "INVALID_INPUT")
    assert await zones(graphql) == []


async def test_a_taken_zone_code_is_duplicate(graphql):
    # given
    await create_zone(graphql, "EU", ["FR"])
    # when
    data = await graphql.admin(
        CREATE_ZONE, {"input": {"code": "eu", "name": "Again", "countries": ["DE"]}}
    )
    # then
    assert refusal(data["createShippingZone"]) == (["input", "code"], "DUPLICATE")
    assert [zone["countries"] for zone in await zones(graphql)] == [["FR"]]


async def test_a_country_in_another_zone_is_duplicate_naming_that_zone(graphql):
    # given
    await create_zone(graphql, "EU", ["FR", "DE"])
    # when
    data = await graphql.admin(
        CREATE_ZONE, {"input": {"code": "WORLD", "name": "World", "countries": ["US", "de"]}}
    )
    # then: nothing of the new zone is kept
    payload = data["createShippingZone"]
    assert refusal(payload) == (["input", "countries", "1"], "DUPLICATE")
    assert "DE" in payload["userErrors"][0]["message"]
    assert "EU" in payload["userErrors"][0]["message"]
    assert [zone["code"] for zone in await zones(graphql)] == ["EU"]
    assert await offered(graphql, "WEB", "US") == []


async def test_updating_a_zone_replaces_its_countries_and_frees_those_left_out(graphql):
    # given
    await create_zone(graphql, "EU", ["FR", "DE", "IT"])
    # when
    data = await graphql.admin(
        UPDATE_ZONE, {"input": {"code": "eu", "name": "Europe", "countries": ["it", "ES"]}}
    )
    france = await create_zone(graphql, "FRANCE", ["FR"])
    renamed = await graphql.admin(UPDATE_ZONE, {"input": {"code": "EU", "name": "Schengen"}})
    # then
    assert data["updateShippingZone"]["shippingZone"]["countries"] == ["ES", "IT"]
    assert data["updateShippingZone"]["shippingZone"]["name"] == "Europe"
    assert france["countries"] == ["FR"]
    assert renamed["updateShippingZone"]["shippingZone"]["countries"] == ["ES", "IT"]
    assert [(z["code"], z["name"], z["countries"]) for z in await zones(graphql)] == [
        ("EU", "Schengen", ["ES", "IT"]),
        ("FRANCE", "FRANCE", ["FR"]),
    ]


async def test_updating_a_zone_to_take_another_zones_country_changes_nothing(graphql):
    # given
    await create_zone(graphql, "EU", ["FR"])
    await create_zone(graphql, "UK", ["GB"])
    # when
    taken = await graphql.admin(
        UPDATE_ZONE, {"input": {"code": "UK", "name": "Isles", "countries": ["IE", "FR"]}}
    )
    unknown = await graphql.admin(UPDATE_ZONE, {"input": {"code": "MARS", "name": "Mars"}})
    # then
    assert refusal(taken["updateShippingZone"]) == (["input", "countries", "1"], "DUPLICATE")
    assert "EU" in taken["updateShippingZone"]["userErrors"][0]["message"]
    assert refusal(unknown["updateShippingZone"]) == (["input", "code"], "NOT_FOUND")
    assert [(z["code"], z["name"], z["countries"]) for z in await zones(graphql)] == [
        ("EU", "EU", ["FR"]),
        ("UK", "UK", ["GB"]),
    ]


async def test_concurrent_zones_claiming_one_country_let_exactly_one_have_it(graphql):
    # when: eight zones claim France at once (with a country each of their own)
    others = ["DE", "IT", "ES", "PT", "NL", "BE", "AT", "PL"]
    payloads = await asyncio.gather(
        *(
            graphql.admin(
                CREATE_ZONE,
                {"input": {"code": f"Z{index}", "name": "Z", "countries": [other, "FR"]}},
            )
            for index, other in enumerate(others)
        )
    )
    # then
    results = [payload["createShippingZone"] for payload in payloads]
    won = [result["shippingZone"] for result in results if result["shippingZone"] is not None]
    refused = [refusal(result) for result in results if result["shippingZone"] is None]
    assert len(won) == 1
    assert refused == [(["input", "countries", "1"], "DUPLICATE")] * 7
    stored = await zones(graphql)
    assert [zone["code"] for zone in stored] == [won[0]["code"]]
    assert [zone for zone in stored if "FR" in zone["countries"]] == won


async def test_concurrent_zones_of_one_code_make_one_zone(graphql):
    # when
    payloads = await asyncio.gather(
        *(
            graphql.admin(
                CREATE_ZONE, {"input": {"code": "EU", "name": "EU", "countries": [country]}}
            )
            for country in ["DE", "IT", "ES", "PT", "NL", "BE", "AT", "PL"]
        )
    )
    # then
    results = [payload["createShippingZone"] for payload in payloads]
    refused = [refusal(result) for result in results if result["shippingZone"] is None]
    assert refused == [(["input", "code"], "DUPLICATE")] * 7
    (stored,) = await zones(graphql)
    assert len(stored["countries"]) == 1


# -- methods -------------------------------------------------------------------------


async def test_a_flat_method_shows_its_price_threshold_tax_class_and_channels(graphql):
    # given
    await create_zone(graphql, "EU", ["FR"])
    # when
    method = await create_method(
        graphql,
        flat(
            code="eu-standard",
            name=" Standard  (3-5 days) ",
            freeAbove=usd("50"),
            taxClass="reduced",
            channels=["WEB", "MOBILE", "WEB"],
        ),
    )
    # then
    assert method == {
        "code": "EU-STANDARD",
        "name": "Standard (3-5 days)",
        "pricing": "FLAT",
        "active": True,
        "taxClass": "REDUCED",
        "channels": ["MOBILE", "WEB"],
        "zone": {"code": "EU"},
        "price": usd("4.90"),
        "freeAbove": usd("50.00"),
        "brackets": [],
    }
    assert (await zones(graphql))[0]["methods"] == [{"code": "EU-STANDARD", "active": True}]


async def test_a_by_weight_method_shows_its_brackets_lightest_first(graphql):
    # given
    await create_zone(graphql, "EU", ["FR"])
    # when
    method = await create_method(graphql, by_weight())
    # then
    assert method["pricing"] == "BY_WEIGHT"
    assert method["price"] is None and method["freeAbove"] is None
    assert method["taxClass"] is None
    assert method["brackets"] == [
        {"upToGrams": 1000, "price": usd("5.00")},
        {"upToGrams": 5000, "price": usd("9.00")},
        {"upToGrams": None, "price": usd("20.00")},
    ]


async def test_a_method_that_breaks_a_pricing_rule_is_invalid_input(graphql):
    # given
    await create_zone(graphql, "EU", ["FR"])
    brackets = by_weight()["brackets"]
    cases = [
        (flat(price=None), ["input", "price"]),
        (flat(brackets=brackets), ["input", "brackets"]),
        (flat(price=usd("4.999")), ["input", "price"]),
        (flat(freeAbove={"amount": "50", "currency": "EUR"}), ["input", "freeAbove"]),
        (flat(taxClass="no such class!"), ["input", "taxClass"]),
        (flat(name=" "), ["input", "name"]),
        (by_weight(brackets=[]), ["input", "brackets"]),
        (by_weight(price=usd("1")), ["input", "price"]),
        (
            by_weight(
                brackets=[
                    {"upToGrams": 1000, "price": usd("5")},
                    {"upToGrams": 1000, "price": usd("6")},
                ]
            ),
            ["input", "brackets", "1", "upToGrams"],
        ),
        (
            by_weight(
                brackets=[
                    {"upToGrams": None, "price": usd("5")},
                    {"upToGrams": 1000, "price": usd("6")},
                ]
            ),
            ["input", "brackets"],
        ),
        (
            by_weight(brackets=[{"upToGrams": 1_000_001, "price": usd("5")}]),
            ["input", "brackets", "0", "upToGrams"],
        ),
        (
            by_weight(
                brackets=[
                    {"upToGrams": 1000, "price": usd("5")},
                    {"upToGrams": None, "price": {"amount": "6", "currency": "EUR"}},
                ]
            ),
            ["input", "brackets", "1", "price"],
        ),
    ]
    for method, field in cases:
        # when
        data = await graphql.admin(CREATE_METHOD, {"input": method})
        # then
        assert refusal(data["createShippingMethod"]) == (field, "INVALID_INPUT"), method
    assert (await zones(graphql))[0]["methods"] == []


async def test_a_method_of_an_unknown_zone_is_not_found_and_a_taken_code_duplicate(graphql):
    # given
    await create_zone(graphql, "EU", ["FR"])
    await create_method(graphql, flat())
    # when
    unknown = await graphql.admin(CREATE_METHOD, {"input": flat(code="MARS-1", zone="MARS")})
    taken = await graphql.admin(CREATE_METHOD, {"input": by_weight(code="eu-standard")})
    # then
    assert refusal(unknown["createShippingMethod"]) == (["input", "zoneCode"], "NOT_FOUND")
    assert refusal(taken["createShippingMethod"]) == (["input", "code"], "DUPLICATE")


async def test_updating_a_method_changes_what_is_given_and_null_clears_the_threshold(graphql):
    # given
    await create_zone(graphql, "EU", ["FR"])
    await create_method(graphql, flat(freeAbove=usd("50"), taxClass="REDUCED"))
    # when: a new price, the threshold cleared, the tax class left out
    data = await graphql.admin(
        UPDATE_METHOD,
        {
            "input": {
                "code": "eu-standard",
                "name": "Economy",
                "price": usd("3.50"),
                "freeAbove": None,
                "channels": ["POS"],
            }
        },
    )
    # then
    method = data["updateShippingMethod"]["shippingMethod"]
    assert (method["name"], method["price"], method["freeAbove"]) == ("Economy", usd("3.50"), None)
    assert method["taxClass"] == "REDUCED"
    assert method["channels"] == ["POS"]
    # when: the tax class cleared
    cleared = await graphql.admin(
        UPDATE_METHOD, {"input": {"code": "EU-STANDARD", "taxClass": None}}
    )
    # then
    assert cleared["updateShippingMethod"]["shippingMethod"]["taxClass"] is None
    assert cleared["updateShippingMethod"]["shippingMethod"]["price"] == usd("3.50")


async def test_updating_a_by_weight_method_replaces_its_brackets(graphql):
    # given
    await create_zone(graphql, "EU", ["FR"])
    await create_method(graphql, by_weight())
    # when
    data = await graphql.admin(
        UPDATE_METHOD,
        {
            "input": {
                "code": "EU-PARCEL",
                "brackets": [{"upToGrams": 2000, "price": usd("7")}],
                "freeAbove": usd("100"),
            }
        },
    )
    # then
    method = data["updateShippingMethod"]["shippingMethod"]
    assert method["brackets"] == [{"upToGrams": 2000, "price": usd("7.00")}]
    assert method["freeAbove"] == usd("100.00")


async def test_an_update_that_breaks_a_rule_changes_nothing(graphql):
    # given
    await create_zone(graphql, "EU", ["FR"])
    await create_method(graphql, flat(freeAbove=usd("50")))
    await create_method(graphql, by_weight())
    cases = [
        ({"code": "EU-STANDARD", "price": {"amount": "4", "currency": "EUR"}}, "freeAbove"),
        ({"code": "EU-STANDARD", "brackets": by_weight()["brackets"]}, "brackets"),
        ({"code": "EU-PARCEL", "price": usd("4")}, "price"),
        ({"code": "EU-PARCEL", "brackets": []}, "brackets"),
    ]
    for change, field in cases:
        # when
        data = await graphql.admin(UPDATE_METHOD, {"input": change})
        # then
        assert refusal(data["updateShippingMethod"]) == (["input", field], "INVALID_INPUT")
    unknown = await graphql.admin(UPDATE_METHOD, {"input": {"code": "NOPE", "name": "x"}})
    assert refusal(unknown["updateShippingMethod"]) == (["input", "code"], "NOT_FOUND")
    both = await graphql.admin(
        UPDATE_METHOD,
        {
            "input": {
                "code": "EU-STANDARD",
                "price": {"amount": "4", "currency": "EUR"},
                "freeAbove": {"amount": "40", "currency": "EUR"},
            }
        },
    )
    assert both["updateShippingMethod"]["shippingMethod"]["price"] == {
        "amount": "4.00",
        "currency": "EUR",
    }


async def test_a_checkout_is_offered_the_active_methods_of_its_channel_and_zone(graphql):
    # given
    await create_zone(graphql, "EU", ["FR", "DE"])
    await create_zone(graphql, "UK", ["GB"])
    await create_method(graphql, flat())  # WEB, MOBILE
    await create_method(graphql, by_weight())  # WEB
    await create_method(graphql, flat(code="EU-EXPRESS", channels=["WEB"]))
    await create_method(graphql, flat(code="UK-STANDARD", zone="UK", channels=["WEB"]))
    # when
    deactivated = await graphql.admin(
        UPDATE_METHOD, {"input": {"code": "EU-EXPRESS", "active": False}}
    )
    # then
    assert deactivated["updateShippingMethod"]["shippingMethod"]["active"] is False
    assert await offered(graphql, "WEB", "fr") == ["EU-PARCEL", "EU-STANDARD"]
    assert await offered(graphql, "MOBILE", "DE") == ["EU-STANDARD"]
    assert await offered(graphql, "POS", "FR") == []
    assert await offered(graphql, "WEB", "gb") == ["UK-STANDARD"]
    assert await offered(graphql, "WEB", "US") == []  # in no zone
    staff = graphql.token(Role.STAFF)
    eu_for = {
        "anonymous": (await zones(graphql))[0]["methods"],
        "customer": (await zones(graphql, graphql.token(Role.CUSTOMER, customer="a@b.c")))[0][
            "methods"
        ],
        "staff": (await zones(graphql, staff))[0]["methods"],
    }
    assert [m["code"] for m in eu_for["anonymous"]] == ["EU-PARCEL", "EU-STANDARD"]
    assert [m["code"] for m in eu_for["customer"]] == ["EU-PARCEL", "EU-STANDARD"]
    assert [m["code"] for m in eu_for["staff"]] == ["EU-EXPRESS", "EU-PARCEL", "EU-STANDARD"]


async def test_a_country_that_is_no_iso_code_is_refused_by_shipping_methods(graphql):
    body = await graphql.post(OFFERED, {"channel": "WEB", "country": "France"})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_what_the_repository_gives_pricing_is_what_was_set_up(graphql, database):
    # given
    await create_zone(graphql, "EU", ["FR", "DE"])
    await create_method(graphql, flat(freeAbove=usd("50")))
    await create_method(graphql, by_weight())
    # when
    async with SqlUnitOfWork(database) as uow:
        zone = await uow.shipping.zone_of("DE")
        nowhere = await uow.shipping.zone_of("US")
        methods = await uow.shipping.methods_in("EU")
    # then
    assert zone is not None and (zone.code, zone.countries) == ("EU", ("DE", "FR"))
    assert nowhere is None
    parcel, standard = methods
    assert (parcel.code, standard.code) == ("EU-PARCEL", "EU-STANDARD")
    assert standard.offered_on(ChannelCode.MOBILE) and not parcel.offered_on(ChannelCode.MOBILE)
    goods = Money.of("20", "USD")
    assert standard.charge(goods, 0) == Money.of("4.90", "USD")
    assert standard.charge(Money.of("50", "USD"), 0) == Money.zero("USD")
    assert parcel.charge(goods, 1000) == Money.of("5", "USD")
    assert parcel.charge(goods, 1001) == Money.of("9", "USD")
    assert parcel.charge(goods, 50_000) == Money.of("20", "USD")


# -- weights -------------------------------------------------------------------------


async def test_variant_weights_are_set_shown_and_cleared(graphql, shop, database):
    # given
    before = (await graphql.data(PRODUCT_OF, {"sku": "TEE-S"}))["variant"]["product"]
    # when
    data = await graphql.data(
        SET_WEIGHTS,
        {
            "input": {
                "lines": [{"sku": "tee-s", "weightGrams": 180}, {"sku": "MUG", "weightGrams": 0}]
            }
        },
        token=graphql.token(Role.STAFF),
    )
    # then
    assert data["setVariantWeights"] == {
        "variants": [{"sku": "TEE-S", "weightGrams": 180}, {"sku": "MUG", "weightGrams": 0}],
        "userErrors": [],
    }
    assert (await graphql.data(VARIANT, {"sku": "TEE-S"}))["variant"]["weightGrams"] == 180
    assert (await graphql.data(VARIANT, {"sku": "TEE-M"}))["variant"]["weightGrams"] is None
    async with SqlUnitOfWork(database) as uow:
        variants = await uow.catalog.variants_by_sku(["TEE-S", "TEE-M"])
    assert (variants["TEE-S"].weight_grams, variants["TEE-M"].weight_grams) == (180, None)
    after = (await graphql.data(PRODUCT_OF, {"sku": "TEE-S"}))["variant"]["product"]
    assert after["updatedAt"] > before["updatedAt"]  # a sync by updatedSince sees it
    # when
    cleared = await graphql.admin(
        SET_WEIGHTS, {"input": {"lines": [{"sku": "TEE-S", "weightGrams": None}]}}
    )
    # then
    assert cleared["setVariantWeights"]["variants"] == [{"sku": "TEE-S", "weightGrams": None}]
    assert (await graphql.data(VARIANT, {"sku": "MUG"}))["variant"]["weightGrams"] == 0


async def test_weights_of_unknown_skus_or_out_of_range_change_nothing(graphql, shop):
    cases = [
        (
            [{"sku": "TEE-S", "weightGrams": 10}, {"sku": "NOPE", "weightGrams": 1}],
            (["input", "lines", "1", "sku"], "NOT_FOUND"),
        ),
        (
            [{"sku": "TEE-S", "weightGrams": -1}],
            (["input", "lines", "0", "weightGrams"], "INVALID_INPUT"),
        ),
        (
            [{"sku": "TEE-S", "weightGrams": 1_000_001}],
            (["input", "lines", "0", "weightGrams"], "INVALID_INPUT"),
        ),
        (
            [{"sku": "TEE-S", "weightGrams": 1}, {"sku": "tee-s", "weightGrams": 2}],
            (["input", "lines", "1", "sku"], "INVALID_INPUT"),
        ),
        ([{"sku": "TEE-S", "weightGrams": 1}] * 101, (["input", "lines"], "INVALID_INPUT")),
        ([], (["input", "lines"], "INVALID_INPUT")),
    ]
    for lines, expected in cases:
        # when
        data = await graphql.admin(SET_WEIGHTS, {"input": {"lines": lines}})
        # then
        payload = data["setVariantWeights"]
        assert payload["variants"] == []
        (error,) = payload["userErrors"]
        assert (error["field"], error["code"]) == expected
    assert (await graphql.data(VARIANT, {"sku": "TEE-S"}))["variant"]["weightGrams"] is None


# -- who may ---------------------------------------------------------------------------


async def test_only_admin_sets_shipping_up_and_only_staff_set_weights(graphql, shop):
    # given
    await create_zone(graphql, "EU", ["FR"])
    await create_method(graphql, flat())
    callers = {
        "staff": graphql.token(Role.STAFF),
        "pos": graphql.token(Role.POS, locations=("ST-B",)),
        "customer": graphql.token(Role.CUSTOMER, customer="ada@example.com"),
        "anonymous": None,
    }
    attempts = [
        (CREATE_ZONE, {"code": "UK", "name": "UK", "countries": ["GB"]}, "createShippingZone"),
        (UPDATE_ZONE, {"code": "EU", "countries": []}, "updateShippingZone"),
        (CREATE_METHOD, flat(code="EU-2"), "createShippingMethod"),
        (UPDATE_METHOD, {"code": "EU-STANDARD", "active": False}, "updateShippingMethod"),
    ]
    for who, token in callers.items():
        for document, change, name in attempts:
            # when
            data = await graphql.data(document, {"input": change}, token=token)
            # then
            assert refusal(data[name]) == (None, "FORBIDDEN"), (who, name)
        weights = await graphql.data(
            SET_WEIGHTS, {"input": {"lines": [{"sku": "MUG", "weightGrams": 300}]}}, token=token
        )
        expected = [] if who == "staff" else [None]
        assert [e["field"] for e in weights["setVariantWeights"]["userErrors"]] == expected, who
    assert await zones(graphql) == [
        {
            "code": "EU",
            "name": "EU",
            "countries": ["FR"],
            "methods": [{"code": "EU-STANDARD", "active": True}],
        }
    ]


# -- cost ------------------------------------------------------------------------------

EVERY_ZONE = f"""
query {{ shippingZones {{ code countries methods {{ {METHOD_FIELDS} }} }} }}"""


async def test_zones_with_their_methods_cost_the_same_statements_however_many(graphql, database):
    async def statements_for_zones(count):
        for _ in range(count):
            index = len(await zones(graphql))
            zone = f"Z{index}"
            await create_zone(graphql, zone, [["FR", "DE", "IT", "ES", "GB", "US"][index]])
            await create_method(graphql, flat(code=f"{zone}-FLAT", zone=zone))
            await create_method(graphql, by_weight(code=f"{zone}-WEIGHT", zone=zone))
        with counting_statements(database) as statements:
            data = await graphql.data(EVERY_ZONE)
        assert sum(len(zone["methods"]) for zone in data["shippingZones"]) == 2 * len(
            data["shippingZones"]
        )
        return len(statements)

    # when
    few = await statements_for_zones(2)
    many = await statements_for_zones(4)  # six in all
    # then
    assert few == many <= 8
