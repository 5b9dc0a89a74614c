"""Use cases of curated collections: products in a manual order, published on channels.

Whoever manages the catalog (ADMIN, STAFF) changes them; each change holds the collection
(`CollectionRepository.get`), so two concurrent ones apply one after the other.
"""

from __future__ import annotations

from datetime import datetime

from domain.access import Principal
from domain.commands.categories import (
    CreateCollection,
    DeleteCollection,
    SetCollectionChannels,
    SetCollectionProducts,
    UpdateCollection,
)
from domain.errors import Duplicate, NotFound
from domain.model.categories import (
    Collection,
    checked_description,
    checked_name,
    new_slug,
    slug_for,
    unique_ids,
)
from domain.ports import UnitOfWork

MAX_COLLECTION_PRODUCTS = 500


async def create_collection(
    uow: UnitOfWork, principal: Principal, command: CreateCollection, now: datetime
) -> Collection:
    principal.require_catalog_manager("create collections")
    name = checked_name(command.name)
    collection = Collection(
        name=name,
        slug=slug_for(name, command.slug),
        description=checked_description(command.description),
    )
    async with uow:
        await _refuse_taken_slug(uow, collection.slug)
        collection = await uow.collections.add(collection, now)
        await uow.commit()
    return collection


async def update_collection(
    uow: UnitOfWork, principal: Principal, command: UpdateCollection, now: datetime
) -> Collection:
    principal.require_catalog_manager("change collections")
    async with uow:
        collection = await _collection(uow, command.collection_id)
        if (slug := new_slug(collection, command.name, command.slug)) is not None:
            await _refuse_taken_slug(uow, slug)
            collection.slug = slug
        if command.description is not None:
            collection.description = checked_description(command.description)
        await uow.collections.update(collection, now)
        await uow.commit()
    return collection


async def set_collection_products(
    uow: UnitOfWork, principal: Principal, command: SetCollectionProducts, now: datetime
) -> Collection:
    """Make these the collection's products, shown in the order given."""
    principal.require_catalog_manager("change collections")
    product_ids = unique_ids(command.product_ids, field="productIds", limit=MAX_COLLECTION_PRODUCTS)
    async with uow:
        collection = await _collection(uow, command.collection_id)
        if set(product_ids) - await uow.collections.existing_products(product_ids):
            raise NotFound.no_such("product", field="productIds")
        await uow.collections.set_products(command.collection_id, product_ids, now)
        await uow.commit()
    return collection


async def set_collection_channels(
    uow: UnitOfWork, principal: Principal, command: SetCollectionChannels, now: datetime
) -> Collection:
    """Publish the collection on these channels, and only these (none: unpublished)."""
    principal.require_catalog_manager("publish collections")
    if len(set(command.channels)) != len(command.channels):
        raise Duplicate("a channel appears twice", field="channelCodes")
    async with uow:
        collection = await _collection(uow, command.collection_id)
        found = await uow.collections.channel_ids(command.channels)
        missing = [code for code in command.channels if code not in found]
        if missing:
            raise NotFound.of("channel", ", ".join(missing), field="channelCodes")
        await uow.collections.set_channels(command.collection_id, found.values(), now)
        await uow.commit()
    return collection


async def delete_collection(
    uow: UnitOfWork, principal: Principal, command: DeleteCollection, now: datetime
) -> Collection:
    """Delete a collection; its products stay in the catalog."""
    principal.require_catalog_manager("delete collections")
    async with uow:
        collection = await _collection(uow, command.collection_id)
        await uow.collections.delete(command.collection_id)
        await uow.commit()
    return collection


async def _collection(uow: UnitOfWork, collection_id: int) -> Collection:
    collection = await uow.collections.get(collection_id)
    if collection is None:
        raise NotFound.no_such("collection", field="id")
    return collection


async def _refuse_taken_slug(uow: UnitOfWork, slug: str) -> None:
    if await uow.collections.by_slug(slug) is not None:
        raise Duplicate(f"a collection with slug {slug} exists", field="slug")
