"""Sales insight types: sales reports, top products and inventory turnover.

The figures come aggregated from SQL (persistence/report_reads.py); these types only put
a report's few rows together (a row per day, channel, location or product, and currency).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import Row

from api.types.catalog import Product, Variant
from api.types.common import Money
from api.types.locations import Location
from domain.model.locations import ChannelCode
from domain.model.sales_insight import ProductRanking, SalesGrouping, Turnover

strawberry.enum(
    SalesGrouping,
    description="What each row of a sales report is about: a UTC DAY, WEEK (from Monday) or "
    "MONTH, a CHANNEL, a LOCATION (where the units were allocated) or a PRODUCT.",
)
strawberry.enum(ProductRanking, description="What ranks the top products.")

UNALLOCATED = "(unallocated)"


@strawberry.type(description="What a row of a sales report is about; the field of its grouping.")
class SalesReportKey:
    location_id: strawberry.Private[int | None]
    product_id: strawberry.Private[int | None]
    period_start: date | None = strawberry.field(
        description="DAY, WEEK, MONTH: the first day of the period (UTC; weeks start on Monday)."
    )
    channel: ChannelCode | None = strawberry.field(description="CHANNEL: the channel.")
    location_code: str | None = strawberry.field(
        description="LOCATION: the location's code; null for units no location holds (what "
        "a backorder still waits for, when it has no pickup location)."
    )
    product_name: str | None = strawberry.field(description="PRODUCT: the product's name.")
    label: str = strawberry.field(
        description="The key as text: 2026-11-02, WEB, WH-EAST, (unallocated) or a product name."
    )

    @strawberry.field(description="LOCATION: the location; null for unallocated units.")
    async def location(self, info: strawberry.Info) -> Location | None:
        if self.location_id is None:
            return None
        return await info.context.loaders.location.load(self.location_id)

    @strawberry.field(description="PRODUCT: the product.")
    async def product(self, info: strawberry.Info) -> Product | None:
        if self.product_id is None:
            return None
        return await info.context.loaders.product.load(self.product_id)


def report_key(
    grouping: SalesGrouping, value: Any, locations: dict[int, str], products: dict[int, str]
) -> SalesReportKey:
    """The key of a row whose group value (a date, a channel, an id) is `value`."""
    fields: dict[str, Any] = dict.fromkeys(
        ("location_id", "product_id", "period_start", "channel", "location_code", "product_name")
    )
    if grouping.is_period:
        fields["period_start"] = value
        label = value.isoformat()
    elif grouping is SalesGrouping.CHANNEL:
        fields["channel"] = ChannelCode(value)
        label = value
    elif grouping is SalesGrouping.LOCATION:
        fields["location_id"] = value
        fields["location_code"] = locations.get(value) if value is not None else None
        label = fields["location_code"] or UNALLOCATED
    else:
        fields["product_id"] = value
        fields["product_name"] = label = products.get(value, "")
    return SalesReportKey(label=label, **fields)


@strawberry.type(description="Sales figures in one currency.")
class SalesTotals:
    currency: str = strawberry.field(description="ISO 4217 code of every amount here.")
    orders: int = strawberry.field(
        description="Orders placed in the period, not cancelled (counted once per row)."
    )
    units: int = strawberry.field(description="Units ordered (order line quantities).")
    revenue: Money = strawberry.field(
        description="Booked revenue: ordered units at their order's prices."
    )
    returns: Money = strawberry.field(
        description="Value of the units received back in the period, at their order's prices "
        "(what their returns refund), whenever the order was placed."
    )
    net_revenue: Money = strawberry.field(description="revenue - returns.")


@strawberry.type(
    description="One row of a sales report: a day, week, month, channel, "
    "location or product, in one currency."
)
class SalesReportRow(SalesTotals):
    key: SalesReportKey = strawberry.field(description="What the row is about.")


@dataclass
class Figures:
    """A row's sums as they come from SQL (cents)."""

    orders: int = 0
    units: int = 0
    revenue_cents: int = 0
    returns_cents: int = 0

    def add(self, other: Figures) -> None:
        self.orders += other.orders
        self.units += other.units
        self.revenue_cents += other.revenue_cents
        self.returns_cents += other.returns_cents

    def totals(self, currency: str) -> SalesTotals:
        return SalesTotals(**self._fields(currency))

    def row(self, currency: str, key: SalesReportKey) -> SalesReportRow:
        return SalesReportRow(key=key, **self._fields(currency))

    def _fields(self, currency: str) -> dict[str, Any]:
        return {
            "currency": currency,
            "orders": self.orders,
            "units": self.units,
            "revenue": Money.from_cents(self.revenue_cents, currency),
            "returns": Money.from_cents(self.returns_cents, currency),
            "net_revenue": Money.from_cents(self.revenue_cents - self.returns_cents, currency),
        }


def merge_figures(sales: Iterable[Row], returns: Iterable[Row]) -> dict[tuple[Any, str], Figures]:
    """Sales and returns rows by (key, currency); without a grouping the key is None."""
    merged: dict[tuple[Any, str], Figures] = {}
    for row in sales:
        figures = merged.setdefault((row.key, row.currency), Figures())
        figures.add(Figures(row.orders, int(row.units), int(row.revenue_cents)))
    for row in returns:
        figures = merged.setdefault((row.key, row.currency), Figures())
        figures.returns_cents += round(row.returns_cents)
    return merged


