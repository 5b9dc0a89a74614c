"""Read side: Orders, their lines, allocations and status history, within what a caller may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, changed_since, fetch_page
from persistence.records import (
    CustomerRecord,
    LocationRecord,
    OrderAllocationRecord,
    OrderLineRecord,
    OrderRecord,
    OrderStatusChangeRecord,
)
from persistence.sql_types import AnySelect

# Built by position (`Order.from_row`): every query of orders selects exactly these, in this
# order, through `orders_query`.
ORDER_COLUMNS = (
    OrderRecord.id,
    OrderRecord.number,
    OrderRecord.channel,
    OrderRecord.fulfilment,
    OrderRecord.status,
    OrderRecord.currency,
    OrderRecord.total_cents,
    OrderRecord.paid_cents,
    OrderRecord.refunded_cents,
    OrderRecord.customer_id,
    OrderRecord.shipping_address,
    OrderRecord.pickup_location_id,
    OrderRecord.created_at,
    OrderRecord.updated_at,
    OrderRecord.prices_include_tax,
    OrderRecord.discount_cents,
    OrderRecord.tax_cents,
    OrderRecord.shipping_method_code,
    OrderRecord.shipping_method_name,
    OrderRecord.shipping_net_cents,
    OrderRecord.shipping_tax_cents,
    OrderRecord.shipping_tax_name,
    OrderRecord.shipping_tax_percent,
)
# Built by position (`OrderLine.from_row`).
ORDER_LINE_COLUMNS = (
    OrderLineRecord.id,
    OrderLineRecord.order_id,
    OrderLineRecord.variant_id,
    OrderLineRecord.sku,
    OrderLineRecord.name,
    OrderLineRecord.quantity,
    OrderLineRecord.unit_price_cents,
    OrderRecord.currency,
    OrderLineRecord.discount_cents,
    OrderLineRecord.net_cents,
    OrderLineRecord.tax_cents,
    OrderLineRecord.tax_name,
    OrderLineRecord.tax_percent,
    OrderLineRecord.discounts,
)


@dataclass(frozen=True, slots=True)
class OrderScope:
    """Which orders a caller may see: all, one customer's, or those touching some locations."""

    customer_email: str | None = None
    location_codes: frozenset[str] | None = None


def orders_query(scope: OrderScope) -> AnySelect:
    query = select(*ORDER_COLUMNS).outerjoin(
        CustomerRecord, CustomerRecord.id == OrderRecord.customer_id
    )
    return _within(query, scope)


def _within(query: AnySelect, scope: OrderScope) -> AnySelect:
    """`query`, over orders joined to their customer, narrowed to the orders in `scope`:
    the one rule for every list, page, count and total of orders a caller reads."""
    if scope.customer_email is not None:
        query = query.where(CustomerRecord.email == scope.customer_email)
    if scope.location_codes is not None:
        location_ids = select(LocationRecord.id).where(
            LocationRecord.code.in_(sorted(scope.location_codes))
        )
        query = query.where(
            or_(
                OrderRecord.pickup_location_id.in_(location_ids),
                exists().where(
                    OrderAllocationRecord.order_id == OrderRecord.id,
                    OrderAllocationRecord.location_id.in_(location_ids),
                ),
            )
        )
    return query


async def orders_page(
    session: AsyncSession,
    page: Page,
    scope: OrderScope,
    *,
    status: str | None,
    channel: str | None,
    customer_email: str | None,
    fulfilment: str | None,
    updated_since: datetime | None = None,
) -> tuple[Rows, int]:
    query = changed_since(orders_query(scope), OrderRecord.updated_at, updated_since)
    if status:
        query = query.where(OrderRecord.status == status)
    if channel:
        query = query.where(OrderRecord.channel == channel)
    if fulfilment:
        query = query.where(OrderRecord.fulfilment == fulfilment)
    if customer_email:
        query = query.where(CustomerRecord.email == customer_email)
    return await fetch_page(session, query, OrderRecord.id, page)


async def order_summaries_by_customer_ids(
    session: AsyncSession, customer_ids: Sequence[int], scope: OrderScope
) -> Rows:
    """Per customer and currency: orders placed (not cancelled), their total, the last one;
    of the orders in `scope` only, so a caller's totals add up what it may list."""
    query = _within(
        select(
            OrderRecord.customer_id,
            OrderRecord.currency,
            func.count().label("orders"),
            func.sum(OrderRecord.total_cents).label("total_cents"),
            func.max(OrderRecord.created_at).label("last_order_at"),
        ).join(CustomerRecord, CustomerRecord.id == OrderRecord.customer_id),
        scope,
    )
    query = (
        query.where(OrderRecord.customer_id.in_(customer_ids), OrderRecord.status != "CANCELLED")
        .group_by(OrderRecord.customer_id, OrderRecord.currency)
        .order_by(OrderRecord.customer_id, OrderRecord.currency)
    )
    return (await session.execute(query)).all()


async def orders_by_ids(session: AsyncSession, ids: Sequence[int], scope: OrderScope) -> Rows:
    query = orders_query(scope).where(OrderRecord.id.in_(ids))
    return (await session.execute(query)).all()


order_lines_by_order_ids = KeyedRead(
    select(*ORDER_LINE_COLUMNS)
    .join(OrderRecord, OrderRecord.id == OrderLineRecord.order_id)
    .where(OrderLineRecord.order_id.in_(KEYS))
    .order_by(OrderLineRecord.id)
)


# Built by position (`OrderLine.by_order`).
ALLOCATION_COLUMNS = (
    OrderAllocationRecord.order_line_id,
    OrderAllocationRecord.order_id,
    OrderAllocationRecord.location_id,
    OrderAllocationRecord.quantity,
    OrderAllocationRecord.fulfilled,
)


allocations_by_order_ids = KeyedRead(
    select(*ALLOCATION_COLUMNS)
    .where(OrderAllocationRecord.order_id.in_(KEYS))
    .order_by(OrderAllocationRecord.id)
)


# Built by position (`OrderStatusChange.from_row`).
STATUS_CHANGE_COLUMNS = (
    OrderStatusChangeRecord.order_id,
    OrderStatusChangeRecord.sequence,
    OrderStatusChangeRecord.from_status,
    OrderStatusChangeRecord.to_status,
    OrderStatusChangeRecord.actor,
    OrderStatusChangeRecord.note,
    OrderStatusChangeRecord.occurred_at,
)


async def status_changes_after(session: AsyncSession, order_id: int, sequence: int) -> Rows:
    """An order's status changes after a sequence number, in order: what a client missed."""
    query = (
        select(*STATUS_CHANGE_COLUMNS)
        .where(
            OrderStatusChangeRecord.order_id == order_id,
            OrderStatusChangeRecord.sequence > sequence,
        )
        .order_by(OrderStatusChangeRecord.sequence)
    )
    return (await session.execute(query)).all()


status_changes_by_order_ids = KeyedRead(
    select(*STATUS_CHANGE_COLUMNS)
    .where(OrderStatusChangeRecord.order_id.in_(KEYS))
    .order_by(OrderStatusChangeRecord.order_id, OrderStatusChangeRecord.sequence)
)
