"""Sales insight queries: sales reports, top products and inventory turnover.

Staff and admins only; a clerk bound to locations sees the share of the figures that was
allocated there. What counts is set out in domain/model/sales_insight.py; every figure is
aggregated in SQL (persistence/report_reads.py, persistence/turnover_reads.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import RequestError, request_error
from api.types.locations import location_named
from api.types.reports import (
    Figures,
    InventoryTurnoverRow,
    SalesReport,
    SalesTotals,
    TopProduct,
    merge_figures,
    report_key,
    sorted_rows,
    totals_of,
)
from domain.errors import DomainError
from domain.model.sales_insight import (
    ProductRanking,
    ReportPeriod,
    SalesGrouping,
    Turnover,
    normalise_currency,
    report_locations,
)
from persistence.database import Database
from persistence.reads import reports as report_reads
from persistence.reads import turnover as turnover_reads
from persistence.reads.reports import SalesQuery
from persistence.reads.turnover import TurnoverQuery

MAX_RANKED = 100
MAX_TURNOVER_ROWS = 100
# Rows of a report by these may be summed into its totals: each order is in one row only.
SUMMABLE = frozenset({*SalesGrouping}) - {SalesGrouping.LOCATION, SalesGrouping.PRODUCT}

FROM = strawberry.argument(name="from", description="Start of the period, with a UTC offset.")
TO = strawberry.argument(description="End of the period (excluded), with a UTC offset.")
CURRENCY = strawberry.argument(description="Only orders in this currency (ISO 4217).")


def _sales_query(
    info: strawberry.Info,
    start: datetime,
    end: datetime,
    grouping: SalesGrouping | None,
    currency: str | None,
) -> SalesQuery:
    """Who may see what, and a checked period; refusals as request errors."""
    try:
        locations = report_locations(info.context.principal)
        period = ReportPeriod.checked(start, end, grouping)
        return SalesQuery(period.start, period.end, normalise_currency(currency), locations)
    except DomainError as error:
        raise request_error(error) from error


def _check_first(first: int, most: int) -> None:
    if not 1 <= first <= most:
        raise RequestError(f"first must be between 1 and {most}, got {first}")


async def _totals(
    database: Database, query: SalesQuery, figures: dict[tuple[Any, str], Figures]
) -> list[SalesTotals]:
    """Per currency, each order once, for a report whose rows overlap (by location or
    product). Everywhere: the rows' units and revenue, with the orders counted and the
    returns summed (unshared) apart; at a clerk's locations, all of it summed again."""
    async with database.read_session() as session:
        returns = await report_reads.returns_received(session, query, None)
        if query.location_codes is not None:
            sales = await report_reads.booked_sales(session, query, None)
            return totals_of(merge_figures(sales, returns))
        orders = await report_reads.orders_placed(session, query)
    received = {row.currency: round(row.returns_cents) for row in returns}
    return totals_of(figures, orders=orders, returns=received)


