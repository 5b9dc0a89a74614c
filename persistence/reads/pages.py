"""Keyset pagination shared by every list of the read side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import SQLColumnExpression, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.sql_types import AnyRow, AnySelect

Rows = Sequence[AnyRow]


@dataclass(frozen=True, slots=True)
class Page:
    """Keyset pagination over the id column: rows after `after_id`, `limit` of them.

    One row more than `limit` is fetched, so the caller can tell whether a next page exists.
    """

    limit: int
    after_id: int | None = None
    newest_first: bool = False
    count_total: bool = True  # a full count is not free on a big table: only when asked


async def fetch_page(
    session: AsyncSession, query: AnySelect, id_column: SQLColumnExpression[int], page: Page
) -> tuple[Rows, int]:
    """One page of `query` plus the total count of rows matching it (without the cursor),
    or 0 for the count when the page does not ask for it."""
    total = 0
    if page.count_total:
        count = select(func.count()).select_from(query.order_by(None).subquery())
        total = await session.scalar(count) or 0
    if page.after_id is not None:
        query = query.where(
            id_column < page.after_id if page.newest_first else id_column > page.after_id
        )
    query = query.order_by(id_column.desc() if page.newest_first else id_column).limit(
        page.limit + 1
    )
    return (await session.execute(query)).all(), total
