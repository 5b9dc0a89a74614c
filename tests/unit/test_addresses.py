"""Postal addresses: checked, normalised and formatted without any I/O."""

from dataclasses import replace

import pytest

from domain.errors import InvalidAddress
from domain.model.addresses import Address, checked_address

SPRINGFIELD = Address(
    line1=" 1  Main Street ",
    line2="Apt 4",
    city="Springfield",
    postal_code="62701",
    region="IL",
    country="us",
    name="Ada Lovelace",
    phone="(217) 555-0100",
)


def problems(address: Address) -> list[tuple[str | None, str]]:
    with pytest.raises(InvalidAddress) as raised:
        checked_address(address, field="shippingAddress")
    return [(part.field, part.message) for part in raised.value.parts()]


def test_a_valid_address_is_trimmed_and_written_one_way():
    checked = checked_address(SPRINGFIELD, field="shippingAddress")

    assert checked == Address(
        line1="1 Main Street",
        line2="Apt 4",
        city="Springfield",
        postal_code="62701",
        region="US-IL",
        country="US",
        name="Ada Lovelace",
        phone="+12175550100",
    )


@pytest.mark.parametrize(
    ("region", "code"),
    [("US-IL", "US-IL"), ("il", "US-IL"), ("Illinois", "US-IL"), ("  illinois ", "US-IL")],
)
def test_a_region_is_kept_as_its_subdivision_code(region, code):
    assert checked_address(replace(SPRINGFIELD, region=region), field="a").region == code


def test_a_region_name_matches_without_accents():
    paris = Address(line1="1 Rue", city="Paris", postal_code="75001", country="FR")

    assert checked_address(replace(paris, region="ile-de-france"), field="a").region == "FR-IDF"


def test_a_region_of_a_country_without_subdivisions_is_kept_as_typed():
    # Vatican City has no ISO 3166-2 subdivisions
    vatican = Address(line1="Piazza San Pietro", city="Vatican City", country="VA", region="Centro")

    assert checked_address(vatican, field="a").region == "Centro"


def test_a_region_that_is_not_one_of_the_country_is_refused():
    assert problems(replace(SPRINGFIELD, region="Bavaria")) == [
        (
            "shippingAddress.region",
            "'Bavaria' is not a region of US: give its ISO 3166-2 code (e.g. US-AK) or name",
        )
    ]


def test_a_phone_without_a_country_code_is_read_in_the_address_country():
    london = Address(line1="10 Downing St", city="London", postal_code="sw1a 2aa", country="GB")

    checked = checked_address(replace(london, phone="020 7946 0958"), field="a")

    assert (checked.phone, checked.postal_code) == ("+442079460958", "SW1A 2AA")


def test_every_field_at_fault_is_reported_at_its_own_path():
    broken = Address(line1=" ", city="", postal_code="6270", region="Narnia", country="US")

    assert [field for field, _ in problems(replace(broken, phone="12"))] == [
        "shippingAddress.line1",
        "shippingAddress.city",
        "shippingAddress.region",
        "shippingAddress.postalCode",
        "shippingAddress.phone",
    ]


@pytest.mark.parametrize("country", ["", "XX", "USA", "840"])
def test_a_country_must_be_an_iso_alpha_2_code(country):
    assert [field for field, _ in problems(replace(SPRINGFIELD, country=country, phone=None))] == [
        "shippingAddress.country"
    ]


@pytest.mark.parametrize(
    ("country", "postal_code", "valid"),
    [
        ("US", "62701-1234", True),
        ("US", "6270", False),
        ("GB", "EC1A 1BB", True),
        ("GB", "12345", False),
        ("CA", "K1A 0B1", True),
        ("NL", "1012 AB", True),
        ("DE", "1011", False),
        ("IE", "D02 X285", True),  # no pattern kept for Ireland: taken as typed
    ],
)
def test_postal_codes_are_checked_where_a_pattern_is_kept(country, postal_code, valid):
    address = Address(line1="1 Road", city="Town", postal_code=postal_code, country=country)

    if valid:
        assert checked_address(address, field="a").postal_code == postal_code
    else:
        assert [field for field, _ in problems(address)] == ["shippingAddress.postalCode"]


def test_a_postal_code_is_required_where_it_is_checked():
    assert problems(replace(SPRINGFIELD, postal_code=None)) == [
        ("shippingAddress.postalCode", "an address in US needs a postal code")
    ]


def test_texts_have_a_length_limit():
    assert [field for field, _ in problems(replace(SPRINGFIELD, company="x" * 201))] == [
        "shippingAddress.company"
    ]


def test_an_address_is_formatted_in_its_country_usual_order():
    us = checked_address(SPRINGFIELD, field="a")
    de = checked_address(
        Address(line1="Unter den Linden 1", city="Berlin", postal_code="10117", country="DE"),
        field="a",
    )

    assert us.formatted == [
        "Ada Lovelace",
        "1 Main Street",
        "Apt 4",
        "Springfield, IL 62701",
        "United States",
    ]
    assert de.formatted == ["Unter den Linden 1", "10117 Berlin", "Germany"]


def test_an_address_stored_as_free_text_shows_its_text_alone():
    legacy = Address(line1="1 Main Street, Springfield", country=None)

    assert (legacy.formatted, legacy.country_name) == (["1 Main Street, Springfield"], None)
