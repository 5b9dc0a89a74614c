"""Taxes: which rate applies to a line, how an amount splits into net, tax and gross, and
what a rate may be."""

from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.model.taxes import (
    NO_TAX,
    TaxPlace,
    TaxRate,
    applicable_rate,
    new_tax_class,
    new_tax_rate,
    normalise_tax_class,
    split,
    tax_percent,
)
from domain.money import Money

US = TaxRate(country="US", percent=Decimal("4"), name="Country")
US_REDUCED = TaxRate(
    country="US", percent=Decimal("2"), name="Country, reduced", tax_class="REDUCED"
)
NEW_YORK = TaxRate(country="US", percent=Decimal("8.875"), name="NY", region="US-NY")
NEW_YORK_REDUCED = TaxRate(
    country="US", percent=Decimal("1"), name="NY, reduced", region="US-NY", tax_class="REDUCED"
)
EVERY_RATE = [NEW_YORK_REDUCED, US, NEW_YORK, US_REDUCED]  # the order they come in is no rule
IN_NEW_YORK = TaxPlace("US", "US-NY")


def test_a_region_and_class_rate_wins_over_every_other():
    assert applicable_rate(EVERY_RATE, IN_NEW_YORK, "REDUCED") is NEW_YORK_REDUCED


def test_a_regions_rate_for_every_class_wins_over_the_countrys_for_the_class():
    rates = [US_REDUCED, NEW_YORK, US]
    assert applicable_rate(rates, IN_NEW_YORK, "REDUCED") is NEW_YORK


def test_the_countrys_rate_for_the_class_wins_over_the_countrys_for_every_class():
    assert applicable_rate([US, US_REDUCED], IN_NEW_YORK, "REDUCED") is US_REDUCED


def test_a_class_without_a_rate_of_its_own_takes_the_rate_of_every_class():
    assert applicable_rate(EVERY_RATE, IN_NEW_YORK, "ZERO") is NEW_YORK
    assert applicable_rate(EVERY_RATE, TaxPlace("US", "US-CA"), "ZERO") is US


def test_a_variant_without_a_class_is_standard():
    standard = TaxRate(country="US", percent=Decimal("5"), tax_class="STANDARD")
    assert applicable_rate([US, standard], TaxPlace("US"), None) is standard


def test_a_regions_rate_applies_only_in_that_region():
    assert applicable_rate(EVERY_RATE, TaxPlace("US", "US-CA"), "REDUCED") is US_REDUCED
    assert applicable_rate(EVERY_RATE, TaxPlace("US"), None) is US


def test_no_rate_for_the_country_or_an_unknown_place_is_no_tax():
    assert applicable_rate(EVERY_RATE, TaxPlace("CA", "CA-ON"), None) is NO_TAX
    assert applicable_rate(EVERY_RATE, None, None) is NO_TAX
    assert applicable_rate([], IN_NEW_YORK, None) is NO_TAX


def rate(percent: str) -> TaxRate:
    return TaxRate(country="DE", percent=Decimal(percent))


def test_a_price_with_tax_included_splits_into_net_and_tax():
    parts = split(Money.of("12.00", "EUR"), rate("20"), prices_include_tax=True)
    assert (parts.net, parts.tax, parts.gross) == (
        Money.of("10.00", "EUR"),
        Money.of("2.00", "EUR"),
        Money.of("12.00", "EUR"),
    )


def test_an_included_tax_is_what_is_left_of_the_gross_after_the_rounded_net():
    # 9.99 / 1.19 = 8.3949…: the net rounds to 8.39, and net + tax is still 9.99
    parts = split(Money.of("9.99", "EUR"), rate("19"), prices_include_tax=True)
    assert (parts.net, parts.tax) == (Money.of("8.39", "EUR"), Money.of("1.60", "EUR"))
    assert parts.net + parts.tax == parts.gross


def test_a_net_price_gets_its_tax_added_rounded_half_even():
    new_york = split(Money.of("10.00", "USD"), rate("8.875"), prices_include_tax=False)
    half = split(Money.of("2.50", "USD"), rate("5"), prices_include_tax=False)  # 0.125
    half_up = split(Money.of("2.70", "USD"), rate("5"), prices_include_tax=False)  # 0.135
    assert (new_york.tax, new_york.gross) == (Money.of("0.89", "USD"), Money.of("10.89", "USD"))
    assert (half.tax, half.gross) == (Money.of("0.12", "USD"), Money.of("2.62", "USD"))
    assert half_up.tax == Money.of("0.14", "USD")


def test_tax_is_rounded_to_the_currencys_minor_unit():
    parts = split(Money.of("1000", "JPY"), rate("10"), prices_include_tax=True)
    assert (parts.net, parts.tax) == (Money.of("909", "JPY"), Money.of("91", "JPY"))


def test_no_tax_leaves_the_amount_whole_either_way():
    for included in (True, False):
        parts = split(Money.of("5.00", "EUR"), NO_TAX, prices_include_tax=included)
        assert (parts.net, parts.tax, parts.gross) == (
            Money.of("5.00", "EUR"),
            Money.zero("EUR"),
            Money.of("5.00", "EUR"),
        )


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("8.875", "8.875"), ("20.0000", "20"), ("0", "0"), ("100", "100"), ("7.5000", "7.5")],
)
def test_a_percentage_is_kept_without_trailing_zeros(sent, kept):
    assert str(tax_percent(Decimal(sent))) == kept


@pytest.mark.parametrize("sent", ["8.87501", "-0.5", "100.0001", "NaN", "Infinity", "abc"])
def test_a_percentage_outside_0_to_100_or_with_five_decimals_is_refused(sent):
    with pytest.raises(InvalidInput) as refused:
        tax_percent(sent)  # type: ignore[arg-type]
    assert refused.value.field == "percent"


def test_a_tax_class_code_is_upper_case_letters_digits_and_dashes():
    assert normalise_tax_class(" reduced-1 ") == "REDUCED-1"
    with pytest.raises(InvalidInput):
        normalise_tax_class("two words")
    with pytest.raises(InvalidInput):
        new_tax_class("ZERO", "")


def test_a_new_rate_keeps_its_region_as_the_iso_code_whatever_it_was_given_as():
    by_short_code = new_tax_rate("us", "ny", "reduced", Decimal("4.5"), " Sales  tax ")
    by_name = new_tax_rate("US", "New York", None, Decimal("4.5"), "Sales tax")
    assert by_short_code == TaxRate(
        country="US",
        region="US-NY",
        tax_class="REDUCED",
        percent=Decimal("4.5"),
        name="Sales tax",
    )
    assert by_name.region == "US-NY" and by_name.tax_class is None


@pytest.mark.parametrize(
    ("country", "region", "field"),
    [
        ("XX", None, "country"),
        ("", None, "country"),
        ("US", "Atlantis", "region"),
        ("GB", "US-NY", "region"),
    ],
)
def test_a_rate_in_no_known_place_is_refused(country, region, field):
    with pytest.raises(InvalidInput) as refused:
        new_tax_rate(country, region, None, Decimal(5), "Tax")
    assert refused.value.field == field
