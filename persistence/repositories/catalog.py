"""Products and variants.

Every change a POS terminal must hear of (a new variant, its price, name or barcode, its
product's status) also sets the variant's `updated_at`: the POS change feed follows it.
A change to a variant also sets its product's `updated_at`: `products(filter:
{updatedSince})` lists a product whose variants changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.catalog import Product, ProductKind, ProductStatus, Variant
from domain.model.locations import ChannelCode
from domain.money import Money
from persistence.mappers import to_cents, variant_from_record
from persistence.records import (
    ChannelRecord,
    LocationRecord,
    ProductChannelRecord,
    ProductRecord,
    StockLevelRecord,
    VariantRecord,
)


class SqlCatalogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, product: Product) -> Product:
        now = datetime.now(UTC)
        record = ProductRecord(
            name=product.name,
            description=product.description,
            status=product.status.value,
            kind=product.kind.value,
            created_at=now,
            updated_at=now,
        )
        self.session.add(record)
        await self.session.flush()
        variant_records = [
            VariantRecord(
                product_id=record.id,
                sku=v.sku,
                name=v.name,
                barcode=v.barcode,
                price_cents=to_cents(v.price),
                currency=v.price.currency,
                updated_at=now,
            )
            for v in product.variants
        ]
        self.session.add_all(variant_records)
        await self.session.flush()
        if product.kind is ProductKind.GOODS:  # a service holds no stock
            location_ids = (await self.session.scalars(select(LocationRecord.id))).all()
            await self._create_empty_levels([v.id for v in variant_records], location_ids)
        product.id = record.id
        for variant, variant_record in zip(product.variants, variant_records, strict=True):
            variant.id = variant_record.id
            variant.product_id = record.id
        return product

    async def _create_empty_levels(
        self, variant_ids: Iterable[int], location_ids: Iterable[int]
    ) -> None:
        """Every goods variant has a level at every location, so levels only ever get
        updated."""
        rows = [
            {"variant_id": v, "location_id": loc, "on_hand": 0, "reserved": 0}
            for v in variant_ids
            for loc in location_ids
        ]
        if rows:
            await self.session.execute(insert(StockLevelRecord), rows)

    async def set_channels(self, product_id: int, channels: Sequence[ChannelCode]) -> bool:
        found = await self.session.scalar(
            select(ProductRecord.id).where(ProductRecord.id == product_id).with_for_update()
        )
        if found is None:
            return False
        await self.session.execute(
            delete(ProductChannelRecord).where(ProductChannelRecord.product_id == product_id)
        )
        if channels:
            await self.session.execute(
                insert(ProductChannelRecord).from_select(
                    ["product_id", "channel_id"],
                    select(literal(product_id), ChannelRecord.id).where(
                        ChannelRecord.code.in_([channel.value for channel in channels])
                    ),
                )
            )
        return True

    async def unpublished_skus(self, skus: Iterable[str], channel: ChannelCode) -> set[str]:
        published = (
            select(ProductChannelRecord.product_id)
            .join(ChannelRecord, ChannelRecord.id == ProductChannelRecord.channel_id)
            .where(ChannelRecord.code == channel.value)
        )
        found = await self.session.scalars(
            select(VariantRecord.sku).where(
                VariantRecord.sku.in_(list(skus)), VariantRecord.product_id.not_in(published)
            )
        )
        return set(found)

    async def existing_skus(self, skus: Iterable[str]) -> set[str]:
        found = await self.session.scalars(
            select(VariantRecord.sku).where(VariantRecord.sku.in_(list(skus)))
        )
        return set(found)

    async def variants_by_sku(self, skus: Iterable[str]) -> dict[str, Variant]:
        rows = await self.session.execute(
            select(VariantRecord, ProductRecord.kind)
            .join(ProductRecord, ProductRecord.id == VariantRecord.product_id)
            .where(VariantRecord.sku.in_(list(skus)))
        )
        return {record.sku: variant_from_record(record, kind) for record, kind in rows}

    async def set_price(self, variant_id: int, price: Money) -> None:
        """A new price changes the variant and, for `updatedSince`, its product."""
        now = datetime.now(UTC)
        await self.session.execute(
            update(VariantRecord)
            .where(VariantRecord.id == variant_id)
            .values(price_cents=to_cents(price), currency=price.currency, updated_at=now)
        )
        await touch_products_of(self.session, [variant_id], now)

    async def status_of(self, product_id: int) -> ProductStatus | None:
        status = await self.session.scalar(
            select(ProductRecord.status).where(ProductRecord.id == product_id)
        )
        return None if status is None else ProductStatus(status)

    async def set_status(self, product_id: int, status: ProductStatus) -> None:
        now = datetime.now(UTC)
        await self.session.execute(
            update(ProductRecord)
            .where(ProductRecord.id == product_id)
            .values(status=status.value, updated_at=now)
        )
        await self.session.execute(
            update(VariantRecord)
            .where(VariantRecord.product_id == product_id)
            .values(updated_at=now)
        )

    async def set_tax_class(self, variant_ids: Iterable[int], tax_class: str | None) -> None:
        """A variant's tax class is part of what a POS prices by, so it marks the variants
        changed for the POS feed, and their products for `updatedSince`."""
        ids = sorted(set(variant_ids))
        if not ids:
            return
        now = datetime.now(UTC)
        await self.session.execute(
            update(VariantRecord)
            .where(VariantRecord.id.in_(ids))
            .values(tax_class=tax_class, updated_at=now)
        )
        await touch_products_of(self.session, ids, now)


async def touch_products_of(
    session: AsyncSession, variant_ids: Sequence[int], at: datetime
) -> None:
    """Mark the products of these variants changed, for `updatedSince`: a variant's price,
    tax class or weight is part of what a product shows."""
    await session.execute(
        update(ProductRecord)
        .where(
            ProductRecord.id.in_(
                select(VariantRecord.product_id).where(VariantRecord.id.in_(variant_ids))
            )
        )
        .values(updated_at=at)
        .execution_options(synchronize_session=False)
    )