@strawberry.type
class SalesReportQueries:
    @strawberry.field(
        description="Booked sales (orders placed in [from, to) and not cancelled, PENDING "
        "and BACKORDERED included) and returns received in the period, a row per group and "
        "currency, with totals. By LOCATION, units count where they were allocated (a split "
        "line splits its revenue by allocated quantity). Staff and admins; a clerk bound to "
        "locations sees only what was allocated there. A period runs at most 400 days by "
        "DAY, 3,660 otherwise; from must be before to (INVALID_INPUT)."
    )
    async def sales_report(
        self,
        info: strawberry.Info,
        from_: Annotated[datetime, FROM],
        to: Annotated[datetime, TO],
        group_by: Annotated[SalesGrouping, strawberry.argument(description="What a row is.")],
        currency: Annotated[str | None, CURRENCY] = None,
    ) -> SalesReport:
        query = _sales_query(info, from_, to, group_by, currency)
        database = info.context.database
        async with database.read_session() as session:
            sales = await report_reads.booked_sales(session, query, group_by)
            returns = await report_reads.returns_received(session, query, group_by)
            figures = merge_figures(sales, returns)
            ids = [key for key, _ in figures if key is not None]
            locations: dict[int, str] = {}
            products: dict[int, str] = {}
            if group_by is SalesGrouping.LOCATION:
                locations = await report_reads.location_codes(session, ids)
            elif group_by is SalesGrouping.PRODUCT:
                products = await report_reads.product_names(session, ids)
        rows = [
            row.row(code, report_key(group_by, key, locations, products))
            for (key, code), row in figures.items()
        ]

        async def compute_totals() -> list[SalesTotals]:
            if group_by in SUMMABLE:
                return totals_of(figures)
            return await _totals(database, query, figures)

        return SalesReport(
            compute_totals=compute_totals,
            group_by=group_by,
            from_=query.start,
            to=query.end,
            rows=sorted_rows(group_by, rows),
        )

    @strawberry.field(
        description="The best-selling products of the period (orders placed in [from, to), "
        "not cancelled), ranked by revenue or units within each currency: the first `first` "
        "(1 to 100) of each. Staff and admins; a bound clerk ranks what was allocated at its "
        "locations."
    )
    async def top_products(
        self,
        info: strawberry.Info,
        from_: Annotated[datetime, FROM],
        to: Annotated[datetime, TO],
        first: Annotated[
            int, strawberry.argument(description="How many per currency, 1 to 100.")
        ] = 10,
        by: Annotated[
            ProductRanking, strawberry.argument(description="What ranks them.")
        ] = ProductRanking.REVENUE,
        currency: Annotated[str | None, CURRENCY] = None,
    ) -> list[TopProduct]:
        query = _sales_query(info, from_, to, None, currency)
        _check_first(first, MAX_RANKED)
        async with info.context.database.read_session() as session:
            rows = await report_reads.top_products(session, query, by, first)
        return [TopProduct.from_row(row) for row in rows]

    @strawberry.field(
        description="Per SKU, how fast its stock sold in [from, to): units sold (SALE "
        "movements), opening, closing and average on hand, turnover = sold / average, and "
        "days of cover = available now / units sold per day. At one location, or summed over "
        "every location the caller sees; best sellers first, at most `first` (1 to 100). "
        "Staff and admins; a bound clerk only at its locations (another is FORBIDDEN)."
    )
    async def inventory_turnover(
        self,
        info: strawberry.Info,
        from_: Annotated[datetime, FROM],
        to: Annotated[datetime, TO],
        location_code: Annotated[
            str | None,
            strawberry.argument(description="One location; all the caller sees by default."),
        ] = None,
        first: Annotated[int, strawberry.argument(description="At most this many, 1 to 100.")] = 20,
    ) -> list[InventoryTurnoverRow]:
        context = info.context
        try:
            bound_to = report_locations(context.principal)
            period = ReportPeriod.checked(from_, to)
        except DomainError as error:
            raise request_error(error) from error
        _check_first(first, MAX_TURNOVER_ROWS)
        async with context.database.read_session() as session:
            location_id = await _named_location(session, location_code, bound_to)
            if location_id is not None:
                location_ids: frozenset[int] | None = frozenset({location_id})
            elif bound_to is not None:
                location_ids = await report_reads.location_ids(session, bound_to)
            else:
                location_ids = None
            query = TurnoverQuery(period.start, period.end, location_ids)
            rows = await turnover_reads.turnover_rows(session, query, first)
        elapsed = period.elapsed_days(context.now())
        return [
            InventoryTurnoverRow.of(
                row,
                Turnover.of(
                    units_sold=int(row.units_sold),
                    on_hand=int(row.on_hand),
                    available=int(row.available),
                    moved_since_start=int(row.moved_since_start),
                    moved_since_end=int(row.moved_since_end),
                    elapsed_days=elapsed,
                ),
                location_id,
            )
            for row in rows
        ]


async def _named_location(
    session: AsyncSession, location_code: str | None, bound_to: frozenset[str] | None
) -> int | None:
    """The id of the location asked for, if one is: a bound clerk's own, and known."""
    if location_code is None:
        return None
    code = location_code.strip().upper()
    if bound_to is not None and code not in bound_to:
        raise RequestError(f"the figures of {code} are not yours to read", code="FORBIDDEN")
    return (await location_named(session, code)).id
