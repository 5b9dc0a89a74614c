"""The read side of wholesale terms: customer groups and their price lists."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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


async def customer_groups_by_ids(session: AsyncSession, ids: Sequence[int]) -> Rows:
    query = select(*GROUP_COLUMNS).where(CustomerGroupRecord.id.in_(ids))
    return (await session.execute(query)).all()


async def prices_by_group_ids(session: AsyncSession, group_ids: Sequence[int]) -> Rows:
    """Every entry of these groups' price lists, by SKU."""
    price = CustomerGroupPriceRecord
    query = (
        select(
            price.group_id,
            price.variant_id,
            VariantRecord.sku,
            price.price_cents,
            price.currency,
            price.minimum_quantity,
        )
        .join(VariantRecord, VariantRecord.id == price.variant_id)
        .where(price.group_id.in_(group_ids))
        .order_by(price.group_id, VariantRecord.sku)
    )
    return (await session.execute(query)).all()
