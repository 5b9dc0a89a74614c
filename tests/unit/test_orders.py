from datetime import UTC, datetime
from decimal import Decimal
from itertools import product

import pytest

from domain.errors import DomainError, InvalidInput, InvalidTransition
from domain.model.inventory import MovementKind
from domain.model.locations import ChannelCode
from domain.model.orders import (
    Allocation,
    FulfilmentMethod,
    Order,
    OrderLine,
    OrderStatus,
    ShipmentLine,
    ShipRequest,
    StatusChange,
    can_transition,
)
from domain.money import Money

S = OrderStatus
SHIPPING = FulfilmentMethod.SHIPPING
PICKUP = FulfilmentMethod.PICKUP
RESERVATION, RELEASE, SALE = MovementKind.RESERVATION, MovementKind.RELEASE, MovementKind.SALE
AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

DIAGRAM = {
    (SHIPPING, S.PENDING, S.CONFIRMED),
    (SHIPPING, S.PENDING, S.CANCELLED),
    (SHIPPING, S.CONFIRMED, S.PARTIALLY_SHIPPED),
    (SHIPPING, S.CONFIRMED, S.SHIPPED),
    (SHIPPING, S.CONFIRMED, S.CANCELLED),
    (SHIPPING, S.PARTIALLY_SHIPPED, S.PARTIALLY_SHIPPED),  # another partial shipment
    (SHIPPING, S.PARTIALLY_SHIPPED, S.SHIPPED),
    (SHIPPING, S.SHIPPED, S.DELIVERED),
    (SHIPPING, S.DELIVERED, S.COMPLETED),
    (PICKUP, S.PENDING, S.CONFIRMED),
    (PICKUP, S.PENDING, S.CANCELLED),
    (PICKUP, S.CONFIRMED, S.READY_FOR_PICKUP),
    (PICKUP, S.CONFIRMED, S.CANCELLED),
    (PICKUP, S.READY_FOR_PICKUP, S.COMPLETED),
    # a received return, once everything has shipped
    *(
        (SHIPPING, left, returned)
        for left in (S.SHIPPED, S.DELIVERED, S.COMPLETED)
        for returned in (S.PARTIALLY_RETURNED, S.RETURNED)
    ),
    (SHIPPING, S.PARTIALLY_RETURNED, S.PARTIALLY_RETURNED),  # another return
    (SHIPPING, S.PARTIALLY_RETURNED, S.RETURNED),
    (PICKUP, S.COMPLETED, S.PARTIALLY_RETURNED),
    (PICKUP, S.COMPLETED, S.RETURNED),
    (PICKUP, S.PARTIALLY_RETURNED, S.PARTIALLY_RETURNED),
    (PICKUP, S.PARTIALLY_RETURNED, S.RETURNED),
    # a counter sale (POS) is COMPLETED when it is recorded, then takes returns
    *(
        (FulfilmentMethod.COUNTER, taken, returned)
        for taken in (S.COMPLETED, S.PARTIALLY_RETURNED)
        for returned in (S.PARTIALLY_RETURNED, S.RETURNED)
    ),
    # a backorder: partly allocated from arriving stock, then whole, or given up
    *(
        (fulfilment, S.BACKORDERED, target)
        for fulfilment in (SHIPPING, PICKUP)
        for target in (S.BACKORDERED, S.PENDING, S.CANCELLED)
    ),
    # a booked service: performed, or called off before it starts; it takes no returns
    (FulfilmentMethod.SERVICE, S.BOOKED, S.IN_SERVICE),
    (FulfilmentMethod.SERVICE, S.BOOKED, S.CANCELLED),
    (FulfilmentMethod.SERVICE, S.IN_SERVICE, S.COMPLETED),
}


