"""The read side of stock counts: lean SELECTs for their lists and loaders."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import LocationRecord, StockCountLineRecord, StockCountRecord
from persistence.sql_types import AnySelect

COUNT = StockCountRecord
LINE = StockCountLineRecord

COUNT_COLUMNS = (
    COUNT.id,
    COUNT.location_id,
    COUNT.status,
    COUNT.started_by,
    COUNT.started_at,
    COUNT.submitted_by,
    COUNT.submitted_at,
    # Who may see a count depends on its location's code: joined in, not loaded apart.
    LocationRecord.code.label("location_code"),
)
LINE_COLUMNS = (LINE.id, LINE.count_id, LINE.variant_id, LINE.sku, LINE.expected, LINE.counted)


@dataclass(frozen=True, slots=True)
class CountScope:
    """Which counts a caller may see: all (None), or those at some locations."""

    location_codes: frozenset[str] | None = None


def _counts_query(scope: CountScope) -> AnySelect:
    query = select(*COUNT_COLUMNS).join(LocationRecord, LocationRecord.id == COUNT.location_id)
    if scope.location_codes is not None:
        query = query.where(LocationRecord.code.in_(sorted(scope.location_codes)))
    return query


async def stock_counts_page(
    session: AsyncSession,
    page: Page,
    scope: CountScope,
    *,
    status: str | None,
    location_code: str | None,
) -> tuple[Rows, int]:
    query = _counts_query(scope)
    if status:
        query = query.where(COUNT.status == status)
    if location_code:
        query = query.where(LocationRecord.code == location_code)
    return await fetch_page(session, query, COUNT.id, page)


# Counts by id, whoever may see them: the caller's visibility is applied by the API.
stock_counts_by_ids = KeyedRead(_counts_query(CountScope()).where(COUNT.id.in_(KEYS)))
count_lines_by_count_ids = KeyedRead(
    select(*LINE_COLUMNS).where(LINE.count_id.in_(KEYS)).order_by(LINE.id)
)
