from datetime import UTC, datetime, timedelta, timezone
from itertools import product

import pytest

from domain.errors import InvalidInput, InvalidTransition
from domain.model.locations import ChannelCode
from domain.model.orders import (
    ALL_SHIPMENTS_DELIVERED,
    Allocation,
    FulfilmentMethod,
    Order,
    OrderLine,
    OrderStatus,
    ShipRequest,
)
from domain.model.shipments import (
    CLOCK_SKEW,
    MAX_DESCRIPTION,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    can_transition,
)
from domain.money import Money

S = ShipmentStatus
SHIPPED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
NOW = SHIPPED_AT + timedelta(days=2)
HOUR = timedelta(hours=1)

DIAGRAM = {
    (S.SHIPPED, S.IN_TRANSIT),
    (S.SHIPPED, S.EXCEPTION),
    (S.SHIPPED, S.DELIVERED),
    (S.IN_TRANSIT, S.IN_TRANSIT),  # another scan
    (S.IN_TRANSIT, S.EXCEPTION),
    (S.IN_TRANSIT, S.DELIVERED),
    (S.EXCEPTION, S.EXCEPTION),  # another problem reported
    (S.EXCEPTION, S.IN_TRANSIT),  # back on its way
    (S.EXCEPTION, S.DELIVERED),
}


def make_shipment(status=S.SHIPPED):
    return Shipment(
        "UPS", "1Z999", [ShipmentLine("TEE-S", "WH-EAST", 2)], SHIPPED_AT, status=status, id=3
    )


def track(shipment, status, at, description=None, now=NOW):
    return shipment.track(status, at, description, "courier-api", now)


@pytest.mark.parametrize(("current", "target"), list(product(S, S)))
def test_only_the_transitions_in_the_diagram_are_allowed(current, target):
    assert can_transition(current, target) == ((current, target) in DIAGRAM)


def test_a_new_shipment_is_shipped_and_has_no_tracking_yet():
    shipment = make_shipment()

    assert shipment.status is S.SHIPPED
    assert shipment.tracking == []
    assert shipment.timeline() == []


def test_each_event_moves_the_status_and_is_appended_to_the_history():
    shipment = make_shipment()

    first = track(shipment, S.IN_TRANSIT, SHIPPED_AT + HOUR, "  left the hub  ")
    track(shipment, S.IN_TRANSIT, SHIPPED_AT + 2 * HOUR, "arrived at depot")
    track(shipment, S.DELIVERED, SHIPPED_AT + 3 * HOUR)

    assert shipment.status is S.DELIVERED
    assert shipment.delivered
    assert [event.status for event in shipment.tracking] == [
        S.IN_TRANSIT,
        S.IN_TRANSIT,
        S.DELIVERED,
    ]
    assert (first.description, first.actor, first.recorded_at) == (
        "left the hub",
        "courier-api",
        NOW,
    )
    assert shipment.tracking[2].description is None


def test_an_exception_can_go_back_in_transit_and_still_be_delivered():
    shipment = make_shipment()

    track(shipment, S.EXCEPTION, SHIPPED_AT + HOUR, "held at customs")
    track(shipment, S.IN_TRANSIT, SHIPPED_AT + 2 * HOUR, "released")
    track(shipment, S.DELIVERED, SHIPPED_AT + 3 * HOUR)

    assert shipment.status is S.DELIVERED


def test_delivered_is_final():
    shipment = make_shipment()
    track(shipment, S.DELIVERED, SHIPPED_AT + HOUR)

    with pytest.raises(InvalidTransition, match="shipment UPS 1Z999 cannot go from DELIVERED"):
        track(shipment, S.IN_TRANSIT, SHIPPED_AT + 2 * HOUR)

    assert len(shipment.tracking) == 1


def test_shipped_is_only_where_a_shipment_starts():
    with pytest.raises(InvalidTransition):
        track(make_shipment(), S.SHIPPED, SHIPPED_AT + HOUR)


def test_an_event_older_than_the_latest_is_kept_but_leaves_the_status_alone():
    shipment = make_shipment()
    track(shipment, S.DELIVERED, SHIPPED_AT + 3 * HOUR)

    late = track(shipment, S.IN_TRANSIT, SHIPPED_AT + HOUR, "scanned at depot")

    assert late in shipment.tracking
    assert shipment.status is S.DELIVERED
    assert [(before, after) for _, before, after in shipment.timeline()] == [
        (S.SHIPPED, S.DELIVERED),
        (S.DELIVERED, S.DELIVERED),
    ]


def test_an_event_at_the_same_moment_as_the_latest_still_counts():
    shipment = make_shipment()
    track(shipment, S.IN_TRANSIT, SHIPPED_AT + HOUR)

    track(shipment, S.EXCEPTION, SHIPPED_AT + HOUR, "damaged")

    assert shipment.status is S.EXCEPTION


