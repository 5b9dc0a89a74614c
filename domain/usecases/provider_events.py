"""What a payment provider's webhook tells us, applied to the payment it is about.

Providers deliver at least once and in no particular order: the same event may come twice
(or from two retries at once), a capture may come before the authorization it follows, an
old "authorized" after the payment was captured. So each event is applied at most once,
by its provider's event id, in one transaction with the order's row held, and it moves the
payment only forward, from what the payment is now:

    event       PENDING                        AUTHORIZED                  later states
    AUTHORIZED  authorize                      (stale: ignored)            ignored
    CAPTURED    authorize, then capture        capture what the provider   ignored
                                               took beyond ours
    FAILED      fail, with the reason          ignored                     ignored
    VOIDED      fail ("voided at the provider")  void what is held         ignored

A CAPTURED event's amount is what the provider has captured in all for the payment (as
Stripe's `amount_received`): captures asked through `capturePayment` are recorded from the
provider's synchronous answer, and the provider's later event about them finds nothing new.
An event without an amount means the amount asked (`Payment.requested`).

Money an event brings to a cancelled order (cancelling leaves PENDING payments to their
webhook) goes back at once, in the event's transaction: what is held is voided, what was
taken refunded, through the provider.

An event about a payment we do not know changes nothing and is not remembered: it may
have overtaken the commit of the request that created the payment, and its retry will
find it. The adapter's endpoint decides what to answer (api/payments/webhook_endpoint.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import DomainError, PaymentDeclined
from domain.model.orders import Order, OrderStatus
from domain.model.payments import Payment, PaymentState, RefundShare
from domain.money import Money
from domain.payment_gateway import PaymentGateways, ProviderEvent, ProviderEventKind
from domain.ports import UnitOfWork
from domain.usecases.invoice_settlement import allocate_captured
from domain.usecases.payments import void
from domain.usecases.refunds import refund

MONEY_MOVES = (ProviderEventKind.AUTHORIZED, ProviderEventKind.CAPTURED)
CANCELLED_REASON = "order cancelled"
HOLDING_MONEY = (PaymentState.AUTHORIZED, PaymentState.CAPTURED)


class EventOutcome(StrEnum):
    APPLIED = "APPLIED"  # the payment moved
    IGNORED = "IGNORED"  # stale, or nothing new: remembered, so never looked at again
    DUPLICATE = "DUPLICATE"  # this event id was seen before
    UNKNOWN_PAYMENT = "UNKNOWN_PAYMENT"  # no payment of ours has its reference (yet)


@dataclass(frozen=True, slots=True)
class ProviderEventResult:
    outcome: EventOutcome
    note: str = ""  # why it was ignored, or what more it did, for the log
    order_id: int | None = None
    payment_id: int | None = None


async def apply_provider_event(
    uow: UnitOfWork, gateways: PaymentGateways, event: ProviderEvent, now: datetime
) -> ProviderEventResult:
    """Apply one provider event to its payment, once, whatever came before it; money that
    arrives for a cancelled order goes back at once (`_give_back`)."""
    actor = f"provider:{event.provider}"
    async with uow:
        order_id = await uow.payments.by_provider_reference(event.provider, event.payment_reference)
        if order_id is None:
            return ProviderEventResult(EventOutcome.UNKNOWN_PAYMENT)
        # The order's row first: deliveries of one order's events, and commands on it, take
        # turns; a concurrent repeat of this event then finds it remembered.
        order = await uow.orders.get(order_id)
        if order is None:  # payments are never without their order
            return ProviderEventResult(EventOutcome.UNKNOWN_PAYMENT)
        if not await uow.payments.first_delivery(event.provider, event.event_id, now):
            return ProviderEventResult(EventOutcome.DUPLICATE, order_id=order_id)
        payment = next(
            p
            for p in await uow.payments.of_order(order_id)
            if p.provider == event.provider and p.provider_reference == event.payment_reference
        )
        try:
            ignored = apply_to_payment(payment, event, actor, now)
        except DomainError as refused:  # a rule of the payment's refused it: log, not retry
            ignored = refused.message
        note = ignored
        if ignored is None:
            await uow.payments.save(order, payment)
            if order.status is OrderStatus.CANCELLED and payment.state in HOLDING_MONEY:
                note = await _give_back(uow, gateways, order, payment, event, actor, now)
            else:
                await allocate_captured(uow, order, now)  # what it took pays open invoices
        await uow.commit()  # the event is remembered even when it changed nothing
    outcome = EventOutcome.APPLIED if ignored is None else EventOutcome.IGNORED
    return ProviderEventResult(outcome, note or "", order_id, payment.id)


async def _give_back(
    uow: UnitOfWork,
    gateways: PaymentGateways,
    order: Order,
    payment: Payment,
    event: ProviderEvent,
    actor: str,
    at: datetime,
) -> str:
    """The order was cancelled while its provider had not answered (cancelling leaves
    PENDING payments to their webhook): release what the event made held and refund what
    it took, through the provider, keyed by the event. A provider that refuses leaves the
    money recorded as it is, for staff to give back; the event is applied all the same."""
    key = f"{event.provider}-event:{event.event_id}"
    try:
        if payment.state is PaymentState.AUTHORIZED:
            await void(gateways, payment, f"{key}:void", actor, at, CANCELLED_REASON)
            await uow.payments.save(order, payment)
        if payment.refundable.amount > 0:
            share = RefundShare(payment, payment.refundable)
            await refund(uow, gateways, order, [share], key, actor, at, reason=CANCELLED_REASON)
    except PaymentDeclined as declined:
        return f"{order.label} is cancelled and {declined.message}; give the money back by hand"
    return f"{order.label} is cancelled: what the event brought was given back"


def apply_to_payment(
    payment: Payment, event: ProviderEvent, actor: str, at: datetime
) -> str | None:
    """Move the payment as the event says; None when it moved, else why it did not."""
    if event.amount is not None and event.amount.currency != payment.currency:
        return f"the event is in {event.amount.currency}, {payment.label} in {payment.currency}"
    amount = event.amount if event.amount is not None else payment.requested
    amount = amount or Money.zero(payment.currency)
    state = payment.state
    kind = event.kind
    if kind in MONEY_MOVES and amount.amount <= 0:
        return f"{kind.value} of {amount.amount} {amount.currency}: nothing to record"
    if kind is ProviderEventKind.AUTHORIZED and state is PaymentState.PENDING:
        payment.authorize(amount, actor, at, event.event_id)
    elif kind is ProviderEventKind.CAPTURED and state is PaymentState.PENDING:
        # The authorization it implies holds at least what was asked, as a sale's does.
        asked = payment.requested
        held = asked if asked is not None and asked.amount > amount.amount else amount
        payment.authorize(held, actor, at, event.event_id)
        payment.capture(amount, actor, at, event.event_id)
    elif kind is ProviderEventKind.CAPTURED and state is PaymentState.AUTHORIZED:
        if amount.amount <= payment.captured.amount:
            return f"{payment.label} has {payment.captured.amount} captured already"
        more = amount - payment.captured
        if more.amount > payment.capturable.amount:
            return (
                f"the provider captured {more.amount} more than recorded; "
                f"{payment.label} holds {payment.capturable.amount}"
            )
        payment.capture(more, actor, at, event.event_id)
    elif kind is ProviderEventKind.FAILED and state is PaymentState.PENDING:
        payment.fail(actor, at, event.reason or "declined by the provider")
    elif kind is ProviderEventKind.VOIDED and state is PaymentState.PENDING:
        payment.fail(actor, at, event.reason or "voided at the provider")
    elif kind is ProviderEventKind.VOIDED and state is PaymentState.AUTHORIZED:
        payment.void(actor, at, event.reason)
    else:
        return f"{kind.value} for {payment.label}, {state.value}: nothing to change"
    return None
