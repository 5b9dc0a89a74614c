import pytest

from domain.errors import InvalidInput
from domain.model.locations import normalise_location_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" store-1 ", "STORE-1"), ("wh_north", "WH_NORTH"), ("9", "9"), ("L" * 32, "L" * 32)],
)
def test_normalise_location_code_trims_and_upper_cases_valid_codes(raw, expected):
    assert normalise_location_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", "-STORE", "_STORE", "STORE.1", "ST ORE", "L" * 33])
def test_normalise_location_code_rejects_codes_outside_the_allowed_shape(raw):
    with pytest.raises(InvalidInput) as error:
        normalise_location_code(raw, field="pickupLocationCode")

    assert error.value.field == "pickupLocationCode"
