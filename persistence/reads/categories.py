"""The read side of the category tree, and pages of products per category or collection.

The tree is stored as an adjacency list (each category names its parent); ancestors and
descendants are walked with recursive CTEs, which SQLite and PostgreSQL both run.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import CTE, ColumnElement, Subquery, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.catalog import PRODUCT_COLUMNS
from persistence.reads.channel_availability import products_published_on
from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import CategoryRecord, ProductCategoryRecord, ProductRecord
from persistence.sql_types import AnyRow

MAX_DEPTH = 1_000  # levels a walk of the tree follows at most
CATEGORY_COLUMNS = (
    CategoryRecord.id,
    CategoryRecord.name,
    CategoryRecord.slug,
    CategoryRecord.description,
    CategoryRecord.parent_id,
    CategoryRecord.position,
    CategoryRecord.created_at,
    CategoryRecord.updated_at,
)
# Rows of a page of categories or products: the cursor key first (labelled `id`, as
# pages.fetch_page and the connections read it), then the object's own columns.
CATEGORY_PAGE_COLUMNS = (
    CategoryRecord.position.label("id"),
    CategoryRecord.id.label("category_id"),
    *CATEGORY_COLUMNS[1:],
)
PRODUCT_COLUMNS_AFTER_KEY = (ProductRecord.id.label("product_id"), *PRODUCT_COLUMNS[1:])


async def categories_page(
    session: AsyncSession, page: Page, parent_id: int | None
) -> tuple[Rows, int]:
    """The children of `parent_id` (None: the roots) by position, which is the cursor."""
    query = select(*CATEGORY_PAGE_COLUMNS).where(
        CategoryRecord.parent_id.is_(None)
        if parent_id is None
        else CategoryRecord.parent_id == parent_id
    )
    return await fetch_page(session, query, CategoryRecord.position, page)


async def category_by_slug(session: AsyncSession, slug: str) -> AnyRow | None:
    return (
        await session.execute(select(*CATEGORY_COLUMNS).where(CategoryRecord.slug == slug))
    ).first()


categories_by_ids = KeyedRead(select(*CATEGORY_COLUMNS).where(CategoryRecord.id.in_(KEYS)))
children_by_parent_ids = KeyedRead(
    select(*CATEGORY_COLUMNS)
    .where(CategoryRecord.parent_id.in_(KEYS))
    .order_by(CategoryRecord.parent_id, CategoryRecord.position)
)

# Each category's ancestors: walk up from it, one parent per step, and number the steps.
_ancestry = (
    select(
        CategoryRecord.id.label("start_id"),
        CategoryRecord.parent_id.label("ancestor_id"),
        literal(1).label("depth"),
    )
    .where(CategoryRecord.id.in_(KEYS), CategoryRecord.parent_id.is_not(None))
    .cte("ancestry", recursive=True)
)
_ancestry = _ancestry.union_all(
    select(_ancestry.c.start_id, CategoryRecord.parent_id, _ancestry.c.depth + 1)
    .join(_ancestry, CategoryRecord.id == _ancestry.c.ancestor_id)
    .where(CategoryRecord.parent_id.is_not(None), _ancestry.c.depth < MAX_DEPTH)
)
# Rows: start_id, then the ancestor's CATEGORY_COLUMNS; the root first.
ancestors_by_ids = KeyedRead(
    select(_ancestry.c.start_id, *CATEGORY_COLUMNS)
    .join(CategoryRecord, CategoryRecord.id == _ancestry.c.ancestor_id)
    .order_by(_ancestry.c.start_id, _ancestry.c.depth.desc())
)
# Rows: product_id, then the category's CATEGORY_COLUMNS; by name.
categories_by_product_ids = KeyedRead(
    select(ProductCategoryRecord.product_id, *CATEGORY_COLUMNS)
    .join(CategoryRecord, CategoryRecord.id == ProductCategoryRecord.category_id)
    .where(ProductCategoryRecord.product_id.in_(KEYS))
    .order_by(ProductCategoryRecord.product_id, CategoryRecord.name, CategoryRecord.id)
)


def subtrees(roots: ColumnElement[bool]) -> CTE:
    """The categories `roots` selects and every category below them: rows of root_id,
    category_id (the root itself too) and depth (0 for the root)."""
    tree = (
        select(
            CategoryRecord.id.label("root_id"),
            CategoryRecord.id.label("category_id"),
            literal(0).label("depth"),
        )
        .where(roots)
        .cte("subtree", recursive=True)
    )
    return tree.union_all(
        select(tree.c.root_id, CategoryRecord.id, tree.c.depth + 1)
        .join(tree, CategoryRecord.parent_id == tree.c.category_id)
        .where(tree.c.depth < MAX_DEPTH)
    )


async def products_of_categories(
    session: AsyncSession,
    category_ids: Sequence[int],
    page: Page,
    option: tuple[bool, str | None],
) -> tuple[Rows, dict[int, int]]:
    """A page of the products in each category (or, with `include_descendants`, in it or
    any category below it), by product id; only those published on `channel` when one is
    given: see `products_per_owner`. `option`: (include_descendants, channel)."""
    include_descendants, channel = option
    if include_descendants:
        tree = subtrees(CategoryRecord.id.in_(category_ids))
        members = (
            select(
                tree.c.root_id.label("owner_id"),
                ProductCategoryRecord.product_id,
                ProductCategoryRecord.product_id.label("key"),
            )
            .join(ProductCategoryRecord, ProductCategoryRecord.category_id == tree.c.category_id)
            .distinct()
        )
    else:
        members = select(
            ProductCategoryRecord.category_id.label("owner_id"),
            ProductCategoryRecord.product_id,
            ProductCategoryRecord.product_id.label("key"),
        ).where(ProductCategoryRecord.category_id.in_(category_ids))
    return await products_per_owner(session, members.subquery(), page, channel)


async def products_per_owner(
    session: AsyncSession, members: Subquery, page: Page, channel: str | None
) -> tuple[Rows, dict[int, int]]:
    """One page of products for each owner (a category, a collection) in two statements
    however many owners there are: `members` has columns owner_id, product_id and key (the
    order, and the cursor). Rows: key (as `id`), owner_id, then the product's columns, at
    most `page.limit + 1` per owner; with the count of each owner's products, when the
    page asks for it. With a `channel`, only the products published on it."""
    if channel is not None:
        published = select(members).where(members.c.product_id.in_(products_published_on(channel)))
        members = published.subquery()
    # A page from the end (`last`) ranks each owner's products from the end of its list.
    ranked = select(
        members.c.owner_id,
        members.c.product_id,
        members.c.key,
        func.row_number()
        .over(
            partition_by=members.c.owner_id,
            order_by=members.c.key.desc() if page.from_end else members.c.key,
        )
        .label("rank"),
    )
    if page.after_id is not None:
        ranked = ranked.where(members.c.key > page.after_id)
    if page.before_id is not None:
        ranked = ranked.where(members.c.key < page.before_id)
    in_page = ranked.subquery()
    rows = await session.execute(
        select(in_page.c.key.label("id"), in_page.c.owner_id, *PRODUCT_COLUMNS_AFTER_KEY)
        .join(ProductRecord, ProductRecord.id == in_page.c.product_id)
        .where(in_page.c.rank <= page.limit + 1)
        .order_by(in_page.c.owner_id, in_page.c.key)
    )
    totals: dict[int, int] = {}
    if page.count_total:
        counts = await session.execute(
            select(members.c.owner_id, func.count()).group_by(members.c.owner_id)
        )
        totals = {owner: count for owner, count in counts}
    return rows.all(), totals
