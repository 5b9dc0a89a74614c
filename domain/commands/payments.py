"""Commands on payments and refunds, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model.payments import PaymentMethod


@dataclass(frozen=True)
class AuthorizePayment:
    order_id: int
    amount: str | None  # the order's balance due when None
    provider: str
    method: PaymentMethod
    token: str | None
    idempotency_key: str


@dataclass(frozen=True)
class CapturePayment:
    payment_id: int
    amount: str | None  # all that is held when None
    idempotency_key: str


@dataclass(frozen=True)
class VoidPayment:
    payment_id: int
    idempotency_key: str
    reason: str | None = None


@dataclass(frozen=True)
class RecordManualPayment:
    order_id: int
    amount: str
    method: PaymentMethod
    reference: str | None
    idempotency_key: str


@dataclass(frozen=True)
class RefundPayment:
    payment_id: int
    amount: str | None  # all that is refundable when None
    reason: str | None
    idempotency_key: str


@dataclass(frozen=True)
class PaymentShare:
    payment_id: int
    amount: str


@dataclass(frozen=True)
class RefundOrder:
    """A goodwill refund, or a return's (`return_id`), split across the order's payments."""

    order_id: int
    amount: str | None
    reason: str | None
    idempotency_key: str
    payments: tuple[PaymentShare, ...] = ()
    return_id: int | None = None
