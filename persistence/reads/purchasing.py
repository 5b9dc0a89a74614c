"""The read side of purchasing: lean SELECTs for suppliers, their prices, and purchase orders.

Purchase order rows carry their destination's code, so the API can tell who may see one
without another query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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


async def suppliers_by_ids(session: AsyncSession, ids: Sequence[int]) -> Rows:
    query = select(*SUPPLIER_COLUMNS).where(SupplierRecord.id.in_(ids))
    return (await session.execute(query)).all()


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


async def prices_by_supplier_ids(session: AsyncSession, supplier_ids: Sequence[int]) -> Rows:
    """Every entry of these suppliers' price lists, by SKU."""
    query = (
        _prices()
        .where(SupplierPriceRecord.supplier_id.in_(supplier_ids))
        .order_by(SupplierPriceRecord.supplier_id, VariantRecord.sku)
    )
    return (await session.execute(query)).all()


async def prices_by_variant_ids(session: AsyncSession, variant_ids: Sequence[int]) -> Rows:
    """Every supplier's price of these variants, by supplier code."""
    query = (
        _prices()
        .join(SupplierRecord, SupplierRecord.id == SupplierPriceRecord.supplier_id)
        .where(SupplierPriceRecord.variant_id.in_(variant_ids))
        .order_by(SupplierPriceRecord.variant_id, SupplierRecord.code)
    )
    return (await session.execute(query)).all()


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


async def purchase_orders_by_ids(session: AsyncSession, ids: Sequence[int]) -> Rows:
    """Purchase orders by id, whoever may see them: the caller filters by location code."""
    query = _purchase_orders(PurchaseOrderScope()).where(PurchaseOrderRecord.id.in_(ids))
    return (await session.execute(query)).all()


async def purchase_order_lines_by_order_ids(
    session: AsyncSession, order_ids: Sequence[int]
) -> Rows:
    line = PurchaseOrderLineRecord
    query = (
        select(
            line.id,
            line.purchase_order_id,
            line.variant_id,
            line.sku,
            line.quantity,
            line.received,
            line.unit_cost_cents,
            PurchaseOrderRecord.currency,
        )
        .join(PurchaseOrderRecord, PurchaseOrderRecord.id == line.purchase_order_id)
        .where(line.purchase_order_id.in_(order_ids))
        .order_by(line.id)
    )
    return (await session.execute(query)).all()
