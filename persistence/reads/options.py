"""Read side: variant options and product attributes."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Rows
from persistence.records import (
    AttributeRecord,
    AttributeValueRecord,
    ProductAttributeValueRecord,
    ProductOptionRecord,
    ProductOptionValueRecord,
    VariantOptionValueRecord,
)

# One row per value of every option of these products, options and values in order, with
# whether any variant selects the value.
option_values_by_product_ids = KeyedRead(
    select(
        ProductOptionRecord.product_id,
        ProductOptionRecord.name,
        ProductOptionValueRecord.value,
        exists()
        .where(VariantOptionValueRecord.value_id == ProductOptionValueRecord.id)
        .label("has_variants"),
    )
    .join(ProductOptionValueRecord, ProductOptionValueRecord.option_id == ProductOptionRecord.id)
    .where(ProductOptionRecord.product_id.in_(KEYS))
    .order_by(
        ProductOptionRecord.product_id,
        ProductOptionRecord.position,
        ProductOptionValueRecord.position,
    )
)

# The values these variants select, in their product's option order.
selected_options_by_variant_ids = KeyedRead(
    select(
        VariantOptionValueRecord.variant_id,
        ProductOptionRecord.name,
        ProductOptionValueRecord.value,
    )
    .join(ProductOptionRecord, ProductOptionRecord.id == VariantOptionValueRecord.option_id)
    .join(
        ProductOptionValueRecord, ProductOptionValueRecord.id == VariantOptionValueRecord.value_id
    )
    .where(VariantOptionValueRecord.variant_id.in_(KEYS))
    .order_by(VariantOptionValueRecord.variant_id, ProductOptionRecord.position)
)

# The attribute values these products have: by attribute name, values in the attribute's order.
attribute_values_by_product_ids = KeyedRead(
    select(
        ProductAttributeValueRecord.product_id,
        AttributeRecord.name,
        AttributeRecord.slug,
        AttributeValueRecord.value,
    )
    .join(AttributeValueRecord, AttributeValueRecord.id == ProductAttributeValueRecord.value_id)
    .join(AttributeRecord, AttributeRecord.id == AttributeValueRecord.attribute_id)
    .where(ProductAttributeValueRecord.product_id.in_(KEYS))
    .order_by(
        ProductAttributeValueRecord.product_id,
        AttributeRecord.name,
        AttributeRecord.slug,
        AttributeValueRecord.position,
    )
)


async def attributes(session: AsyncSession) -> Rows:
    """Every attribute definition with its known values (one row per value, a row with a
    null value for one that has none), by name, values in order."""
    return (
        await session.execute(
            select(
                AttributeRecord.name,
                AttributeRecord.slug,
                AttributeValueRecord.value,
            )
            .outerjoin(
                AttributeValueRecord, AttributeValueRecord.attribute_id == AttributeRecord.id
            )
            .order_by(AttributeRecord.name, AttributeRecord.slug, AttributeValueRecord.position)
        )
    ).all()
