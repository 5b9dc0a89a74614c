"""Read side: the products list with its search, filters and sort orders.

Search goes through each database's full-text index (persistence/records/search.py):
every word of the text must be found, the last one as the start of a word ("hoo" finds
"Hoodie"); SQLite matches a product's name, description and variants' SKUs and names as one
text (FTS5, ranked by bm25), PostgreSQL a product's name and description, or one of its
variant's SKU and name (ranked by `ts_rank` over the product's text). A SKU is words split
at its punctuation ("TEE-S": "tee", "s"), so a SKU or its start finds its product.

The variant filters (option values, price range, stock at a location) hold for one same
variant: "size M under 20 USD, in stock at ST-B" is one variant that is all three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    SQLColumnExpression,
    Subquery,
    and_,
    column,
    exists,
    false,
    func,
    literal,
    literal_column,
    select,
    table,
    union,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from persistence.reads.catalog import PRODUCT_COLUMNS
from persistence.reads.categories import subtrees
from persistence.reads.channel_availability import published_on
from persistence.reads.pages import Page, Rows, changed_since, fetch_page
from persistence.records import (
    AttributeRecord,
    AttributeValueRecord,
    CategoryRecord,
    LocationRecord,
    ProductAttributeValueRecord,
    ProductCategoryRecord,
    ProductOptionRecord,
    ProductOptionValueRecord,
    ProductRecord,
    StockLevelRecord,
    VariantOptionValueRecord,
    VariantRecord,
)
from persistence.records.search import SEARCH_TABLE
from persistence.sql_types import AnySelect

WORD = re.compile(r"[^\W_]+")  # letters and digits, as both indexes split words
# SQLite's FTS5 table (rowid = product id); the column named as the table is the whole row.
_SEARCH = table(SEARCH_TABLE, column("rowid"), column("rank"), column(SEARCH_TABLE))
_SEARCHED = aliased(ProductRecord, name="searched")  # a product matched by its own words


class ProductSort(StrEnum):
    ID = "ID"
    NAME = "NAME"  # any case
    PRICE = "PRICE"  # the lowest list price of its variants, in minor units
    CREATED_AT = "CREATED_AT"
    RELEVANCE = "RELEVANCE"  # best match first; only with a search


@dataclass(frozen=True, slots=True)
class ValuesOf:
    """Any of `values` (any case) of the attribute or option `name` (its slug, or its name
    in any case, for an attribute)."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PriceRange:
    """List prices in `currency` between the bounds (minor units, either may be open)."""

    currency: str
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True, slots=True)
class ProductListing:
    """What a products list is narrowed to, and its order."""

    search: str | None = None
    sku: str | None = None
    category_slug: str | None = None
    include_subcategories: bool = True
    attributes: tuple[ValuesOf, ...] = ()
    options: tuple[ValuesOf, ...] = ()
    price_range: PriceRange | None = None
    in_stock_at: str | None = None
    updated_since: datetime | None = None
    published_on: tuple[str, ...] = ()  # channel codes: published on every one of them
    sort: ProductSort = ProductSort.ID


async def products_page(
    session: AsyncSession, page: Page, listing: ProductListing
) -> tuple[Rows, int]:
    """A page of products (PRODUCT_COLUMNS, then `sort_value` unless sorted by id)."""
    query = changed_since(select(*PRODUCT_COLUMNS), ProductRecord.updated_at, listing.updated_since)
    relevance: ColumnElement[Any] | None = None
    if listing.search is not None:
        query, relevance = _searched(session, query, WORD.findall(listing.search.lower()))
    query = query.where(*_conditions(listing))
    sort_column: SQLColumnExpression[Any] | None = {
        ProductSort.ID: None,
        ProductSort.NAME: func.lower(ProductRecord.name),
        ProductSort.PRICE: _lowest_price(),
        ProductSort.CREATED_AT: ProductRecord.created_at,
        ProductSort.RELEVANCE: relevance,
    }[listing.sort]
    if listing.sort is ProductSort.RELEVANCE and sort_column is None:
        raise ValueError("RELEVANCE sorts a search only")
    return await fetch_page(session, query, ProductRecord.id, page, sort_column)


