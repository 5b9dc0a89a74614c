"""Email addresses: checked by email-validator (no DNS), written one way, all lower case."""

import pytest

from domain.errors import InvalidInput
from domain.model.customers import normalise_email


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Ada.Lovelace@Example.COM ", "ada.lovelace@example.com"),
        ("KIM.LEE@example.COM", "kim.lee@example.com"),
        ("user@EXÄMPLE.de", "user@exämple.de"),
        ("pat+orders@work.example", "pat+orders@work.example"),
    ],
)
def test_an_address_is_trimmed_and_written_in_lower_case(typed, stored):
    assert normalise_email(typed) == stored


def test_an_address_of_254_characters_is_accepted():
    address = "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 57, "com"])

    assert len(address) == 254
    assert normalise_email(address) == address


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ada",
        "ada@example",
        "@example.com",
        "ada@@example.com",
        "a da@example.com",
        "kim@",
        "ada@localhost",
        "ada@example.invalid",
        "a" * 243 + "@example.com",
        "a" * 64 + "@" + ".".join(["b" * 63] * 3 + ["com"]),
    ],
)
def test_what_is_not_an_email_address_is_refused_naming_the_field(typed):
    with pytest.raises(InvalidInput, match="is not an email address") as error:
        normalise_email(typed, field="customerEmail")

    assert error.value.field == "customerEmail"
