"""Commands on returns (RMAs), as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass

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
class ReceiveReturn:
    return_id: int
    location_code: str
    lines: tuple[ReceiptLine, ...]
    note: str | None = None
