"""Services: products performed at a location, booked into time slots, that use up goods.

A service (a product of kind SERVICE, domain/model/catalog.py) holds no stock. Per location
it has a **capacity**: how many bookings of it the location takes per time slot. Slots
tile each UTC day from midnight, `slot_minutes` long (60-minute slots start on the hour),
so `slot_minutes` divides a day. A booking holds a place in its slot while its order is
BOOKED or IN_SERVICE; cancelling or completing it frees the place.

A service may have a **recipe**: goods it uses up per unit performed (a colour treatment
uses a tube of dye). Completing the service consumes the recipe at the booking's location,
or, when the one who performed it reports what was actually used, that instead.

A booked service is an order (fulfilment SERVICE, one line of quantity 1 at the service's
price), so it has a history and events like any order; its lifecycle is in
domain/model/orders.py:

    BOOKED ──► IN_SERVICE ──► COMPLETED (consumables used up)
       └──► CANCELLED (its place in the slot freed)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.errors import InvalidInput
from domain.model.catalog import Variant
from domain.model.customers import Customer
from domain.model.identity import id_of
from domain.model.inventory import MovementKind, StockMovement
from domain.model.locations import ChannelCode, Location
from domain.model.orders import FulfilmentMethod, Order, OrderLine, OrderStatus

MINUTES_PER_DAY = 24 * 60
MAX_CAPACITY = 10_000
MAX_CONSUMABLES = 100
MAX_CONSUMABLE_QUANTITY = 100_000
BOOKING_HORIZON = timedelta(days=366)
MAX_SLOT_WINDOW = timedelta(days=31)  # the slots one query lists
MAX_OPEN_SLOTS = 3_000  # e.g. a month of 15-minute slots
A_DAY = timedelta(minutes=MINUTES_PER_DAY)
# The statuses whose booking holds a place in its slot.
HOLDS_PLACE = frozenset({OrderStatus.BOOKED, OrderStatus.IN_SERVICE})
# Channels a service is booked through: by people, not through the wholesale desk.
BOOKING_CHANNELS = (ChannelCode.WEB, ChannelCode.MOBILE, ChannelCode.POS)


@dataclass(frozen=True, slots=True)
class Consumable:
    """Units of one goods variant used up per unit of a service (or on one occasion)."""

    variant_id: int
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class ServiceCapacity:
    """How many bookings of a service a location takes per slot of `slot_minutes`."""

    variant_id: int
    location_id: int
    slot_minutes: int
    capacity: int

    def slot_of(self, at: datetime) -> datetime:
        return slot_start(at, self.slot_minutes)

    def slot_end(self, start: datetime) -> datetime:
        return start + timedelta(minutes=self.slot_minutes)


@dataclass(frozen=True, slots=True)
class Booking:
    """Where and when a service order is performed, and the slot it holds a place in."""

    order_id: int
    variant_id: int
    location_id: int
    location_code: str
    slot_start: datetime
    scheduled_at: datetime


# -- capacity and slots --------------------------------------------------------------------


def validate_capacity(slot_minutes: int, capacity: int) -> None:
    """A slot divides a day evenly (1 to 1440 minutes); a capacity of 0 takes no bookings."""
    if not 1 <= slot_minutes <= MINUTES_PER_DAY or MINUTES_PER_DAY % slot_minutes:
        raise InvalidInput(
            f"slotMinutes must divide a day ({MINUTES_PER_DAY} minutes) evenly, e.g. 15, 30, 60",
            field="slotMinutes",
        )
    if not 0 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(f"capacity must be 0 to {MAX_CAPACITY}", field="capacity")


def slot_start(at: datetime, slot_minutes: int) -> datetime:
    """The start of the slot `at` falls in: slots tile each UTC day from midnight."""
    at = at.astimezone(UTC)
    midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
    length = timedelta(minutes=slot_minutes)
    return midnight + ((at - midnight) // length) * length


def booked_slot(capacity: ServiceCapacity, scheduled_at: datetime, now: datetime) -> datetime:
    """The slot a booking for `scheduled_at` takes: one that has not ended (a walk-in joins
    the slot under way), at most BOOKING_HORIZON ahead."""
    if scheduled_at.tzinfo is None or scheduled_at.utcoffset() is None:
        raise InvalidInput(
            "scheduledAt needs a UTC offset, e.g. 2026-12-01T10:00:00Z", field="scheduledAt"
        )
    if scheduled_at > now + BOOKING_HORIZON:
        raise InvalidInput(
            f"a service is booked at most {BOOKING_HORIZON.days} days ahead", field="scheduledAt"
        )
    if scheduled_at <= now - A_DAY:  # no slot is longer than a day
        raise InvalidInput("scheduledAt is in a slot that has ended", field="scheduledAt")
    start = capacity.slot_of(scheduled_at)
    if capacity.slot_end(start) <= now:
        raise InvalidInput(
            f"the slot from {start:%Y-%m-%d %H:%M} UTC has ended", field="scheduledAt"
        )
    return start


@dataclass(frozen=True, slots=True)
class OpenSlot:
    """A slot that has not ended, and how many of its places bookings hold."""

    start: datetime
    end: datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        """Places left; never below 0 (a capacity lowered under its bookings)."""
        return max(self.capacity - self.booked, 0)


def slot_window(
    capacity: ServiceCapacity, start: datetime, end: datetime, now: datetime
) -> tuple[datetime, datetime]:
    """The slots a booking screen asks for between `start` and `end`, as (the start of the
    first one that has not ended by `now`, `end`): at most MAX_SLOT_WINDOW long, at most
    MAX_OPEN_SLOTS slots, and no further ahead than a booking may be made."""
    for name, at in (("from", start), ("to", end)):
        if at.tzinfo is None or at.utcoffset() is None:
            raise InvalidInput(f"{name} needs a UTC offset, e.g. 2026-12-01T10:00:00Z", field=name)
    if end <= start:
        raise InvalidInput("to must be after from", field="to")
    if end - start > MAX_SLOT_WINDOW:
        raise InvalidInput(f"ask for at most {MAX_SLOT_WINDOW.days} days of slots", field="to")
    if start > now + BOOKING_HORIZON:
        raise InvalidInput(
            f"slots are booked at most {BOOKING_HORIZON.days} days ahead", field="from"
        )
    end = min(end, now + BOOKING_HORIZON)
    first = capacity.slot_of(max(start, now))
    if (end - first) / timedelta(minutes=capacity.slot_minutes) > MAX_OPEN_SLOTS:
        raise InvalidInput(
            f"at most {MAX_OPEN_SLOTS} slots of {capacity.slot_minutes} minutes at once: "
            "ask for a shorter window",
            field="to",
        )
    return first, end.astimezone(UTC)


def open_slots(
    capacity: ServiceCapacity, booked: Mapping[datetime, int], window: tuple[datetime, datetime]
) -> list[OpenSlot]:
    """Every slot of a `slot_window`, with the places `booked` (by slot start) holds."""
    slot, end = window
    slots = []
    while slot < end:
        slot_end = capacity.slot_end(slot)
        slots.append(OpenSlot(slot, slot_end, capacity.capacity, booked.get(slot, 0)))
        slot = slot_end
    return slots


# -- the recipe ------------------------------------------------------------------------------


def validate_consumables(lines: Sequence[tuple[str, int]], field: str) -> None:
    """Consumables as (sku, quantity): SKUs once each, quantities 1 to 100,000."""
    if len(lines) > MAX_CONSUMABLES:
        raise InvalidInput(f"at most {MAX_CONSUMABLES} consumables", field=field)
    seen: set[str] = set()
    for index, (sku, quantity) in enumerate(lines):
        if sku in seen:
            raise InvalidInput(f"SKU {sku} appears twice", field=f"{field}.{index}.sku")
        seen.add(sku)
        if not 1 <= quantity <= MAX_CONSUMABLE_QUANTITY:
            raise InvalidInput(
                f"quantity must be 1 to {MAX_CONSUMABLE_QUANTITY}",
                field=f"{field}.{index}.quantity",
            )


# -- service orders --------------------------------------------------------------------------


def book(
    service: Variant,
    location: Location,
    customer: Customer | None,
    channel: ChannelCode,
    idempotency_key: str | None,
    actor: str,
    now: datetime,
) -> Order:
    """A new SERVICE order, BOOKED: one unit of the service at its list price, performed at
    `location` (which is where the customer comes, like a pickup store)."""
    if channel not in BOOKING_CHANNELS:
        raise InvalidInput(
            f"a service is booked on {', '.join(BOOKING_CHANNELS)}, not {channel}",
            field="channel",
        )
    order = Order(
        channel=channel,
        fulfilment=FulfilmentMethod.SERVICE,
        currency=service.price.currency,
        lines=[OrderLine(id_of(service), service.sku, service.name, 1, service.price)],
        created_at=now,
        customer_id=customer.id if customer else None,
        customer_email=customer.email if customer else None,
        pickup_location_id=location.id,
        pickup_location_code=location.code,
        idempotency_key=idempotency_key,
        status=OrderStatus.BOOKED,
    )
    order.record_creation(actor, now)
    return order


def require_service_order(order: Order) -> Order:
    if order.fulfilment is not FulfilmentMethod.SERVICE:
        raise InvalidInput(f"{order.label} is not a booked service", field="orderId")
    return order


def start(order: Order, actor: str, at: datetime, note: str | None = None) -> None:
    """BOOKED → IN_SERVICE."""
    require_service_order(order).transition(OrderStatus.IN_SERVICE, actor, at, note)


def cancel(order: Order, actor: str, at: datetime, note: str | None = None) -> None:
    """BOOKED → CANCELLED; the caller frees the booking's place in its slot."""
    require_service_order(order).transition(OrderStatus.CANCELLED, actor, at, note)


def complete(
    order: Order,
    booking: Booking,
    used: Sequence[Consumable],
    actor: str,
    at: datetime,
    note: str | None = None,
) -> list[StockMovement]:
    """IN_SERVICE → COMPLETED: what was used up leaves the booking's location's on hand
    (available units only: those reserved for orders stay)."""
    require_service_order(order).transition(OrderStatus.COMPLETED, actor, at, note)
    return [
        StockMovement(
            variant_id=consumable.variant_id,
            location_id=booking.location_id,
            kind=MovementKind.CONSUMPTION,
            on_hand_delta=-consumable.quantity,
            reserved_delta=0,
            reference=order.reference,
            actor=actor,
            occurred_at=at,
            note=f"used by {order.lines[0].sku}",
        )
        for consumable in used
    ]


def recipe_used(recipe: Sequence[Consumable], units: int = 1) -> list[Consumable]:
    """What `units` performances of a service use up by its recipe."""
    return [Consumable(c.variant_id, c.sku, c.quantity * units) for c in recipe]
