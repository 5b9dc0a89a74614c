"""The read side of sales insight: every figure aggregated in SQL, a few statements a report.

What counts is set out in domain/model/sales_insight.py. Booked sales are read from
`orders` ⋈ `order_lines` (⋈ `order_allocations` when figures go by location, or the caller
is bound to some), returns from the RECEIVED step of each return's history, turnover from
the stock ledger. Nothing walks order rows in Python: each statement returns a row per
group (a day, a channel, a product…) and currency.

Indexes they rely on (migration 2026_11_25_sales_insight_indexes): orders(created_at) to
find a period's orders, order_lines(order_id, variant_id, quantity, unit_price_cents) to
read their lines from the index alone, and document_status_changes(to_status, occurred_at)
for the returns received in a period. bench/README.md shows the plans and the timings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    SQLColumnExpression,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.model.orders import FulfilmentMethod, OrderStatus
from domain.model.returns import ReturnStatus
from domain.model.sales_insight import ProductRanking, SalesGrouping
from persistence.reads.pages import Rows
from persistence.records import (
    DocumentStatusChangeRecord,
    LocationRecord,
    OrderAllocationRecord,
    OrderLineRecord,
    OrderRecord,
    ProductRecord,
    ReturnLineRecord,
    ReturnRecord,
    VariantRecord,
)
from persistence.sql_types import AnySelect
from persistence.utc_periods import period_start

ORDER = OrderRecord
LINE = OrderLineRecord
ALLOCATION = OrderAllocationRecord
CHANGE = DocumentStatusChangeRecord
RETURN_DOCUMENT = "return"  # document_type of a return's history (repositories/returns.py)


@dataclass(frozen=True, slots=True)
class SalesQuery:
    """Which sales: placed in [start, end), in one currency or all, at some locations
    (a bound clerk's codes) or everywhere (None)."""

    start: datetime
    end: datetime
    currency: str | None = None
    location_codes: frozenset[str] | None = None

    @property
    def by_allocation(self) -> bool:
        return self.location_codes is not None


def _location_ids(codes: frozenset[str]) -> AnySelect:
    return select(LocationRecord.id).where(LocationRecord.code.in_(sorted(codes)))


# -- booked sales ----------------------------------------------------------------------------


def _key(
    grouping: SalesGrouping | None, place: SQLColumnExpression[Any]
) -> SQLColumnExpression[Any]:
    """The group a row of sales belongs to; `place` is where its units are."""
    if grouping is None:
        return null()
    if grouping.is_period:
        return period_start(grouping, ORDER.created_at)
    if grouping is SalesGrouping.CHANNEL:
        return ORDER.channel
    if grouping is SalesGrouping.LOCATION:
        return place
    return VariantRecord.product_id


def _placed_in(
    statement: AnySelect, query: SalesQuery, grouping: SalesGrouping | None
) -> AnySelect:
    statement = statement.where(
        ORDER.created_at >= query.start,
        ORDER.created_at < query.end,
        ORDER.status != OrderStatus.CANCELLED.value,
    )
    if query.currency is not None:
        statement = statement.where(ORDER.currency == query.currency)
    if grouping is SalesGrouping.PRODUCT:
        statement = statement.join(VariantRecord, VariantRecord.id == LINE.variant_id)
    return statement


def _per_order(grouping: SalesGrouping | None) -> bool:
    """Whether each order falls in one group only (a period, a channel, or all)."""
    return grouping is None or grouping.is_period or grouping is SalesGrouping.CHANNEL


def _portions(
    grouping: SalesGrouping | None,
    place: SQLColumnExpression[Any],
    units: SQLColumnExpression[Any],
) -> AnySelect:
    """Rows of (order_id, key, currency, units, cents): one per order when its group is one
    (summed in the order the orders are read: `_grouped_per_order`), else one per row."""
    cents: SQLColumnExpression[Any]
    if _per_order(grouping):
        units, cents = func.sum(units), func.sum(units * LINE.unit_price_cents)
    else:
        cents = units * LINE.unit_price_cents
    return select(
        ORDER.id.label("order_id"),
        _key(grouping, place).label("key"),
        ORDER.currency,
        units.label("units"),
        cents.label("cents"),
    )


def _grouped_per_order(statement: AnySelect, grouping: SalesGrouping | None) -> AnySelect:
    # By creation time, then id: the order of orders(created_at), so SQLite sums each
    # order as it reads it instead of sorting the lines (PostgreSQL drops the redundant
    # created_at, since id is the key).
    if _per_order(grouping):
        return statement.group_by(ORDER.created_at, ORDER.id)
    return statement


def _allocated(query: SalesQuery, grouping: SalesGrouping | None) -> AnySelect:
    """What the orders' allocations hold, where they hold it."""
    statement = (
        _portions(grouping, ALLOCATION.location_id, ALLOCATION.quantity)
        .select_from(ORDER)
        .join(ALLOCATION, ALLOCATION.order_id == ORDER.id)
        .join(LINE, LINE.id == ALLOCATION.order_line_id)
    )
    if query.location_codes is not None:
        statement = statement.where(ALLOCATION.location_id.in_(_location_ids(query.location_codes)))
    return _grouped_per_order(_placed_in(statement, query, grouping), grouping)


def _waiting(query: SalesQuery, grouping: SalesGrouping | None) -> AnySelect:
    """The units no location holds: those a BACKORDERED order still waits for, and booked
    services (which hold no stock), at their order's pickup or service location, else at
    none. Every other order's lines are allocated in full when it is placed."""
    allocated = func.coalesce(
        select(func.sum(ALLOCATION.quantity))
        .where(ALLOCATION.order_line_id == LINE.id)
        .scalar_subquery(),
        0,
    )
    place = ORDER.pickup_location_id
    statement = (
        _portions(grouping, place, LINE.quantity - allocated)
        .select_from(ORDER)
        .join(LINE, LINE.order_id == ORDER.id)
        .where(
            or_(
                ORDER.status == OrderStatus.BACKORDERED.value,
                ORDER.fulfilment == FulfilmentMethod.SERVICE.value,
            ),
            allocated < LINE.quantity,
        )
    )
    if query.location_codes is not None:
        statement = statement.where(place.in_(_location_ids(query.location_codes)))
    return _grouped_per_order(_placed_in(statement, query, grouping), grouping)


def _sales(query: SalesQuery, grouping: SalesGrouping | None) -> AnySelect:
    """Per group (`key`, NULL without a grouping) and currency: orders, units and revenue
    in cents of the orders placed in the period and not cancelled."""
    if query.by_allocation or grouping is SalesGrouping.LOCATION:
        parts = union_all(_allocated(query, grouping), _waiting(query, grouping)).subquery()
        orders = func.count(parts.c.order_id.distinct())  # an order may be in both parts
    else:
        lines = _portions(grouping, null(), LINE.quantity).select_from(ORDER)
        lines = _placed_in(lines.join(LINE, LINE.order_id == ORDER.id), query, grouping)
        parts = _grouped_per_order(lines, grouping).subquery()
        orders = func.count() if _per_order(grouping) else func.count(parts.c.order_id.distinct())
    return select(
        parts.c.key,
        parts.c.currency,
        orders.label("orders"),
        func.sum(parts.c.units).label("units"),
        func.sum(parts.c.cents).label("revenue_cents"),
    ).group_by(parts.c.key, parts.c.currency)


async def booked_sales(
    session: AsyncSession, query: SalesQuery, grouping: SalesGrouping | None
) -> Rows:
    """Rows of (key, currency, orders, units, revenue_cents); by LOCATION, units no
    location holds have the key NULL."""
    return (await session.execute(_sales(query, grouping))).all()


async def orders_placed(session: AsyncSession, query: SalesQuery) -> dict[str, int]:
    """Per currency, the orders placed in the period and not cancelled, everywhere."""
    assert query.location_codes is None, "a clerk's orders are those allocated where it works"
    statement = _placed_in(select(ORDER.currency, func.count()), query, None)
    rows = await session.execute(statement.group_by(ORDER.currency))
    return {row[0]: row[1] for row in rows}


# -- returns ------------------------------------------------------------------------------


async def returns_received(
    session: AsyncSession, query: SalesQuery, grouping: SalesGrouping | None
) -> Rows:
    """Rows of (key, currency, returns_cents): the value of the units received back in the
    period, at their order's prices. By location (or for a bound clerk) a line's value is
    shared among the locations its units were allocated at, by quantity: a fraction of a
    cent is rounded once per group."""
    by_allocation = query.by_allocation or grouping is SalesGrouping.LOCATION
    received = ReturnLineRecord.restocked + ReturnLineRecord.damaged
    value: ColumnElement[Any] = received * LINE.unit_price_cents
    if by_allocation:  # units that came back had left, so their line was allocated
        value = value * cast(ALLOCATION.quantity, Float) / LINE.quantity
    key: SQLColumnExpression[Any]
    if grouping is not None and grouping.is_period:
        key = period_start(grouping, CHANGE.occurred_at)
    else:
        key = _key(grouping, ALLOCATION.location_id)
    statement: AnySelect = (
        select(
            key.label("key"),
            ReturnRecord.currency,
            func.sum(value).label("returns_cents"),
        )
        .select_from(CHANGE)
        .join(ReturnRecord, ReturnRecord.id == CHANGE.document_id)
        .join(ReturnLineRecord, ReturnLineRecord.return_id == ReturnRecord.id)
        .join(LINE, LINE.id == ReturnLineRecord.order_line_id)
        .join(ORDER, ORDER.id == ReturnRecord.order_id)
        .where(
            CHANGE.to_status == ReturnStatus.RECEIVED.value,
            CHANGE.document_type == RETURN_DOCUMENT,
            CHANGE.occurred_at >= query.start,
            CHANGE.occurred_at < query.end,
            received > 0,
        )
        .group_by(*([key] if grouping else []), ReturnRecord.currency)
    )
    if grouping is SalesGrouping.PRODUCT:
        statement = statement.join(VariantRecord, VariantRecord.id == LINE.variant_id)
    if by_allocation:
        statement = statement.join(ALLOCATION, ALLOCATION.order_line_id == LINE.id)
        if query.location_codes is not None:
            statement = statement.where(
                ALLOCATION.location_id.in_(_location_ids(query.location_codes))
            )
    if query.currency is not None:
        statement = statement.where(ReturnRecord.currency == query.currency)
    return (await session.execute(statement)).all()


# -- labels and rankings ------------------------------------------------------------------


async def location_ids(session: AsyncSession, codes: frozenset[str]) -> frozenset[int]:
    return frozenset((await session.scalars(_location_ids(codes))).all())


async def location_codes(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    rows = await session.execute(
        select(LocationRecord.id, LocationRecord.code).where(LocationRecord.id.in_(ids))
    )
    return {row[0]: row[1] for row in rows}


async def product_names(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    rows = await session.execute(
        select(ProductRecord.id, ProductRecord.name).where(ProductRecord.id.in_(ids))
    )
    return {row[0]: row[1] for row in rows}


async def top_products(
    session: AsyncSession, query: SalesQuery, ranking: ProductRanking, first: int
) -> Rows:
    """The `first` best-selling products of each currency, by revenue or units (ties by
    product id): rows of (rank, product_id, name, currency, orders, units, revenue_cents)."""
    sales = _sales(query, SalesGrouping.PRODUCT).subquery()
    measure = sales.c.revenue_cents if ranking is ProductRanking.REVENUE else sales.c.units
    rank = (
        func.row_number()
        .over(partition_by=sales.c.currency, order_by=(measure.desc(), sales.c.key))
        .label("rank")
    )
    ranked = select(sales, rank).subquery()
    statement = (
        select(
            ranked.c.rank,
            ranked.c.key.label("product_id"),
            ProductRecord.name,
            ranked.c.currency,
            ranked.c.orders,
            ranked.c.units,
            ranked.c.revenue_cents,
        )
        .join(ProductRecord, ProductRecord.id == ranked.c.key)
        .where(ranked.c.rank <= literal(first))
        .order_by(ranked.c.currency, ranked.c.rank)
    )
    return (await session.execute(statement)).all()
