"""The read side of returns: lean SELECTs for the returns list and the loaders.

A caller sees the returns of the orders it may see (the same `OrderScope` as orders), and
those received where it works.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.orders import OrderScope, orders_query
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import LocationRecord, OrderRecord, ReturnLineRecord, ReturnRecord

RETURN_COLUMNS = (
    ReturnRecord.id,
    ReturnRecord.number,
    ReturnRecord.order_id,
    ReturnRecord.status,
    ReturnRecord.location_id,
    ReturnRecord.currency,
    ReturnRecord.refund_cents,
    ReturnRecord.created_at,
    ReturnRecord.updated_at,
)
LINE_COLUMNS = (
    ReturnLineRecord.id,
    ReturnLineRecord.return_id,
    ReturnLineRecord.variant_id,
    ReturnLineRecord.sku,
    ReturnLineRecord.quantity,
    ReturnLineRecord.reason,
    ReturnLineRecord.restocked,
    ReturnLineRecord.damaged,
)


async def returns_page(
    session: AsyncSession,
    page: Page,
    scope: OrderScope,
    *,
    status: str | None,
    order_id: int | None,
) -> tuple[Rows, int]:
    query = select(*RETURN_COLUMNS)
    if scope != OrderScope():  # the same rule as the orders list
        visible_orders = orders_query(scope).with_only_columns(OrderRecord.id)
        visible: ColumnElement[bool] = ReturnRecord.order_id.in_(visible_orders)
        if scope.location_codes is not None:  # ... and the returns received where one works
            received_here = select(LocationRecord.id).where(
                LocationRecord.code.in_(sorted(scope.location_codes))
            )
            visible = or_(visible, ReturnRecord.location_id.in_(received_here))
        query = query.where(visible)
    if status:
        query = query.where(ReturnRecord.status == status)
    if order_id is not None:
        query = query.where(ReturnRecord.order_id == order_id)
    return await fetch_page(session, query, ReturnRecord.id, page)


# Returns by id, whoever may see them: visibility is the loader's business.
returns_by_ids = KeyedRead(select(*RETURN_COLUMNS).where(ReturnRecord.id.in_(KEYS)))


returns_by_order_ids = KeyedRead(
    select(*RETURN_COLUMNS)
    .where(ReturnRecord.order_id.in_(KEYS))
    .order_by(ReturnRecord.order_id, ReturnRecord.id)
)


return_lines_by_return_ids = KeyedRead(
    select(*LINE_COLUMNS).where(ReturnLineRecord.return_id.in_(KEYS)).order_by(ReturnLineRecord.id)
)
