import pytest

from domain.errors import Duplicate, InvalidInput
from domain.model.catalog import ProductStatus, Variant, new_product, normalise_sku
from domain.money import Money


def variant(sku="TEE-S", name="Small", price="10.00", currency="EUR"):
    return Variant(sku=sku, name=name, price=Money.of(price, currency))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" tee-s ", "TEE-S"), ("a.b_c-1", "A.B_C-1"), ("0", "0"), ("X" * 64, "X" * 64)],
)
def test_normalise_sku_trims_and_upper_cases_valid_skus(raw, expected):
    assert normalise_sku(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "-TEE", ".TEE", "_TEE", "TEE S", "TEE/S", "X" * 65])
def test_normalise_sku_rejects_skus_outside_the_allowed_shape(raw):
    with pytest.raises(InvalidInput) as error:
        normalise_sku(raw, field="lines.3.sku")

    assert error.value.field == "lines.3.sku"


def test_new_product_keeps_its_variants_and_trims_its_name():
    variants = [variant("TEE-S"), variant("TEE-M", name="Medium")]

    product = new_product("  T-shirt ", "Cotton", variants, ProductStatus.ARCHIVED)

    assert product.name == "T-shirt"
    assert product.description == "Cotton"
    assert product.variants == variants
    assert product.status is ProductStatus.ARCHIVED


@pytest.mark.parametrize(
    ("name", "variants", "field"),
    [
        ("  ", [variant()], "name"),
        ("T-shirt", [], "variants"),
        ("T-shirt", [variant("TEE-S"), variant("TEE-M", name=" ")], "variants.1.name"),
    ],
)
def test_new_product_rejects_missing_names_and_variants(name, variants, field):
    with pytest.raises(InvalidInput) as error:
        new_product(name, "", variants, ProductStatus.ACTIVE)

    assert error.value.field == field


def test_new_product_rejects_a_sku_used_by_two_of_its_variants():
    variants = [variant("TEE-S"), variant("TEE-M"), variant("TEE-S")]

    with pytest.raises(Duplicate) as error:
        new_product("T-shirt", "", variants, ProductStatus.ACTIVE)

    assert error.value.field == "variants.2.sku"


def test_new_product_rejects_variants_priced_in_different_currencies():
    variants = [variant("TEE-S", currency="EUR"), variant("TEE-M", currency="USD")]

    with pytest.raises(InvalidInput):
        new_product("T-shirt", "", variants, ProductStatus.ACTIVE)
