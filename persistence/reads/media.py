"""Read side: product media, by product and by the variants they are shown for."""

from __future__ import annotations

from sqlalchemy import select

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.records import ProductMediaRecord, ProductMediaVariantRecord

# Built into ProductMedia objects by position (`ProductMedia.from_row`).
MEDIA_COLUMNS = (
    ProductMediaRecord.id,
    ProductMediaRecord.product_id,
    ProductMediaRecord.key,
    ProductMediaRecord.alt,
    ProductMediaRecord.content_type,
    ProductMediaRecord.width,
    ProductMediaRecord.height,
    ProductMediaRecord.byte_size,
    ProductMediaRecord.position,
    ProductMediaRecord.created_at,
)
IN_ORDER = (ProductMediaRecord.position, ProductMediaRecord.id)

media_by_ids = KeyedRead(select(*MEDIA_COLUMNS).where(ProductMediaRecord.id.in_(KEYS)))
media_by_product_ids = KeyedRead(
    select(*MEDIA_COLUMNS).where(ProductMediaRecord.product_id.in_(KEYS)).order_by(*IN_ORDER)
)
# Rows: MEDIA_COLUMNS and then the variant's id, grouped by `variant_id`.
media_by_variant_ids = KeyedRead(
    select(*MEDIA_COLUMNS, ProductMediaVariantRecord.variant_id)
    .join(ProductMediaVariantRecord, ProductMediaVariantRecord.media_id == ProductMediaRecord.id)
    .where(ProductMediaVariantRecord.variant_id.in_(KEYS))
    .order_by(*IN_ORDER)
)
variant_ids_by_media_ids = KeyedRead(
    select(ProductMediaVariantRecord.media_id, ProductMediaVariantRecord.variant_id)
    .where(ProductMediaVariantRecord.media_id.in_(KEYS))
    .order_by(ProductMediaVariantRecord.variant_id)
)
