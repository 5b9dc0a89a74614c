"""Use cases for payments: authorize, capture, void, record by hand, refund.

Every command loads the order with its row held (so money commands on one order take
turns, on PostgreSQL as on SQLite), asks the provider, and writes the ledger entries, the
payment's balances and the order's projections in one transaction. Each takes an
idempotency key in the caller's own space: a repeat answers with what the first did.

Who may: a customer authorizes payments of its own orders (a storefront's checkout);
staff, POS terminals and admins record and move money on orders they can see; refunds
are for staff and admins.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.access import Principal, Role
from domain.commands.payments import (
    AuthorizePayment,
    CapturePayment,
    RecordManualPayment,
    RefundOrder,
    RefundPayment,
    VoidPayment,
)
from domain.commands.returns import RefundReturn
from domain.errors import AmountExceedsBalance, InvalidInput, NotFound, PaymentDeclined
from domain.model.orders import Order, OrderStatus
from domain.model.payments import (
    MANUAL_PROVIDER,
    STAFF_RECORDED_PROVIDERS,
    CaptureMoment,
    Payment,
    PaymentEntry,
    PaymentMethod,
    RefundShare,
    reason_text,
    split_refund,
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
from domain.usecases.credit_notes import credit_refund
from domain.usecases.invoice_settlement import allocate_captured

OPERATORS = (Role.ADMIN, Role.STAFF, Role.POS)
REFUNDERS = (Role.ADMIN, Role.STAFF)
MAX_KEY = 200
MAX_REFERENCE = 200


@dataclass(frozen=True, slots=True)
class PaymentResult:
    order: Order
    payment: Payment


@dataclass(frozen=True, slots=True)
class RefundResult:
    order: Order
    refunds: list[PaymentEntry]


# -- taking money ------------------------------------------------------------------------


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
            repeat = await _repeat(uow, principal, key)
            if repeat is not None:
                return repeat
            order, payments = await _order_and_payments(uow, principal, command.order_id)
            _require_open(order)
            summary = summarise(order.total, payments, cancelled=False)
            held = sum((p.capturable.amount for p in payments), start=Decimal(0))
            uncovered = summary.balance_due.amount - held
            amount = _amount(command.amount, order.currency, default=uncovered)
            if amount.amount > uncovered:
                raise AmountExceedsBalance(
                    f"order {order.number} has {max(uncovered, Decimal(0))} "
                    f"{order.currency} not yet paid or held; {amount.amount} asked"
                )
            channel = await uow.locations.channel(order.channel)
            sale = channel.capture_on is CaptureMoment.PLACEMENT
            outcome = await gateway.authorize(
                AuthorizationRequest(
                    order_id=_id(order),
                    order_number=order.number or str(order.id),
                    amount=amount,
                    method=command.method,
                    token=command.token,
                    idempotency_key=_provider_key(principal, key),
                    capture=sale,
                )
            )
            payment = Payment(
                order_id=_id(order),
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
            await _remember(uow, principal, key, "authorize", order, payment, now)
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
    reference = _reference(command.reference)
    async with uow:
        repeat = await _repeat(uow, principal, key)
        if repeat is not None:
            return repeat
        order, _ = await _order_and_payments(uow, principal, command.order_id)
        _require_open(order)
        amount = _amount(command.amount, order.currency, default=None)
        payment = take_payment(
            order, command.method, MANUAL_PROVIDER, amount, reference, principal.subject, now
        )
        payment = await uow.payments.add(order, payment)
        await allocate_captured(uow, order, now)
        await _remember(uow, principal, key, "manual", order, payment, now)
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
        order_id=_id(order),
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
        key = idempotency_key(command.idempotency_key)
        async with uow:
            repeat = await _repeat(uow, principal, key)
            if repeat is not None:
                return repeat
            order, payment = await _order_and_payment(uow, principal, command.payment_id)
            amount = _amount(command.amount, payment.currency, default=payment.capturable.amount)
            await capture(
                gateways, payment, amount, _provider_key(principal, key), principal.subject, now
            )
            request_id = await _remember(uow, principal, key, "capture", order, payment, now)
            await uow.payments.save(order, payment, request_id)
            await allocate_captured(uow, order, now)
            await uow.commit()
        return PaymentResult(order, payment)

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
        key = idempotency_key(command.idempotency_key)
        async with uow:
            repeat = await _repeat(uow, principal, key)
            if repeat is not None:
                return repeat
            order, payment = await _order_and_payment(uow, principal, command.payment_id)
            await void(
                gateways,
                payment,
                _provider_key(principal, key),
                principal.subject,
                now,
                reason_text(command.reason),
            )
            request_id = await _remember(uow, principal, key, "void", order, payment, now)
            await uow.payments.save(order, payment, request_id)
            await uow.commit()
        return PaymentResult(order, payment)

    return use_case


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


# -- giving money back -------------------------------------------------------------------


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
            repeat = await _repeated_refund(uow, principal, key)
            if repeat is not None:
                return repeat
            order, payment = await _order_and_payment(uow, principal, command.payment_id)
            amount = _amount(command.amount, payment.currency, default=payment.refundable.amount)
            request_id = await _remember(uow, principal, key, "refund", order, payment, now)
            entries = await refund(
                uow,
                gateways,
                order,
                [RefundShare(payment, amount)],
                _provider_key(principal, key),
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
            repeat = await _repeated_refund(uow, principal, key)
            if repeat is not None:
                return repeat
            order, payments = await _order_and_payments(uow, principal, command.order_id)
            refundable = sum((p.refundable.amount for p in payments), start=Decimal(0))
            amount = _amount(command.amount, order.currency, default=refundable)
            shares = split_refund(
                amount, payments, chosen_shares(command, payments, order.currency)
            )
            request_id = await _remember(uow, principal, key, "refund", order, None, now)
            entries = await refund(
                uow,
                gateways,
                order,
                shares,
                _provider_key(principal, key),
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
                _amount(share.amount, currency, default=None, field=f"payments.{index}.amount"),
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


# -- helpers -----------------------------------------------------------------------------


def idempotency_key(key: str) -> str:
    text = key.strip()
    if not text or len(text) > MAX_KEY:
        raise InvalidInput(
            f"an idempotency key has 1 to {MAX_KEY} characters", field="idempotencyKey"
        )
    return text


def _provider_key(principal: Principal, key: str) -> str:
    """The key a provider gets: the caller's, made unique across callers."""
    return f"{principal.idempotency_scope}:{key}"


