"""Queries on the category tree and on curated collections. Open to everyone; collections
are narrowed to a channel for anyone who does not manage the catalog."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.errors import RequestError
from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.storefront import STOREFRONT_CHANNEL, header_channel
from api.types.categories import Category, category_after_key
from api.types.collections import Collection
from domain.model.locations import ChannelCode
from persistence.reads import categories as category_reads
from persistence.reads import collections as collection_reads


def visible_channel(info: strawberry.Info, channel: ChannelCode | None) -> str | None:
    """The channel whose collections the caller sees: the one asked for; for a caller who
    does not manage the catalog, the X-Channel header's or WEB when none is; None (every
    collection) for a manager who names none."""
    if channel is None and not info.context.principal.may_manage_catalog():
        channel = header_channel(info) or STOREFRONT_CHANNEL
    return None if channel is None else channel.value


@strawberry.type
class CategoryQueries:
    @strawberry.field(
        description="One level of the category tree, by position: the roots, or the "
        "children of `parentSlug`."
    )
    async def categories(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        parent_slug: Annotated[
            str | None,
            strawberry.argument(
                description="The category whose children to list; null: the roots. NOT_FOUND "
                "when there is none.",
            ),
        ] = None,
    ) -> Connection[Category]:
        page = page_from(info, first, after, last, before)
        async with info.context.database.read_session() as session:
            parent_id = None
            if parent_slug is not None:
                parent = await category_reads.category_by_slug(session, _slug(parent_slug))
                if parent is None:
                    raise RequestError(f"category {parent_slug} not found", code="NOT_FOUND")
                parent_id = parent.id
            rows, total = await category_reads.categories_page(session, page, parent_id)
        return connection(rows, total, page, category_after_key)

    @strawberry.field(description="One category by its slug (any case).")
    async def category(self, info: strawberry.Info, slug: str) -> Category | None:
        async with info.context.database.read_session() as session:
            row = await category_reads.category_by_slug(session, _slug(slug))
        return Category.from_row(row) if row else None

    @strawberry.field(
        description="Curated collections, oldest first. Who manages the catalog (ADMIN, "
        "STAFF) sees every one, or those published on `channel` when it names one; "
        "anyone else only those published on `channel` (WEB when not given)."
    )
    async def collections(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        channel: Annotated[
            ChannelCode | None,
            strawberry.argument(description="The channel whose collections to list."),
        ] = None,
    ) -> Connection[Collection]:
        page = page_from(info, first, after, last, before)
        async with info.context.database.read_session() as session:
            rows, total = await collection_reads.collections_page(
                session, page, visible_channel(info, channel)
            )
        return connection(rows, total, page, Collection.from_row)

    @strawberry.field(
        description="One collection by its slug (any case), if the caller may see it on "
        "`channel` (as `collections` decides)."
    )
    async def collection(
        self,
        info: strawberry.Info,
        slug: str,
        channel: Annotated[
            ChannelCode | None, strawberry.argument(description="The channel the caller shops on.")
        ] = None,
    ) -> Collection | None:
        async with info.context.database.read_session() as session:
            row = await collection_reads.collection_by_slug(
                session, _slug(slug), visible_channel(info, channel)
            )
        return Collection.from_row(row) if row else None


def _slug(sent: str) -> str:
    return sent.strip().lower()