def make_order(fulfilment=SHIPPING, status=S.PENDING, *, all_shipped=False):
    """Five T-shirts and a mug: from two warehouses when shipped, from STORE-1 for pickup."""
    if fulfilment is SHIPPING:
        tee = [Allocation(1, "WH-EAST", 2), Allocation(2, "WH-WEST", 3)]
        mug = [Allocation(1, "WH-EAST", 1)]
        pickup = None
    else:
        tee, mug, pickup = [Allocation(3, "STORE-1", 5)], [Allocation(3, "STORE-1", 1)], "STORE-1"
    order = Order(
        channel=ChannelCode.WEB,
        fulfilment=fulfilment,
        currency="EUR",
        lines=[
            OrderLine(10, "TEE-S", "T-shirt S", 5, Money.of("10.00", "EUR"), tee),
            OrderLine(20, "MUG", "Mug", 1, Money.of("4.50", "EUR"), mug),
        ],
        created_at=AT,
        pickup_location_id=3 if pickup else None,
        pickup_location_code=pickup,
        status=status,
        number="O-7",
        id=7,
    )
    for allocation in allocations(order):
        allocation.fulfilled = allocation.quantity if all_shipped else 0
    return order


def allocations(order):
    return [a for line in order.lines for a in line.allocations]


def summary(movements):
    return [
        (m.variant_id, m.location_id, m.kind, m.on_hand_delta, m.reserved_delta) for m in movements
    ]


def ship(order, *requests, carrier="DHL", tracking="TRK-1"):
    return order.ship(list(requests), carrier, tracking, "kim", AT)


def test_can_transition_allows_exactly_the_moves_drawn_in_the_diagram():
    allowed = {step for step in product(FulfilmentMethod, S, S) if can_transition(*step)}

    assert allowed == DIAGRAM


def test_record_placement_starts_the_history_at_pending():
    order = make_order()

    order.record_placement("web", AT)

    assert order.history == [StatusChange(None, S.PENDING, "web", AT)]


def test_confirm_records_who_confirmed_when_and_why():
    order = make_order()

    order.confirm("kim", AT, "paid by card")

    assert order.status is S.CONFIRMED
    assert order.history == [StatusChange(S.PENDING, S.CONFIRMED, "kim", AT, "paid by card")]


def test_a_shipping_order_walks_from_placement_to_completion_one_history_entry_a_step():
    order = make_order()
    order.record_placement("web", AT)

    order.confirm("kim", AT)
    ship(order, ShipRequest("TEE-S", 5))
    ship(order, ShipRequest("MUG", 1))
    order.mark_delivered("kim", AT)
    order.complete("kim", AT)

    assert [(h.from_status, h.to_status) for h in order.history] == [
        (None, S.PENDING),
        (S.PENDING, S.CONFIRMED),
        (S.CONFIRMED, S.PARTIALLY_SHIPPED),
        (S.PARTIALLY_SHIPPED, S.SHIPPED),
        (S.SHIPPED, S.DELIVERED),
        (S.DELIVERED, S.COMPLETED),
    ]


def test_a_pickup_order_walks_from_placement_to_completion_one_history_entry_a_step():
    order = make_order(PICKUP)
    order.record_placement("pos", AT)

    order.confirm("kim", AT)
    order.mark_ready_for_pickup("kim", AT, "on the shelf")
    order.complete("kim", AT)

    assert [(h.from_status, h.to_status, h.note) for h in order.history] == [
        (None, S.PENDING, None),
        (S.PENDING, S.CONFIRMED, None),
        (S.CONFIRMED, S.READY_FOR_PICKUP, "on the shelf"),
        (S.READY_FOR_PICKUP, S.COMPLETED, None),
    ]


