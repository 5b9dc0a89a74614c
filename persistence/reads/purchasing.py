"""The read side of purchasing: lean SELECTs for suppliers, their prices, and purchase orders.

Purchase order rows carry their destination's code, so the API can tell who may see one
without another query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import (
    LocationRecord,
    PurchaseOrderLineRecord,
    PurchaseOrderRecord,
    SupplierPriceRecord,
    SupplierRecord,
    VariantRecord,
)
from persistence.sql_types import AnyRow, AnySelect

# -- suppliers and their prices ----------------------------------------------------------

SUPPLIER_COLUMNS = (
    SupplierRecord.id,
    SupplierRecord.code,
    SupplierRecord.name,
    SupplierRecord.contact,
    SupplierRecord.lead_time_days,
    SupplierRecord.created_at,
)


async def suppliers_page(session: AsyncSession, page: Page) -> tuple[Rows, int]:
    return await fetch_page(session, select(*SUPPLIER_COLUMNS), SupplierRecord.id, page)


suppliers_by_ids = KeyedRead(select(*SUPPLIER_COLUMNS).where(SupplierRecord.id.in_(KEYS)))


async def supplier_by_code(session: AsyncSession, code: str) -> AnyRow | None:
    query = select(*SUPPLIER_COLUMNS).where(SupplierRecord.code == code)
    return (await session.execute(query)).first()


def _prices() -> AnySelect:
    price = SupplierPriceRecord
    return select(
        price.supplier_id,
        price.variant_id,
        VariantRecord.sku,
        price.unit_cost_cents,
        price.currency,
        price.updated_at,
    ).join(VariantRecord, VariantRecord.id == price.variant_id)


# Every entry of these suppliers' price lists, by SKU.
prices_by_supplier_ids = KeyedRead(
    _prices()
    .where(SupplierPriceRecord.supplier_id.in_(KEYS))
    .order_by(SupplierPriceRecord.supplier_id, VariantRecord.sku)
)


# Every supplier's price of these variants, by supplier code.
prices_by_variant_ids = KeyedRead(
    _prices()
    .join(SupplierRecord, SupplierRecord.id == SupplierPriceRecord.supplier_id)
    .where(SupplierPriceRecord.variant_id.in_(KEYS))
    .order_by(SupplierPriceRecord.variant_id, SupplierRecord.code)
)


# -- purchase orders -----------------------------------------------------------------------

PURCHASE_ORDER_COLUMNS = (
    PurchaseOrderRecord.id,
    PurchaseOrderRecord.number,
    PurchaseOrderRecord.status,
    PurchaseOrderRecord.supplier_id,
    PurchaseOrderRecord.location_id,
    PurchaseOrderRecord.currency,
    PurchaseOrderRecord.total_cents,
    PurchaseOrderRecord.expected_at,
    PurchaseOrderRecord.created_at,
    PurchaseOrderRecord.updated_at,
    LocationRecord.code.label("location_code"),
)


@dataclass(frozen=True, slots=True)
class PurchaseOrderScope:
    """Which purchase orders a caller may see: all (None), or those for some locations."""

    location_codes: frozenset[str] | None = None


def _purchase_orders(scope: PurchaseOrderScope) -> AnySelect:
    query = select(*PURCHASE_ORDER_COLUMNS).join(
        LocationRecord, LocationRecord.id == PurchaseOrderRecord.location_id
    )
    if scope.location_codes is not None:
        query = query.where(LocationRecord.code.in_(sorted(scope.location_codes)))
    return query


async def purchase_orders_page(
    session: AsyncSession,
    page: Page,
    scope: PurchaseOrderScope,
    *,
    status: str | None = None,
    supplier_code: str | None = None,
    location_code: str | None = None,
) -> tuple[Rows, int]:
    query = _purchase_orders(scope)
    if status:
        query = query.where(PurchaseOrderRecord.status == status)
    if supplier_code:
        query = query.where(
            PurchaseOrderRecord.supplier_id
            == select(SupplierRecord.id)
            .where(SupplierRecord.code == supplier_code)
            .scalar_subquery()
        )
    if location_code:
        query = query.where(LocationRecord.code == location_code)
    return await fetch_page(session, query, PurchaseOrderRecord.id, page)


# Purchase orders by id, whoever may see them: the caller filters by location code.
purchase_orders_by_ids = KeyedRead(
    _purchase_orders(PurchaseOrderScope()).where(PurchaseOrderRecord.id.in_(KEYS))
)


purchase_order_lines_by_order_ids = KeyedRead(
    select(
        PurchaseOrderLineRecord.id,
        PurchaseOrderLineRecord.purchase_order_id,
        PurchaseOrderLineRecord.variant_id,
        PurchaseOrderLineRecord.sku,
        PurchaseOrderLineRecord.quantity,
        PurchaseOrderLineRecord.received,
        PurchaseOrderLineRecord.unit_cost_cents,
        PurchaseOrderRecord.currency,
    )
    .join(PurchaseOrderRecord, PurchaseOrderRecord.id == PurchaseOrderLineRecord.purchase_order_id)
    .where(PurchaseOrderLineRecord.purchase_order_id.in_(KEYS))
    .order_by(PurchaseOrderLineRecord.id)
)
