"""GraphQL types of product media (images), and their per-request DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.types.catalog import Product, Variant
from api.types.nodes import load_nodes
from persistence.reads import media as media_reads


@strawberry.type(
    description="An image of a product, in its place among the product's images; some are "
    "shown for particular variants too (a colour's photos)."
)
class ProductMedia(relay.Node):
    id: relay.NodeID[int]
    product_id: strawberry.Private[int]
    key: strawberry.Private[str]
    alt: str = strawberry.field(description="Alternative text, for screen readers; may be empty.")
    position: int = strawberry.field(
        description="Its place among the product's media, from 0 (gaps may appear after a "
        "delete); Product.media is in this order."
    )
    content_type: str = strawberry.field(
        description="image/jpeg, image/png, image/webp or image/gif, as its bytes showed."
    )
    width: int = strawberry.field(description="Width in pixels.")
    height: int = strawberry.field(description="Height in pixels.")
    byte_size: int = strawberry.field(description="Size of the file in bytes.")
    created_at: datetime = strawberry.field(description="When it was added (UTC).")

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> ProductMedia:
        """`row`: media_reads.MEDIA_COLUMNS by position (and nothing after them)."""
        (
            media_id,
            product_id,
            key,
            alt,
            content_type,
            width,
            height,
            byte_size,
            position,
            created_at,
        ) = row[: len(media_reads.MEDIA_COLUMNS)]
        return cls(
            id=media_id,
            product_id=product_id,
            key=key,
            alt=alt,
            position=position,
            content_type=content_type,
            width=width,
            height=height,
            byte_size=byte_size,
            created_at=created_at,
        )

    @strawberry.field(
        description="Where the image is served: an absolute URL, or a path on this server "
        "(/media/…). What a URL names never changes, so it may be cached for ever."
    )
    def url(self, info: strawberry.Info) -> str:
        return info.context.media_storage.url(self.key)

    @strawberry.field(description="The product it shows.")
    async def product(self, info: strawberry.Info) -> Product:
        return await info.context.loaders.product.load(self.product_id)

    @strawberry.field(description="The variants it is shown for; empty: the product as a whole.")
    async def variants(self, info: strawberry.Info) -> list[Variant]:
        variant_ids = await info.context.loaders.media.variant_ids.load(self.id)
        found = await info.context.loaders.variant.load_many(variant_ids)
        return [variant for variant in found if variant is not None]

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.media.by_id, node_ids)


class MediaLoaders:
    """Per-request DataLoaders for product media; `loaders` is the request's
    api.loaders.Loaders."""

    def __init__(self, loaders: Any) -> None:
        self.by_id = loaders.by_id(media_reads.media_by_ids, ProductMedia.from_row)
        self.by_product = loaders.grouped(
            media_reads.media_by_product_ids, "product_id", ProductMedia.from_row
        )
        self.by_variant = loaders.grouped(
            media_reads.media_by_variant_ids, "variant_id", ProductMedia.from_row
        )
        self.variant_ids = loaders.grouped(
            media_reads.variant_ids_by_media_ids, "media_id", lambda row: row.variant_id
        )
