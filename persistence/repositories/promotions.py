"""Promotions and voucher codes: what pricing reads (PromotionRepository's first four
methods) and what the admin's use cases write.

A voucher's uses are counted by `redeem`, under a lock on the voucher's row (PostgreSQL;
SQLite has one writer at a time) and with a guarded UPDATE, so concurrent orders naming
one code never pass its limits: see docs/promotions.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate
from domain.model.identity import id_of
from domain.model.locations import ChannelCode
from domain.model.promotions import PricingTarget, Promotion, PromotionKind, VoucherCode
from persistence.reads.categories import MAX_DEPTH
from persistence.reads.promotions import promotion_value, stored_amount
from persistence.records import (
    CategoryRecord,
    ChannelRecord,
    CollectionProductRecord,
    CollectionRecord,
    CustomerGroupRecord,
    ProductCategoryRecord,
    ProductRecord,
    PromotionCategoryRecord,
    PromotionChannelRecord,
    PromotionCollectionRecord,
    PromotionCustomerGroupRecord,
    PromotionProductRecord,
    PromotionRecord,
    VoucherCodeRecord,
    VoucherRedemptionRecord,
)
from persistence.repositories.locking import lock_for_change
from persistence.sql_types import rows_matched

# Each target link table, the domain field it fills, and its column naming the target.
TARGET_LINKS: tuple[tuple[Any, str, Any], ...] = (
    (PromotionProductRecord, "product_ids", PromotionProductRecord.product_id),
    (PromotionCategoryRecord, "category_ids", PromotionCategoryRecord.category_id),
    (PromotionCollectionRecord, "collection_ids", PromotionCollectionRecord.collection_id),
    (PromotionCustomerGroupRecord, "customer_group_ids", PromotionCustomerGroupRecord.group_id),
)


class SqlPromotionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- what pricing reads ------------------------------------------------------------
    async def automatic(self, channel: ChannelCode, now: datetime) -> list[Promotion]:
        records = await self.session.scalars(
            select(PromotionRecord)
            .join(PromotionChannelRecord, PromotionChannelRecord.promotion_id == PromotionRecord.id)
            .join(ChannelRecord, ChannelRecord.id == PromotionChannelRecord.channel_id)
            .where(
                ChannelRecord.code == channel.value,
                PromotionRecord.active.is_(True),
                PromotionRecord.needs_voucher.is_(False),
                or_(PromotionRecord.starts_at.is_(None), PromotionRecord.starts_at <= now),
                or_(PromotionRecord.ends_at.is_(None), PromotionRecord.ends_at > now),
            )
            .order_by(PromotionRecord.id)
        )
        return list((await self._assembled(list(records))).values())

    async def vouchers(self, codes: Iterable[str]) -> dict[str, tuple[VoucherCode, Promotion]]:
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        records = list(
            await self.session.scalars(
                select(VoucherCodeRecord).where(VoucherCodeRecord.code.in_(wanted))
            )
        )
        promotions = await self._promotions(sorted({r.promotion_id for r in records}))
        return {
            record.code: (_voucher(record), promotions[record.promotion_id])
            for record in records
            if record.promotion_id in promotions
        }

    async def targets_of(self, product_ids: Iterable[int]) -> dict[int, PricingTarget]:
        ids = sorted(set(product_ids))
        if not ids:
            return {}
        # Every category a product sits in, then each one's parent, up to the roots.
        up = (
            select(
                ProductCategoryRecord.product_id,
                ProductCategoryRecord.category_id,
                literal(0).label("depth"),
            )
            .where(ProductCategoryRecord.product_id.in_(ids))
            .cte("product_ancestry", recursive=True)
        )
        up = up.union_all(
            select(up.c.product_id, CategoryRecord.parent_id, up.c.depth + 1)
            .join(up, CategoryRecord.id == up.c.category_id)
            .where(CategoryRecord.parent_id.is_not(None), up.c.depth < MAX_DEPTH)
        )
        categories: dict[int, set[int]] = defaultdict(set)
        for product_id, category_id in await self.session.execute(
            select(up.c.product_id, up.c.category_id)
        ):
            categories[product_id].add(category_id)
        collections: dict[int, set[int]] = defaultdict(set)
        for product_id, collection_id in await self.session.execute(
            select(CollectionProductRecord.product_id, CollectionProductRecord.collection_id).where(
                CollectionProductRecord.product_id.in_(ids)
            )
        ):
            collections[product_id].add(collection_id)
        return {
            key: PricingTarget(key, frozenset(categories[key]), frozenset(collections[key]))
            for key in ids
        }

    async def uses_by(self, voucher: VoucherCode, customer_id: int) -> int:
        uses = await self.session.scalar(
            select(func.count())
            .select_from(VoucherRedemptionRecord)
            .where(
                VoucherRedemptionRecord.voucher_id == id_of(voucher),
                VoucherRedemptionRecord.customer_id == customer_id,
            )
        )
        return uses or 0

    async def redeem(self, voucher: VoucherCode, order_id: int, customer_id: int | None) -> bool:
        key = id_of(voucher)
        # Concurrent redeemers of this code wait here, one after the other (PostgreSQL);
        # the limit per customer is read with the lock, and their uses counted after it.
        per_customer = await lock_for_change(
            self.session, VoucherCodeRecord.per_customer_limit, key
        )
        if (
            per_customer is not None
            and customer_id is not None
            and await self.uses_by(voucher, customer_id) >= per_customer
        ):
            return False
        counted = await self.session.execute(
            update(VoucherCodeRecord)
            .where(
                VoucherCodeRecord.id == key,
                or_(
                    VoucherCodeRecord.usage_limit.is_(None),
                    VoucherCodeRecord.used < VoucherCodeRecord.usage_limit,
                ),
            )
            .values(used=VoucherCodeRecord.used + 1)
            .execution_options(synchronize_session=False)
        )
        if rows_matched(counted) == 0:
            return False
        await self.session.execute(
            insert(VoucherRedemptionRecord).values(
                voucher_id=key,
                order_id=order_id,
                customer_id=customer_id,
                redeemed_at=datetime.now(UTC),
            )
        )
        return True

    # -- what the admin writes ------------------------------------------------------------
    async def add(self, promotion: Promotion, at: datetime) -> Promotion:
        record = PromotionRecord(**_columns(promotion), created_at=at, updated_at=at)
        self.session.add(record)
        await self.session.flush()
        stored = replace(promotion, id=record.id)
        await self._write_links(stored)
        return stored

    async def get(self, promotion_id: int) -> Promotion | None:
        found = await lock_for_change(self.session, PromotionRecord.id, promotion_id)
        if found is None:
            return None
        return (await self._promotions([promotion_id])).get(promotion_id)

    async def update(self, promotion: Promotion, at: datetime) -> None:
        key = id_of(promotion)
        await self.session.execute(
            update(PromotionRecord)
            .where(PromotionRecord.id == key)
            .values(**_columns(promotion), updated_at=at)
            .execution_options(synchronize_session=False)
        )
        for table in (PromotionChannelRecord, *(link for link, _, _ in TARGET_LINKS)):
            await self.session.execute(delete(table).where(table.promotion_id == key))
        await self._write_links(promotion)

    async def taken_codes(self, codes: Iterable[str]) -> set[str]:
        wanted = sorted(set(codes))
        if not wanted:
            return set()
        return set(
            await self.session.scalars(
                select(VoucherCodeRecord.code).where(VoucherCodeRecord.code.in_(wanted))
            )
        )

    async def add_vouchers(self, vouchers: Sequence[VoucherCode], *, field: str) -> None:
        if not vouchers:
            return
        try:
            await self.session.execute(
                insert(VoucherCodeRecord),
                [
                    {
                        "code": voucher.code,
                        "promotion_id": voucher.promotion_id,
                        "usage_limit": voucher.usage_limit,
                        "per_customer_limit": voucher.per_customer_limit,
                        "used": 0,
                        "created_at": datetime.now(UTC),
                    }
                    for voucher in vouchers
                ],
            )
        except IntegrityError as error:
            # A concurrent request took one of the codes after they were found free.
            raise Duplicate("a voucher code was taken meanwhile", field=field) from error

    async def known_products(self, product_ids: Iterable[int]) -> set[int]:
        ids = sorted(set(product_ids))
        if not ids:
            return set()
        return set(
            await self.session.scalars(select(ProductRecord.id).where(ProductRecord.id.in_(ids)))
        )

    async def category_ids(self, slugs: Iterable[str]) -> dict[str, int]:
        return await self._ids(CategoryRecord.slug, CategoryRecord.id, slugs)

    async def collection_ids(self, slugs: Iterable[str]) -> dict[str, int]:
        return await self._ids(CollectionRecord.slug, CollectionRecord.id, slugs)

    async def customer_group_ids(self, codes: Iterable[str]) -> dict[str, int]:
        return await self._ids(CustomerGroupRecord.code, CustomerGroupRecord.id, codes)

    # -- helpers ----------------------------------------------------------------------------
    async def _ids(self, name: Any, key: Any, names: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(names))
        if not wanted:
            return {}
        rows = await self.session.execute(select(name, key).where(name.in_(wanted)))
        return {found: found_id for found, found_id in rows}

    async def _promotions(self, ids: Sequence[int]) -> dict[int, Promotion]:
        """The promotions `ids` with their channels and targets, in the order of `ids`."""
        if not ids:
            return {}
        by_id = {
            record.id: record
            for record in await self.session.scalars(
                select(PromotionRecord).where(PromotionRecord.id.in_(ids))
            )
        }
        return await self._assembled([by_id[key] for key in ids if key in by_id])

    async def _assembled(self, records: Sequence[PromotionRecord]) -> dict[int, Promotion]:
        """Promotions from their rows, with their channels and targets, in the rows' order."""
        if not records:
            return {}
        ids = [record.id for record in records]
        channels: dict[int, list[ChannelCode]] = defaultdict(list)
        for promotion_id, code in await self.session.execute(
            select(PromotionChannelRecord.promotion_id, ChannelRecord.code)
            .join(ChannelRecord, ChannelRecord.id == PromotionChannelRecord.channel_id)
            .where(PromotionChannelRecord.promotion_id.in_(ids))
            .order_by(ChannelRecord.id)
        ):
            channels[promotion_id].append(ChannelCode(code))
        targets: dict[str, dict[int, set[int]]] = {}
        for table, name, column in TARGET_LINKS:
            found: dict[int, set[int]] = defaultdict(set)
            for promotion_id, target_id in await self.session.execute(
                select(table.promotion_id, column).where(table.promotion_id.in_(ids))
            ):
                found[promotion_id].add(target_id)
            targets[name] = found
        return {
            record.id: _promotion(
                record,
                tuple(channels[record.id]),
                {name: frozenset(found[record.id]) for name, found in targets.items()},
            )
            for record in records
        }

    async def _write_links(self, promotion: Promotion) -> None:
        key = id_of(promotion)
        channel_ids = await self._ids(
            ChannelRecord.code, ChannelRecord.id, (code.value for code in promotion.channels)
        )
        if channel_ids:
            await self.session.execute(
                insert(PromotionChannelRecord),
                [{"promotion_id": key, "channel_id": i} for i in sorted(channel_ids.values())],
            )
        for table, name, column in TARGET_LINKS:
            target_ids = sorted(getattr(promotion, name))
            if target_ids:
                await self.session.execute(
                    insert(table),
                    [{"promotion_id": key, column.key: target} for target in target_ids],
                )