def _searched(
    session: AsyncSession, query: AnySelect, words: list[str]
) -> tuple[AnySelect, ColumnElement[Any] | None]:
    """`query` narrowed to the products matching every word, with their relevance (lower
    is better); no product for a text without words (ranked all alike, so that RELEVANCE
    still sorts the empty page)."""
    if not words:
        return query.where(false()), literal(0)
    if session.get_bind().dialect.name == "postgresql":
        terms = " & ".join([*words[:-1], f"{words[-1]}:*"])
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), terms)
        # Two index scans (products, variants) rather than an OR the planner cannot split.
        matching = union(
            select(_SEARCHED.id).where(
                _words_of(_SEARCHED.name, _SEARCHED.description).op("@@")(tsquery)
            ),
            select(VariantRecord.product_id).where(
                _words_of(VariantRecord.sku, VariantRecord.name).op("@@")(tsquery)
            ),
        )
        query = query.where(ProductRecord.id.in_(matching))
        product_words = _words_of(ProductRecord.name, ProductRecord.description)
        return query, -func.ts_rank(product_words, tsquery)
    terms = " ".join([*(f'"{word}"' for word in words[:-1]), f'"{words[-1]}"*'])
    matches: Subquery = (
        select(_SEARCH.c.rowid.label("product_id"), _SEARCH.c.rank.label("relevance"))
        .where(_SEARCH.c[SEARCH_TABLE].op("MATCH")(terms))
        .subquery("matches")
    )
    query = query.join(matches, matches.c.product_id == ProductRecord.id)
    return query, matches.c.relevance


def _words_of(
    first: InstrumentedAttribute[str], second: InstrumentedAttribute[str]
) -> ColumnElement[Any]:
    """PostgreSQL: the words of two texts, split at anything but letters and digits, as
    the migration's GIN indexes are written (so that they serve the search)."""
    joined = first.concat(literal_column("' '")).concat(second)
    return func.to_tsvector(
        literal_column("'simple'::regconfig"),
        func.regexp_replace(
            joined, literal_column("'[^[:alnum:]]+'"), literal_column("' '"), literal_column("'g'")
        ),
    )


def _conditions(listing: ProductListing) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if listing.sku:
        conditions.append(
            exists().where(
                VariantRecord.product_id == ProductRecord.id, VariantRecord.sku == listing.sku
            )
        )
    if listing.category_slug is not None:
        conditions.append(_in_category(listing.category_slug, listing.include_subcategories))
    conditions += [_has_attribute(wanted) for wanted in listing.attributes]
    conditions += [published_on(channel) for channel in listing.published_on]
    variant_conditions = [_selects_option(wanted) for wanted in listing.options]
    if listing.price_range is not None:
        variant_conditions.append(_priced_in(listing.price_range))
    if listing.in_stock_at is not None:
        variant_conditions.append(_available_at(listing.in_stock_at))
    if variant_conditions:
        conditions.append(
            exists().where(VariantRecord.product_id == ProductRecord.id, *variant_conditions)
        )
    return conditions


def _in_category(slug: str, include_subcategories: bool) -> ColumnElement[bool]:
    if include_subcategories:
        tree = subtrees(CategoryRecord.slug == slug)
        categories = select(tree.c.category_id)
    else:
        categories = select(CategoryRecord.id).where(CategoryRecord.slug == slug)
    return ProductRecord.id.in_(
        select(ProductCategoryRecord.product_id).where(
            ProductCategoryRecord.category_id.in_(categories)
        )
    )


def _has_attribute(wanted: ValuesOf) -> ColumnElement[bool]:
    return exists().where(
        ProductAttributeValueRecord.product_id == ProductRecord.id,
        AttributeValueRecord.id == ProductAttributeValueRecord.value_id,
        AttributeRecord.id == AttributeValueRecord.attribute_id,
        (AttributeRecord.slug == wanted.name)
        | (func.lower(AttributeRecord.name) == wanted.name.lower()),
        func.lower(AttributeValueRecord.value).in_([value.lower() for value in wanted.values]),
    )


def _selects_option(wanted: ValuesOf) -> ColumnElement[bool]:
    """The variant (of the enclosing query) selects one of the values of that option."""
    return exists().where(
        VariantOptionValueRecord.variant_id == VariantRecord.id,
        ProductOptionRecord.id == VariantOptionValueRecord.option_id,
        ProductOptionValueRecord.id == VariantOptionValueRecord.value_id,
        func.lower(ProductOptionRecord.name) == wanted.name.lower(),
        func.lower(ProductOptionValueRecord.value).in_([value.lower() for value in wanted.values]),
    )


def _priced_in(prices: PriceRange) -> ColumnElement[bool]:
    conditions = [VariantRecord.currency == prices.currency]
    if prices.minimum is not None:
        conditions.append(VariantRecord.price_cents >= prices.minimum)
    if prices.maximum is not None:
        conditions.append(VariantRecord.price_cents <= prices.maximum)
    return and_(*conditions)


def _available_at(location_code: str) -> ColumnElement[bool]:
    return exists().where(
        StockLevelRecord.variant_id == VariantRecord.id,
        LocationRecord.id == StockLevelRecord.location_id,
        LocationRecord.code == location_code,
        StockLevelRecord.on_hand - StockLevelRecord.reserved > 0,
    )


def _lowest_price() -> ColumnElement[Any]:
    lowest = (
        select(func.min(VariantRecord.price_cents))
        .where(VariantRecord.product_id == ProductRecord.id)
        .correlate(ProductRecord)
        .scalar_subquery()
    )
    return func.coalesce(lowest, 0)
