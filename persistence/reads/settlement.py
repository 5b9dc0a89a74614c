"""The read side of the settlement report: one aggregate over the money ledger.

The rules are in domain/model/settlement.py. One statement per report: the period's
CAPTURE and REFUND entries (index ix_payment_entries_occurred_at_kind), joined to their
payment (method) and order (channel, location), each given its group key in an inner
select, then summed per (key, currency) outside it, so the key expression, a correlated
subquery for LOCATION, is written once and grouped by name on both back-ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import SQLColumnExpression, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.payments import EntryKind
from domain.model.sales_insight import SalesGrouping
from domain.model.settlement import SettlementGrouping
from persistence.reads.pages import Rows
from persistence.records import (
    LocationRecord,
    OrderAllocationRecord,
    OrderRecord,
    PaymentEntryRecord,
    PaymentRecord,
)
from persistence.utc_periods import period_start

ENTRY = PaymentEntryRecord
SETTLED = (EntryKind.CAPTURE.value, EntryKind.REFUND.value)


@dataclass(frozen=True, slots=True)
class SettlementQuery:
    """Which entries: occurred in [start, end), of orders at some locations (a bound
    clerk's codes) or anywhere (None)."""

    start: datetime
    end: datetime
    location_codes: frozenset[str] | None = None


def order_location() -> SQLColumnExpression[Any]:
    """Where an order's money belongs: its pickup or service location, else the location
    of its first allocation (lowest id), else NULL."""
    first_allocation = (
        select(OrderAllocationRecord.location_id)
        .where(OrderAllocationRecord.order_id == OrderRecord.id)
        .order_by(OrderAllocationRecord.id)
        .limit(1)
        .correlate(OrderRecord)
        .scalar_subquery()
    )
    return func.coalesce(OrderRecord.pickup_location_id, first_allocation)


def _key(grouping: SettlementGrouping, location: SQLColumnExpression[Any]) -> Any:
    if grouping is SettlementGrouping.DAY:
        return period_start(SalesGrouping.DAY, ENTRY.occurred_at)
    if grouping is SettlementGrouping.CHANNEL:
        return OrderRecord.channel
    if grouping is SettlementGrouping.LOCATION:
        return location
    return PaymentRecord.method


async def settlement_rows(
    session: AsyncSession, query: SettlementQuery, grouping: SettlementGrouping
) -> Rows:
    """Rows of (key, currency, captured_cents, refunded_cents, captures, refunds), one per
    group and currency with any capture or refund in the period; by LOCATION the key is a
    location id, NULL for orders at none."""
    location = order_location()
    entries = (
        select(
            _key(grouping, location).label("key"),
            ENTRY.currency,
            ENTRY.kind,
            ENTRY.amount_cents,
        )
        .select_from(ENTRY)
        .join(PaymentRecord, PaymentRecord.id == ENTRY.payment_id)
        .join(OrderRecord, OrderRecord.id == ENTRY.order_id)
        .where(
            ENTRY.occurred_at >= query.start,
            ENTRY.occurred_at < query.end,
            ENTRY.kind.in_(SETTLED),
        )
    )
    if query.location_codes is not None:
        mine = select(LocationRecord.id).where(
            LocationRecord.code.in_(sorted(query.location_codes))
        )
        entries = entries.where(location.in_(mine))
    part = entries.subquery()
    is_capture = part.c.kind == EntryKind.CAPTURE.value
    is_refund = part.c.kind == EntryKind.REFUND.value
    statement = select(
        part.c.key,
        part.c.currency,
        func.coalesce(func.sum(case((is_capture, part.c.amount_cents), else_=0)), 0).label(
            "captured_cents"
        ),
        func.coalesce(func.sum(case((is_refund, part.c.amount_cents), else_=0)), 0).label(
            "refunded_cents"
        ),
        func.count(case((is_capture, 1))).label("captures"),
        func.count(case((is_refund, 1))).label("refunds"),
    ).group_by(part.c.key, part.c.currency)
    return (await session.execute(statement)).all()