@pytest.mark.parametrize(
    ("fulfilment", "status", "step"),
    [
        (SHIPPING, S.CONFIRMED, "confirm"),
        (SHIPPING, S.CANCELLED, "confirm"),
        (SHIPPING, S.CONFIRMED, "mark_ready_for_pickup"),
        (SHIPPING, S.PARTIALLY_SHIPPED, "cancel"),
        (SHIPPING, S.SHIPPED, "cancel"),
        (SHIPPING, S.SHIPPED, "complete"),
        (SHIPPING, S.COMPLETED, "mark_delivered"),
        (PICKUP, S.CONFIRMED, "mark_delivered"),
        (PICKUP, S.CONFIRMED, "complete"),
        (PICKUP, S.READY_FOR_PICKUP, "cancel"),
        (PICKUP, S.PENDING, "mark_ready_for_pickup"),
    ],
)
def test_a_refused_step_leaves_status_history_and_stock_alone(fulfilment, status, step):
    order = make_order(fulfilment, status)

    with pytest.raises(InvalidTransition, match=f"{fulfilment} order O-7 cannot go from {status}"):
        getattr(order, step)("kim", AT)

    assert order.status is status
    assert order.history == []
    assert [a.fulfilled for a in allocations(order)] == [0] * len(allocations(order))


def test_reservations_hold_every_allocated_unit_where_it_is_allocated():
    movements = make_order().reservations("web", AT)

    assert summary(movements) == [
        (10, 1, RESERVATION, 0, 2),
        (10, 2, RESERVATION, 0, 3),
        (20, 1, RESERVATION, 0, 1),
    ]
    assert {(m.reference, m.actor, m.occurred_at) for m in movements} == {("order:7", "web", AT)}


@pytest.mark.parametrize("status", [S.PENDING, S.CONFIRMED])
def test_cancel_releases_every_reserved_unit(status):
    order = make_order(status=status)

    movements = order.cancel("kim", AT, "customer changed mind")

    assert order.status is S.CANCELLED
    assert summary(movements) == [
        (10, 1, RELEASE, 0, -2),
        (10, 2, RELEASE, 0, -3),
        (20, 1, RELEASE, 0, -1),
    ]
    assert order.history[-1].note == "customer changed mind"


def test_pickup_order_cannot_ship():
    order = make_order(PICKUP, S.CONFIRMED)

    with pytest.raises(
        InvalidTransition, match=r"PICKUP order .* cannot go from CONFIRMED to SHIPPED"
    ):
        ship(order, ShipRequest("TEE-S", 1))

    assert order.shipments == []
    assert [a.fulfilled for a in allocations(order)] == [0, 0]


def test_shipping_everything_turns_reservations_into_sales_and_records_a_shipment():
    order = make_order(status=S.CONFIRMED)

    shipment, movements = ship(
        order, ShipRequest("TEE-S", 5), ShipRequest("MUG", 1), carrier=" DHL ", tracking=" 42 "
    )

    assert order.status is S.SHIPPED
    assert summary(movements) == [
        (10, 1, SALE, -2, -2),
        (10, 2, SALE, -3, -3),
        (20, 1, SALE, -1, -1),
    ]
    assert (shipment.carrier, shipment.tracking_number, shipment.shipped_at) == ("DHL", "42", AT)
    assert shipment.lines == [
        ShipmentLine("TEE-S", "WH-EAST", 2),
        ShipmentLine("TEE-S", "WH-WEST", 3),
        ShipmentLine("MUG", "WH-EAST", 1),
    ]
    assert order.shipments == [shipment]


def test_an_order_stays_partially_shipped_until_its_last_unit_ships():
    order = make_order(status=S.CONFIRMED)

    ship(order, ShipRequest("TEE-S", 1))
    ship(order, ShipRequest("TEE-S", 4))
    after_tees = order.status
    ship(order, ShipRequest("MUG", 1))

    assert after_tees is S.PARTIALLY_SHIPPED
    assert order.status is S.SHIPPED
    assert [line.fulfilled for line in order.lines] == [5, 1]
    assert len(order.shipments) == 3


@pytest.mark.parametrize(
    ("location_code", "expected"),
    [
        (None, [ShipmentLine("TEE-S", "WH-EAST", 2), ShipmentLine("TEE-S", "WH-WEST", 1)]),
        ("WH-WEST", [ShipmentLine("TEE-S", "WH-WEST", 3)]),
    ],
)
def test_ship_draws_allocations_in_order_unless_told_which_location(location_code, expected):
    shipment, _ = ship(make_order(status=S.CONFIRMED), ShipRequest("TEE-S", 3, location_code))

    assert shipment.lines == expected


