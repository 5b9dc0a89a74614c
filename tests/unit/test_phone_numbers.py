"""Phone numbers: one way to write each, so a number typed two ways is one customer."""

import pytest

from domain.errors import InvalidInput
from domain.model.customers import normalise_phone, phone_search_key


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+44 (20) 7946-0958", "+442079460958"),
        ("+44.20.7946.0958", "+442079460958"),
        ("  020 7946 0958 ", "02079460958"),
        ("(555) 010-0199", "5550100199"),
        ("123456", "123456"),
        ("+" + "9" * 20, "+" + "9" * 20),
    ],
)
def test_normalise_phone_keeps_a_leading_plus_and_the_digits(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "9" * 21,
        "+1 555",
        "555-CALL-NOW",
        "44+2079460958",
        "++442079460958",
        "+44 20 7946 0958 ext 12",
        "\u0661\u0662\u0663\u0664\u0665\u0666",  # Arabic-Indic digits
        "12345\x006",
    ],
)
def test_normalise_phone_refuses_what_is_not_6_to_20_digits(typed):
    with pytest.raises(InvalidInput) as error:
        normalise_phone(typed, field="customerPhone")

    assert error.value.field == "customerPhone"


def test_a_phone_typed_two_ways_normalises_to_one_number():
    assert normalise_phone("+1 202-555-0143") == normalise_phone("+1 (202) 555.0143")


@pytest.mark.parametrize(
    ("typed", "key"),
    [("7946-0958", "79460958"), ("+44 20", "+4420"), ("(020)", "020"), ("ada", None)],
)
def test_a_search_for_part_of_a_phone_ignores_how_it_is_separated(typed, key):
    assert phone_search_key(typed) == key