def _columns(promotion: Promotion) -> dict[str, Any]:
    return {
        "name": promotion.name,
        "kind": promotion.kind.value,
        "value": promotion.value,
        "currency": promotion.currency,
        "starts_at": promotion.starts_at,
        "ends_at": promotion.ends_at,
        "stackable": promotion.stackable,
        "buy_quantity": promotion.buy_quantity,
        "get_quantity": promotion.get_quantity,
        "minimum_subtotal": promotion.minimum_subtotal,
        "needs_voucher": promotion.needs_voucher,
        "active": promotion.active,
    }


def _promotion(
    record: PromotionRecord,
    channels: tuple[ChannelCode, ...],
    targets: dict[str, frozenset[int]],
) -> Promotion:
    return Promotion(
        id=record.id,
        name=record.name,
        kind=PromotionKind(record.kind),
        value=promotion_value(record.value, record.kind, record.currency),
        channels=channels,
        currency=record.currency,
        starts_at=record.starts_at,
        ends_at=record.ends_at,
        stackable=record.stackable,
        buy_quantity=record.buy_quantity,
        get_quantity=record.get_quantity,
        minimum_subtotal=stored_amount(record.minimum_subtotal, record.currency),
        needs_voucher=record.needs_voucher,
        active=record.active,
        **targets,
    )


def _voucher(record: VoucherCodeRecord) -> VoucherCode:
    return VoucherCode(
        id=record.id,
        code=record.code,
        promotion_id=record.promotion_id,
        usage_limit=record.usage_limit,
        per_customer_limit=record.per_customer_limit,
        used=record.used,
    )
