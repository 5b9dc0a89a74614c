"""Order types: the order, its lines and allocations, its history (shipments: shipments.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from api.types.addresses import Address
from api.types.catalog import Variant
from api.types.common import MembersByValue, Money
from api.types.customers import Customer
from api.types.locations import Location
from api.types.nodes import load_nodes
from api.types.payments import Payment, payment_status
from api.types.pos import PosPayment
from domain.model.locations import ChannelCode
from domain.model.orders import FulfilmentMethod, OrderStatus
from domain.model.payments import OrderPaymentStatus

if TYPE_CHECKING:
    from api.types.returns import Return
    from api.types.services import ServiceBooking
    from api.types.shipments import Shipment

ORDER_STATUSES = MembersByValue(OrderStatus)
CHANNEL_CODES = MembersByValue(ChannelCode)
FULFILMENT_METHODS = MembersByValue(FulfilmentMethod)


@strawberry.type(description="Units of a line reserved at, and shipped from, one location.")
class OrderAllocation:
    location_id: strawberry.Private[int]
    quantity: int = strawberry.field(description="Units allocated here.")
    fulfilled: int = strawberry.field(description="Of those, units shipped or picked up.")

    @strawberry.field(description="The location the units come from.")
    async def location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.location_id)


@strawberry.type(description="One SKU of an order, priced when the order was placed.")
class OrderLine:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The SKU ordered.")
    name: str = strawberry.field(description="The variant's name when ordered.")
    quantity: int = strawberry.field(description="Units ordered.")
    unit_price: Money = strawberry.field(description="Price per unit when ordered.")
    total: Money = strawberry.field(description="unitPrice * quantity.")
    fulfilled_quantity: int = strawberry.field(description="Units shipped or picked up.")
    backordered_quantity: int = strawberry.field(
        description="Units not yet allocated anywhere: BACKORDERED, waiting for stock to arrive."
    )
    allocations: list[OrderAllocation] = strawberry.field(
        description="Where the units are reserved, per location."
    )

    @classmethod
    def from_row(cls, row: Sequence[Any], allocations: list[OrderAllocation]) -> OrderLine:
        """`row`: order_reads.ORDER_LINE_COLUMNS, by position."""
        _, _, variant_id, sku, name, quantity, unit_price_cents, currency = row
        return cls(
            variant_id=variant_id,
            sku=sku,
            name=name,
            quantity=quantity,
            unit_price=Money.from_cents(unit_price_cents, currency),
            total=Money.from_cents(unit_price_cents * quantity, currency),
            fulfilled_quantity=sum(a.fulfilled for a in allocations),
            backordered_quantity=quantity - sum(a.quantity for a in allocations),
            allocations=allocations,
        )

    @classmethod
    def by_order(
        cls, order_ids: Sequence[int], line_rows: Sequence[Any], allocation_rows: Sequence[Any]
    ) -> list[list[OrderLine]]:
        """The lines of each of `order_ids`, in order, with their allocations: from the rows
        of order_reads.order_lines_by_order_ids and allocations_by_order_ids for them."""
        allocations: dict[int, list[OrderAllocation]] = defaultdict(list)
        for line_id, _, location_id, quantity, fulfilled in allocation_rows:
            allocations[line_id].append(
                OrderAllocation(location_id=location_id, quantity=quantity, fulfilled=fulfilled)
            )
        lines: dict[int, list[OrderLine]] = defaultdict(list)
        for row in line_rows:
            line_id, order_id = row[0], row[1]
            lines[order_id].append(cls.from_row(row, allocations[line_id]))
        return [lines.get(order_id, []) for order_id in order_ids]

    @strawberry.field(description="The variant ordered.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


@strawberry.type(description="One step in an order's lifecycle.")
class OrderStatusChange:
    sequence: int = strawberry.field(
        description="Position in the order's history: 1 for placement, then 2, 3…"
    )
    from_status: OrderStatus | None = strawberry.field(description="Before; null at placement.")
    to_status: OrderStatus = strawberry.field(description="After.")
    actor: str = strawberry.field(description="Who made the change.")
    note: str | None = strawberry.field(description="Why, when given.")
    occurred_at: datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> OrderStatusChange:
        """`row`: order_reads.STATUS_CHANGE_COLUMNS, by position."""
        _, sequence, from_status, to_status, actor, note, occurred_at = row
        return cls(
            sequence=sequence,
            from_status=OrderStatus(from_status) if from_status else None,
            to_status=OrderStatus(to_status),
            actor=actor,
            note=note,
            occurred_at=occurred_at,
        )


@strawberry.type(description="A customer's order from one channel.")
class Order(relay.Node):
    id: relay.NodeID[int]
    customer_id: strawberry.Private[int | None]
    pickup_location_id: strawberry.Private[int | None]
    number: str = strawberry.field(description="Human-friendly order number, e.g. SO-000042.")
    status: OrderStatus = strawberry.field(description="Where the order is in its lifecycle.")
    channel: ChannelCode = strawberry.field(description="The channel it was placed through.")
    fulfilment: FulfilmentMethod = strawberry.field(
        description="SHIPPING, PICKUP, COUNTER for a sale at a store's till, or SERVICE for "
        "a booked service."
    )
    shipping_address: Address | None = strawberry.field(
        description="Where a SHIPPING order goes: the address as it was when the order was "
        "placed (later changes to the customer's addresses leave it as it is)."
    )
    total: Money = strawberry.field(description="Sum of the line totals.")
    total_paid: Money = strawberry.field(
        description="Captured across its payments (before refunds)."
    )
    total_refunded: Money = strawberry.field(description="Refunded across its payments.")
    created_at: datetime = strawberry.field(description="When it was placed (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Order:
        """`row`: order_reads.ORDER_COLUMNS, by position."""
        (
            order_id,
            number,
            channel,
            fulfilment,
            status,
            currency,
            total_cents,
            paid_cents,
            refunded_cents,
            customer_id,
            shipping_address,
            pickup_location_id,
            created_at,
            updated_at,
        ) = row
        return cls(
            id=order_id,
            customer_id=customer_id,
            pickup_location_id=pickup_location_id,
            number=number,
            status=ORDER_STATUSES[status],
            channel=CHANNEL_CODES[channel],
            fulfilment=FULFILMENT_METHODS[fulfilment],
            shipping_address=Address.from_json(shipping_address),
            total=Money.from_cents(total_cents, currency),
            total_paid=Money.from_cents(paid_cents, currency),
            total_refunded=Money.from_cents(refunded_cents, currency),
            created_at=created_at,
            updated_at=updated_at,
        )

    @strawberry.field(description="Who ordered, when known.")
    async def customer(self, info: strawberry.Info) -> Customer | None:
        if self.customer_id is None:
            return None
        return await info.context.loaders.customer.load(self.customer_id)

    @strawberry.field(description="The store a PICKUP order is collected from.")
    async def pickup_location(self, info: strawberry.Info) -> Location | None:
        if self.pickup_location_id is None or self.fulfilment is FulfilmentMethod.SERVICE:
            return None  # a service's location is its booking's
        return await info.context.loaders.location.load(self.pickup_location_id)

    @strawberry.field(
        description="When and where a SERVICE order is performed; null for other orders."
    )
    async def booking(
        self, info: strawberry.Info
    ) -> Annotated[ServiceBooking, strawberry.lazy("api.types.services")] | None:
        if self.fulfilment is not FulfilmentMethod.SERVICE:
            return None
        found = await info.context.loaders.services.booking.load(self.id)
        return found[0] if found else None

    @strawberry.field(description="What was ordered.")
    async def lines(self, info: strawberry.Info) -> list[OrderLine]:
        return await info.context.loaders.lines_by_order.load(self.id)

    @strawberry.field(description="Every status change, oldest first.")
    async def history(self, info: strawberry.Info) -> list[OrderStatusChange]:
        return await info.context.loaders.history_by_order.load(self.id)

    @strawberry.field(description="Parcels shipped for this order, oldest first, with tracking.")
    async def shipments(
        self, info: strawberry.Info
    ) -> list[Annotated[Shipment, strawberry.lazy("api.types.shipments")]]:
        return await info.context.loaders.shipments.by_order.load(self.id)

    @strawberry.field(description="Returns (RMAs) of this order, oldest first.")
    async def returns(
        self, info: strawberry.Info
    ) -> list[Annotated[Return, strawberry.lazy("api.types.returns")]]:
        return await info.context.loaders.returns.by_order.load(self.id)

    @strawberry.field(
        description="What a COUNTER order (a POS sale) was tendered with at the till, in the "
        "order tendered (cash beyond the total was handed back as change); empty for other "
        "orders. The money itself is in `payments`."
    )
    async def tenders(self, info: strawberry.Info) -> list[PosPayment]:
        return await info.context.loaders.pos.payments_by_order.load(self.id)

    @strawberry.field(description="Its payments, oldest first (several for a split tender).")
    async def payments(self, info: strawberry.Info) -> list[Payment]:
        return await info.context.loaders.payments.by_order.load(self.id)

    @strawberry.field(
        description="UNPAID, AUTHORIZED (money held, none taken), PARTIALLY_PAID, PAID, "
        "PARTIALLY_REFUNDED, REFUNDED or OVERPAID."
    )
    async def payment_status(self, info: strawberry.Info) -> OrderPaymentStatus:
        payments = await info.context.loaders.payments.by_order.load(self.id)
        return payment_status(self.total, self.total_paid, self.total_refunded, payments)

    @strawberry.field(
        description="What is still to pay: total minus captured, never below zero; zero for "
        "a cancelled order. Refunds give back what they paid for, so they add nothing."
    )
    def balance_due(self) -> Money:
        if self.status is OrderStatus.CANCELLED or self.total_paid.amount >= self.total.amount:
            return Money.from_cents(0, self.total.currency)
        return Money(
            amount=self.total.amount - self.total_paid.amount, currency=self.total.currency
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.order, node_ids)
