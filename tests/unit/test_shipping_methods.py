"""Rules of shipping: what a method charges (FLAT, by weight, free above a threshold),
what a method and a zone must be to be stored, and a variant's weight."""

import pytest

from domain.errors import InvalidInput, ShippingUnavailable
from domain.model.locations import ChannelCode
from domain.model.shipping import (
    MAX_BRACKETS,
    MAX_WEIGHT_GRAMS,
    ShippingMethod,
    ShippingPricing,
    WeightBracket,
    checked_brackets,
    new_shipping_zone,
    shipping_method,
    weight_grams,
    zone_countries,
)
from domain.money import Money


def usd(amount):
    return Money.of(amount, "USD")


def bracket(up_to, amount):
    return WeightBracket(up_to, usd(amount))


BRACKETS = (bracket(1000, "5"), bracket(5000, "9"), bracket(None, "20"))


def flat(price="4.90", free_above=None, **changes):
    return ShippingMethod(
        code="STANDARD",
        name="Standard",
        zone_code="EU",
        pricing=ShippingPricing.FLAT,
        currency="USD",
        channels=(ChannelCode.WEB,),
        price=usd(price),
        free_above=None if free_above is None else usd(free_above),
        **changes,
    )


def by_weight(brackets=BRACKETS, free_above=None):
    return ShippingMethod(
        code="PARCEL",
        name="Parcel",
        zone_code="EU",
        pricing=ShippingPricing.BY_WEIGHT,
        currency="USD",
        channels=(ChannelCode.WEB,),
        brackets=brackets,
        free_above=None if free_above is None else usd(free_above),
    )


# -- charges -----------------------------------------------------------------------------


def test_a_flat_method_charges_its_price_whatever_the_weight():
    assert flat().charge(usd("10"), 0) == usd("4.90")
    assert flat().charge(usd("10"), 900_000) == usd("4.90")


@pytest.mark.parametrize(
    ("grams", "price"),
    [(0, "5"), (1, "5"), (1000, "5"), (1001, "9"), (5000, "9"), (5001, "20"), (10**6, "20")],
)
def test_a_parcel_costs_the_first_bracket_whose_upper_weight_it_does_not_pass(grams, price):
    assert by_weight().charge(usd("10"), grams) == usd(price)


def test_a_parcel_heavier_than_every_bounded_bracket_cannot_go_by_that_method():
    method = by_weight(brackets=(bracket(1000, "5"), bracket(5000, "9")))
    assert method.charge(usd("10"), 5000) == usd("9")
    with pytest.raises(ShippingUnavailable) as refused:
        method.charge(usd("10"), 5001)
    assert "5000 g" in refused.value.message and "5001 g" in refused.value.message


def test_goods_at_exactly_the_threshold_ship_free_and_a_cent_less_do_not():
    method = flat(free_above="50")
    assert method.charge(usd("50"), 0) == Money.zero("USD")
    assert method.charge(usd("49.99"), 0) == usd("4.90")
    assert method.charge(usd("120"), 0) == Money.zero("USD")


def test_a_heavy_parcel_ships_free_above_the_threshold_even_past_every_bracket():
    method = by_weight(brackets=(bracket(1000, "5"),), free_above="100")
    assert method.charge(usd("100"), 50_000) == Money.zero("USD")
    with pytest.raises(ShippingUnavailable):
        method.charge(usd("99.99"), 50_000)


def test_a_method_does_not_charge_an_order_in_another_currency():
    with pytest.raises(ShippingUnavailable) as refused:
        flat().charge(Money.of("10", "EUR"), 0)
    assert "USD" in refused.value.message and "EUR" in refused.value.message


def test_an_inactive_method_or_one_not_on_the_channel_is_not_offered():
    assert flat().offered_on(ChannelCode.WEB)
    assert not flat().offered_on(ChannelCode.POS)
    assert not flat(active=False).offered_on(ChannelCode.WEB)


# -- brackets ----------------------------------------------------------------------------


def test_brackets_lightest_first_with_only_the_last_unbounded_are_kept():
    assert checked_brackets(list(BRACKETS)) == BRACKETS


@pytest.mark.parametrize(
    ("brackets", "field"),
    [
        ([], "brackets"),
        ([bracket(1000, "5"), bracket(1000, "6")], "brackets.1.upToGrams"),
        ([bracket(2000, "5"), bracket(1000, "6")], "brackets.1.upToGrams"),
        ([bracket(0, "5")], "brackets.0.upToGrams"),
        ([bracket(None, "5"), bracket(1000, "6")], "brackets"),
        ([bracket(index + 1, "1") for index in range(MAX_BRACKETS + 1)], "brackets"),
    ],
)
def test_brackets_out_of_order_unbounded_early_none_or_too_many_are_refused(brackets, field):
    with pytest.raises(InvalidInput) as refused:
        checked_brackets(brackets)
    assert refused.value.field == field


