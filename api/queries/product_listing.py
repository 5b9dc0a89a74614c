"""The arguments of the products list: its filter and its sort order, and the listing
they ask the read side for (persistence/reads/product_listing.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry

from api.errors import RequestError, request_error
from api.pagination import SortOrder, updated_since_field
from domain.errors import DomainError
from domain.model.locations import ChannelCode
from domain.money import Money, currency_code
from persistence.reads.product_listing import PriceRange, ProductListing, ProductSort, ValuesOf


@strawberry.enum(description="The orders a products list can be sorted in.")
class ProductSortKey(Enum):
    ID = strawberry.enum_value("ID", description="Oldest first (by id): the default.")
    NAME = strawberry.enum_value("NAME", description="By name, A to Z, any case.")
    PRICE = strawberry.enum_value(
        "PRICE",
        description="By the lowest list price of its variants, lowest first (amounts in "
        "minor units: sort a list narrowed to one currency by `priceRange`).",
    )
    CREATED_AT = strawberry.enum_value("CREATED_AT", description="By creation time.")
    RELEVANCE = strawberry.enum_value(
        "RELEVANCE", description="Best match of `filter.search` first; only with a search."
    )


@strawberry.input(description="Products with any of these values of one attribute.")
class AttributeValuesFilter:
    attribute: str = strawberry.field(description="The attribute's slug, or its name (any case).")
    values: list[str] = strawberry.field(description="The values, any of them (any case).")


@strawberry.input(description="Products with a variant that selects any of these values.")
class OptionValuesFilter:
    name: str = strawberry.field(description="The option's name (any case), e.g. Size.")
    values: list[str] = strawberry.field(description="The values, any of them (any case).")


@strawberry.input(description="List prices within bounds, in one currency.")
class PriceRangeFilter:
    currency: str = strawberry.field(description="ISO 4217 code of the prices.")
    min: Decimal | None = strawberry.field(default=None, description="The lowest, included.")
    max: Decimal | None = strawberry.field(default=None, description="The highest, included.")


@strawberry.input(
    description="Narrow a product list; a product must pass every filter given. The variant "
    "filters (`options`, `priceRange`, `inStockAt`) hold for one same variant."
)
class ProductFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words of its name, description, or of its variants' SKUs and names, "
        "any case: every word must be found, the last one as the start of a word ('hoo' "
        "finds Hoodie, 'TEE-S' finds SKU TEE-S). A text without letters or digits finds "
        "nothing.",
    )
    sku: str | None = strawberry.field(default=None, description="Products with this exact SKU.")
    category_slug: str | None = strawberry.field(
        default=None, description="Products in the category of this slug (any case)."
    )
    include_subcategories: bool = strawberry.field(
        default=True,
        description="With `categorySlug`: products in the categories below it too (the "
        "default, as a storefront's category page shows); false: that category only.",
    )
    attributes: list[AttributeValuesFilter] | None = strawberry.field(
        default=None,
        description="Products having, for every attribute given, any of its values.",
    )
    options: list[OptionValuesFilter] | None = strawberry.field(
        default=None,
        description="Products with a variant that selects, for every option given, any of "
        "its values ('filter by size').",
    )
    price_range: PriceRangeFilter | None = strawberry.field(
        default=None, description="Products with a variant whose list price is in the range."
    )
    in_stock_at: str | None = strawberry.field(
        default=None,
        description="Products with a variant available (on hand less reserved > 0) at the "
        "location of this code. Open to everyone as a yes/no filter: it shows no quantity.",
    )
    published_on: ChannelCode | None = strawberry.field(
        default=None,
        description="Products published on this channel (for those who see every "
        "product; anyone else sees only those of its own channel anyway).",
    )
    updated_since: datetime | None = updated_since_field()


def listing_of(
    filter: ProductFilter, sort_key: ProductSortKey, caller_channel: str | None
) -> ProductListing:
    """The read side's listing for these arguments, for a caller who sees the products
    published on `caller_channel` (None: every product); a RequestError for a bad
    combination."""
    if sort_key is ProductSortKey.RELEVANCE and filter.search is None:
        raise RequestError("sortKey RELEVANCE needs filter.search: it ranks a search's results")
    return ProductListing(
        search=filter.search,
        sku=(filter.sku or "").upper() or None,
        category_slug=None
        if filter.category_slug is None
        else filter.category_slug.strip().lower(),
        include_subcategories=filter.include_subcategories,
        attributes=tuple(
            ValuesOf(wanted.attribute.strip(), tuple(wanted.values))
            for wanted in filter.attributes or ()
        ),
        options=tuple(
            ValuesOf(wanted.name.strip(), tuple(wanted.values)) for wanted in filter.options or ()
        ),
        price_range=None if filter.price_range is None else _price_range(filter.price_range),
        in_stock_at=None if filter.in_stock_at is None else filter.in_stock_at.strip().upper(),
        updated_since=filter.updated_since,
        published_on=tuple(
            code
            for code in (caller_channel, filter.published_on and filter.published_on.value)
            if code is not None
        ),
        sort=ProductSort(sort_key.name),
    )


def _price_range(prices: PriceRangeFilter) -> PriceRange:
    try:
        currency = currency_code(prices.currency, field="filter.priceRange.currency")
        bounds = [
            None
            if amount is None
            else Money.of(amount, currency, field=f"filter.priceRange.{name}")
            for name, amount in (("min", prices.min), ("max", prices.max))
        ]
    except DomainError as error:
        raise request_error(error) from error
    minimum, maximum = (None if bound is None else bound.minor_units for bound in bounds)
    return PriceRange(currency, minimum, maximum)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(value)
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(value)
    return value


# How each order's values travel in cursors (JSON), and back.
SORT_ORDERS: dict[ProductSortKey, SortOrder | None] = {
    ProductSortKey.ID: None,
    ProductSortKey.NAME: SortOrder("NAME", _text),
    ProductSortKey.PRICE: SortOrder("PRICE", _integer),
    ProductSortKey.CREATED_AT: SortOrder(
        "CREATED_AT", lambda value: datetime.fromisoformat(_text(value))
    ),
    ProductSortKey.RELEVANCE: SortOrder("RELEVANCE", _number),
}
