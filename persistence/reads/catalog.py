"""Read side: Products and variants."""

from __future__ import annotations

from sqlalchemy import select

from persistence.reads.keyed import KEYS, KeyedRead
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
    VariantRecord.tax_class,
    VariantRecord.weight_grams,
)


products_by_ids = KeyedRead(select(*PRODUCT_COLUMNS).where(ProductRecord.id.in_(KEYS)))
variants_by_product_ids = KeyedRead(
    select(*VARIANT_COLUMNS).where(VariantRecord.product_id.in_(KEYS)).order_by(VariantRecord.id)
)
variants_by_ids = KeyedRead(select(*VARIANT_COLUMNS).where(VariantRecord.id.in_(KEYS)))


variants_by_skus = KeyedRead(select(*VARIANT_COLUMNS).where(VariantRecord.sku.in_(KEYS)))
