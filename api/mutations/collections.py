"""Mutations on curated collections: their fields, products in order, and channels (ADMIN,
STAFF: whoever manages the catalog)."""

from __future__ import annotations

import strawberry
from strawberry.relay.utils import to_base64

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import user_errors_field
from api.mutations.runner import key_of, run_mutation
from api.types.collections import Collection as CollectionType
from api.types.nodes import forget
from domain.commands.categories import (
    CreateCollection,
    DeleteCollection,
    SetCollectionChannels,
    SetCollectionProducts,
    UpdateCollection,
)
from domain.model.categories import Collection
from domain.model.identity import id_of
from domain.model.locations import ChannelCode
from domain.usecases import collections

MANAGERS = "(ADMIN, STAFF)"
SLUG_RULE = (
    "1-100 lower-case letters and digits in words joined by single hyphens (sent in any "
    "case), unique among collections"
)


@strawberry.type(description="Result of a mutation on a collection.")
class CollectionPayload:
    collection: CollectionType | None = strawberry.field(
        default=None, description="The collection, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of deleting a collection.")
class DeleteCollectionPayload:
    deleted_collection_id: strawberry.ID | None = strawberry.field(
        default=None, description="The deleted collection's id, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A new collection, published nowhere and empty at first.")
class CreateCollectionInput:
    name: str = strawberry.field(description="Display name, 1-200 characters.")
    slug: str | None = strawberry.field(
        default=None, description=f"{SLUG_RULE}; null: made from the name."
    )
    description: str = strawberry.field(default="", description="Longer text.")


@strawberry.input(description="New values for a collection's own fields; null keeps one.")
class UpdateCollectionInput:
    id: strawberry.ID = strawberry.field(description="The collection.")
    name: str | None = strawberry.field(default=None, description="Display name.")
    slug: str | None = strawberry.field(default=None, description=f"{SLUG_RULE}.")
    description: str | None = strawberry.field(default=None, description="Longer text.")


@strawberry.input(description="The products of a collection, in order.")
class SetCollectionProductsInput:
    id: strawberry.ID = strawberry.field(description="The collection.")
    product_ids: list[strawberry.ID] = strawberry.field(
        description="All its products (at most 500, each once) in the order it shows them, "
        "replacing its list."
    )


@strawberry.input(description="The channels a collection is published on.")
class SetCollectionChannelsInput:
    id: strawberry.ID = strawberry.field(description="The collection.")
    channel_codes: list[ChannelCode] = strawberry.field(
        description="All the channels it is published on, replacing the others; empty "
        "unpublishes it."
    )


@strawberry.input(description="A collection to delete.")
class DeleteCollectionInput:
    id: strawberry.ID = strawberry.field(
        description="The collection; its products stay in the catalog."
    )


async def _show(context: Context, collection: Collection) -> CollectionPayload:
    loaders = context.loaders.collections
    forget(loaders.channels, id_of(collection))
    return CollectionPayload(collection=await reload(loaders.collection, id_of(collection)))


async def _show_deleted(context: Context, collection: Collection) -> DeleteCollectionPayload:
    deleted = strawberry.ID(to_base64("Collection", id_of(collection)))
    return DeleteCollectionPayload(deleted_collection_id=deleted)


@strawberry.type
class CollectionMutations:
    @strawberry.mutation(description=f"Create a collection {MANAGERS}.")
    async def create_collection(
        self, info: strawberry.Info, input: CreateCollectionInput
    ) -> CollectionPayload:
        return await run_mutation(
            info,
            CollectionPayload,
            collections.create_collection,
            lambda: CreateCollection(input.name, input.slug, input.description),
            _show,
        )

    @strawberry.mutation(description=f"Change a collection's name, slug or description {MANAGERS}.")
    async def update_collection(
        self, info: strawberry.Info, input: UpdateCollectionInput
    ) -> CollectionPayload:
        return await run_mutation(
            info,
            CollectionPayload,
            collections.update_collection,
            lambda: UpdateCollection(
                key_of(input.id, "Collection"), input.name, input.slug, input.description
            ),
            _show,
        )

    @strawberry.mutation(
        description=f"Set a collection's products, in the order it shows them {MANAGERS}."
    )
    async def set_collection_products(
        self, info: strawberry.Info, input: SetCollectionProductsInput
    ) -> CollectionPayload:
        return await run_mutation(
            info,
            CollectionPayload,
            collections.set_collection_products,
            lambda: SetCollectionProducts(
                key_of(input.id, "Collection"),
                tuple(key_of(key, "Product", "productIds") for key in input.product_ids),
            ),
            _show,
        )

    @strawberry.mutation(
        description="Set the channels a collection is published on; anonymous callers and "
        f"customers see it only there {MANAGERS}."
    )
    async def set_collection_channels(
        self, info: strawberry.Info, input: SetCollectionChannelsInput
    ) -> CollectionPayload:
        return await run_mutation(
            info,
            CollectionPayload,
            collections.set_collection_channels,
            lambda: SetCollectionChannels(
                key_of(input.id, "Collection"), tuple(input.channel_codes)
            ),
            _show,
        )

    @strawberry.mutation(
        description=f"Delete a collection; its products stay in the catalog {MANAGERS}."
    )
    async def delete_collection(
        self, info: strawberry.Info, input: DeleteCollectionInput
    ) -> DeleteCollectionPayload:
        return await run_mutation(
            info,
            DeleteCollectionPayload,
            collections.delete_collection,
            lambda: DeleteCollection(key_of(input.id, "Collection")),
            _show_deleted,
        )
