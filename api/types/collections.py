"""Curated collections as GraphQL types, and their DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.pagination import After, Before, Connection, First, Last, page_from
from api.storefront import catalog_channel
from api.types.catalog import Product
from api.types.categories import product_after_keys
from api.types.locations import Channel
from api.types.nodes import load_nodes
from persistence.reads import collections as collection_reads


@strawberry.type(
    description="A curated list of products in a manual order (Summer picks), published on "
    "some channels."
)
class Collection(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Display name.")
    slug: str = strawberry.field(
        description="Unique URL-safe name: lower-case letters and digits in words joined by "
        "hyphens, e.g. summer-picks."
    )
    description: str = strawberry.field(description="Longer text for the collection page.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(
        description="When it, its products or its channels last changed (UTC)."
    )

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Collection:
        """`row`: collection_reads.COLLECTION_COLUMNS, by position."""
        key, name, slug, description, created_at, updated_at = row
        return cls(
            id=key,
            name=name,
            slug=slug,
            description=description,
            created_at=created_at,
            updated_at=updated_at,
        )

    @strawberry.field(
        description="The channels it is published on; anonymous callers and customers see "
        "it only on these."
    )
    async def channels(self, info: strawberry.Info) -> list[Channel]:
        return await info.context.loaders.collections.channels.load(self.id)

    @strawberry.field(
        description="Its products, in the collection's own order (those published on the "
        "caller's channel, for anyone who does not manage the catalog)."
    )
    async def products(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Product]:
        page = page_from(info, first, after, last, before)
        channel = catalog_channel(info)
        return await info.context.loaders.collections.products.load((self.id, page, channel))

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.collections.collection, node_ids)


class CollectionLoaders:
    """Per-request DataLoaders of collections; `loaders` is the request's
    api.loaders.Loaders. Who manages the catalog loads any collection; anyone else only
    those published on some channel (the queries narrow that to the channel asked for)."""

    def __init__(self, loaders: Any) -> None:
        self.collection = loaders.by_id(
            collection_reads.collections_by_ids
            if loaders.principal.may_manage_catalog()
            else collection_reads.published_collections_by_ids,
            Collection.from_row,
        )
        self.channels = loaders.grouped(
            collection_reads.channels_by_collection_ids, "collection_id", Channel.after_key
        )
        self.products = loaders.paged(collection_reads.products_of_collections, product_after_keys)
