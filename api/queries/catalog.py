"""Catalog queries: products, variants, locations and channels. Open to everyone."""

from __future__ import annotations

import asyncio
from typing import Annotated, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from api.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    connection,
    page_from,
)
from api.prefetch import prefetch_variants, prefetch_variants_apart
from api.queries.product_listing import SORT_ORDERS, ProductFilter, ProductSortKey, listing_of
from api.selections import selections_at
from api.storefront import catalog_channel, visible
from api.types.catalog import Product, Variant, product_before_sort_value, variant_product_id
from api.types.locations import Channel, Location
from api.types.nodes import node_of_type, parse_key
from domain.model.locations import LocationKind
from persistence.reads import catalog as catalog_reads
from persistence.reads import locations as location_reads
from persistence.reads import product_listing as listing_reads


@strawberry.type
class CatalogQueries:
    @strawberry.field(
        description="Products, oldest first or in `sortKey` order, optionally filtered."
    )
    async def products(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: ProductFilter | None = None,
        sort_key: Annotated[
            ProductSortKey,
            strawberry.argument(description="The order of the list (ID: oldest first)."),
        ] = ProductSortKey.ID,
        reverse: Annotated[
            bool, strawberry.argument(description="The order turned round (Z to A, newest…).")
        ] = False,
    ) -> Connection[Product]:
        listing = listing_of(filter or ProductFilter(), sort_key, catalog_channel(info))
        order = SORT_ORDERS[sort_key]
        page = page_from(info, first, after, last, before, newest_first=reverse, order=order)
        build = Product.from_row if order is None else product_before_sort_value

        async def read(session: AsyncSession) -> Connection[Product]:
            rows, total = await listing_reads.products_page(session, page, listing)
            products = connection(rows, total, page, build)
            await prefetch_variants(
                info,
                session,
                [edge.node.id for edge in products.edges],
                selections_at(info, "edges", "node"),
            )
            return products

        # On the request's read connection, with the loaders' batches (RequestReads).
        return await info.context.reads.run(read)

    @strawberry.field(description="One product by its global id.")
    async def product(self, info: strawberry.Info, id: relay.GlobalID) -> Product | None:
        key = parse_key(id.node_id) if id.type_name == Product.__name__ else None
        if key is None:
            return None
        # Its variants and stock need only its id: read them while the product loads.
        product, _ = await asyncio.gather(
            node_of_type(Product, info, id),
            prefetch_variants_apart(info, [key], selections_at(info)),
        )
        return cast(Product | None, product)

    @strawberry.field(
        description="One variant by its SKU (null when none, or when its "
        "product is not published on the caller's channel)."
    )
    async def variant(self, info: strawberry.Info, sku: str) -> Variant | None:
        async with info.context.database.read_session() as session:
            rows = await catalog_reads.variants_by_skus(session, [sku.strip().upper()])
        found = [Variant.from_row(row) for row in rows[:1]]
        return next(iter(await visible(info, found, variant_product_id)), None)

    @strawberry.field(description="Stores and warehouses, by code; optionally of one kind.")
    async def locations(
        self, info: strawberry.Info, kind: LocationKind | None = None
    ) -> list[Location]:
        async with info.context.database.read_session() as session:
            rows = await location_reads.locations(session, kind.value if kind else None)
        return [Location.from_row(row) for row in rows]

    @strawberry.field(description="The sales channels and where each fulfils from.")
    async def channels(self, info: strawberry.Info) -> list[Channel]:
        async with info.context.database.read_session() as session:
            rows = await location_reads.channels(session)
        return [Channel.from_row(row) for row in rows]