def sorted_rows(grouping: SalesGrouping, rows: Iterable[SalesReportRow]) -> list[SalesReportRow]:
    """By period, channel, location code (unallocated units last) or product name; then
    currency."""

    def order(row: SalesReportRow) -> tuple[Any, ...]:
        key = row.key
        if grouping.is_period:
            return (key.period_start, row.currency)
        if grouping is SalesGrouping.CHANNEL:
            return (key.channel.value if key.channel else "", row.currency)
        if grouping is SalesGrouping.LOCATION:
            return (key.location_code is None, key.location_code or "", row.currency)
        return (key.product_name or "", key.product_id or 0, row.currency)

    return sorted(rows, key=order)


def totals_of(
    figures: dict[tuple[Any, str], Figures],
    *,
    orders: dict[str, int] | None = None,
    returns: dict[str, int] | None = None,
) -> list[SalesTotals]:
    """Per currency, by currency: the sums of the rows, but the orders and returns (cents)
    given apart, where rows overlap (an order of two products) or shares were rounded."""
    by_currency: dict[str, Figures] = {}
    for (_, currency), row in figures.items():
        by_currency.setdefault(currency, Figures()).add(row)
    for currency, total in by_currency.items():
        if orders is not None:
            total.orders = orders.get(currency, 0)
        if returns is not None:
            total.returns_cents = returns.get(currency, 0)
    return [by_currency[currency].totals(currency) for currency in sorted(by_currency)]


@strawberry.type(description="Sales over a period, a row per group and currency, with totals.")
class SalesReport:
    compute_totals: strawberry.Private[Callable[[], Awaitable[list[SalesTotals]]]]
    group_by: SalesGrouping = strawberry.field(description="What each row is about.")
    from_: datetime = strawberry.field(name="from", description="Start of the period (UTC).")
    to: datetime = strawberry.field(description="End of the period, excluded (UTC).")
    rows: list[SalesReportRow] = strawberry.field(
        description="A row per group and currency with orders or returns in the period: by "
        "period start, channel, location code (unallocated units last) or product name."
    )

    @strawberry.field(
        description="The whole period, per currency. Orders are counted once each, even when "
        "they appear in several rows (an order of two products, or from two locations)."
    )
    async def totals(self) -> list[SalesTotals]:
        return await self.compute_totals()


@strawberry.type(description="A product's sales over a period, in one currency.")
class TopProduct:
    product_id: strawberry.Private[int]
    rank: int = strawberry.field(description="1 for the best seller of its currency.")
    product_name: str = strawberry.field(description="The product's name.")
    currency: str = strawberry.field(description="ISO 4217 code of the revenue.")
    orders: int = strawberry.field(description="Orders that included it.")
    units: int = strawberry.field(description="Units ordered.")
    revenue: Money = strawberry.field(description="Booked revenue.")

    @classmethod
    def from_row(cls, row: Row) -> TopProduct:
        return cls(
            product_id=row.product_id,
            rank=row.rank,
            product_name=row.name,
            currency=row.currency,
            orders=row.orders,
            units=int(row.units),
            revenue=Money.from_cents(int(row.revenue_cents), row.currency),
        )

    @strawberry.field(description="The product.")
    async def product(self, info: strawberry.Info) -> Product | None:
        return await info.context.loaders.product.load(self.product_id)


@strawberry.type(description="How fast a SKU's stock sold over a period.")
class InventoryTurnoverRow:
    variant_id: strawberry.Private[int]
    location_id: strawberry.Private[int | None]
    sku: str = strawberry.field(description="The SKU.")
    units_sold: int = strawberry.field(
        description="Units SALE movements took off on hand in the period: shipped, picked up "
        "or sold at a till."
    )
    opening_on_hand: int = strawberry.field(
        description="On hand when the period began: now less every movement since."
    )
    closing_on_hand: int = strawberry.field(
        description="On hand when the period ended: now less every movement since."
    )
    average_on_hand: Decimal = strawberry.field(description="(opening + closing) / 2.")
    on_hand: int = strawberry.field(description="On hand now.")
    available: int = strawberry.field(description="Available now (on hand - reserved).")
    turnover: Decimal | None = strawberry.field(
        description="unitsSold / averageOnHand, two places; null unless the average is above 0."
    )
    days_of_cover: Decimal | None = strawberry.field(
        description="How many days what is available now lasts at the period's rate of sale "
        "(units sold per day of the period so far), two places; null when nothing sold."
    )

    @classmethod
    def of(cls, row: Row, figures: Turnover, location_id: int | None) -> InventoryTurnoverRow:
        return cls(
            variant_id=row.variant_id,
            location_id=location_id,
            sku=row.sku,
            units_sold=figures.units_sold,
            opening_on_hand=figures.opening_on_hand,
            closing_on_hand=figures.closing_on_hand,
            average_on_hand=figures.average_on_hand,
            on_hand=figures.on_hand,
            available=figures.available,
            turnover=figures.turnover,
            days_of_cover=figures.days_of_cover,
        )

    @strawberry.field(description="The variant.")
    async def variant(self, info: strawberry.Info) -> Variant | None:
        return await info.context.loaders.variant.load(self.variant_id)

    @strawberry.field(
        description="The location, when the figures are for one; null when they are summed "
        "over every location the caller sees."
    )
    async def location(self, info: strawberry.Info) -> Location | None:
        if self.location_id is None:
            return None
        return await info.context.loaders.location.load(self.location_id)