@pytest.mark.parametrize(
    ("requests", "field", "message"),
    [
        ([], "lines", "at least one line"),
        ([ShipRequest("HAT", 1)], "lines.0.sku", "no line for SKU HAT"),
        ([ShipRequest("TEE-S", 0)], "lines.0.quantity", "must be positive"),
        ([ShipRequest("TEE-S", 6)], "lines.0.quantity", "5 left to ship, 6 requested"),
        ([ShipRequest("TEE-S", 3, "WH-EAST")], "lines.0.quantity", "2 left to ship"),
        ([ShipRequest("MUG", 1), ShipRequest("MUG", 1)], "lines.1.quantity", "0 left to ship"),
    ],
)
def test_ship_refuses_requests_the_order_cannot_honour(requests, field, message):
    order = make_order(status=S.CONFIRMED)

    with pytest.raises(InvalidInput, match=message) as error:
        ship(order, *requests)

    assert error.value.field == field
    assert order.status is S.CONFIRMED


@pytest.mark.parametrize(("carrier", "tracking"), [(" ", "TRK-1"), ("DHL", "")])
def test_a_shipment_needs_a_carrier_and_a_tracking_number(carrier, tracking):
    with pytest.raises(InvalidInput, match="carrier and a tracking number"):
        ship(
            make_order(status=S.CONFIRMED),
            ShipRequest("MUG", 1),
            carrier=carrier,
            tracking=tracking,
        )


@pytest.mark.parametrize(
    ("status", "requests"),
    [
        (S.PENDING, [ShipRequest("TEE-S", 1)]),
        (S.CANCELLED, [ShipRequest("TEE-S", 1)]),
        (S.CONFIRMED, [ShipRequest("TEE-S", 1), ShipRequest("HAT", 1)]),
    ],
    ids=["pending", "cancelled", "second-request-invalid"],
)
def test_a_refused_shipment_leaves_the_order_untouched(status, requests):
    order = make_order(status=status)

    with pytest.raises(DomainError):
        ship(order, *requests)

    assert [a.fulfilled for a in allocations(order)] == [0, 0, 0]


@pytest.mark.parametrize("status", [S.SHIPPED, S.DELIVERED, S.COMPLETED])
def test_shipping_an_order_that_already_left_is_an_invalid_transition(status):
    order = make_order(status=status, all_shipped=True)

    with pytest.raises(InvalidTransition):
        ship(order, ShipRequest("MUG", 1))


def test_completing_a_pickup_sells_every_unit_the_customer_takes_away():
    order = make_order(PICKUP, S.READY_FOR_PICKUP)

    movements = order.complete("kim", AT)

    assert order.status is S.COMPLETED
    assert summary(movements) == [(10, 3, SALE, -5, -5), (20, 3, SALE, -1, -1)]
    assert [line.fulfilled for line in order.lines] == [5, 1]


def test_completing_a_delivered_order_moves_no_stock():
    order = make_order(SHIPPING, S.DELIVERED, all_shipped=True)

    assert order.complete("kim", AT) == []
    assert order.status is S.COMPLETED


def test_order_total_is_the_sum_of_price_times_quantity_of_its_lines():
    assert make_order().total == Money(Decimal("54.50"), "EUR")


def test_an_order_touches_every_location_it_is_allocated_at():
    order = make_order()

    assert order.location_codes == {"WH-EAST", "WH-WEST"}
    assert order.location_code(2) == "WH-WEST"


def test_a_pickup_order_touches_its_pickup_store_even_with_nothing_allocated():
    order = make_order(PICKUP)
    for line in order.lines:
        line.allocations.clear()

    assert order.location_codes == {"STORE-1"}
