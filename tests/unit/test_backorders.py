"""Backordered orders: placed short, filled from arriving stock step by step."""

from datetime import UTC, datetime

import pytest

from domain.errors import InvalidTransition
from domain.model.inventory import MovementKind
from domain.model.locations import ChannelCode
from domain.model.orders import Allocation, FulfilmentMethod, Order, OrderLine, OrderStatus
from domain.money import Money

NOW = datetime(2026, 11, 25, tzinfo=UTC)
WAREHOUSE, STORE = 1, 2
CODES = {WAREHOUSE: "WH", STORE: "ST"}


def order(*allocated_of_wanted: tuple[int, int]) -> Order:
    """An order with one line per (allocated at the warehouse, wanted) pair."""
    placed = Order(
        channel=ChannelCode.WHOLESALE,
        fulfilment=FulfilmentMethod.SHIPPING,
        currency="USD",
        created_at=NOW,
        lines=[
            OrderLine(
                variant_id=10 + index,
                sku=f"SKU-{index}",
                name="thing",
                quantity=wanted,
                unit_price=Money.of("1.00", "USD"),
                allocations=[Allocation(WAREHOUSE, "WH", allocated)] if allocated else [],
            )
            for index, (allocated, wanted) in enumerate(allocated_of_wanted)
        ],
    )
    placed.record_placement("buyer", NOW)
    return placed


def test_an_order_placed_short_is_backordered_and_one_placed_whole_is_pending():
    assert order((2, 5)).status is OrderStatus.BACKORDERED
    assert order((5, 5)).status is OrderStatus.PENDING
    assert order((0, 3), (1, 1)).backordered == 3


def test_arrivals_allocate_in_location_order_and_the_last_one_makes_it_pending():
    short = order((2, 5), (0, 1))
    free = {(10, STORE): 1, (10, WAREHOUSE): 1}
    movements = short.fill_backorder(free, {STORE: "ST", WAREHOUSE: "WH"}, "clerk", NOW)
    assert [(m.location_id, m.kind, m.reserved_delta) for m in movements] == [
        (STORE, MovementKind.RESERVATION, 1),
        (WAREHOUSE, MovementKind.RESERVATION, 1),
    ]
    assert free == {(10, STORE): 0, (10, WAREHOUSE): 0}
    assert short.status is OrderStatus.BACKORDERED
    assert short.lines[0].backordered == 1
    assert [(a.location_code, a.quantity) for a in short.lines[0].allocations] == [
        ("WH", 3),
        ("ST", 1),
    ]
    short.fill_backorder({(10, STORE): 5, (11, STORE): 5}, CODES, "clerk", NOW)
    assert short.status is OrderStatus.PENDING
    assert [change.to_status for change in short.history] == [
        OrderStatus.BACKORDERED,
        OrderStatus.BACKORDERED,
        OrderStatus.PENDING,
    ]


def test_an_arrival_of_something_else_changes_nothing():
    short = order((2, 5))
    assert short.fill_backorder({(99, STORE): 5}, CODES, "clerk", NOW) == []
    assert len(short.history) == 1


def test_a_backordered_order_cannot_be_confirmed_or_shipped_but_can_be_cancelled():
    short = order((2, 5))
    with pytest.raises(InvalidTransition):
        short.confirm("clerk", NOW)
    released = short.cancel("clerk", NOW)
    assert [(m.location_id, m.reserved_delta) for m in released] == [(WAREHOUSE, -2)]
