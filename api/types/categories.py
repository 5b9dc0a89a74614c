"""The category tree as GraphQL types, and its DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from api.pagination import After, Before, Connection, First, Last, page_from
from api.storefront import catalog_channel
from api.types.catalog import Product
from api.types.nodes import load_nodes
from persistence.reads import categories as category_reads


@strawberry.type(
    description="A place in the catalog's tree (Menswear > Shirts); a product may sit in several."
)
class Category(relay.Node):
    id: relay.NodeID[int]
    parent_id: strawberry.Private[int | None]
    name: str = strawberry.field(description="Display name.")
    slug: str = strawberry.field(
        description="Unique URL-safe name: lower-case letters and digits in words joined by "
        "hyphens, e.g. summer-shirts."
    )
    description: str = strawberry.field(description="Longer text for the category page.")
    position: int = strawberry.field(description="Its place among its siblings, 1 first.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Category:
        """`row`: category_reads.CATEGORY_COLUMNS, by position."""
        key, name, slug, description, parent_id, position, created_at, updated_at = row
        return cls(
            id=key,
            parent_id=parent_id,
            name=name,
            slug=slug,
            description=description,
            position=position,
            created_at=created_at,
            updated_at=updated_at,
        )

    @strawberry.field(description="The category it sits under; null for a root.")
    async def parent(self, info: strawberry.Info) -> Category | None:
        if self.parent_id is None:
            return None
        return await info.context.loaders.categories.category.load(self.parent_id)

    @strawberry.field(description="The categories right under it, by position.")
    async def children(self, info: strawberry.Info) -> list[Category]:
        return await info.context.loaders.categories.children.load(self.id)

    @strawberry.field(
        description="The categories above it, root first and its parent last (a "
        "breadcrumb); empty for a root."
    )
    async def ancestors(self, info: strawberry.Info) -> list[Category]:
        return await info.context.loaders.categories.ancestors.load(self.id)

    @strawberry.field(
        description="The products in this category, oldest first (those published on the "
        "caller's channel, for anyone who does not manage the catalog)."
    )
    async def products(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        include_descendants: Annotated[
            bool,
            strawberry.argument(
                description="Also the products of every category below it (each product once).",
            ),
        ] = False,
    ) -> Connection[Product]:
        page = page_from(info, first, after, last, before)
        loader = info.context.loaders.categories.products
        return await loader.load((self.id, page, (include_descendants, catalog_channel(info))))

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.categories.category, node_ids)


def category_after_key(row: Sequence[Any]) -> Category:
    """A category from a row that starts with one column more (the key it was read by)."""
    return Category.from_row(row[1:])


def product_after_keys(row: Sequence[Any]) -> Product:
    """A product from a row of `products_per_owner` (cursor key, owner, then the product)."""
    return Product.from_row(row[2:])


class CategoryLoaders:
    """Per-request DataLoaders of the tree; `loaders` is the request's api.loaders.Loaders.
    The catalog is public: everyone sees every category."""

    def __init__(self, loaders: Any) -> None:
        self.category = loaders.by_id(category_reads.categories_by_ids, Category.from_row)
        self.children = loaders.grouped(
            category_reads.children_by_parent_ids, "parent_id", Category.from_row
        )
        self.ancestors = loaders.grouped(
            category_reads.ancestors_by_ids, "start_id", category_after_key
        )
        self.by_product = loaders.grouped(
            category_reads.categories_by_product_ids, "product_id", category_after_key
        )
        self.products = loaders.paged(category_reads.products_of_categories, product_after_keys)
