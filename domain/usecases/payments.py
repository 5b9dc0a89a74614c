"""Use cases that take money: authorize, capture, void, record by hand.

Each runs in one transaction with the order's row held, asks the provider, and writes the
ledger entries, the payment's balances and the order's projections together; each takes
an idempotency key in the caller's own space (domain/usecases/money_requests.py).

Who may: a customer authorizes payments of its own orders (a storefront's checkout), only
through a real provider; staff, POS terminals and admins record and move money on orders
they can see. Giving money back: domain/usecases/refunds.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal

from domain.access import Principal
from domain.commands.payments import (
    AuthorizePayment,
    CapturePayment,
    RecordManualPayment,
    VoidPayment,
)
from domain.errors import AmountExceedsBalance, PaymentDeclined
from domain.model.orders import Order
from domain.model.payments import (
    MANUAL_PROVIDER,
    STAFF_RECORDED_PROVIDERS,
    CaptureMoment,
    Payment,
    PaymentMethod,
    reason_text,
    summarise,
)
from domain.money import Money
from domain.payment_gateway import (
    AuthorizationRequest,
    GatewayOutcome,
    GatewayStatus,
    PaymentGateways,
)
from domain.ports import UnitOfWork
from domain.usecases.invoice_settlement import allocate_captured
from domain.usecases.money_requests import (
    OPERATORS,
    PaymentResult,
    amount_of,
    idempotency_key,
    order_and_payment,
    order_and_payments,
    order_id_of,
    provider_key,
    reference_text,
    remember,
    repeated_payment,
    require_open,
)


def authorize_payment(
    gateways: PaymentGateways,
) -> Callable[[UnitOfWork, Principal, AuthorizePayment, datetime], Awaitable[PaymentResult]]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: AuthorizePayment, now: datetime
    ) -> PaymentResult:
        """Ask the provider to hold money for the order (and take it at once when the
        order's channel captures on placement). A decline is recorded as a FAILED payment;
        an asynchronous provider leaves it PENDING until its webhook says."""
        principal.require(principal.is_authenticated, "pay for orders")
        key = idempotency_key(command.idempotency_key)
        gateway = gateways[command.provider]
        principal.require(
            principal.role in OPERATORS or gateway.name not in STAFF_RECORDED_PROVIDERS,
            f"pay through the {gateway.name} provider, whose payments staff record",
        )
        async with uow:
            repeat = await repeated_payment(uow, principal, key)
            if repeat is not None:
                return repeat
            order, payments = await order_and_payments(uow, principal, command.order_id)
            require_open(order)
            summary = summarise(order.total, payments, cancelled=False)
            held = sum((p.capturable.amount for p in payments), start=Decimal(0))
            uncovered = summary.balance_due.amount - held
            amount = amount_of(command.amount, order.currency, default=uncovered)
            if amount.amount > uncovered:
                raise AmountExceedsBalance(
                    f"order {order.number} has {max(uncovered, Decimal(0))} "
                    f"{order.currency} not yet paid or held; {amount.amount} asked"
                )
            channel = await uow.locations.channel(order.channel)
            sale = channel.capture_on is CaptureMoment.PLACEMENT
            outcome = await gateway.authorize(
                AuthorizationRequest(
                    order_id=order_id_of(order),
                    order_number=order.number or str(order.id),
                    amount=amount,
                    method=command.method,
                    token=command.token,
                    idempotency_key=provider_key(principal, key),
                    capture=sale,
                )
            )
            payment = Payment(
                order_id=order_id_of(order),
                method=command.method,
                provider=gateway.name,
                currency=order.currency,
                created_at=now,
                actor=principal.subject,
                provider_reference=outcome.reference,
                requested=amount,
            )
            apply_authorization(payment, outcome, amount, sale, principal.subject, now)
            payment = await uow.payments.add(order, payment)
            await remember(uow, principal, key, "authorize", order, payment, now)
            await uow.commit()
        return PaymentResult(order, payment)

    return use_case


def apply_authorization(
    payment: Payment,
    outcome: GatewayOutcome,
    amount: Money,
    sale: bool,
    actor: str,
    at: datetime,
) -> None:
    """What a provider's answer to an authorization does to a new payment."""
    if outcome.status is GatewayStatus.DECLINED:
        payment.fail(actor, at, outcome.message or "declined")
    elif outcome.status is GatewayStatus.SUCCEEDED:
        payment.authorize(amount, actor, at, outcome.reference)
        if sale:
            payment.capture(amount, actor, at)


async def record_manual_payment(
    uow: UnitOfWork, principal: Principal, command: RecordManualPayment, now: datetime
) -> PaymentResult:
    """Money taken outside any provider (cash on delivery, a bank transfer, a cheque):
    staff record it as captured, with the reference that proves it."""
    principal.require(principal.role in OPERATORS, "record payments")
    key = idempotency_key(command.idempotency_key)
    reference = reference_text(command.reference)
    async with uow:
        repeat = await repeated_payment(uow, principal, key)
        if repeat is not None:
            return repeat
        order, _ = await order_and_payments(uow, principal, command.order_id)
        require_open(order)
        amount = amount_of(command.amount, order.currency, default=None)
        payment = take_payment(
            order, command.method, MANUAL_PROVIDER, amount, reference, principal.subject, now
        )
        payment = await uow.payments.add(order, payment)
        await allocate_captured(uow, order, now)
        await remember(uow, principal, key, "manual", order, payment, now)
        await uow.commit()
    return PaymentResult(order, payment)


def take_payment(
    order: Order,
    method: PaymentMethod,
    provider: str,
    amount: Money,
    reference: str | None,
    actor: str,
    at: datetime,
) -> Payment:
    """A payment that was taken in full at once (cash, a transfer, a till's tender)."""
    payment = Payment(
        order_id=order_id_of(order),
        method=method,
        provider=provider,
        currency=order.currency,
        created_at=at,
        actor=actor,
        provider_reference=reference,
        requested=amount,
    )
    payment.authorize(amount, actor, at, reference)
    payment.capture(amount, actor, at)
    return payment


def capture_payment(
    gateways: PaymentGateways,
) -> Callable[[UnitOfWork, Principal, CapturePayment, datetime], Awaitable[PaymentResult]]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: CapturePayment, now: datetime
    ) -> PaymentResult:
        """Take all or part of what an authorization holds."""
        principal.require(principal.role in OPERATORS, "capture payments")

        async def step(order: Order, payment: Payment, key: str) -> None:
            default = payment.capturable.amount
            amount = amount_of(command.amount, payment.currency, default=default)
            await capture(gateways, payment, amount, key, principal.subject, now)

        return await _step_on_payment(
            uow, principal, command.payment_id, command.idempotency_key, "capture", step, now
        )

    return use_case


