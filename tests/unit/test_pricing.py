"""Wholesale terms: what a customer group pays per SKU, and the least it may order."""

from decimal import Decimal

import pytest

from domain.errors import BelowMinimumQuantity, InvalidInput
from domain.model.catalog import Variant
from domain.model.pricing import (
    CustomerGroup,
    GroupPrice,
    discount_percent,
    discounted,
    group_price,
    new_customer_group,
    normalise_group_code,
)
from domain.money import Money

TEE = Variant(sku="TEE-S", name="S", price=Money.of("19.90", "USD"), id=1)
MUG = Variant(sku="MUG", name="Mug", price=Money.of("9.50", "USD"), id=2)


def trade(**terms) -> CustomerGroup:
    return CustomerGroup(code="TRADE", name="Trade", **terms)


def test_an_explicit_group_price_wins_over_the_discount():
    group = trade(
        discount_percent=Decimal("10"),
        prices={1: GroupPrice(1, "TEE-S", Money.of("12.00", "USD"))},
    )

    assert group.unit_price(TEE) == Money.of("12.00", "USD")


def test_without_an_explicit_price_the_group_pays_the_list_price_less_its_discount():
    group = trade(discount_percent=Decimal("10"))

    assert group.unit_price(MUG) == Money.of("8.55", "USD")


def test_a_group_without_price_or_discount_pays_the_list_price():
    assert trade().unit_price(TEE) == TEE.price


@pytest.mark.parametrize(
    ("price", "percent", "expected"),
    [
        ("19.90", "12.5", "17.41"),  # 17.4125 rounds down
        ("0.10", "25", "0.08"),  # 0.075 rounds half up
        ("0.30", "50", "0.15"),
        ("9.99", "100", "0.00"),
        ("9.99", "0", "9.99"),
    ],
)
def test_a_discounted_price_is_rounded_half_up_to_the_cent(price, percent, expected):
    assert discounted(Money.of(price, "EUR"), Decimal(percent)) == Money.of(expected, "EUR")


def test_a_line_needs_the_entrys_own_minimum_before_the_groups():
    group = trade(
        minimum_line_quantity=6,
        prices={1: GroupPrice(1, "TEE-S", Money.of("12.00", "USD"), minimum_quantity=12)},
    )

    assert group.minimum_quantity(TEE) == 12
    assert group.minimum_quantity(MUG) == 6


def test_an_entry_without_its_own_minimum_takes_the_groups():
    group = trade(
        minimum_line_quantity=6, prices={1: GroupPrice(1, "TEE-S", Money.of("12.00", "USD"))}
    )

    assert group.minimum_quantity(TEE) == 6


def test_a_line_below_its_minimum_is_refused_naming_sku_group_and_quantities():
    group = trade(prices={1: GroupPrice(1, "TEE-S", Money.of("12.00", "USD"), minimum_quantity=12)})

    with pytest.raises(BelowMinimumQuantity) as error:
        group.price_line(TEE, 5, field="lines.2")

    assert error.value.message == "SKU TEE-S: at least 12 per order for group TRADE, 5 requested"
    assert error.value.field == "lines.2.quantity"


def test_a_line_at_its_minimum_is_priced():
    group = trade(minimum_line_quantity=12, discount_percent=Decimal("50"))

    assert group.price_line(TEE, 12, field="lines.0") == Money.of("9.95", "USD")


def test_an_explicit_price_in_a_currency_the_variant_no_longer_has_is_refused():
    group = trade(prices={1: GroupPrice(1, "TEE-S", Money.of("12.00", "EUR"))})

    with pytest.raises(InvalidInput) as error:
        group.price_line(TEE, 1, field="lines.0")

    assert error.value.field == "lines.0.sku"


@pytest.mark.parametrize("value", ["-0.01", "100.01", "12.345", "NaN", "Infinity", "1e400"])
def test_a_discount_is_0_to_100_per_cent_with_at_most_two_decimals(value):
    with pytest.raises(InvalidInput) as error:
        discount_percent(Decimal(value))

    assert error.value.field == "discountPercent"


def test_a_new_group_keeps_its_code_upper_case_and_its_terms():
    group = new_customer_group(" trade-eu ", " Trade EU ", Decimal("12.5"), 6)

    assert (group.code, group.name, group.discount_percent, group.minimum_line_quantity) == (
        "TRADE-EU",
        "Trade EU",
        Decimal("12.50"),
        6,
    )


@pytest.mark.parametrize(
    ("code", "name", "minimum", "field"),
    [
        ("", "Trade", 1, "code"),
        ("TRADE GROUP", "Trade", 1, "code"),
        ("T" * 33, "Trade", 1, "code"),
        ("TRADE", " ", 1, "name"),
        ("TRADE", "Trade", 0, "minimumLineQuantity"),
    ],
)
def test_a_new_group_refuses_bad_terms_naming_the_field(code, name, minimum, field):
    with pytest.raises(InvalidInput) as error:
        new_customer_group(code, name, None, minimum)

    assert error.value.field == field


def test_a_group_price_is_in_the_variants_currency():
    entry = group_price(TEE, Decimal("12.5"), None, field="prices.0")

    assert entry == GroupPrice(1, "TEE-S", Money.of("12.50", "USD"), None)


@pytest.mark.parametrize(
    ("price", "minimum", "field"),
    [
        (Decimal("-1"), None, "prices.3.price"),
        (Decimal("1.001"), None, "prices.3.price"),
        (Decimal("1"), 0, "prices.3.minimumQuantity"),
    ],
)
def test_a_group_price_refuses_bad_amounts_and_minimums(price, minimum, field):
    with pytest.raises(InvalidInput) as error:
        group_price(TEE, price, minimum, field="prices.3")

    assert error.value.field == field


def test_a_group_code_names_the_field_it_came_from():
    with pytest.raises(InvalidInput) as error:
        normalise_group_code("no way", field="groupCode")

    assert error.value.field == "groupCode"
