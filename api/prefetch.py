"""Children of a page, loaded with the page when the selection asks for them.

A catalog page that shows its products' variants and their stock would otherwise take a
DataLoader batch per level of children, each with its own read session (a pool checkout and
a transaction's round trips). Read with the page, in the page's session, they cost the same
statements and no more sessions; the request's loaders are primed with them, so the child
resolvers find them cached and every other path to them (a `node` lookup, another alias)
shares them.

The children are read by the very functions the loaders read them with and built by the
same `from_row`, and only what the caller may see is primed (stock only for those who may
read it: `Principal.may_read_stock`), so a resolver sees exactly what its loader would have
loaded for this caller.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.types.nodes import Selection

from api.selections import asks_for, selections_under
from api.types.catalog import Variant
from api.types.inventory import StockLevel
from api.types.orders import OrderLine
from persistence.reads import catalog as catalog_reads
from persistence.reads import orders as order_reads
from persistence.reads import stock as stock_reads

T = TypeVar("T")


def prime_groups(
    loader: DataLoader[Any, list[T]],
    keys: Sequence[Hashable],
    objects: Sequence[T],
    key_of: Callable[[T], Hashable],
) -> None:
    """Prime a loader of a list per key with `objects` grouped by `key_of`, in their order;
    a key without objects gets an empty list, as the loader would give it."""
    groups: dict[Hashable, list[T]] = defaultdict(list)
    for obj in objects:
        groups[key_of(obj)].append(obj)
    loader.prime_many({key: groups.get(key, []) for key in keys})


async def prefetch_variants(
    info: strawberry.Info,
    session: AsyncSession,
    product_ids: Sequence[int],
    product_selections: Sequence[Selection],
) -> None:
    """The variants of `product_ids`, and their stock levels, when `product_selections` (a
    product's) asks for them."""
    if not product_ids or not asks_for(product_selections, "variants"):
        return
    loaders = info.context.loaders
    rows = await catalog_reads.variants_by_product_ids(session, product_ids)
    variants = [Variant.from_row(row) for row in rows]
    prime_groups(loaders.variants_by_product, product_ids, variants, _product_id)
    variant_selections = selections_under(product_selections, "variants")
    if (
        variants
        and asks_for(variant_selections, "stockLevels")
        and loaders.principal.may_read_stock()
    ):
        variant_ids = [variant.id for variant in variants]
        level_rows = await stock_reads.stock_levels_by_variant_ids(session, variant_ids)
        levels = StockLevel.from_rows(level_rows)
        prime_groups(loaders.levels_by_variant, variant_ids, levels, _variant_id)


async def prefetch_variants_apart(
    info: strawberry.Info, product_ids: Sequence[int], product_selections: Sequence[Selection]
) -> None:
    """`prefetch_variants` in a read of its own on the request's read connection, for
    products loaded apart (by id, through their loader): variants and stock then take one
    read instead of two, each after the other."""
    if product_ids and asks_for(product_selections, "variants"):
        await info.context.reads.run(
            lambda session: prefetch_variants(info, session, product_ids, product_selections)
        )


async def prefetch_lines(
    info: strawberry.Info,
    session: AsyncSession,
    order_ids: Sequence[int],
    order_selections: Sequence[Selection],
) -> None:
    """The lines of `order_ids`, with their allocations, when `order_selections` (an
    order's) asks for them. The orders are a page the caller may see, and a line is seen
    with its order: the lines loader scopes nothing more."""
    if not order_ids or not asks_for(order_selections, "lines"):
        return
    line_rows = await order_reads.order_lines_by_order_ids(session, order_ids)
    allocation_rows = await order_reads.allocations_by_order_ids(session, order_ids)
    lines = OrderLine.by_order(order_ids, line_rows, allocation_rows)
    info.context.loaders.lines_by_order.prime_many(dict(zip(order_ids, lines, strict=True)))


def _product_id(variant: Variant) -> int:
    return variant.product_id


def _variant_id(level: StockLevel) -> int:
    return level.variant_id
