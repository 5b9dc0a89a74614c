"""The read side of promotions: pages of them, their channels, targets and voucher codes.

Values are stored as Numeric with three decimals (persistence/records/promotions.py); they
are read back as written: a percentage to two places, an amount to its currency's.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.promotions import PromotionKind
from domain.money import CENT, minor_unit
from persistence.reads.catalog import PRODUCT_COLUMNS
from persistence.reads.categories import CATEGORY_COLUMNS
from persistence.reads.collections import COLLECTION_COLUMNS
from persistence.reads.customer_groups import GROUP_COLUMNS
from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import (
    CategoryRecord,
    ChannelRecord,
    CollectionRecord,
    CustomerGroupRecord,
    ProductRecord,
    PromotionCategoryRecord,
    PromotionChannelRecord,
    PromotionCollectionRecord,
    PromotionCustomerGroupRecord,
    PromotionProductRecord,
    PromotionRecord,
    VoucherCodeRecord,
)

PROMOTION_COLUMNS = (
    PromotionRecord.id,
    PromotionRecord.name,
    PromotionRecord.kind,
    PromotionRecord.value,
    PromotionRecord.currency,
    PromotionRecord.starts_at,
    PromotionRecord.ends_at,
    PromotionRecord.stackable,
    PromotionRecord.buy_quantity,
    PromotionRecord.get_quantity,
    PromotionRecord.minimum_subtotal,
    PromotionRecord.needs_voucher,
    PromotionRecord.active,
    PromotionRecord.created_at,
    PromotionRecord.updated_at,
)


def promotion_value(value: Decimal, kind: str, currency: str | None) -> Decimal:
    """A stored value as it was written: a percentage to two decimals, an amount to its
    currency's minor unit."""
    if PromotionKind(kind).in_percent or currency is None:
        return value.quantize(CENT)
    return value.quantize(minor_unit(currency))


def stored_amount(amount: Decimal | None, currency: str | None) -> Decimal | None:
    """A stored amount (a minimum subtotal) to its currency's minor unit."""
    if amount is None:
        return None
    return amount.quantize(minor_unit(currency) if currency else CENT)


async def promotions_page(
    session: AsyncSession, page: Page, active: bool | None
) -> tuple[Rows, int]:
    """Promotions oldest first; only the active (or inactive) ones when `active` is given."""
    query = select(*PROMOTION_COLUMNS)
    if active is not None:
        query = query.where(PromotionRecord.active.is_(active))
    return await fetch_page(session, query, PromotionRecord.id, page)


promotions_by_ids = KeyedRead(select(*PROMOTION_COLUMNS).where(PromotionRecord.id.in_(KEYS)))

channels_by_promotion_ids = KeyedRead(
    select(PromotionChannelRecord.promotion_id, ChannelRecord.code)
    .join(ChannelRecord, ChannelRecord.id == PromotionChannelRecord.channel_id)
    .where(PromotionChannelRecord.promotion_id.in_(KEYS))
    .order_by(PromotionChannelRecord.promotion_id, ChannelRecord.id)
)
# Each target's rows start with the promotion's id, then the target's own columns.
products_by_promotion_ids = KeyedRead(
    select(PromotionProductRecord.promotion_id, *PRODUCT_COLUMNS)
    .join(ProductRecord, ProductRecord.id == PromotionProductRecord.product_id)
    .where(PromotionProductRecord.promotion_id.in_(KEYS))
    .order_by(PromotionProductRecord.promotion_id, ProductRecord.id)
)
categories_by_promotion_ids = KeyedRead(
    select(PromotionCategoryRecord.promotion_id, *CATEGORY_COLUMNS)
    .join(CategoryRecord, CategoryRecord.id == PromotionCategoryRecord.category_id)
    .where(PromotionCategoryRecord.promotion_id.in_(KEYS))
    .order_by(PromotionCategoryRecord.promotion_id, CategoryRecord.slug)
)
collections_by_promotion_ids = KeyedRead(
    select(PromotionCollectionRecord.promotion_id, *COLLECTION_COLUMNS)
    .join(CollectionRecord, CollectionRecord.id == PromotionCollectionRecord.collection_id)
    .where(PromotionCollectionRecord.promotion_id.in_(KEYS))
    .order_by(PromotionCollectionRecord.promotion_id, CollectionRecord.slug)
)
customer_groups_by_promotion_ids = KeyedRead(
    select(PromotionCustomerGroupRecord.promotion_id, *GROUP_COLUMNS)
    .join(CustomerGroupRecord, CustomerGroupRecord.id == PromotionCustomerGroupRecord.group_id)
    .where(PromotionCustomerGroupRecord.promotion_id.in_(KEYS))
    .order_by(PromotionCustomerGroupRecord.promotion_id, CustomerGroupRecord.code)
)
vouchers_by_promotion_ids = KeyedRead(
    select(
        VoucherCodeRecord.promotion_id,
        VoucherCodeRecord.code,
        VoucherCodeRecord.usage_limit,
        VoucherCodeRecord.per_customer_limit,
        VoucherCodeRecord.used,
    )
    .where(VoucherCodeRecord.promotion_id.in_(KEYS))
    .order_by(VoucherCodeRecord.promotion_id, VoucherCodeRecord.code)
)
