from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.money import Money, currency_code


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("12.5", "12.50"), (12, "12.00"), (Decimal("0.10"), "0.10"), (" 7.1 ", "7.10")],
)
def test_of_accepts_str_int_and_decimal_amounts_and_keeps_two_decimals(amount, expected):
    money = Money.of(amount, "EUR")

    assert str(money.amount) == expected
    assert money.currency == "EUR"


@pytest.mark.parametrize("amount", ["abc", "", None, "-0.01", "NaN", "Infinity", "1.001"])
def test_of_rejects_amounts_that_are_not_a_non_negative_two_decimal_number(amount):
    with pytest.raises(InvalidInput) as error:
        Money.of(amount, "EUR")

    assert error.value.field == "price"


def test_of_reports_errors_against_the_field_it_is_given():
    with pytest.raises(InvalidInput) as error:
        Money.of("-1", "EUR", field="variants.2.price")

    assert error.value.field == "variants.2.price"


@pytest.mark.parametrize(
    "currency", ["eur", "Eur", "EU", "EURO", "E1R", "", "€UR", "XYZ", "DEM", "XAU", "XXX"]
)
def test_of_rejects_what_is_not_an_iso_4217_currency_with_a_minor_unit(currency):
    with pytest.raises(InvalidInput, match="ISO 4217"):
        Money.of("1.00", currency)


def test_of_rejects_currencies_with_non_ascii_letters():
    with pytest.raises(InvalidInput):
        Money.of("1.00", "ÉUR")


def test_of_rejects_an_amount_too_large_to_hold_two_decimals_as_invalid_input():
    with pytest.raises(InvalidInput):
        Money.of("1e30", "EUR")


def test_of_turns_negative_zero_into_plain_zero():
    assert str(Money.of("-0", "EUR").amount) == "0.00"


def test_zero_equals_an_amount_of_nothing_in_that_currency():
    assert Money.zero("GBP") == Money.of(0, "GBP")


def test_adding_money_sums_amounts_in_one_currency():
    assert Money.of("1.25", "EUR") + Money.of("2.80", "EUR") == Money.of("4.05", "EUR")


def test_adding_money_in_different_currencies_is_rejected():
    with pytest.raises(InvalidInput, match="cannot add USD to EUR"):
        Money.of("1.00", "EUR") + Money.of("1.00", "USD")


@pytest.mark.parametrize(
    ("price", "quantity", "expected"),
    [("19.99", 3, "59.97"), ("0.10", 0, "0.00"), ("2.50", 1, "2.50")],
)
def test_times_multiplies_the_amount_and_keeps_the_currency(price, quantity, expected):
    assert Money.of(price, "EUR").times(quantity) == Money(Decimal(expected), "EUR")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1500", "JPY", "1500"),
        ("9.99", "USD", "9.99"),
        ("1.25", "BHD", "1.250"),
        ("7", "KWD", "7.000"),
    ],
)
def test_an_amount_keeps_as_many_decimals_as_its_currency_has_minor_units(
    amount, currency, expected
):
    assert str(Money.of(amount, currency).amount) == expected


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("1.5", "JPY"), ("1500.5", "JPY"), ("9.999", "USD"), ("0.001", "EUR"), ("1.2345", "BHD")],
)
def test_an_amount_with_more_decimals_than_its_currency_has_is_refused(amount, currency):
    with pytest.raises(InvalidInput, match=f"more decimals than {currency} has") as error:
        Money.of(amount, currency, field="variants.0.price")

    assert error.value.field == "variants.0.price"


@pytest.mark.parametrize(
    ("amount", "currency", "units"),
    [("1500", "JPY", 1500), ("19.90", "USD", 1990), ("1.250", "BHD", 1250), ("0", "EUR", 0)],
)
def test_an_amount_is_stored_as_a_count_of_its_currencys_minor_units(amount, currency, units):
    money = Money.of(amount, currency)

    assert money.minor_units == units
    assert Money.from_minor_units(units, currency) == money


def test_a_code_iso_does_not_list_is_read_back_with_two_decimals_as_it_was_stored():
    assert str(Money.from_minor_units(1990, "XYZ").amount) == "19.90"


@pytest.mark.parametrize(("currency", "zero"), [("JPY", "0"), ("GBP", "0.00"), ("BHD", "0.000")])
def test_zero_has_the_currencys_decimals(currency, zero):
    assert str(Money.zero(currency).amount) == zero


def test_times_rounds_to_the_currencys_minor_unit():
    assert Money.of("0.125", "BHD").times(3) == Money.of("0.375", "BHD")
    assert Money.of("1500", "JPY").times(2).amount == Decimal("3000")


@pytest.mark.parametrize(("typed", "code"), [(" usd ", "USD"), ("jpy", "JPY"), ("Bhd", "BHD")])
def test_currency_code_reads_a_listed_code_in_any_case(typed, code):
    assert currency_code(typed, field="currency") == code


@pytest.mark.parametrize("typed", ["XYZ", "EURO", "", "XTS"])
def test_currency_code_refuses_a_code_iso_4217_does_not_list(typed):
    with pytest.raises(InvalidInput, match="not an ISO 4217 currency") as error:
        currency_code(typed, field="filter.currency")

    assert error.value.field == "filter.currency"
