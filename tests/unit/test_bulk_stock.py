"""The rules of a bulk change of stock levels, without a database."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.errors import InsufficientStock, InvalidInput, NotFound, StaleQuantity
from domain.model.bulk_stock import (
    MAX_LINES,
    Batch,
    StockLine,
    line_movements,
    line_skus,
    stocked_variants,
)
from domain.model.catalog import ProductKind, Variant
from domain.model.inventory import AdjustmentReason, StockLevel, adjustment, refusal
from domain.model.locations import Location, LocationKind
from domain.money import Money

AT = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
STORE = Location("ST-B", "Store", LocationKind.STORE, id=2)
TEE = Variant("TEE-S", "S", Money.of(Decimal("9.90"), "USD"), id=1)
MUG = Variant("MUG", "Mug", Money.of(Decimal("5.00"), "USD"), id=3)
LEVELS = {(1, 2): StockLevel(1, 2, on_hand=5, reserved=2), (3, 2): StockLevel(3, 2, 4, 0)}


def batch(reason=AdjustmentReason.CORRECTION):
    return Batch(STORE, reason, "count", "clerk", AT)


def movements(*lines, reason=AdjustmentReason.CORRECTION):
    variants = [TEE if line.sku == "TEE-S" else MUG for line in lines]
    return line_movements(batch(reason), lines, variants, LEVELS)


def test_skus_are_normalised_in_line_order():
    assert line_skus([StockLine(" tee-s", on_hand=1), StockLine("mug", delta=2)]) == [
        "TEE-S",
        "MUG",
    ]


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([], "quantities"),
        ([StockLine(f"S-{n}", on_hand=1) for n in range(MAX_LINES + 1)], "quantities"),
        ([StockLine("MUG", on_hand=1), StockLine("mug", delta=1)], "quantities.1.sku"),
        ([StockLine("MUG", on_hand=1, delta=1)], "quantities.0.onHand"),
        ([StockLine("MUG")], "quantities.0.onHand"),
        ([StockLine("MUG", on_hand=-1)], "quantities.0.onHand"),
        ([StockLine("MUG", delta=1, expected_on_hand=-1)], "quantities.0.expectedOnHand"),
    ],
)
def test_a_batch_must_name_each_sku_once_with_exactly_one_target(lines, field):
    with pytest.raises(InvalidInput) as refused:
        line_skus(lines)
    assert refused.value.field == field


def test_a_thousand_lines_are_allowed():
    assert len(line_skus([StockLine(f"S-{n}", delta=1) for n in range(MAX_LINES)])) == MAX_LINES


def test_an_unknown_sku_or_a_service_is_named_by_its_line():
    service = Variant("FIT", "Fitting", TEE.price, id=9, kind=ProductKind.SERVICE)
    with pytest.raises(NotFound) as unknown:
        stocked_variants(["TEE-S", "NOPE"], {"TEE-S": TEE})
    with pytest.raises(InvalidInput) as not_stocked:
        stocked_variants(["FIT"], {"FIT": service})
    assert (unknown.value.field, not_stocked.value.field) == (
        "quantities.1.sku",
        "quantities.0.sku",
    )


def test_on_hand_becomes_the_difference_and_delta_itself():
    set_tee, add_mugs = movements(StockLine("TEE-S", on_hand=9), StockLine("MUG", delta=-4))
    assert set_tee is not None and add_mugs is not None
    assert (set_tee.on_hand_delta, add_mugs.on_hand_delta) == (4, -4)
    assert (set_tee.reason, set_tee.note, set_tee.actor) == ("CORRECTION", "count", "clerk")


def test_a_line_that_changes_nothing_makes_no_movement():
    assert movements(StockLine("TEE-S", on_hand=5), StockLine("MUG", delta=0)) == [None, None]


def test_on_hand_may_not_fall_below_what_is_reserved():
    with pytest.raises(InsufficientStock) as refused:
        movements(StockLine("MUG", delta=1), StockLine("TEE-S", on_hand=1))
    assert refused.value.field == "quantities.1.onHand"
    assert refused.value.message == "SKU TEE-S: 3 available at ST-B, 4 requested"


def test_on_hand_may_not_go_below_zero():
    with pytest.raises(InsufficientStock) as refused:
        movements(StockLine("MUG", delta=-5))
    assert refused.value.field == "quantities.0.delta"


def test_an_expected_quantity_must_still_hold_even_when_nothing_changes():
    with pytest.raises(StaleQuantity) as refused:
        movements(StockLine("MUG", on_hand=3, expected_on_hand=3))
    assert refused.value.field == "quantities.0.expectedOnHand"
    assert movements(StockLine("MUG", on_hand=4, expected_on_hand=4)) == [None]


def test_the_reason_limits_each_line_as_it_limits_an_adjustment():
    with pytest.raises(InvalidInput) as refused:
        movements(StockLine("MUG", on_hand=1), reason=AdjustmentReason.FOUND)
    assert refused.value.field == "quantities.0.onHand"
    (damaged,) = movements(StockLine("MUG", on_hand=1), reason=AdjustmentReason.DAMAGED)
    assert damaged is not None and (damaged.on_hand_delta, damaged.damaged_delta) == (-3, 3)


def take(delta):
    return adjustment(
        variant_id=1, location_id=2, delta=delta, reason=AdjustmentReason.LOST, actor="a", at=AT
    )


def test_refusal_allows_what_the_level_can_give():
    assert refusal(take(-3), LEVELS[1, 2], "TEE-S", "ST-B") is None


def test_refusal_names_what_is_short():
    refused = refusal(take(-4), LEVELS[1, 2], "TEE-S", "ST-B", field="delta")
    assert isinstance(refused, InsufficientStock)
    assert (refused.available, refused.requested, refused.field) == (3, 4, "delta")
