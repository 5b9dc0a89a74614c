import pytest

from domain.errors import InsufficientStock
from domain.model.allocation import Allotment, LineDemand, allocate

NAMES = {1: "WH-EAST", 2: "WH-WEST", 3: "STORE-1"}


def tee(quantity, variant_id=10, sku="TEE-S"):
    return LineDemand(variant_id=variant_id, sku=sku, quantity=quantity)


def stock(units_by_location):
    """Units of variant 10 available at each location."""
    return {(10, location): units for location, units in units_by_location.items()}


@pytest.mark.parametrize(
    ("candidates", "available", "expected"),
    [
        ([1, 2], stock({1: 5, 2: 5}), Allotment(1, 3)),
        ([2, 1], stock({1: 5, 2: 5}), Allotment(2, 3)),
        ([1, 2], stock({1: 2, 2: 5}), Allotment(2, 3)),
        ([1, 2, 3], stock({2: 1, 3: 3}), Allotment(3, 3)),
    ],
    ids=["first-fills", "channel-order-not-id-order", "skips-partial", "exactly-enough"],
)
def test_a_line_comes_whole_from_the_first_location_that_can_fill_it(
    candidates, available, expected
):
    assert allocate([tee(3)], candidates, available, NAMES) == [[expected]]


def test_a_line_is_split_in_candidate_order_only_when_no_location_can_fill_it():
    plan = allocate([tee(6)], [3, 1, 2], stock({1: 2, 2: 5, 3: 1}), NAMES)

    assert plan == [[Allotment(3, 1), Allotment(1, 2), Allotment(2, 3)]]


def test_a_split_takes_nothing_from_empty_oversold_or_non_candidate_locations():
    available = stock({1: -2, 3: 2, 4: 2, 5: 9})

    plan = allocate([tee(4)], [1, 2, 3, 4], available, NAMES)

    assert plan == [[Allotment(3, 2), Allotment(4, 2)]]


def test_lines_for_the_same_variant_draw_on_one_running_balance():
    plan = allocate([tee(3), tee(3)], [1, 2], stock({1: 4, 2: 4}), NAMES)

    assert plan == [[Allotment(1, 3)], [Allotment(2, 3)]]


def test_lines_for_different_variants_do_not_share_a_balance():
    available = {(10, 1): 3, (11, 1): 3}

    plan = allocate([tee(3), tee(3, variant_id=11, sku="TEE-M")], [1], available, NAMES)

    assert plan == [[Allotment(1, 3)], [Allotment(1, 3)]]


def test_an_order_cannot_promise_the_same_unit_twice():
    with pytest.raises(InsufficientStock) as error:
        allocate([tee(3), tee(3)], [1], stock({1: 4}), NAMES)

    assert (error.value.available, error.value.requested) == (1, 3)
    assert error.value.field == "lines.1"


def test_insufficient_stock_names_the_sku_what_is_available_and_where():
    demands = [tee(1, variant_id=11, sku="TEE-M"), tee(8)]

    with pytest.raises(InsufficientStock) as error:
        allocate(demands, [1, 3], stock({1: 3, 2: 50, 3: 4}) | {(11, 1): 1}, NAMES)

    assert error.value.sku == "TEE-S"
    assert (error.value.available, error.value.requested) == (7, 8)
    assert error.value.location == "WH-EAST, STORE-1"
    assert error.value.field == "lines.1"
    assert "SKU TEE-S: 7 available" in error.value.message


@pytest.mark.parametrize(
    ("candidates", "where"),
    [([], "no location"), ([7], "7")],
    ids=["no-candidates", "unnamed-location"],
)
def test_insufficient_stock_says_where_it_looked_even_without_names(candidates, where):
    with pytest.raises(InsufficientStock) as error:
        allocate([tee(1)], candidates, {}, NAMES)

    assert (error.value.location, error.value.available) == (where, 0)


def test_a_backorder_takes_what_there_is_in_channel_order_and_leaves_the_rest():
    [allotments] = allocate([tee(9)], [2, 1, 3], stock({1: 4, 2: 3}), NAMES, allow_backorder=True)
    assert allotments == [Allotment(2, 3), Allotment(1, 4)]


def test_a_backorder_with_no_stock_anywhere_takes_nothing():
    assert allocate([tee(2)], [1, 2], {}, NAMES, allow_backorder=True) == [[]]