def test_a_repeated_event_is_a_retry_and_changes_nothing():
    shipment = make_shipment()
    track(shipment, S.DELIVERED, SHIPPED_AT + HOUR, "front door")

    repeat = track(shipment, S.DELIVERED, SHIPPED_AT + HOUR, "front door")

    assert repeat is None
    assert len(shipment.tracking) == 1


def test_times_are_kept_in_utc_whatever_zone_they_came_in():
    shipment = make_shipment()
    paris = timezone(timedelta(hours=2))

    event = track(shipment, S.IN_TRANSIT, datetime(2024, 5, 1, 15, 0, tzinfo=paris))

    assert event.occurred_at == datetime(2024, 5, 1, 13, 0, tzinfo=UTC)
    assert event.occurred_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("occurred_at", "description", "field", "message"),
    [
        (NOW + CLOCK_SKEW + timedelta(seconds=1), None, "occurredAt", "in the future"),
        (datetime(2024, 5, 1, 13, 0), None, "occurredAt", "needs a time zone"),
        (SHIPPED_AT + HOUR, "x" * (MAX_DESCRIPTION + 1), "description", "at most 500"),
    ],
)
def test_an_event_from_the_future_without_a_zone_or_too_wordy_is_refused(
    occurred_at, description, field, message
):
    shipment = make_shipment()

    with pytest.raises(InvalidInput, match=message) as refused:
        track(shipment, S.IN_TRANSIT, occurred_at, description)

    assert refused.value.field == field
    assert shipment.tracking == []


def test_a_carrier_clock_slightly_ahead_is_tolerated():
    shipment = make_shipment()

    track(shipment, S.IN_TRANSIT, NOW + CLOCK_SKEW)

    assert shipment.status is S.IN_TRANSIT


# -- the order follows its shipments -------------------------------------------------------


def make_order(status=OrderStatus.CONFIRMED):
    """Two T-shirts from WH-EAST and a mug from STORE-1."""
    return Order(
        channel=ChannelCode.WEB,
        fulfilment=FulfilmentMethod.SHIPPING,
        currency="EUR",
        lines=[
            OrderLine(
                10, "TEE-S", "T-shirt", 2, Money.of("10.00", "EUR"), [Allocation(1, "WH-EAST", 2)]
            ),
            OrderLine(20, "MUG", "Mug", 1, Money.of("4.50", "EUR"), [Allocation(2, "STORE-1", 1)]),
        ],
        created_at=SHIPPED_AT,
        status=status,
        number="SO-7",
        id=7,
    )


def ship(order, sku, quantity):
    shipment, _ = order.ship([ShipRequest(sku, quantity)], "UPS", sku, "clerk", SHIPPED_AT)
    return shipment


def test_an_order_is_delivered_when_its_last_shipment_is():
    order = make_order()
    tees, mugs = ship(order, "TEE-S", 2), ship(order, "MUG", 1)
    track(tees, S.DELIVERED, SHIPPED_AT + HOUR)
    first = order.follow_shipments("courier-api", NOW)

    track(mugs, S.DELIVERED, SHIPPED_AT + HOUR)
    second = order.follow_shipments("courier-api", NOW)

    assert (first, second) == (False, True)
    assert order.status is OrderStatus.DELIVERED
    change = order.history[-1]
    assert (change.from_status, change.to_status, change.actor, change.note) == (
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        "courier-api",
        ALL_SHIPMENTS_DELIVERED,
    )


def test_a_partly_shipped_order_waits_for_its_last_shipment_even_when_the_rest_is_delivered():
    order = make_order()
    tees = ship(order, "TEE-S", 2)
    track(tees, S.DELIVERED, SHIPPED_AT + HOUR)

    moved = order.follow_shipments("courier-api", NOW)

    assert not moved
    assert order.status is OrderStatus.PARTIALLY_SHIPPED


def test_a_delivery_exception_leaves_the_order_as_it_is():
    order = make_order()
    tees, mugs = ship(order, "TEE-S", 2), ship(order, "MUG", 1)
    track(tees, S.DELIVERED, SHIPPED_AT + HOUR)
    track(mugs, S.EXCEPTION, SHIPPED_AT + HOUR, "nobody home")

    assert not order.follow_shipments("courier-api", NOW)
    assert order.status is OrderStatus.SHIPPED


@pytest.mark.parametrize("status", [OrderStatus.DELIVERED, OrderStatus.PARTIALLY_RETURNED])
def test_an_order_already_past_shipped_does_not_move_again(status):
    order = make_order()
    tees, mugs = ship(order, "TEE-S", 2), ship(order, "MUG", 1)
    for shipment in (tees, mugs):
        track(shipment, S.DELIVERED, SHIPPED_AT + HOUR)
    order.status = status

    assert not order.follow_shipments("courier-api", NOW)
    assert order.status is status
