"""Phone numbers: E.164 through phonenumbers, so a number typed two ways is one customer."""

import pytest

from domain.errors import InvalidInput
from domain.model.customers import normalise_phone, phone_search_key


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+44 (20) 7946-0958", "+442079460958"),
        ("+44.20.7946.0958", "+442079460958"),
        ("+44 (0)20 7946 0958", "+442079460958"),
        ("+1 (202) 555-0143", "+12025550143"),
        ("  +81 3-1234-5678 ", "+81312345678"),
    ],
)
def test_a_number_with_its_country_code_is_written_in_e164(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "region", "stored"),
    [
        ("020 7946 0958", "GB", "+442079460958"),
        ("0044 20 7946 0958", "GB", "+442079460958"),
        ("(202) 555-0143", "US", "+12025550143"),
        ("+44 20 7946 0958", "US", "+442079460958"),
    ],
)
def test_a_number_without_a_country_code_is_read_as_dialled_in_the_default_region(
    typed, region, stored
):
    assert normalise_phone(typed, region=region) == stored


def test_a_number_without_a_country_code_and_no_default_region_says_how_to_fix_it():
    with pytest.raises(InvalidInput, match=r"country code.*OMNIORDER_PHONE_REGION") as error:
        normalise_phone("020 7946 0958", field="customerPhone")

    assert error.value.field == "customerPhone"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "123456",
        "+1 555 0100",
        "+" + "9" * 20,
        "44+2079460958",
        "+44 20 7946 0958 ext 12",
        "\u0661\u0662\u0663\u0664\u0665\u0666",  # Arabic-Indic digits
        "12345\x006",
        "call me",
    ],
)
def test_what_phonenumbers_finds_no_valid_number_is_refused(typed):
    with pytest.raises(InvalidInput) as error:
        normalise_phone(typed, region="GB", field="customerPhone")

    assert error.value.field == "customerPhone"


def test_a_phone_typed_two_ways_normalises_to_one_number():
    assert normalise_phone("+44 20 7946 0958") == normalise_phone("020 7946 0958", region="GB")


@pytest.mark.parametrize(
    ("typed", "region", "key"),
    [
        ("7946-0958", None, "79460958"),
        ("+44 20", None, "+4420"),
        ("(020)", None, "020"),
        ("ada", None, None),
        ("+44 20 7946 0958", None, "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("020.7946", "GB", "207946"),
    ],
)
def test_a_search_for_part_of_a_phone_ignores_how_it_is_separated(typed, region, key):
    assert phone_search_key(typed, region=region) == key
