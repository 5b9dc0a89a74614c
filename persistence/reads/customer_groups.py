"""The read side of wholesale terms: customer groups and their price lists."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import CustomerGroupPriceRecord, CustomerGroupRecord, VariantRecord

GROUP_COLUMNS = (
    CustomerGroupRecord.id,
    CustomerGroupRecord.code,
    CustomerGroupRecord.name,
    CustomerGroupRecord.discount_basis_points,
    CustomerGroupRecord.minimum_line_quantity,
    CustomerGroupRecord.payment_terms,
    CustomerGroupRecord.credit_limit_cents,
    CustomerGroupRecord.credit_limit_currency,
    CustomerGroupRecord.created_at,
)


async def customer_groups_page(session: AsyncSession, page: Page) -> tuple[Rows, int]:
    return await fetch_page(session, select(*GROUP_COLUMNS), CustomerGroupRecord.id, page)


customer_groups_by_ids = KeyedRead(select(*GROUP_COLUMNS).where(CustomerGroupRecord.id.in_(KEYS)))


# Every entry of these groups' price lists, by SKU.
prices_by_group_ids = KeyedRead(
    select(
        CustomerGroupPriceRecord.group_id,
        CustomerGroupPriceRecord.variant_id,
        VariantRecord.sku,
        CustomerGroupPriceRecord.price_cents,
        CustomerGroupPriceRecord.currency,
        CustomerGroupPriceRecord.minimum_quantity,
    )
    .join(VariantRecord, VariantRecord.id == CustomerGroupPriceRecord.variant_id)
    .where(CustomerGroupPriceRecord.group_id.in_(KEYS))
    .order_by(CustomerGroupPriceRecord.group_id, VariantRecord.sku)
)
