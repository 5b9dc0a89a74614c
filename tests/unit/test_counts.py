from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInput, InvalidTransition
from domain.model.counts import (
    CountedLine,
    Snapshot,
    StockCount,
    StockCountLine,
    StockCountStatus,
    count_number,
)
from domain.model.inventory import AdjustmentReason, MovementKind

AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2024, 5, 1, 15, 0, tzinfo=UTC)
OPEN, SUBMITTED = StockCountStatus.OPEN, StockCountStatus.SUBMITTED


def open_count() -> StockCount:
    """A count at STORE-1 (location 3) expecting 5 T-shirts, 2 mugs and no caps."""
    snapshot = [Snapshot(10, "TEE-S", 5), Snapshot(11, "MUG", 2), Snapshot(12, "CAP", 0)]
    count = StockCount.start(3, "STORE-1", snapshot, "clerk", AT)
    count.id = 7
    return count


def test_a_new_count_is_open_and_expects_the_snapshot():
    count = open_count()
    assert count.status is OPEN
    assert [(line.sku, line.expected, line.counted) for line in count.lines] == [
        ("TEE-S", 5, None),
        ("MUG", 2, None),
        ("CAP", 0, None),
    ]
    assert [(c.from_status, c.to_status, c.actor) for c in count.history] == [(None, OPEN, "clerk")]
    assert (count.started_by, count.started_at) == ("clerk", AT)


def test_a_count_with_nothing_to_count_cannot_start():
    with pytest.raises(InvalidInput) as refused:
        StockCount.start(3, "STORE-1", [], "clerk", AT)
    assert refused.value.field == "skus"


def test_counts_are_numbered_from_their_id():
    assert count_number(42) == "SC-000042"
    assert open_count().number == "SC-000007"


def test_a_line_has_no_variance_until_it_is_counted():
    line = StockCountLine(10, "TEE-S", expected=5)
    assert line.variance is None
    line.counted = 3
    assert line.variance == -2


def test_submitting_posts_each_variance_as_a_correction_of_on_hand():
    count = open_count()
    movements = count.submit([CountedLine("TEE-S", 3), CountedLine("CAP", 1)], "boss", LATER)
    assert [(m.variant_id, m.location_id, m.on_hand_delta) for m in movements] == [
        (10, 3, -2),
        (12, 3, 1),
    ]
    for movement in movements:
        assert movement.kind is MovementKind.ADJUSTMENT
        assert movement.reason == AdjustmentReason.CORRECTION
        assert movement.reference == "count:7"
        assert (movement.reserved_delta, movement.damaged_delta) == (0, 0)
        assert (movement.actor, movement.occurred_at) == ("boss", LATER)
        assert movement.expected_on_hand is None  # applied to the level as it is now


def test_submitting_closes_the_count_and_records_who_did_it():
    count = open_count()
    count.submit([CountedLine("MUG", 2)], "boss", LATER)
    assert count.status is SUBMITTED
    assert (count.submitted_by, count.submitted_at) == ("boss", LATER)
    assert [(c.from_status, c.to_status) for c in count.history] == [
        (None, OPEN),
        (OPEN, SUBMITTED),
    ]


def test_a_line_counted_as_expected_moves_nothing():
    count = open_count()
    assert count.submit([CountedLine("MUG", 2)], "boss", LATER) == []
    assert count.lines[1].variance == 0


def test_lines_not_counted_are_left_alone():
    count = open_count()
    count.submit([CountedLine("TEE-S", 6)], "boss", LATER)
    assert [line.counted for line in count.lines] == [6, None, None]


def test_a_submitted_count_cannot_be_submitted_again():
    count = open_count()
    count.submit([CountedLine("TEE-S", 6)], "boss", LATER)
    with pytest.raises(InvalidTransition):
        count.submit([CountedLine("MUG", 1)], "boss", LATER)
    assert count.lines[1].counted is None


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([CountedLine("TEE-S", 5), CountedLine("SOCK", 1)], "lines.1.sku"),
        ([CountedLine("TEE-S", 5), CountedLine("TEE-S", 4)], "lines.1.sku"),
        ([CountedLine("TEE-S", 5), CountedLine("MUG", -1)], "lines.1.counted"),
        ([], "lines"),
    ],
    ids=["sku not in the count", "sku twice", "negative count", "nothing counted"],
)
def test_a_refused_submission_changes_nothing(lines, field):
    count = open_count()
    with pytest.raises(InvalidInput) as refused:
        count.submit(lines, "boss", LATER)
    assert refused.value.field == field
    assert count.status is OPEN
    assert [line.counted for line in count.lines] == [None, None, None]
    assert len(count.history) == 1
