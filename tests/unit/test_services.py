"""Services: slots aligned to the clock, bookings, the service steps and what they use up."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.errors import InvalidInput, InvalidTransition
from domain.model import services
from domain.model.catalog import ProductKind, Variant, require_goods
from domain.model.customers import Customer
from domain.model.inventory import MovementKind
from domain.model.locations import ChannelCode, Location, LocationKind
from domain.model.orders import FulfilmentMethod, Order, OrderLine, OrderStatus
from domain.model.services import Booking, Consumable, ServiceCapacity
from domain.money import Money

S = OrderStatus
NOW = datetime(2026, 12, 1, 10, 37, tzinfo=UTC)
CUT = Variant("CUT", "Haircut", Money.of("30.00", "EUR"), id=5, kind=ProductKind.SERVICE)
SALON = Location("ST-B", "Salon", LocationKind.STORE, id=2)
ADA = Customer(email="ada@example.com", name="Ada", id=9)
HOURLY = ServiceCapacity(variant_id=5, location_id=2, slot_minutes=60, capacity=3)
DYE = Consumable(variant_id=7, sku="DYE", quantity=2)
GLOVES = Consumable(variant_id=8, sku="GLOVES", quantity=1)


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def booked(status: OrderStatus = S.BOOKED) -> Order:
    order = services.book(CUT, SALON, ADA, ChannelCode.WEB, None, "ada", NOW)
    order.id, order.number, order.status = 41, "SO-000041", status
    return order


BOOKING = Booking(41, 5, 2, "ST-B", at(11), at(11, 15))

# -- slots ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "minutes", "start"),
    [
        (at(10, 37), 60, at(10)),  # 60-minute slots start on the hour
        (at(10, 0), 60, at(10)),  # the first instant of a slot is in it
        (at(10, 59), 60, at(10)),  # and its last minute
        (at(10, 37), 15, at(10, 30)),
        (at(2, 59), 90, at(1, 30)),  # 90-minute slots from midnight: 0:00, 1:30, 3:00…
        (at(23, 59), 1440, at(0)),  # a day-long slot is the UTC day
    ],
)
def test_a_slot_starts_on_the_clock_from_utc_midnight(moment, minutes, start):
    assert services.slot_start(moment, minutes) == start


def test_a_time_with_another_offset_falls_in_its_utc_slot():
    in_paris = datetime(2026, 12, 1, 12, 10, tzinfo=timezone(timedelta(hours=2)))

    assert services.slot_start(in_paris, 60) == at(10)


@pytest.mark.parametrize("minutes", [0, -15, 7, 25, 1441])
def test_a_slot_that_does_not_divide_a_day_is_refused(minutes):
    with pytest.raises(InvalidInput) as refused:
        services.validate_capacity(minutes, 1)

    assert refused.value.field == "slotMinutes"


def test_a_capacity_is_zero_to_ten_thousand():
    services.validate_capacity(30, 0)
    services.validate_capacity(30, 10_000)
    for capacity in (-1, 10_001):
        with pytest.raises(InvalidInput):
            services.validate_capacity(30, capacity)


def test_a_booking_takes_the_slot_its_time_falls_in():
    assert services.booked_slot(HOURLY, at(14, 45), NOW) == at(14)


def test_a_walk_in_joins_the_slot_under_way_but_not_one_that_has_ended():
    assert services.booked_slot(HOURLY, at(10, 5), NOW) == at(10)
    with pytest.raises(InvalidInput, match="has ended"):
        services.booked_slot(HOURLY, at(9, 59), NOW)


@pytest.mark.parametrize(
    "long_ago",
    [at(10, day=1) - timedelta(days=2), datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))],
)
def test_a_time_long_past_is_in_a_slot_that_has_ended(long_ago):
    with pytest.raises(InvalidInput, match="has ended"):
        services.booked_slot(HOURLY, long_ago, NOW)


def test_a_booking_needs_a_utc_offset_and_at_most_a_year_ahead():
    with pytest.raises(InvalidInput, match="UTC offset"):
        services.booked_slot(HOURLY, datetime(2026, 12, 1, 14, 0), NOW)
    with pytest.raises(InvalidInput, match="366 days"):
        services.booked_slot(HOURLY, NOW + timedelta(days=367), NOW)


# -- booking ---------------------------------------------------------------------------------


def test_open_slots_start_with_the_one_under_way_and_count_places_left():
    window = services.slot_window(HOURLY, at(8), at(13), NOW)
    slots = services.open_slots(HOURLY, {at(10): 1, at(12): 4}, window)

    assert window == (at(10), at(13))
    assert [(s.start, s.end, s.booked, s.free) for s in slots] == [
        (at(10), at(11), 1, 2),
        (at(11), at(12), 0, 3),
        (at(12), at(13), 4, 0),  # the capacity was lowered under its bookings
    ]


def test_a_window_ends_by_the_slot_it_reaches_into():
    slots = services.open_slots(HOURLY, {}, services.slot_window(HOURLY, at(11), at(12, 1), NOW))

    assert [s.start for s in slots] == [at(11), at(12)]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (at(12), at(11), "to must be after from"),
        (at(12), at(12, day=2) + timedelta(days=31), "at most 31 days"),
        (at(12).replace(tzinfo=None), at(13), "from needs a UTC offset"),
        (at(12), at(13).replace(tzinfo=None), "to needs a UTC offset"),
        (NOW + timedelta(days=367), NOW + timedelta(days=368), "at most 366 days ahead"),
    ],
)
def test_a_window_is_forward_bounded_and_in_utc(start, end, message):
    with pytest.raises(InvalidInput, match=message):
        services.slot_window(HOURLY, start, end, NOW)


def test_a_window_ends_where_bookings_can_no_longer_be_made():
    window = services.slot_window(
        HOURLY, NOW + timedelta(days=365), at(23, day=31) + timedelta(days=365), NOW
    )

    assert window[1] == NOW + services.BOOKING_HORIZON


def test_a_window_of_too_many_short_slots_is_refused():
    minutely = ServiceCapacity(variant_id=5, location_id=2, slot_minutes=1, capacity=1)

    assert (
        len(services.open_slots(minutely, {}, services.slot_window(minutely, at(11), at(12), NOW)))
        == 60
    )
    with pytest.raises(InvalidInput, match="at most 3000 slots"):
        services.slot_window(minutely, at(11), at(11, day=4), NOW)


def test_a_booked_service_is_an_order_of_one_unit_at_its_price():
    order = services.book(CUT, SALON, ADA, ChannelCode.POS, "key-1", "till", NOW)

    assert (order.fulfilment, order.status, order.channel) == (
        FulfilmentMethod.SERVICE,
        S.BOOKED,
        ChannelCode.POS,
    )
    assert [(line.sku, line.quantity, line.unit_price) for line in order.lines] == [
        ("CUT", 1, Money.of("30.00", "EUR"))
    ]
    assert order.total == Money.of("30.00", "EUR")
    assert (order.customer_email, order.idempotency_key) == ("ada@example.com", "key-1")
    assert order.location_codes == {"ST-B"}  # staff there see it, and hear of it
    assert [(h.from_status, h.to_status, h.actor) for h in order.history] == [
        (None, S.BOOKED, "till")
    ]


def test_a_service_is_not_booked_through_the_wholesale_desk():
    with pytest.raises(InvalidInput) as refused:
        services.book(CUT, SALON, ADA, ChannelCode.WHOLESALE, None, "ada", NOW)

    assert refused.value.field == "channel"


def test_a_service_holds_no_stock_so_stock_paths_refuse_it():
    with pytest.raises(InvalidInput, match=r"CUT is a service.*bookService") as refused:
        require_goods(CUT, field="lines.0.sku", instead="book it with bookService")

    assert refused.value.field == "lines.0.sku"
    tee = Variant("TEE", "T-shirt", Money.of("10.00", "EUR"), id=6)
    assert require_goods(tee, field="sku") is tee


# -- the service steps -----------------------------------------------------------------------


def test_a_booked_service_starts_then_completes_using_up_what_it_used():
    order = booked()

    services.start(order, "kim", at(11, 20))
    movements = services.complete(order, BOOKING, [DYE, GLOVES], "kim", at(11, 50), "all done")

    assert order.status is S.COMPLETED
    assert [(h.from_status, h.to_status, h.note) for h in order.history[1:]] == [
        (S.BOOKED, S.IN_SERVICE, None),
        (S.IN_SERVICE, S.COMPLETED, "all done"),
    ]
    assert [
        (m.variant_id, m.location_id, m.kind, m.on_hand_delta, m.reserved_delta, m.reference)
        for m in movements
    ] == [
        (7, 2, MovementKind.CONSUMPTION, -2, 0, "order:41"),
        (8, 2, MovementKind.CONSUMPTION, -1, 0, "order:41"),
    ]


def test_a_recipe_is_used_up_once_per_unit_performed():
    assert services.recipe_used([DYE, GLOVES]) == [DYE, GLOVES]
    assert services.recipe_used([DYE], 3) == [Consumable(7, "DYE", 6)]


def test_a_service_not_yet_started_cannot_complete():
    with pytest.raises(InvalidTransition):
        services.complete(booked(), BOOKING, [DYE], "kim", NOW)


def test_a_started_service_is_completed_not_cancelled():
    order = booked(S.IN_SERVICE)

    with pytest.raises(InvalidTransition):
        services.cancel(order, "kim", NOW)


def test_a_booked_service_may_be_cancelled_once():
    order = booked()

    services.cancel(order, "ada", NOW, "cannot make it")

    assert order.status is S.CANCELLED
    with pytest.raises(InvalidTransition):
        services.start(order, "kim", NOW)


def test_the_service_steps_refuse_an_order_of_goods():
    goods = Order(
        channel=ChannelCode.WEB,
        fulfilment=FulfilmentMethod.SHIPPING,
        currency="EUR",
        lines=[OrderLine(6, "TEE", "T-shirt", 1, Money.of("10.00", "EUR"))],
        created_at=NOW,
        number="SO-000001",
    )

    with pytest.raises(InvalidInput, match="not a booked service") as refused:
        services.start(goods, "kim", NOW)

    assert refused.value.field == "orderId"


def test_consumables_name_each_sku_once_in_sensible_quantities():
    services.validate_consumables([("DYE", 2), ("GLOVES", 100_000)], "consumables")
    with pytest.raises(InvalidInput) as twice:
        services.validate_consumables([("DYE", 1), ("DYE", 1)], "consumables")
    with pytest.raises(InvalidInput) as none:
        services.validate_consumables([("DYE", 0)], "consumablesUsed")

    assert twice.value.field == "consumables.1.sku"
    assert none.value.field == "consumablesUsed.0.quantity"
