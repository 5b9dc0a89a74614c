"""Rules of categories and collections: slugs, names, the tree's shape, manual order."""

import pytest

from domain.errors import CategoryCycle, Duplicate, InvalidInput
from domain.model.categories import (
    MAX_SLUG_LENGTH,
    Collection,
    check_parent,
    checked_name,
    new_slug,
    place,
    slug_for,
    unique_ids,
)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Summer Shirts", "summer-shirts"),
        ("  Été & Plage: Robes! ", "ete-plage-robes"),
        ("T-Shirts -- 2026", "t-shirts-2026"),
        ("ÅNGSTRÖM", "angstrom"),
    ],
)
def test_a_slug_is_made_from_the_name_when_none_is_given(name, slug):
    assert slug_for(name, None) == slug


def test_a_made_slug_is_cut_to_the_longest_allowed_without_a_trailing_hyphen():
    slug = slug_for("a" * (MAX_SLUG_LENGTH - 1) + " b", None)
    assert slug == "a" * (MAX_SLUG_LENGTH - 1)


def test_a_name_without_letters_or_digits_needs_a_slug():
    with pytest.raises(InvalidInput) as refused:
        slug_for("!!! ???", None)
    assert refused.value.field == "slug"


def test_a_given_slug_is_kept_in_lower_case():
    assert slug_for("Anything", " Summer-Sale ") == "summer-sale"


@pytest.mark.parametrize(
    "slug", ["", "two  words", "under_score", "-leading", "trailing-", "double--hyphen", "é"]
)
def test_a_given_slug_must_be_words_of_letters_and_digits_joined_by_hyphens(slug):
    with pytest.raises(InvalidInput):
        slug_for("Name", slug)


def test_a_given_slug_may_not_be_too_long():
    with pytest.raises(InvalidInput):
        slug_for("Name", "a" * (MAX_SLUG_LENGTH + 1))


def test_a_name_is_trimmed_and_may_not_be_empty():
    assert checked_name("  Shoes ") == "Shoes"
    with pytest.raises(InvalidInput):
        checked_name("   ")


def test_a_category_may_move_under_a_category_outside_its_subtree():
    check_parent(5, [7, 2, 1])  # parent 7, whose ancestors are 2 and 1


@pytest.mark.parametrize("chain", [[5], [9, 5, 1], [3, 8, 5]])
def test_a_category_cannot_move_under_itself_or_below_itself(chain):
    with pytest.raises(CategoryCycle):
        check_parent(5, chain)


def test_place_puts_an_item_at_a_position_and_shifts_the_others_down():
    assert place([1, 2, 3], 9, 2, field="position") == [1, 9, 2, 3]
    assert place([1, 2, 3], 9, 1, field="position") == [9, 1, 2, 3]


def test_place_puts_an_item_last_without_a_position_or_past_the_end():
    assert place([1, 2], 9, None, field="position") == [1, 2, 9]
    assert place([1, 2], 9, 40, field="position") == [1, 2, 9]


def test_place_moves_an_item_already_in_the_list():
    assert place([1, 2, 3, 4], 4, 1, field="position") == [4, 1, 2, 3]


def test_place_refuses_a_position_below_one():
    with pytest.raises(InvalidInput):
        place([1], 2, 0, field="position")


def test_unique_ids_keep_their_order_and_refuse_repeats_and_too_many():
    assert unique_ids([3, 1, 2], field="ids", limit=3) == [3, 1, 2]
    with pytest.raises(Duplicate):
        unique_ids([1, 1], field="ids", limit=3)
    with pytest.raises(InvalidInput):
        unique_ids([1, 2, 3, 4], field="ids", limit=3)


def test_an_edit_asks_for_a_new_slug_only_when_it_changes_it():
    collection = Collection(name="Picks", slug="picks")
    assert new_slug(collection, None, None) is None
    assert new_slug(collection, "Summer Picks", " PICKS ") is None
    assert collection.name == "Summer Picks"
    assert new_slug(collection, None, "summer-picks") == "summer-picks"
    assert collection.slug == "picks"  # set by the caller once it is found free
