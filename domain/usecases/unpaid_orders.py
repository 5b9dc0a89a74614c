"""Unpaid order expiry: a channel with an `unpaid_order_ttl` cancels its PENDING orders that
nobody has paid for within that time, so their reserved units go back on sale.

What counts as paid: a payment AUTHORIZED (money held) or CAPTURED (money taken), and also
one still PENDING at its provider: the customer has paid as far as it can, and the
provider's answer (its webhook) may come any moment; cancelling under it would void or
refund money the customer just gave. A FAILED or VOIDED payment holds nothing, so an order
with only those expires like one with none.

Each order is expired in its own transaction, with its row held and the rule checked again
under that lock: an authorization that arrived since the sweep chose the order (it holds
the same row) keeps it, and of two sweeps that chose the same order only the first
cancels it; the second finds it CANCELLED and leaves it. The cancellation is the ordinary
one (`Order.cancel`: history and stock movements that release every reservation), signed
by the expiry's actor. It does not go through `cancel_order`, which checks the caller's
rights and gives money back: an order whose every payment is FAILED or VOIDED has none to
give back, and the paid check must run in the cancellation's own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from domain.model.orders import Order, OrderStatus
from domain.model.payments import Payment, PaymentState
from domain.ports import UnitOfWork

EXPIRY_ACTOR = "system:unpaid-order-expiry"
# Payment states that keep an order alive: money held, taken, or on its way.
PAID_STATES = frozenset({PaymentState.AUTHORIZED, PaymentState.CAPTURED, PaymentState.PENDING})


def is_paid_for(payments: Iterable[Payment]) -> bool:
    """Whether any payment holds, took, or is still waiting for its provider's answer."""
    return any(payment.state in PAID_STATES for payment in payments)


def has_expired(order: Order, payments: Iterable[Payment], ttl: timedelta, now: datetime) -> bool:
    """A PENDING order older than `ttl` with nothing paid, held or pending."""
    return (
        order.status is OrderStatus.PENDING
        and order.created_at + ttl <= now
        and not is_paid_for(payments)
    )


def expiry_note(ttl: timedelta) -> str:
    return f"unpaid after {int(ttl.total_seconds() // 60)} minutes"


async def expire_unpaid_order(
    uow: UnitOfWork, order_id: int, ttl: timedelta, now: datetime
) -> bool:
    """Cancel one order if it is still unpaid past `ttl`; says whether it did."""
    async with uow:
        order = await uow.orders.get(order_id)  # its row held until the commit
        if order is None:
            return False
        payments = await uow.payments.of_order(order_id)
        if not has_expired(order, payments, ttl, now):
            return False
        movements = order.cancel(EXPIRY_ACTOR, now, expiry_note(ttl))
        await uow.orders.save(order)
        await uow.stock.apply(movements)
        await uow.commit()
    return True
