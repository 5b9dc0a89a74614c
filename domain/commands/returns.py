"""Commands on returns (RMAs), as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass

from domain.commands.payments import PaymentShare
from domain.model.returns import ReceiptLine, ReturnRequest


@dataclass(frozen=True)
class RequestReturn:
    order_id: int
    lines: tuple[ReturnRequest, ...]


@dataclass(frozen=True)
class ChangeReturnStatus:
    """approve, reject, refund."""

    return_id: int
    note: str | None = None


@dataclass(frozen=True)
class RefundReturn:
    """RECEIVED → REFUNDED, the refund given back through the order's payments: split as
    the caller says (`payments`), else largest refundable first."""

    return_id: int
    note: str | None = None
    payments: tuple[PaymentShare, ...] = ()
    idempotency_key: str | None = None


@dataclass(frozen=True)
class ReceiveReturn:
    return_id: int
    location_code: str
    lines: tuple[ReceiptLine, ...]
    note: str | None = None
