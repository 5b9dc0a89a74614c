import pytest

from domain.errors import InvalidInput
from domain.model.customers import normalise_email


def test_normalise_email_trims_and_lower_cases_the_address():
    assert normalise_email("  Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com"


def test_normalise_email_accepts_an_address_of_254_characters():
    address = "a" * 242 + "@example.com"

    assert normalise_email(address) == address


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ada",
        "ada@example",
        "@example.com",
        "ada@@example.com",
        "a da@example.com",
        "a" * 243 + "@example.com",
    ],
)
def test_normalise_email_rejects_what_is_not_an_email_address(raw):
    with pytest.raises(InvalidInput) as error:
        normalise_email(raw, field="customerEmail")

    assert error.value.field == "customerEmail"
