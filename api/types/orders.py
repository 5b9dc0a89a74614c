"""Order types: the order, its lines and allocations, its history (shipments: shipments.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from api.types.addresses import Address
from api.types.catalog import Variant
from api.types.common import MembersByValue, Money
from api.types.customers import Customer
from api.types.locations import Location
from api.types.nodes import load_nodes
from api.types.order_pricing import (
    AppliedTaxRate,
    OrderLineDiscount,
    OrderShippingCharge,
    TaxSummaryLine,
    discounts_of,
    summary_lines,
    taxed,
)
from api.types.payments import Payment, payment_status
from api.types.pos import PosPayment
from domain.model.locations import ChannelCode
from domain.model.orders import FulfilmentMethod, OrderStatus
from domain.model.orders import OrderLine as DomainOrderLine
from domain.model.payments import OrderPaymentStatus
from domain.model.taxes import NO_TAX, plain_percent
from persistence.mappers import discounts_to_json, taxed_amount

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
    unit_price: Money = strawberry.field(
        description="Price per unit when ordered, before discounts, as the channel lists it "
        "(with tax when the order's pricesIncludeTax, else without)."
    )
    undiscounted_total: Money = strawberry.field(description="unitPrice * quantity.")
    discount_total: Money = strawberry.field(description="What its discounts took off.")
    discounts: list[OrderLineDiscount] = strawberry.field(
        description="Each discount on the line, with its source."
    )
    net: Money = strawberry.field(description="After discounts, without tax.")
    tax: Money = strawberry.field(description="The tax on it, rounded for the line.")
    total: Money = strawberry.field(description="What the customer pays for the line: net + tax.")
    tax_rate: AppliedTaxRate = strawberry.field(description="The rate the line was taxed at.")
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
        (
            _,
            _,
            variant_id,
            sku,
            name,
            quantity,
            unit_price_cents,
            currency,
            discount_cents,
            net_cents,
            tax_cents,
            tax_name,
            tax_percent,
            discounts,
        ) = row
        return cls(
            variant_id=variant_id,
            sku=sku,
            name=name,
            quantity=quantity,
            unit_price=Money.from_cents(unit_price_cents, currency),
            undiscounted_total=Money.from_cents(unit_price_cents * quantity, currency),
            discount_total=Money.from_cents(discount_cents, currency),
            discounts=discounts_of(discounts, currency),
            net=Money.from_cents(net_cents, currency),
            tax=Money.from_cents(tax_cents, currency),
            total=Money.from_cents(net_cents + tax_cents, currency),
            tax_rate=AppliedTaxRate(name=tax_name, percent=plain_percent(Decimal(tax_percent))),
            fulfilled_quantity=sum(a.fulfilled for a in allocations),
            backordered_quantity=quantity - sum(a.quantity for a in allocations),
            allocations=allocations,
        )

    @classmethod
    def from_domain(cls, line: DomainOrderLine) -> OrderLine:
        """A line of an order not stored (priceOrder's), as a stored one would show."""
        taxed = line.taxed
        row = (
            None,
            None,
            line.variant_id,
            line.sku,
            line.name,
            line.quantity,
            line.unit_price.minor_units,
            line.unit_price.currency,
            line.discount_total.minor_units,
            taxed.net.minor_units,
            taxed.tax.minor_units,
            taxed.tax_name,
            taxed.tax_percent,
            discounts_to_json(line.discounts),
        )
        return cls.from_row(row, [])

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
    total: Money = strawberry.field(
        description="What the customer pays: subtotal + the shipping charge's total."
    )
    subtotal: Money = strawberry.field(
        description="What the goods cost: the lines' totals, after discounts, with tax."
    )
    discount_total: Money = strawberry.field(description="What discounts took off its lines.")
    tax_total: Money = strawberry.field(description="The tax on its lines and its shipping.")
    prices_include_tax: bool = strawberry.field(
        description="Whether its unit prices were entered with tax (its channel's setting)."
    )
    shipping: OrderShippingCharge | None = strawberry.field(
        description="The delivery charge of a SHIPPING order whose method was chosen."
    )
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
            prices_include_tax,
            discount_cents,
            tax_cents,
            *shipping_columns,
        ) = row
        shipping = _shipping_charge(currency, *shipping_columns)
        total = Money.from_cents(total_cents, currency)
        return cls(
            id=order_id,
            customer_id=customer_id,
            pickup_location_id=pickup_location_id,
            number=number,
            status=ORDER_STATUSES[status],
            channel=CHANNEL_CODES[channel],
            fulfilment=FULFILMENT_METHODS[fulfilment],
            shipping_address=Address.from_json(shipping_address),
            total=total,
            subtotal=total if shipping is None else _less(total, shipping.total),
            discount_total=Money.from_cents(discount_cents, currency),
            tax_total=Money.from_cents(tax_cents, currency),
            prices_include_tax=prices_include_tax,
            shipping=shipping,
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

    @strawberry.field(
        description="What each tax rate comes to over the lines and the shipping, highest "
        "rate first; empty when nothing was taxed."
    )
    async def tax_summary(self, info: strawberry.Info) -> list[TaxSummaryLine]:
        lines = await info.context.loaders.lines_by_order.load(self.id)
        amounts = [taxed(line.net, line.tax, line.tax_rate) for line in lines]
        if self.shipping is not None:
            shipping = self.shipping
            amounts.append(taxed(shipping.net, shipping.tax, shipping.tax_rate))
        return summary_lines(amounts, self.total.currency)

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


def _shipping_charge(
    currency: str,
    code: str | None,
    name: str | None,
    net_cents: int | None,
    tax_cents: int | None,
    tax_name: str | None,
    tax_percent: Decimal | None,
) -> OrderShippingCharge | None:
    if code is None or net_cents is None or tax_cents is None:
        return None
    amounts = taxed_amount(
        net_cents, tax_cents, tax_name or NO_TAX.name, tax_percent or NO_TAX.percent, currency
    )
    return OrderShippingCharge.of(code, name or code, amounts)


def _less(total: Money, part: Money) -> Money:
    return Money(amount=total.amount - part.amount, currency=total.currency)
