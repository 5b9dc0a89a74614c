"""The read side of manufacturing: lean SELECTs for bills of materials, and for the list,
loaders and components of work orders.

Work order rows carry their location's code, so the API can tell who may see one without
another query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import (
    BomComponentRecord,
    LocationRecord,
    VariantRecord,
    WorkOrderComponentRecord,
    WorkOrderRecord,
)
from persistence.repositories.boms import load_structure
from persistence.sql_types import AnySelect

__all__ = [
    "WorkOrderScope",
    "bom_components_by_variant_ids",
    "load_structure",
    "work_order_components_by_ids",
    "work_orders_by_ids",
    "work_orders_page",
]

BOM = BomComponentRecord
RECORD = WorkOrderRecord
COMPONENT = WorkOrderComponentRecord

WORK_ORDER_COLUMNS = (
    RECORD.id,
    RECORD.number,
    RECORD.status,
    RECORD.variant_id,
    RECORD.location_id,
    RECORD.quantity,
    RECORD.produced,
    RECORD.scrapped,
    RECORD.due_date,
    RECORD.created_at,
    RECORD.updated_at,
    VariantRecord.sku,
    LocationRecord.code.label("location_code"),
)


# The direct components of each of these variants, in the order they were set.
bom_components_by_variant_ids = KeyedRead(
    select(
        BOM.variant_id,
        BOM.component_variant_id,
        BOM.quantity,
        VariantRecord.sku,
    )
    .join(VariantRecord, VariantRecord.id == BOM.component_variant_id)
    .where(BOM.variant_id.in_(KEYS))
    .order_by(BOM.variant_id, BOM.id)
)


@dataclass(frozen=True, slots=True)
class WorkOrderScope:
    """Which work orders a caller may see: all (None), or those at some locations."""

    location_codes: frozenset[str] | None = None


def _work_orders(scope: WorkOrderScope) -> AnySelect:
    query = (
        select(*WORK_ORDER_COLUMNS)
        .join(VariantRecord, VariantRecord.id == RECORD.variant_id)
        .join(LocationRecord, LocationRecord.id == RECORD.location_id)
    )
    if scope.location_codes is not None:
        query = query.where(LocationRecord.code.in_(sorted(scope.location_codes)))
    return query


async def work_orders_page(
    session: AsyncSession,
    page: Page,
    scope: WorkOrderScope,
    *,
    status: str | None = None,
    location_code: str | None = None,
    sku: str | None = None,
) -> tuple[Rows, int]:
    query = _work_orders(scope)
    if status:
        query = query.where(RECORD.status == status)
    if location_code:
        query = query.where(LocationRecord.code == location_code)
    if sku:
        query = query.where(VariantRecord.sku == sku)
    return await fetch_page(session, query, RECORD.id, page)


# Work orders by id, whoever may see them: the caller filters by location code.
work_orders_by_ids = KeyedRead(_work_orders(WorkOrderScope()).where(RECORD.id.in_(KEYS)))


work_order_components_by_ids = KeyedRead(
    select(
        COMPONENT.id,
        COMPONENT.work_order_id,
        COMPONENT.variant_id,
        COMPONENT.sku,
        COMPONENT.per_unit,
        COMPONENT.reserved,
        COMPONENT.consumed,
        RECORD.quantity.label("work_order_quantity"),
    )
    .join(RECORD, RECORD.id == COMPONENT.work_order_id)
    .where(COMPONENT.work_order_id.in_(KEYS))
    .order_by(COMPONENT.id)
)
