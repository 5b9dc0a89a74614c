"""The read side of curated collections: who sees which, their channels and products."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Exists, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.categories import products_per_owner
from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.locations import CHANNEL_COLUMNS
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import (
    ChannelRecord,
    CollectionChannelRecord,
    CollectionProductRecord,
    CollectionRecord,
)
from persistence.sql_types import AnyRow

COLLECTION_COLUMNS = (
    CollectionRecord.id,
    CollectionRecord.name,
    CollectionRecord.slug,
    CollectionRecord.description,
    CollectionRecord.created_at,
    CollectionRecord.updated_at,
)


def _published(channel: str | None) -> Exists:
    """Published on `channel` (by code), or on any channel when None."""
    query = exists().where(CollectionChannelRecord.collection_id == CollectionRecord.id)
    if channel is not None:
        query = query.where(
            ChannelRecord.id == CollectionChannelRecord.channel_id, ChannelRecord.code == channel
        )
    return query


async def collections_page(
    session: AsyncSession, page: Page, channel: str | None
) -> tuple[Rows, int]:
    """Collections, oldest first; only those published on `channel` when one is named."""
    query = select(*COLLECTION_COLUMNS)
    if channel is not None:
        query = query.where(_published(channel))
    return await fetch_page(session, query, CollectionRecord.id, page)


async def collection_by_slug(
    session: AsyncSession, slug: str, channel: str | None
) -> AnyRow | None:
    query = select(*COLLECTION_COLUMNS).where(CollectionRecord.slug == slug)
    if channel is not None:
        query = query.where(_published(channel))
    return (await session.execute(query)).first()


collections_by_ids = KeyedRead(select(*COLLECTION_COLUMNS).where(CollectionRecord.id.in_(KEYS)))
# For callers who see published collections only: those on at least one channel.
published_collections_by_ids = KeyedRead(
    select(*COLLECTION_COLUMNS).where(CollectionRecord.id.in_(KEYS), _published(None))
)
# Rows: collection_id, then the channel's CHANNEL_COLUMNS.
channels_by_collection_ids = KeyedRead(
    select(CollectionChannelRecord.collection_id, *CHANNEL_COLUMNS)
    .join(ChannelRecord, ChannelRecord.id == CollectionChannelRecord.channel_id)
    .where(CollectionChannelRecord.collection_id.in_(KEYS))
    .order_by(CollectionChannelRecord.collection_id, ChannelRecord.id)
)


async def products_of_collections(
    session: AsyncSession, collection_ids: Sequence[int], page: Page, channel: str | None
) -> tuple[Rows, dict[int, int]]:
    """A page of each collection's products in its manual order, whose position is the
    cursor (only those published on `channel`, when one is given): see
    `categories.products_per_owner`."""
    members = select(
        CollectionProductRecord.collection_id.label("owner_id"),
        CollectionProductRecord.product_id,
        CollectionProductRecord.position.label("key"),
    ).where(CollectionProductRecord.collection_id.in_(collection_ids))
    return await products_per_owner(session, members.subquery(), page, channel)
