"""Capture on shipment: a channel that takes money when goods leave takes, with each
shipment, what that shipment is worth, from the holds the order's authorizations keep.

How much: the shipped units at their unit prices; the shipment that ships the last units
takes whatever the order's total still lacks, so nothing is ever left uncollected by
rounding or by an earlier short capture that a later hold can now make good. Never more
than the order still lacks (money paid by hand meanwhile counts).

From where: the order's AUTHORIZED payments, oldest first, each giving what it still
holds, through its own provider, in the transaction that records the shipment.

When too little is held (a hold voided, expired, or smaller than the order): the goods go
anyway and what is held is taken; the rest stays the order's `balanceDue`, to collect with
`recordManualPayment` or a new authorization. Shopify fulfils an order whatever its
payment status and shows what is outstanding, and Saleor's fulfilment does not wait for a
charge either: a warehouse that has packed a parcel should not be stopped by the money
side, whose gap the balance shows. A provider that declines one capture (an authorization
that lapsed) is skipped in the same way: the next hold is tried, the gap stays due. An
error talking to a provider (not a decline) fails the whole shipment, which a retry makes
again; each capture carries a key of the order, the shipment and the payment, so a
provider that took it the first time does not take it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import PaymentDeclined
from domain.model.orders import Order, OrderStatus
from domain.model.payments import CaptureMoment, Payment, PaymentState
from domain.model.shipments import Shipment
from domain.money import Money
from domain.payment_gateway import PaymentGateways
from domain.ports import UnitOfWork
from domain.usecases.payments import capture


@dataclass(frozen=True, slots=True)
class CaptureShare:
    payment: Payment
    amount: Money


def shipment_value(order: Order, shipment: Shipment) -> Money:
    """What the units of one shipment cost the customer, each line's total shared out by
    units, and the order's shipping charge with its first shipment."""
    units: dict[str, int] = {}
    for shipped in shipment.lines:
        units[shipped.sku] = units.get(shipped.sku, 0) + shipped.quantity
    value = Money.zero(order.currency)
    for line in order.lines:
        sent = units.get(line.sku, 0)
        if sent:  # the shipment is applied: its units are among the line's fulfilled
            value = value + line.value_of(sent, before=line.fulfilled - sent)
    if order.shipping is not None and order.shipments[:1] == [shipment]:
        value = value + order.shipping.amounts.gross
    return value


def amount_to_capture(order: Order, shipment: Shipment, payments: list[Payment]) -> Money:
    """What this shipment should take: its value, or all the order still lacks when it is
    the last one; never more than the order lacks."""
    paid = sum((p.captured.amount for p in payments), start=order.total.amount * 0)
    lacking = max(order.total.amount - paid, paid * 0)
    if order.status is OrderStatus.SHIPPED:  # nothing left to ship
        return Money(lacking, order.currency)
    return Money(min(shipment_value(order, shipment).amount, lacking), order.currency)


def capture_shares(amount: Money, payments: list[Payment]) -> list[CaptureShare]:
    """Which holds give `amount`: the oldest authorizations first, each what it holds; may
    add up to less than `amount` when too little is held."""
    shares: list[CaptureShare] = []
    left = amount
    for payment in holds(payments):
        share = share_of(payment, left)
        if share is None:
            break
        shares.append(share)
        left = left - share.amount
    return shares


def holds(payments: list[Payment]) -> list[Payment]:
    """The payments that still hold money, oldest first."""
    return sorted(
        (p for p in payments if p.state is PaymentState.AUTHORIZED and p.capturable.amount > 0),
        key=lambda p: (p.created_at, p.id or 0),
    )


def share_of(payment: Payment, left: Money) -> CaptureShare | None:
    """What `payment` gives towards `left`: all it holds, or `left` if that is less."""
    if left.amount <= 0:
        return None
    return CaptureShare(payment, Money(min(left.amount, payment.capturable.amount), left.currency))


async def capture_shipment(
    uow: UnitOfWork,
    gateways: PaymentGateways,
    order: Order,
    shipment: Shipment,
    actor: str,
    at: datetime,
) -> list[CaptureShare]:
    """Capture what `shipment` is worth when the order's channel captures on shipment.

    Runs in the shipment's transaction, with the order's row held (loaded for the
    shipment), after its stock is written, so a failed write asks no provider. Returns the
    captures made."""
    channel = await uow.locations.channel(order.channel)
    if channel.capture_on is not CaptureMoment.SHIPMENT:
        return []
    assert order.id is not None  # loaded from the database
    payments = await uow.payments.of_order(order.id)
    left = amount_to_capture(order, shipment, payments)
    number = len(order.shipments)  # shipments are only appended, under the order's lock
    made: list[CaptureShare] = []
    for payment in holds(payments):
        share = share_of(payment, left)
        if share is None:
            break
        key = f"order-{order.id}:shipment-{number}:payment-{payment.id}"
        try:
            await capture(gateways, payment, share.amount, key, actor, at)
        except PaymentDeclined:
            continue  # a lapsed hold: the next one is asked, the gap stays due
        await uow.payments.save(order, payment)
        made.append(share)
        left = left - share.amount
    return made
