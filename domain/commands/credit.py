"""Commands on credit limits: what an admin asks, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CreditLimitRequest:
    """A limit as the caller wrote it; checked into Money by the use case."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class SetCustomerCreditLimit:
    """Give a customer its own limit, or (no limit) let its group's hold again."""

    customer_id: int
    limit: CreditLimitRequest | None


@dataclass(frozen=True)
class SetCustomerGroupCreditLimit:
    """Give a group's customers a limit, or (no limit) take it away."""

    group_code: str
    limit: CreditLimitRequest | None
