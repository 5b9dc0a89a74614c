"""The money of a cancelled order: what is held is released, what was taken goes back.

Cancelling an order voids its open authorizations and refunds what its payments captured
and did not yet refund, through their providers, in the cancellation's transaction (the
order's row is held, so a concurrent refund waits and then sees these entries: money goes
back once). A provider that refuses fails the cancellation, and nothing changes: an order
is not cancelled while its customer's money stays taken. PENDING payments (a provider has
not answered yet) are left to their webhook. Provider keys are `cancel-<order id>`, since an
order is cancelled once.
"""

from __future__ import annotations

from datetime import datetime

from domain.model.orders import Order
from domain.model.payments import PaymentState, RefundShare
from domain.payment_gateway import PaymentGateways
from domain.ports import UnitOfWork
from domain.usecases.payments import void
from domain.usecases.refunds import refund

REASON = "order cancelled"


async def settle_cancelled_order(
    uow: UnitOfWork, gateways: PaymentGateways, order: Order, actor: str, at: datetime
) -> None:
    """Void the order's authorizations and refund its captures; see the module's docstring."""
    assert order.id is not None  # loaded, and held, by the caller
    key = f"cancel-{order.id}"
    payments = await uow.payments.of_order(order.id)
    for payment in payments:
        if payment.state is PaymentState.AUTHORIZED:
            await void(gateways, payment, f"{key}:void:{payment.id}", actor, at, REASON)
            await uow.payments.save(order, payment)
    shares = [RefundShare(p, p.refundable) for p in payments if p.refundable.amount > 0]
    if shares:
        await refund(uow, gateways, order, shares, key, actor, at, reason=REASON)
