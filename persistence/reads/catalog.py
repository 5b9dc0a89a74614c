"""Read side: Products and variants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, changed_since, fetch_page
from persistence.records import (
    ProductRecord,
    VariantRecord,
)

# Rows of a type's columns are built into objects by position (`Product.from_row`,
# `Variant.from_row`: unpacking is ~20x cheaper than reading a Row by name), so every query
# whose rows become that type selects exactly its tuple below, in its order.
PRODUCT_COLUMNS = (
    ProductRecord.id,
    ProductRecord.name,
    ProductRecord.description,
    ProductRecord.status,
    ProductRecord.kind,
    ProductRecord.created_at,
    ProductRecord.updated_at,
)
VARIANT_COLUMNS = (
    VariantRecord.id,
    VariantRecord.product_id,
    VariantRecord.sku,
    VariantRecord.name,
    VariantRecord.barcode,
    VariantRecord.price_cents,
    VariantRecord.currency,
)


async def products_page(
    session: AsyncSession,
    page: Page,
    *,
    search: str | None,
    sku: str | None,
    updated_since: datetime | None = None,
) -> tuple[Rows, int]:
    query = changed_since(select(*PRODUCT_COLUMNS), ProductRecord.updated_at, updated_since)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(ProductRecord.name).like(pattern),
                exists().where(
                    VariantRecord.product_id == ProductRecord.id,
                    func.lower(VariantRecord.sku).like(pattern),
                ),
            )
        )
    if sku:
        query = query.where(
            exists().where(VariantRecord.product_id == ProductRecord.id, VariantRecord.sku == sku)
        )
    return await fetch_page(session, query, ProductRecord.id, page)


products_by_ids = KeyedRead(select(*PRODUCT_COLUMNS).where(ProductRecord.id.in_(KEYS)))
variants_by_product_ids = KeyedRead(
    select(*VARIANT_COLUMNS).where(VariantRecord.product_id.in_(KEYS)).order_by(VariantRecord.id)
)
variants_by_ids = KeyedRead(select(*VARIANT_COLUMNS).where(VariantRecord.id.in_(KEYS)))


variants_by_skus = KeyedRead(select(*VARIANT_COLUMNS).where(VariantRecord.sku.in_(KEYS)))
