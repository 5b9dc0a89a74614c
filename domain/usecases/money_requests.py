"""What every money command shares: its idempotency key, the order it holds, the amount
it was sent, and what a repeat of it answers.

Every command loads the order with its row held (so money commands on one order take
turns, on PostgreSQL as on SQLite), and remembers the caller's idempotency key with what
it did, in the same transaction: a repeat answers with what the first did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.access import Principal, Role
from domain.errors import InvalidInput, NotFound
from domain.model.orders import Order, OrderStatus
from domain.model.payments import Payment, PaymentEntry
from domain.money import Money
from domain.ports import UnitOfWork

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


def idempotency_key(key: str) -> str:
    text = key.strip()
    if not text or len(text) > MAX_KEY:
        raise InvalidInput(
            f"an idempotency key has 1 to {MAX_KEY} characters", field="idempotencyKey"
        )
    return text


def provider_key(principal: Principal, key: str) -> str:
    """The key a provider gets: the caller's, made unique across callers."""
    return f"{principal.idempotency_scope}:{key}"


def reference_text(reference: str | None) -> str | None:
    text = (reference or "").strip()
    if len(text) > MAX_REFERENCE:
        raise InvalidInput(f"a reference has at most {MAX_REFERENCE} characters", field="reference")
    return text or None


def amount_of(
    text: str | None, currency: str, *, default: Decimal | None, field: str = "amount"
) -> Money:
    """The amount a client sent, validated; `default` when it sent none (None: required)."""
    if text is None:
        if default is None:
            raise InvalidInput("an amount is needed", field=field)
        return Money.rounded(default, currency)
    return Money.of(text, currency, field=field)


def order_id_of(order: Order) -> int:
    assert order.id is not None  # loaded from the database
    return order.id


def require_open(order: Order) -> None:
    if order.status is OrderStatus.CANCELLED:
        raise InvalidInput(f"{order.label} is cancelled", field="orderId")


async def order_and_payments(
    uow: UnitOfWork, principal: Principal, order_id: int
) -> tuple[Order, list[Payment]]:
    """The order, held, if the caller may see it (else NOT_FOUND), with its payments."""
    order = await uow.orders.get(order_id)
    if order is None or not principal.may_see_order(order.location_codes, order.customer_email):
        raise NotFound.no_such("order", field="orderId")
    return order, await uow.payments.of_order(order_id)


async def order_and_payment(
    uow: UnitOfWork, principal: Principal, payment_id: int
) -> tuple[Order, Payment]:
    order_id = await uow.payments.order_id_of(payment_id)
    if order_id is None:
        raise NotFound.no_such("payment", field="paymentId")
    try:
        order, payments = await order_and_payments(uow, principal, order_id)
    except NotFound:
        raise NotFound.no_such("payment", field="paymentId") from None
    return order, next(p for p in payments if p.id == payment_id)


async def remember(
    uow: UnitOfWork,
    principal: Principal,
    key: str,
    kind: str,
    order: Order,
    payment: Payment | None,
    now: datetime,
) -> int:
    return await uow.payments.remember(
        principal.idempotency_scope,
        key,
        kind,
        order_id_of(order),
        payment.id if payment else None,
        now,
    )


async def repeated_payment(uow: UnitOfWork, principal: Principal, key: str) -> PaymentResult | None:
    """What the first request with this key did, for a repeat of it."""
    remembered = await uow.payments.remembered(principal.idempotency_scope, key)
    if remembered is None:
        return None
    order, payments = await order_and_payments(uow, principal, remembered.order_id)
    payment = next((p for p in payments if p.id == remembered.payment_id), None)
    if payment is None:
        raise InvalidInput(
            "this idempotency key was used for another request", field="idempotencyKey"
        )
    return PaymentResult(order, payment)


async def repeated_refund(uow: UnitOfWork, principal: Principal, key: str) -> RefundResult | None:
    remembered = await uow.payments.remembered(principal.idempotency_scope, key)
    if remembered is None:
        return None
    if remembered.kind != "refund":
        raise InvalidInput(
            "this idempotency key was used for another request", field="idempotencyKey"
        )
    order, _ = await order_and_payments(uow, principal, remembered.order_id)
    return RefundResult(order, await uow.payments.entries_of_request(remembered.id))