def _reference(reference: str | None) -> str | None:
    text = (reference or "").strip()
    if len(text) > MAX_REFERENCE:
        raise InvalidInput(f"a reference has at most {MAX_REFERENCE} characters", field="reference")
    return text or None


def _amount(
    text: str | None, currency: str, *, default: Decimal | None, field: str = "amount"
) -> Money:
    """The amount a client sent, validated; `default` when it sent none (None: required)."""
    if text is None:
        if default is None:
            raise InvalidInput("an amount is needed", field=field)
        return Money.rounded(default, currency)
    return Money.of(text, currency, field=field)


def _id(order: Order) -> int:
    assert order.id is not None  # loaded from the database
    return order.id


def _require_open(order: Order) -> None:
    if order.status is OrderStatus.CANCELLED:
        raise InvalidInput(f"{order.label} is cancelled", field="orderId")


async def _order_and_payments(
    uow: UnitOfWork, principal: Principal, order_id: int
) -> tuple[Order, list[Payment]]:
    """The order, held, if the caller may see it (else NOT_FOUND), with its payments."""
    order = await uow.orders.get(order_id)
    if order is None or not principal.may_see_order(order.location_codes, order.customer_email):
        raise NotFound.no_such("order", field="orderId")
    return order, await uow.payments.of_order(order_id)


async def _order_and_payment(
    uow: UnitOfWork, principal: Principal, payment_id: int
) -> tuple[Order, Payment]:
    order_id = await uow.payments.order_id_of(payment_id)
    if order_id is None:
        raise NotFound.no_such("payment", field="paymentId")
    try:
        order, payments = await _order_and_payments(uow, principal, order_id)
    except NotFound:
        raise NotFound.no_such("payment", field="paymentId") from None
    return order, next(p for p in payments if p.id == payment_id)


async def _remember(
    uow: UnitOfWork,
    principal: Principal,
    key: str,
    kind: str,
    order: Order,
    payment: Payment | None,
    now: datetime,
) -> int:
    return await uow.payments.remember(
        principal.idempotency_scope, key, kind, _id(order), payment.id if payment else None, now
    )


async def _repeat(uow: UnitOfWork, principal: Principal, key: str) -> PaymentResult | None:
    """What the first request with this key did, for a repeat of it."""
    remembered = await uow.payments.remembered(principal.idempotency_scope, key)
    if remembered is None:
        return None
    order, payments = await _order_and_payments(uow, principal, remembered.order_id)
    payment = next((p for p in payments if p.id == remembered.payment_id), None)
    if payment is None:
        raise InvalidInput(
            "this idempotency key was used for another request", field="idempotencyKey"
        )
    return PaymentResult(order, payment)


async def _repeated_refund(uow: UnitOfWork, principal: Principal, key: str) -> RefundResult | None:
    remembered = await uow.payments.remembered(principal.idempotency_scope, key)
    if remembered is None:
        return None
    if remembered.kind != "refund":
        raise InvalidInput(
            "this idempotency key was used for another request", field="idempotencyKey"
        )
    order, _ = await _order_and_payments(uow, principal, remembered.order_id)
    return RefundResult(order, await uow.payments.entries_of_request(remembered.id))
