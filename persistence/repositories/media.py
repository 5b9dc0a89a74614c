"""Product media and the variants each is shown for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.media import ProductMedia
from persistence.records import (
    ProductMediaRecord,
    ProductMediaVariantRecord,
    ProductRecord,
    VariantRecord,
)
from persistence.repositories.locking import lock_for_change


def _media(record: ProductMediaRecord, variant_ids: Iterable[int]) -> ProductMedia:
    return ProductMedia(
        id=record.id,
        product_id=record.product_id,
        key=record.key,
        alt=record.alt,
        content_type=record.content_type,
        width=record.width,
        height=record.height,
        byte_size=record.byte_size,
        position=record.position,
        created_at=record.created_at,
        variant_ids=tuple(sorted(variant_ids)),
    )


class SqlMediaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _variant_ids(self, media_ids: list[int]) -> dict[int, list[int]]:
        rows = await self.session.execute(
            select(ProductMediaVariantRecord.media_id, ProductMediaVariantRecord.variant_id).where(
                ProductMediaVariantRecord.media_id.in_(media_ids)
            )
        )
        found: dict[int, list[int]] = defaultdict(list)
        for media_id, variant_id in rows:
            found[media_id].append(variant_id)
        return found

    async def of_product(self, product_id: int) -> list[ProductMedia]:
        await lock_for_change(self.session, ProductRecord.id, product_id)
        records = (
            await self.session.scalars(
                select(ProductMediaRecord)
                .where(ProductMediaRecord.product_id == product_id)
                .order_by(ProductMediaRecord.position, ProductMediaRecord.id)
            )
        ).all()
        variants = await self._variant_ids([r.id for r in records])
        return [_media(r, variants.get(r.id, [])) for r in records]

    async def get(self, media_id: int) -> ProductMedia | None:
        record = await self.session.get(ProductMediaRecord, media_id)
        if record is None:
            return None
        return _media(record, (await self._variant_ids([media_id])).get(media_id, []))

    async def variant_ids_of(self, product_id: int) -> set[int]:
        found = await self.session.scalars(
            select(VariantRecord.id).where(VariantRecord.product_id == product_id)
        )
        return set(found)

    async def add(self, media: ProductMedia) -> ProductMedia:
        record = ProductMediaRecord(
            product_id=media.product_id,
            key=media.key,
            alt=media.alt,
            content_type=media.content_type,
            width=media.width,
            height=media.height,
            byte_size=media.byte_size,
            position=media.position,
            created_at=media.created_at,
        )
        self.session.add(record)
        await self.session.flush()
        media.id = record.id
        await self._link(record.id, media.variant_ids)
        return media

    async def _link(self, media_id: int, variant_ids: Iterable[int]) -> None:
        rows = [{"media_id": media_id, "variant_id": v} for v in variant_ids]
        if rows:
            await self.session.execute(insert(ProductMediaVariantRecord), rows)

    async def update(self, media: ProductMedia) -> None:
        await self.session.execute(
            update(ProductMediaRecord)
            .where(ProductMediaRecord.id == media.id)
            .values(alt=media.alt)
        )
        await self.session.execute(
            delete(ProductMediaVariantRecord).where(ProductMediaVariantRecord.media_id == media.id)
        )
        if media.id is not None:
            await self._link(media.id, media.variant_ids)

    async def set_positions(self, media_ids: Iterable[int]) -> None:
        for position, media_id in enumerate(media_ids):
            await self.session.execute(
                update(ProductMediaRecord)
                .where(ProductMediaRecord.id == media_id)
                .values(position=position)
            )

    async def delete(self, media_id: int) -> None:
        await self.session.execute(
            delete(ProductMediaVariantRecord).where(ProductMediaVariantRecord.media_id == media_id)
        )
        await self.session.execute(
            delete(ProductMediaRecord).where(ProductMediaRecord.id == media_id)
        )

    async def key_in_use(self, key: str) -> bool:
        return bool(
            await self.session.scalar(select(exists().where(ProductMediaRecord.key == key)))
        )
