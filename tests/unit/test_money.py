from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.money import Money


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


@pytest.mark.parametrize("currency", ["eur", "Eur", "EU", "EURO", "E1R", "", "€UR"])
def test_of_rejects_currencies_that_are_not_three_upper_case_letters(currency):
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
