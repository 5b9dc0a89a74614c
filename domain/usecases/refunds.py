"""Use cases that give money back: refund one payment, or an order across its payments.

A refund is checked against what each payment captured and has not refunded, with the
order's row held, before any provider is asked; the REFUND entries, the payments'
balances and the order's projections are written in one transaction, and an invoiced
order gets a credit note for them. Returns (domain/usecases/returns.py), counter returns
and cancellations refund through `refund` here too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal

from domain.access import Principal
from domain.commands.payments import RefundOrder, RefundPayment
from domain.commands.returns import RefundReturn
from domain.errors import InvalidInput, NotFound, PaymentDeclined
from domain.model.orders import Order
from domain.model.payments import (
    Payment,
    PaymentEntry,
    RefundShare,
    reason_text,
    split_refund,
)
from domain.payment_gateway import GatewayStatus, PaymentGateways
from domain.ports import UnitOfWork
from domain.usecases.credit_notes import credit_refund
from domain.usecases.money_requests import (
    REFUNDERS,
    RefundResult,
    amount_of,
    idempotency_key,
    order_and_payment,
    order_and_payments,
    provider_key,
    remember,
    repeated_refund,
)


def refund_payment(
    gateways: PaymentGateways,
) -> Callable[[UnitOfWork, Principal, RefundPayment, datetime], Awaitable[RefundResult]]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: RefundPayment, now: datetime
    ) -> RefundResult:
        """Give back part or all of what one payment captured and has not refunded."""
        principal.require(principal.role in REFUNDERS, "refund payments")
        key = idempotency_key(command.idempotency_key)
        async with uow:
            repeat = await repeated_refund(uow, principal, key)
            if repeat is not None:
                return repeat
            order, payment = await order_and_payment(uow, principal, command.payment_id)
            amount = amount_of(command.amount, payment.currency, default=payment.refundable.amount)
            request_id = await remember(uow, principal, key, "refund", order, payment, now)
            entries = await refund(
                uow,
                gateways,
                order,
                [RefundShare(payment, amount)],
                provider_key(principal, key),
                principal.subject,
                now,
                reason=reason_text(command.reason),
                request_id=request_id,
            )
            await uow.commit()
        return RefundResult(order, entries)

    return use_case


def refund_order(
    gateways: PaymentGateways,
) -> Callable[[UnitOfWork, Principal, RefundOrder, datetime], Awaitable[RefundResult]]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: RefundOrder, now: datetime
    ) -> RefundResult:
        """A goodwill refund: `amount` back, with a reason, split across the order's
        payments (largest refundable first, or as the caller says); never more than was
        captured and not refunded."""
        principal.require(principal.role in REFUNDERS, "refund orders")
        key = idempotency_key(command.idempotency_key)
        reason = reason_text(command.reason)
        if reason is None:
            raise InvalidInput("a goodwill refund needs a reason", field="reason")
        async with uow:
            repeat = await repeated_refund(uow, principal, key)
            if repeat is not None:
                return repeat
            order, payments = await order_and_payments(uow, principal, command.order_id)
            refundable = sum((p.refundable.amount for p in payments), start=Decimal(0))
            amount = amount_of(command.amount, order.currency, default=refundable)
            shares = split_refund(
                amount, payments, chosen_shares(command, payments, order.currency)
            )
            request_id = await remember(uow, principal, key, "refund", order, None, now)
            entries = await refund(
                uow,
                gateways,
                order,
                shares,
                provider_key(principal, key),
                principal.subject,
                now,
                reason=reason,
                request_id=request_id,
            )
            await uow.commit()
        return RefundResult(order, entries)

    return use_case


def chosen_shares(
    command: RefundOrder | RefundReturn, payments: list[Payment], currency: str
) -> list[RefundShare]:
    by_id = {p.id: p for p in payments}
    shares = []
    for index, share in enumerate(command.payments):
        payment = by_id.get(share.payment_id)
        if payment is None:
            raise NotFound.no_such("payment of this order", field=f"payments.{index}.paymentId")
        shares.append(
            RefundShare(
                payment,
                amount_of(share.amount, currency, default=None, field=f"payments.{index}.amount"),
            )
        )
    return shares


async def refund(
    uow: UnitOfWork,
    gateways: PaymentGateways,
    order: Order,
    shares: list[RefundShare],
    provider_key: str,
    actor: str,
    at: datetime,
    *,
    reason: str | None,
    return_id: int | None = None,
    request_id: int | None = None,
) -> list[PaymentEntry]:
    """Refund each share through its payment's provider and store the entries. The limits
    are checked before any provider is asked, so a refund too large asks none."""
    for share in shares:
        share.payment.require_refundable(share.amount)
    entries = []
    for index, share in enumerate(shares):
        payment = share.payment
        outcome = await gateways[payment.provider].refund(
            payment.provider_reference or "", share.amount, f"{provider_key}:{index}"
        )
        if outcome.status is not GatewayStatus.SUCCEEDED:
            raise PaymentDeclined("refund", outcome.message)
        payment.refund(
            share.amount,
            actor,
            at,
            reason=reason,
            return_id=return_id,
            reference=outcome.reference,
        )
        await uow.payments.save(order, payment, request_id)
        entries.append(payment.entries[-1])  # as stored, with its id and sequence
    await credit_refund(uow, order, entries, actor, at, reason=reason, return_id=return_id)
    return entries
