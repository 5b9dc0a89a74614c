"""Credit limits: how much a wholesale customer may owe before it must pay first.

A limit is Money, set on a customer or on its customer group; the customer's own limit
overrides its group's, and no limit at all means unlimited credit. What the customer owes
(its exposure) is, for every order of its that is not CANCELLED, what the order still
lacks to be paid: total less what was captured, never below zero. That covers unpaid open
orders, backorders (their whole total is owed) and open receivables alike, since an
invoice is paid by captured payments on its orders; a refund gives money back for goods
that came back, so it never makes an order owe again (see `payments.summarise`).

Amounts in different currencies never add up, and there are no exchange rates: only the
orders in the limit's currency count towards it, and an order in another currency is not
judged by it. A customer buying in two currencies has one limit, in one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import CreditLimitExceeded
from domain.money import Money


def effective_limit(own: Money | None, group: Money | None) -> Money | None:
    """The limit that holds: the customer's own, else its group's, else none (unlimited)."""
    return own if own is not None else group


@dataclass(frozen=True, slots=True)
class CreditPosition:
    """A customer's limit and what it owes in the limit's currency; both None: unlimited."""

    limit: Money | None
    exposure: Money | None

    @property
    def available(self) -> Money | None:
        """What it may still order on credit: the limit less its exposure, never below zero
        (an order an admin placed over the limit leaves none)."""
        if self.limit is None or self.exposure is None:
            return None
        if self.exposure.amount >= self.limit.amount:
            return Money.zero(self.limit.currency)
        return self.limit - self.exposure

    def judges(self, order_total: Money) -> bool:
        """True when the limit applies to an order of this total: there is one, in the
        order's currency."""
        return self.limit is not None and self.limit.currency == order_total.currency

    def exceeded_by(self, order_total: Money) -> bool:
        """True when exposure + this order would pass the limit (reaching it is allowed)."""
        if not self.judges(order_total):
            return False
        assert self.limit is not None
        exposure = self.exposure or Money.zero(self.limit.currency)
        return (exposure + order_total).amount > self.limit.amount

    def explain(self, order_total: Money) -> str:
        """Exposure, order and limit in words: 'exposure X + order Y > limit Z'."""
        assert self.limit is not None
        exposure = self.exposure or Money.zero(self.limit.currency)
        currency = self.limit.currency
        return (
            f"exposure {exposure.amount} {currency} + order {order_total.amount} {currency} "
            f"> limit {self.limit.amount} {currency}"
        )

    def require_room_for(self, order_total: Money) -> None:
        """CREDIT_LIMIT_EXCEEDED when this order would take the customer past its limit."""
        if self.exceeded_by(order_total):
            raise CreditLimitExceeded(
                f"this order would pass the customer's credit limit: "
                f"{self.explain(order_total)} (orders in other currencies are not counted); "
                "take a payment first, or have an admin place it with overrideCreditLimit"
            )

    def override_note(self, order_total: Money) -> str | None:
        """What the order's history keeps when an admin places it over the limit (the
        change names the admin as its actor); None when the order fits, as then nothing
        was overridden."""
        if not self.exceeded_by(order_total):
            return None
        return f"credit limit overridden by admin: {self.explain(order_total)}"
