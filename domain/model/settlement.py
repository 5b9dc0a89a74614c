"""Settlement: the money actually taken and given back over a period.

What counts (persistence/reads/settlement.py follows these rules in one SQL aggregate):

- **Entries, not orders**: the CAPTURE and REFUND entries of the money ledger whose
  `occurred_at` falls in [start, end). An authorization holds money without taking it, a
  void releases a hold, a failure moves nothing: none of them is settlement. POS tenders
  are captured payments (provider `pos`), so a till's takings count like any other.
- **Figures** per group and currency: `captured` (sum of CAPTURE entries), `refunded` (sum
  of REFUND entries), `net` = captured - refunded, `count` (CAPTURE entries: how many
  times money came in) and `refund_count` (REFUND entries). A refund belongs to the day it
  was given, whenever its capture was. Amounts in different currencies never add up.
- **Groups**: the UTC DAY the entry occurred on; the order's CHANNEL; the payment's METHOD;
  the order's LOCATION: its pickup (or service) location when it has one, else the
  location of its first allocation (the first stock it took: a shipping order's warehouse,
  a till sale's store), else none (a backorder that holds nothing yet).
- **Who**: ADMIN and STAFF; a clerk bound to locations sees the money of the orders whose
  location (as above) is one of theirs, whatever the grouping.
"""

from __future__ import annotations

from enum import StrEnum

from domain.model.sales_insight import SalesGrouping


class SettlementGrouping(StrEnum):
    DAY = "DAY"  # UTC
    CHANNEL = "CHANNEL"
    LOCATION = "LOCATION"
    METHOD = "METHOD"

    @property
    def period_rule(self) -> SalesGrouping | None:
        """The sales grouping whose period limits apply (400 days by DAY, else 3,660)."""
        return SalesGrouping.DAY if self is SettlementGrouping.DAY else None
