"""Orders: lines priced at placement, allocations per location, and a state machine.

    PENDING ──► CONFIRMED ──► PARTIALLY_SHIPPED ──► SHIPPED ──► DELIVERED ──► COMPLETED
       │            │    └──────────────────────────►┘
       │            ├──► READY_FOR_PICKUP ──► COMPLETED            (PICKUP orders)
       └────────────┴──► CANCELLED                                  (reservations released)

    BACKORDERED ──► BACKORDERED (part of the missing stock allocated) ──► PENDING (all of it)
       └──► CANCELLED          (an order placed with allowBackorder while stock was short)

    Once units have left (PARTIALLY_SHIPPED, SHIPPED, DELIVERED, COMPLETED), a received
    return moves the order to PARTIALLY_RETURNED, or to RETURNED when every unit that left
    has come back; a PARTIALLY_RETURNED order may take further returns.

    A COUNTER order (a POS sale, synced by its terminal) is COMPLETED when it is recorded:
    the customer took the goods at the till. It then takes returns like any other.

    A SHIPPED order becomes DELIVERED by hand, or by itself once the carrier reports every
    one of its shipments delivered (tracking: domain/model/shipments.py).

    BOOKED ──► IN_SERVICE ──► COMPLETED    (SERVICE orders: a booked service, one line;
       └──► CANCELLED                        its booking and recipe: domain/model/services.py)

    A started service is not cancelled: it is completed, reporting what it used up. A
    SERVICE order moves only through the service steps, and takes no returns.

Every transition, and only a transition allowed here, appends to the order's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidInput, InvalidTransition
from domain.model.addresses import Address
from domain.model.identity import id_of
from domain.model.inventory import MovementKind, StockMovement
from domain.model.lifecycle import StatusChange, Tracked
from domain.model.locations import ChannelCode
from domain.model.order_pricing import ShippingCharge, TaxedAmount
from domain.model.promotions import LineDiscount
from domain.model.shipments import Shipment, ShipmentLine
from domain.model.taxes import NO_TAX
from domain.money import Money


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    READY_FOR_PICKUP = "READY_FOR_PICKUP"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    PARTIALLY_RETURNED = "PARTIALLY_RETURNED"
    RETURNED = "RETURNED"
    BACKORDERED = "BACKORDERED"
    BOOKED = "BOOKED"  # a service booked for a time slot
    IN_SERVICE = "IN_SERVICE"  # the service is being performed


class FulfilmentMethod(StrEnum):
    SHIPPING = "SHIPPING"
    PICKUP = "PICKUP"
    COUNTER = "COUNTER"  # sold and handed over at a store's till (syncPosSales)
    SERVICE = "SERVICE"  # a service performed at a location (bookService)


ALL_SHIPMENTS_DELIVERED = "all shipments delivered"
S = OrderStatus
RETURNS = frozenset({S.PARTIALLY_RETURNED, S.RETURNED})  # where a received return leads
# Waiting for stock: each arrival that allocates some of it is a step, the last one to PENDING.
BACKORDER = {S.BACKORDERED: frozenset({S.BACKORDERED, S.PENDING, S.CANCELLED})}
TRANSITIONS: dict[FulfilmentMethod, dict[OrderStatus, frozenset[OrderStatus]]] = {
    FulfilmentMethod.SHIPPING: {
        S.PENDING: frozenset({S.CONFIRMED, S.CANCELLED}),
        S.CONFIRMED: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
        # No returns while units are still to ship: the order must finish shipping first.
        S.PARTIALLY_SHIPPED: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED}),
        S.SHIPPED: frozenset({S.DELIVERED}) | RETURNS,
        S.DELIVERED: frozenset({S.COMPLETED}) | RETURNS,
        S.COMPLETED: RETURNS,
        S.PARTIALLY_RETURNED: RETURNS,
        **BACKORDER,
    },
    FulfilmentMethod.PICKUP: {
        S.PENDING: frozenset({S.CONFIRMED, S.CANCELLED}),
        S.CONFIRMED: frozenset({S.READY_FOR_PICKUP, S.CANCELLED}),
        S.READY_FOR_PICKUP: frozenset({S.COMPLETED}),
        S.COMPLETED: RETURNS,
        S.PARTIALLY_RETURNED: RETURNS,
        **BACKORDER,
    },
    FulfilmentMethod.COUNTER: {
        S.COMPLETED: RETURNS,
        S.PARTIALLY_RETURNED: RETURNS,
    },
    FulfilmentMethod.SERVICE: {
        S.BOOKED: frozenset({S.IN_SERVICE, S.CANCELLED}),
        S.IN_SERVICE: frozenset({S.COMPLETED}),
    },
}


def can_transition(method: FulfilmentMethod, current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[method].get(current, frozenset())


@dataclass
class Allocation:
    """Units of one line reserved at one location; `fulfilled` of them have left."""

    location_id: int
    location_code: str
    quantity: int
    fulfilled: int = 0
    id: int | None = None

    @property
    def outstanding(self) -> int:
        return self.quantity - self.fulfilled


@dataclass
class OrderLine:
    variant_id: int
    sku: str
    name: str
    quantity: int
    unit_price: Money  # as the channel lists it (with or without tax), before discounts
    allocations: list[Allocation] = field(default_factory=list)
    id: int | None = None
    discounts: tuple[LineDiscount, ...] = ()
    # Net, tax and gross after discounts (domain/model/order_pricing.py); None for a line
    # with neither discount nor tax, whose total is its unit price times its quantity.
    amounts: TaxedAmount | None = None

    @property
    def undiscounted_total(self) -> Money:
        return self.unit_price.times(self.quantity)

    @property
    def discount_total(self) -> Money:
        return Money.total(
            (discount.amount for discount in self.discounts), self.unit_price.currency
        )

    @property
    def taxed(self) -> TaxedAmount:
        """Its net and tax: as priced, or for a line never priced, all net and untaxed."""
        if self.amounts is not None:
            return self.amounts
        net = self.undiscounted_total - self.discount_total
        return TaxedAmount(net, Money.zero(net.currency), NO_TAX.name, NO_TAX.percent)

    @property
    def total(self) -> Money:
        """What the customer pays for the line: after discounts, with tax."""
        return self.taxed.gross

    @property
    def paid_unit_price(self) -> Money:
        """What one unit cost the customer, on average over the line: what a returned unit
        gives back."""
        return paid_unit_price(self.total, self.quantity)

    def value_of(self, units: int, before: int = 0) -> Money:
        """What `units` of the line are worth, when `before` units of it were counted
        already (shipped, billed, returned): the line's total shared out by units, so that
        its parts, however split, always add up to the whole of it."""
        return self._share(before + units) - self._share(before)

    def _share(self, units: int) -> Money:
        total = self.total
        if units >= self.quantity:
            return total
        return Money.rounded(total.amount * units / self.quantity, total.currency)

    @property
    def fulfilled(self) -> int:
        return sum(allocation.fulfilled for allocation in self.allocations)

    @property
    def backordered(self) -> int:
        """Units ordered but not yet allocated anywhere: they wait for stock to arrive."""
        return self.quantity - sum(allocation.quantity for allocation in self.allocations)

    def allocate(self, location_id: int, location_code: str, units: int) -> Allocation:
        """Reserve `units` more at a location, adding to what is already allocated there."""
        allocation = next((a for a in self.allocations if a.location_id == location_id), None)
        if allocation is None:
            allocation = Allocation(location_id, location_code, 0)
            self.allocations.append(allocation)
        allocation.quantity += units
        return allocation


def paid_unit_price(total: Money, quantity: int) -> Money:
    """What one unit of a line of `quantity` units that cost `total` cost, on average."""
    return Money.rounded(total.amount / quantity, total.currency)


@dataclass(frozen=True, slots=True)
class ShipRequest:
    """Ship `quantity` units of `sku`, optionally only from one location."""

    sku: str
    quantity: int
    location_code: str | None = None


@dataclass
class Order(Tracked[OrderStatus]):
    channel: ChannelCode
    fulfilment: FulfilmentMethod
    currency: str
    lines: list[OrderLine]
    created_at: datetime
    customer_id: int | None = None
    customer_email: str | None = None
    shipping_address: Address | None = None  # a snapshot: the customer's book may change
    # Where the customer comes: the store a PICKUP order is collected from, or where a
    # SERVICE is performed (its booking's location).
    pickup_location_id: int | None = None
    pickup_location_code: str | None = None
    # The key the client sent, unique within the space of the caller that sent it (see
    # Principal.idempotency_scope); both are written with a new order, and only then used.
    idempotency_key: str | None = None
    idempotency_scope: str | None = None
    status: OrderStatus = OrderStatus.PENDING
    history: list[StatusChange] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)
    number: str | None = None
    id: int | None = None
    prices_include_tax: bool = True
    shipping: ShippingCharge | None = None

    @property
    def subtotal(self) -> Money:
        """What the goods cost: the lines after discounts, with tax."""
        return Money.total((line.total for line in self.lines), self.currency)

    @property
    def total(self) -> Money:
        """What the customer pays: the subtotal and the shipping."""
        goods = self.subtotal
        return goods if self.shipping is None else goods + self.shipping.amounts.gross

    @property
    def discount_total(self) -> Money:
        return Money.total((line.discount_total for line in self.lines), self.currency)

    @property
    def tax_total(self) -> Money:
        return Money.total((amount.tax for amount in self.taxed_amounts()), self.currency)

    def taxed_amounts(self) -> list[TaxedAmount]:
        """The amounts a tax summary adds up: each line's, then the shipping's."""
        amounts = [line.taxed for line in self.lines]
        return amounts if self.shipping is None else [*amounts, self.shipping.amounts]

    @property
    def location_codes(self) -> set[str]:
        """Every location the order touches: where it is allocated, and its pickup store."""
        codes = {a.location_code for line in self.lines for a in line.allocations}
        if self.pickup_location_code:
            codes.add(self.pickup_location_code)
        return codes

    def location_code(self, location_id: int) -> str:
        return next(
            a.location_code
            for line in self.lines
            for a in line.allocations
            if a.location_id == location_id
        )

    @property
    def reference(self) -> str:
        return f"order:{self.id}"

    # -- the state machine -----------------------------------------------------------
    def allowed_transitions(self) -> dict[OrderStatus, frozenset[OrderStatus]]:
        return TRANSITIONS[self.fulfilment]

    @property
    def label(self) -> str:
        return f"{self.fulfilment} order {self.number or self.id}"

    def record_placement(self, actor: str, at: datetime, note: str | None = None) -> None:
        """Placed: PENDING, or BACKORDERED when some units could not be allocated; `note`
        says what the history should keep of it (a credit limit an admin overrode)."""
        if any(line.backordered for line in self.lines):
            self.status = OrderStatus.BACKORDERED
        self.record_creation(actor, at, note)

    @property
    def backordered(self) -> int:
        return sum(line.backordered for line in self.lines)

    def fill_backorder(
        self,
        free: dict[tuple[int, int], int],
        location_codes: Mapping[int, str],
        actor: str,
        at: datetime,
    ) -> list[StockMovement]:
        """Allocate backordered units from stock that arrived; a step forward when any is.

        `free` maps (variant_id, location_id) to units free to reserve, at the locations this
        order may be filled from, in the order to draw from them (`location_codes`); what the
        order takes is subtracted, so the next order sees what is left.
        """
        movements: list[StockMovement] = []
        taken: list[str] = []
        for line in self.lines:
            wanted = line.backordered
            for location_id, location_code in location_codes.items():
                units = min(wanted, free.get((line.variant_id, location_id), 0))
                if units <= 0:
                    continue
                free[(line.variant_id, location_id)] -= units
                wanted -= units
                allocation = line.allocate(location_id, location_code, units)
                movements.append(
                    self._movement(line, allocation, MovementKind.RESERVATION, 0, units, actor, at)
                )
                taken.append(f"{units} of {line.sku} at {location_code}")
        if movements:
            target = OrderStatus.BACKORDERED if self.backordered else OrderStatus.PENDING
            self.transition(target, actor, at, "allocated from arrived stock: " + ", ".join(taken))
        return movements

    def reservations(self, actor: str, at: datetime) -> list[StockMovement]:
        return [
            self._movement(line, a, MovementKind.RESERVATION, 0, a.quantity, actor, at)
            for line in self.lines
            for a in line.allocations
            if a.quantity
        ]

    def confirm(self, actor: str, at: datetime, note: str | None = None) -> None:
        self.transition(OrderStatus.CONFIRMED, actor, at, note)

    def cancel(self, actor: str, at: datetime, note: str | None = None) -> list[StockMovement]:
        """Cancel and give back every reserved unit."""
        self.transition(OrderStatus.CANCELLED, actor, at, note)
        return [
            self._movement(line, a, MovementKind.RELEASE, 0, -a.outstanding, actor, at)
            for line in self.lines
            for a in line.allocations
            if a.outstanding
        ]

    def ship(
        self,
        requests: list[ShipRequest],
        carrier: str,
        tracking_number: str,
        actor: str,
        at: datetime,
    ) -> tuple[Shipment, list[StockMovement]]:
        """Ship some units: their reservations become sales, and a shipment is recorded."""
        if self.fulfilment is not FulfilmentMethod.SHIPPING or self.status not in (
            OrderStatus.CONFIRMED,
            OrderStatus.PARTIALLY_SHIPPED,
        ):
            raise InvalidTransition(
                f"{self.fulfilment} order {self.number or self.id}",
                self.status,
                OrderStatus.SHIPPED,
            )
        if not requests:
            raise InvalidInput("ship at least one line", field="lines")
        if not carrier.strip() or not tracking_number.strip():
            raise InvalidInput("a shipment needs a carrier and a tracking number", field="carrier")
        # Decide every draw first, so a bad request later in the list changes nothing.
        drawn: dict[int, int] = {}
        draws = [
            (line, allocation, units)
            for index, request in enumerate(requests)
            for line in [self._line_for(request.sku, index)]
            for allocation, units in self._draw(line, request, index, drawn)
        ]
        movements: list[StockMovement] = []
        shipped: list[ShipmentLine] = []
        for line, allocation, units in draws:
            allocation.fulfilled += units
            movements.append(
                self._movement(line, allocation, MovementKind.SALE, -units, -units, actor, at)
            )
            shipped.append(ShipmentLine(line.sku, allocation.location_code, units))
        everything_shipped = all(line.fulfilled == line.quantity for line in self.lines)
        target = OrderStatus.SHIPPED if everything_shipped else OrderStatus.PARTIALLY_SHIPPED
        self.transition(target, actor, at)
        shipment = Shipment(carrier.strip(), tracking_number.strip(), shipped, at)
        self.shipments.append(shipment)
        return shipment, movements

    def mark_ready_for_pickup(self, actor: str, at: datetime, note: str | None = None) -> None:
        self.transition(OrderStatus.READY_FOR_PICKUP, actor, at, note)

    def mark_delivered(self, actor: str, at: datetime, note: str | None = None) -> None:
        self.transition(OrderStatus.DELIVERED, actor, at, note)

    def follow_shipments(self, actor: str, at: datetime) -> bool:
        """SHIPPED (everything left) and every shipment delivered → DELIVERED; says whether
        the order moved. A partly shipped order waits for its last shipment."""
        if self.status is not OrderStatus.SHIPPED or not self.shipments:
            return False
        if not all(shipment.delivered for shipment in self.shipments):
            return False
        self.transition(OrderStatus.DELIVERED, actor, at, ALL_SHIPMENTS_DELIVERED)
        return True

    def complete(self, actor: str, at: datetime, note: str | None = None) -> list[StockMovement]:
        """Complete; for a pickup the customer takes the goods, so reservations become sales."""
        was_awaiting_pickup = self.status is OrderStatus.READY_FOR_PICKUP
        self.transition(OrderStatus.COMPLETED, actor, at, note)
        if not was_awaiting_pickup:
            return []
        movements = []
        for line in self.lines:
            for allocation in line.allocations:
                units = allocation.outstanding
                if units:
                    allocation.fulfilled += units
                    movements.append(
                        self._movement(
                            line, allocation, MovementKind.SALE, -units, -units, actor, at
                        )
                    )
        return movements

    def record_returned(
        self, returned: Mapping[int, int], actor: str, at: datetime, note: str | None = None
    ) -> None:
        """Units came back: `returned` holds, per line id, every unit received back so far
        across the order's returns. RETURNED once every unit that left is back."""
        for line in self.lines:
            units = returned.get(id_of(line), 0)
            if not 0 <= units <= line.fulfilled:
                raise InvalidInput(
                    f"SKU {line.sku}: {line.fulfilled} left the building, {units} returned",
                    field="lines",
                )
        if not any(returned.get(id_of(line), 0) for line in self.lines):
            raise InvalidInput("a return brings back at least one unit", field="lines")
        everything_back = all(returned.get(id_of(line), 0) == line.fulfilled for line in self.lines)
        target = OrderStatus.RETURNED if everything_back else OrderStatus.PARTIALLY_RETURNED
        self.transition(target, actor, at, note)

    # -- helpers -----------------------------------------------------------------------
    def _line_for(self, sku: str, index: int) -> OrderLine:
        line = next((line for line in self.lines if line.sku == sku), None)
        if line is None:
            raise InvalidInput(f"order has no line for SKU {sku}", field=f"lines.{index}.sku")
        return line

    @staticmethod
    def _draw(
        line: OrderLine, request: ShipRequest, index: int, drawn: dict[int, int]
    ) -> list[tuple[Allocation, int]]:
        """Which allocations one request ships from; `drawn` holds units already taken from
        each allocation (by id()) by earlier requests of the same shipment."""
        if request.quantity <= 0:
            raise InvalidInput("quantity must be positive", field=f"lines.{index}.quantity")
        free = {
            id(a): a.outstanding - drawn.get(id(a), 0)
            for a in line.allocations
            if request.location_code in (None, a.location_code)
        }
        sources = [a for a in line.allocations if free.get(id(a), 0) > 0]
        outstanding = sum(free[id(a)] for a in sources)
        if outstanding < request.quantity:
            raise InvalidInput(
                f"SKU {line.sku}: {outstanding} left to ship, {request.quantity} requested",
                field=f"lines.{index}.quantity",
            )
        draws, still_needed = [], request.quantity
        for allocation in sources:
            units = min(free[id(allocation)], still_needed)
            draws.append((allocation, units))
            drawn[id(allocation)] = drawn.get(id(allocation), 0) + units
            still_needed -= units
            if still_needed == 0:
                break
        return draws

    def _movement(
        self,
        line: OrderLine,
        allocation: Allocation,
        kind: MovementKind,
        on_hand_delta: int,
        reserved_delta: int,
        actor: str,
        at: datetime,
    ) -> StockMovement:
        return StockMovement(
            variant_id=line.variant_id,
            location_id=allocation.location_id,
            kind=kind,
            on_hand_delta=on_hand_delta,
            reserved_delta=reserved_delta,
            reference=self.reference,
            actor=actor,
            occurred_at=at,
        )