# -- a method's parts agree --------------------------------------------------------------


def test_a_method_is_normalised_and_takes_its_price_currency():
    method = shipping_method(
        " eu-standard ",
        "  Standard   post ",
        "eu",
        ShippingPricing.FLAT,
        channels=[ChannelCode.WEB, ChannelCode.MOBILE, ChannelCode.WEB],
        price=Money.of("4", "EUR"),
        free_above=Money.of("50", "EUR"),
        tax_class=" reduced ",
    )
    assert (method.code, method.name, method.zone_code) == ("EU-STANDARD", "Standard post", "EU")
    assert method.currency == "EUR"
    assert method.channels == (ChannelCode.WEB, ChannelCode.MOBILE)
    assert method.tax_class == "REDUCED"


def test_a_by_weight_method_takes_its_first_brackets_currency():
    method = shipping_method(
        "PARCEL", "Parcel", "EU", ShippingPricing.BY_WEIGHT, channels=[], brackets=BRACKETS
    )
    assert method.currency == "USD" and method.brackets == BRACKETS and method.price is None


@pytest.mark.parametrize(
    ("pricing", "parts", "field"),
    [
        (ShippingPricing.FLAT, {}, "price"),
        (ShippingPricing.FLAT, {"price": usd("4"), "brackets": BRACKETS}, "brackets"),
        (ShippingPricing.BY_WEIGHT, {}, "brackets"),
        (ShippingPricing.BY_WEIGHT, {"price": usd("4"), "brackets": BRACKETS}, "price"),
        (
            ShippingPricing.BY_WEIGHT,
            {"brackets": (bracket(MAX_WEIGHT_GRAMS + 1, "5"),)},
            "brackets.0.upToGrams",
        ),
        (
            ShippingPricing.FLAT,
            {"price": usd("4"), "free_above": Money.of("50", "EUR")},
            "freeAbove",
        ),
        (
            ShippingPricing.BY_WEIGHT,
            {"brackets": (bracket(1000, "5"), WeightBracket(None, Money.of("9", "EUR")))},
            "brackets.1.price",
        ),
        (ShippingPricing.FLAT, {"price": usd("4"), "tax_class": "not a class"}, "taxClass"),
    ],
)
def test_a_method_whose_parts_disagree_is_refused_at_the_part(pricing, parts, field):
    with pytest.raises(InvalidInput) as refused:
        shipping_method("M", "Method", "EU", pricing, channels=[], **parts)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("code", "name", "zone", "field"),
    [("", "Name", "EU", "code"), ("M", "", "EU", "name"), ("M", "Name", "E U", "zoneCode")],
)
def test_a_method_needs_a_code_a_name_and_a_zone_code(code, name, zone, field):
    with pytest.raises(InvalidInput) as refused:
        shipping_method(code, name, zone, ShippingPricing.FLAT, channels=[], price=usd("1"))
    assert refused.value.field == field


# -- zones and weights -------------------------------------------------------------------


def test_a_zone_keeps_its_countries_upper_case_in_the_order_given():
    zone = new_shipping_zone("eu", " European  Union", ["fr", " De "])
    assert (zone.code, zone.name, zone.countries) == ("EU", "European Union", ("FR", "DE"))


@pytest.mark.parametrize(
    ("countries", "field"),
    [
        (["FR", "XX"], "countries.1"),
        (["FR", "FRA"], "countries.1"),
        (["FR", "fr"], "countries.1"),
        (["FR"] * 251, "countries"),
    ],
)
def test_a_zone_country_that_is_unknown_or_twice_is_refused(countries, field):
    with pytest.raises(InvalidInput) as refused:
        zone_countries(countries)
    assert refused.value.field == field


@pytest.mark.parametrize("grams", [None, 0, 1, MAX_WEIGHT_GRAMS])
def test_a_weight_is_whole_grams_up_to_a_tonne_or_none(grams):
    assert weight_grams(grams) == grams


@pytest.mark.parametrize("grams", [-1, MAX_WEIGHT_GRAMS + 1])
def test_a_weight_below_zero_or_above_a_tonne_is_refused(grams):
    with pytest.raises(InvalidInput) as refused:
        weight_grams(grams, field="lines.0.weightGrams")
    assert refused.value.field == "lines.0.weightGrams"
