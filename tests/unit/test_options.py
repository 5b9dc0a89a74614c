"""Rules of variant options and product attributes."""

import pytest

from domain.errors import Duplicate, InvalidInput, OptionCombinationTaken
from domain.model.options import (
    Attribute,
    ProductOption,
    SelectedOption,
    attribute_selection,
    attribute_slug,
    dropped_in_use,
    new_attribute,
    option_selection,
    product_options,
    require_distinct_combinations,
)

SIZE = ProductOption("Size", ("S", "M", "L"))
COLOUR = ProductOption("Colour", ("Red", "Blue"))


def test_options_keep_their_order_and_their_values_order_trimmed():
    options = product_options([(" Size ", ["M", " S "]), ("Colour", ["Red"])])

    assert options == (ProductOption("Size", ("M", "S")), ProductOption("Colour", ("Red",)))


@pytest.mark.parametrize(
    ("options", "error", "field"),
    [
        ([("Size", [])], InvalidInput, "options.0.values"),
        ([("", ["S"])], InvalidInput, "options.0"),
        ([("Size", ["S"]), ("SIZE", ["M"])], Duplicate, "options.1"),
        ([("Size", ["S", "s"])], Duplicate, "options.0.values.1"),
        ([(f"O{n}", ["A"]) for n in range(6)], InvalidInput, "options"),
    ],
)
def test_options_that_break_a_rule_are_refused_on_their_field(options, error, field):
    with pytest.raises(error) as raised:
        product_options(options)

    assert raised.value.field == field


def test_a_selection_is_in_the_products_option_order_and_spelling():
    selection = option_selection(
        [SIZE, COLOUR], [SelectedOption("colour", "blue"), SelectedOption(" SIZE", "m ")]
    )

    assert selection == (SelectedOption("Size", "M"), SelectedOption("Colour", "Blue"))


@pytest.mark.parametrize(
    ("selected", "error", "field"),
    [
        ([SelectedOption("Size", "M")], InvalidInput, "selectedOptions"),
        (
            [SelectedOption("Size", "XL"), SelectedOption("Colour", "Red")],
            InvalidInput,
            "selectedOptions.0.value",
        ),
        ([SelectedOption("Fit", "Slim")], InvalidInput, "selectedOptions.0.name"),
        (
            [
                SelectedOption("Size", "M"),
                SelectedOption("size", "L"),
                SelectedOption("Colour", "Red"),
            ],
            Duplicate,
            "selectedOptions.1.name",
        ),
    ],
)
def test_a_selection_names_one_known_value_of_every_option(selected, error, field):
    with pytest.raises(error) as raised:
        option_selection([SIZE, COLOUR], selected)

    assert raised.value.field == field


def test_a_product_without_options_takes_no_selection():
    assert option_selection([], []) == ()
    with pytest.raises(InvalidInput):
        option_selection([], [SelectedOption("Size", "M")])


def test_two_variants_may_not_have_one_combination_but_may_both_have_none():
    m_red = (SelectedOption("Size", "M"), SelectedOption("Colour", "Red"))
    require_distinct_combinations([(), ()])

    with pytest.raises(OptionCombinationTaken) as raised:
        require_distinct_combinations([m_red, (), m_red])

    assert raised.value.field == "variants.2.selectedOptions"
    assert "Size: M / Colour: Red" in raised.value.message


def test_dropped_values_in_use_are_named_whatever_their_case():
    used = {
        SelectedOption("Size", "M"),
        SelectedOption("Size", "S"),
        SelectedOption("Colour", "Red"),
    }

    dropped = dropped_in_use([ProductOption("size", ("m", "L")), COLOUR], used)

    assert dropped == [SelectedOption("Size", "S")]


@pytest.mark.parametrize(
    ("name", "slug", "expected"),
    [
        ("Fabric Care", None, "fabric-care"),
        ("  Brand!  ", None, "brand"),
        ("X", "my-slug-2", "my-slug-2"),
    ],
)
def test_an_attribute_slug_is_given_or_made_from_its_name(name, slug, expected):
    assert attribute_slug(name, slug) == expected


@pytest.mark.parametrize("slug", ["", "-a", "a--b", "a b", "é", "a" * 65])
def test_a_malformed_slug_is_refused(slug):
    with pytest.raises(InvalidInput) as raised:
        attribute_slug("Name", slug)

    assert raised.value.field == "slug"


def test_a_slug_that_cannot_be_made_from_a_name_blames_the_name():
    with pytest.raises(InvalidInput) as raised:
        new_attribute("!!!", None, [])

    assert raised.value.field == "name"


def test_a_products_attribute_values_use_the_definitions_spelling_and_name_the_new_ones():
    material = Attribute("Material", "material", ("Cotton", "Linen"))

    values, new = attribute_selection(material, ["linen", "Wool"], field="attributes.0.values")

    assert values == ("Linen", "Wool")
    assert new == ("Wool",)
