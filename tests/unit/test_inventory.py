from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInput
from domain.model.inventory import AdjustmentReason, MovementKind, StockLevel, adjustment

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
R = AdjustmentReason


def adjust(reason, delta, **extra):
    return adjustment(
        variant_id=3, location_id=8, delta=delta, reason=reason, actor="clerk", at=AT, **extra
    )


@pytest.mark.parametrize(
    ("reason", "delta"),
    [
        (R.RECEIVED, 5),
        (R.FOUND, 1),
        (R.DAMAGED, -2),
        (R.LOST, -1),
        (R.CORRECTION, 4),
        (R.CORRECTION, -4),
    ],
)
def test_adjustment_allows_the_direction_its_reason_permits(reason, delta):
    assert adjust(reason, delta).on_hand_delta == delta


@pytest.mark.parametrize(
    ("reason", "delta", "message"),
    [
        (R.RECEIVED, -5, "only add"),
        (R.FOUND, -1, "only add"),
        (R.DAMAGED, 2, "only remove"),
        (R.LOST, 1, "only remove"),
    ],
)
def test_adjustment_rejects_the_direction_its_reason_forbids(reason, delta, message):
    with pytest.raises(InvalidInput, match=message) as error:
        adjust(reason, delta)

    assert error.value.field == "delta"


@pytest.mark.parametrize("reason", list(R))
def test_adjustment_of_zero_units_is_rejected_for_every_reason(reason):
    with pytest.raises(InvalidInput, match="must change the quantity"):
        adjust(reason, 0)


def test_adjustment_is_a_movement_of_on_hand_units_only():
    movement = adjust(R.DAMAGED, -2, note="dropped", expected_on_hand=10)

    assert movement.kind is MovementKind.ADJUSTMENT
    assert (movement.on_hand_delta, movement.reserved_delta) == (-2, 0)
    assert movement.reason == "DAMAGED"
    assert (movement.actor, movement.occurred_at, movement.note) == ("clerk", AT, "dropped")
    assert movement.expected_on_hand == 10
    assert movement.level_key == (3, 8)


def test_adjustment_accepts_an_expected_on_hand_of_zero():
    assert adjust(R.RECEIVED, 3, expected_on_hand=0).expected_on_hand == 0


def test_adjustment_rejects_a_negative_expected_on_hand():
    with pytest.raises(InvalidInput) as error:
        adjust(R.RECEIVED, 3, expected_on_hand=-1)

    assert error.value.field == "expectedOnHand"


def test_available_units_are_those_on_hand_and_not_reserved():
    assert StockLevel(variant_id=1, location_id=2, on_hand=10, reserved=4).available == 6