async def capture(
    gateways: PaymentGateways,
    payment: Payment,
    amount: Money,
    provider_key: str,
    actor: str,
    at: datetime,
) -> None:
    """Capture through the payment's provider; the ledger entry only when it agrees."""
    payment.require_capturable(amount)
    outcome = await gateways[payment.provider].capture(
        payment.provider_reference or "", amount, provider_key
    )
    if outcome.status is not GatewayStatus.SUCCEEDED:
        raise PaymentDeclined("capture", outcome.message)
    payment.capture(amount, actor, at, outcome.reference)


def void_payment(
    gateways: PaymentGateways,
) -> Callable[[UnitOfWork, Principal, VoidPayment, datetime], Awaitable[PaymentResult]]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: VoidPayment, now: datetime
    ) -> PaymentResult:
        """Release what an authorization still holds."""
        principal.require(principal.role in OPERATORS, "void payments")
        reason = reason_text(command.reason)

        async def step(order: Order, payment: Payment, key: str) -> None:
            await void(gateways, payment, key, principal.subject, now, reason)

        return await _step_on_payment(
            uow, principal, command.payment_id, command.idempotency_key, "void", step, now
        )

    return use_case


async def _step_on_payment(
    uow: UnitOfWork,
    principal: Principal,
    payment_id: int,
    key: str,
    kind: str,
    step: Callable[[Order, Payment, str], Awaitable[None]],
    now: datetime,
) -> PaymentResult:
    """Load a payment with its order held, take `step` on it (given the key for its
    provider), store it and what its captures pay of the order's invoices, remember the
    caller's key; or answer a repeat of the key with what the first request did."""
    key = idempotency_key(key)
    async with uow:
        repeat = await repeated_payment(uow, principal, key)
        if repeat is not None:
            return repeat
        order, payment = await order_and_payment(uow, principal, payment_id)
        await step(order, payment, provider_key(principal, key))
        request_id = await remember(uow, principal, key, kind, order, payment, now)
        await uow.payments.save(order, payment, request_id)
        await allocate_captured(uow, order, now)
        await uow.commit()
    return PaymentResult(order, payment)


async def void(
    gateways: PaymentGateways,
    payment: Payment,
    provider_key: str,
    actor: str,
    at: datetime,
    reason: str | None,
) -> None:
    payment.require_voidable()
    outcome = await gateways[payment.provider].void(payment.provider_reference or "", provider_key)
    if outcome.status is not GatewayStatus.SUCCEEDED:
        raise PaymentDeclined("void", outcome.message)
    payment.void(actor, at, reason)
