"""The category tree and product memberships; curated collections."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, insert, literal, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate
from domain.model.categories import Category, Collection
from domain.model.locations import ChannelCode
from persistence.reads.categories import MAX_DEPTH
from persistence.records import (
    CategoryRecord,
    ChannelRecord,
    CollectionChannelRecord,
    CollectionProductRecord,
    CollectionRecord,
    ProductCategoryRecord,
    ProductRecord,
)

# PostgreSQL advisory lock: one transaction at a time changes the shape of the tree.
CATEGORY_TREE_LOCK_KEY = 730_412_040


class SqlCategoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def hold(self) -> None:
        # On SQLite a write transaction already holds the whole database.
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": CATEGORY_TREE_LOCK_KEY}
            )

    async def get(self, category_id: int) -> Category | None:
        record = await self.session.scalar(
            select(CategoryRecord).where(CategoryRecord.id == category_id).with_for_update()
        )
        return _category(record) if record else None

    async def by_slug(self, slug: str) -> Category | None:
        record = await self.session.scalar(
            select(CategoryRecord).where(CategoryRecord.slug == slug)
        )
        return _category(record) if record else None

    async def add(self, category: Category, at: datetime) -> Category:
        record = CategoryRecord(
            name=category.name,
            slug=category.slug,
            description=category.description,
            parent_id=category.parent_id,
            position=category.position,
            created_at=at,
            updated_at=at,
        )
        self.session.add(record)
        await _flush_unique(self.session, f"a category with slug {category.slug} exists")
        category.id = record.id
        return category

    async def update(self, category: Category, at: datetime) -> None:
        record = await self.session.get_one(CategoryRecord, category.id)  # held by `get`
        record.name, record.slug = category.name, category.slug
        record.description, record.updated_at = category.description, at
        await _flush_unique(self.session, f"a category with slug {category.slug} exists")

    async def chain(self, category_id: int) -> list[int]:
        # A recursive CTE walks up from the category; the depth bound stops a walk even
        # if a loop were ever stored (the moves refuse to make one).
        up = (
            select(CategoryRecord.id, CategoryRecord.parent_id, literal(0).label("depth"))
            .where(CategoryRecord.id == category_id)
            .cte("chain", recursive=True)
        )
        up = up.union_all(
            select(CategoryRecord.id, CategoryRecord.parent_id, up.c.depth + 1)
            .join(up, CategoryRecord.id == up.c.parent_id)
            .where(up.c.depth < MAX_DEPTH)
        )
        return list(await self.session.scalars(select(up.c.id).order_by(up.c.depth)))

    async def children(self, parent_id: int | None) -> list[int]:
        return list(
            await self.session.scalars(
                select(CategoryRecord.id)
                .where(
                    CategoryRecord.parent_id.is_(None)
                    if parent_id is None
                    else CategoryRecord.parent_id == parent_id
                )
                .order_by(CategoryRecord.position, CategoryRecord.id)
            )
        )

    async def arrange(self, parent_id: int | None, ordered: Sequence[int], at: datetime) -> None:
        for position, category_id in enumerate(ordered, start=1):
            await self.session.execute(
                update(CategoryRecord)
                .where(CategoryRecord.id == category_id)
                .values(parent_id=parent_id, position=position, updated_at=at)
                .execution_options(synchronize_session=False)
            )

    async def delete(self, category_id: int) -> None:
        await self.session.execute(
            delete(ProductCategoryRecord).where(ProductCategoryRecord.category_id == category_id)
        )
        await self.session.execute(delete(CategoryRecord).where(CategoryRecord.id == category_id))

    async def existing(self, category_ids: Iterable[int]) -> set[int]:
        ids = sorted(set(category_ids))
        return set(
            await self.session.scalars(select(CategoryRecord.id).where(CategoryRecord.id.in_(ids)))
        )

    async def hold_product(self, product_id: int) -> bool:
        found = await self.session.scalar(
            select(ProductRecord.id).where(ProductRecord.id == product_id).with_for_update()
        )
        return found is not None

    async def set_product_categories(self, product_id: int, category_ids: Sequence[int]) -> None:
        await self.session.execute(
            delete(ProductCategoryRecord).where(ProductCategoryRecord.product_id == product_id)
        )
        if category_ids:
            await self.session.execute(
                insert(ProductCategoryRecord),
                [{"product_id": product_id, "category_id": key} for key in category_ids],
            )


class SqlCollectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, collection_id: int) -> Collection | None:
        record = await self.session.scalar(
            select(CollectionRecord).where(CollectionRecord.id == collection_id).with_for_update()
        )
        return _collection(record) if record else None

    async def by_slug(self, slug: str) -> Collection | None:
        record = await self.session.scalar(
            select(CollectionRecord).where(CollectionRecord.slug == slug)
        )
        return _collection(record) if record else None

    async def add(self, collection: Collection, at: datetime) -> Collection:
        record = CollectionRecord(
            name=collection.name,
            slug=collection.slug,
            description=collection.description,
            created_at=at,
            updated_at=at,
        )
        self.session.add(record)
        await _flush_unique(self.session, f"a collection with slug {collection.slug} exists")
        collection.id = record.id
        return collection

    async def update(self, collection: Collection, at: datetime) -> None:
        record = await self.session.get_one(CollectionRecord, collection.id)  # held by `get`
        record.name, record.slug = collection.name, collection.slug
        record.description, record.updated_at = collection.description, at
        await _flush_unique(self.session, f"a collection with slug {collection.slug} exists")

    async def delete(self, collection_id: int) -> None:
        for table in (CollectionProductRecord, CollectionChannelRecord):
            await self.session.execute(delete(table).where(table.collection_id == collection_id))
        await self.session.execute(
            delete(CollectionRecord).where(CollectionRecord.id == collection_id)
        )

    async def existing_products(self, product_ids: Iterable[int]) -> set[int]:
        ids = sorted(set(product_ids))
        return set(
            await self.session.scalars(select(ProductRecord.id).where(ProductRecord.id.in_(ids)))
        )

    async def set_products(
        self, collection_id: int, product_ids: Sequence[int], at: datetime
    ) -> None:
        await self.session.execute(
            delete(CollectionProductRecord).where(
                CollectionProductRecord.collection_id == collection_id
            )
        )
        if product_ids:
            await self.session.execute(
                insert(CollectionProductRecord),
                [
                    {"collection_id": collection_id, "product_id": key, "position": position}
                    for position, key in enumerate(product_ids, start=1)
                ],
            )
        await self._touch(collection_id, at)

    async def channel_ids(self, codes: Iterable[ChannelCode]) -> dict[ChannelCode, int]:
        rows = await self.session.execute(
            select(ChannelRecord.code, ChannelRecord.id).where(
                ChannelRecord.code.in_([code.value for code in codes])
            )
        )
        return {ChannelCode(code): channel_id for code, channel_id in rows}

    async def set_channels(
        self, collection_id: int, channel_ids: Iterable[int], at: datetime
    ) -> None:
        await self.session.execute(
            delete(CollectionChannelRecord).where(
                CollectionChannelRecord.collection_id == collection_id
            )
        )
        ids = sorted(set(channel_ids))
        if ids:
            await self.session.execute(
                insert(CollectionChannelRecord),
                [{"collection_id": collection_id, "channel_id": key} for key in ids],
            )
        await self._touch(collection_id, at)

    async def _touch(self, collection_id: int, at: datetime) -> None:
        await self.session.execute(
            update(CollectionRecord)
            .where(CollectionRecord.id == collection_id)
            .values(updated_at=at)
            .execution_options(synchronize_session=False)
        )


async def _flush_unique(session: AsyncSession, message: str) -> None:
    """Write what is pending; a unique slug taken meanwhile is a Duplicate on `slug`."""
    try:
        await session.flush()
    except IntegrityError as error:
        raise Duplicate(message, field="slug") from error


def _category(record: CategoryRecord) -> Category:
    return Category(
        id=record.id,
        name=record.name,
        slug=record.slug,
        description=record.description,
        parent_id=record.parent_id,
        position=record.position,
    )


def _collection(record: CollectionRecord) -> Collection:
    return Collection(
        id=record.id, name=record.name, slug=record.slug, description=record.description
    )
