"""Keyset pagination shared by every list of the read side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import SQLColumnExpression, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.sql_types import AnyRow, AnySelect

Rows = Sequence[AnyRow]


@dataclass(frozen=True, slots=True)
class Page:
    """Keyset pagination over the id column: `limit` rows between the cursors `after_id`
    and `before_id` (either or both absent), taken from the start of that range, or from
    its end when `from_end` (Relay's `last`).

    The list runs by id ascending, or descending when `newest_first`. One row more than
    `limit` is fetched, so the caller can tell whether more rows lie beyond the page: rows
    come back in the list's order, the extra row (if any) last for a page from the start
    and first for a page from the end.
    """

    limit: int
    after_id: int | None = None
    before_id: int | None = None
    from_end: bool = False
    newest_first: bool = False
    count_total: bool = True  # a full count is not free on a big table: only when asked


def changed_since(
    query: AnySelect, updated_at: SQLColumnExpression[datetime], since: datetime | None
) -> AnySelect:
    """`query` narrowed to rows changed at or after `since` (all rows for None)."""
    return query if since is None else query.where(updated_at >= since)


async def fetch_page(
    session: AsyncSession, query: AnySelect, id_column: SQLColumnExpression[int], page: Page
) -> tuple[Rows, int]:
    """One page of `query` plus the total count of rows matching it (without the cursors),
    or 0 for the count when the page does not ask for it. Two statements at most, the
    same for either direction."""
    total = 0
    if page.count_total:
        count = select(func.count()).select_from(query.order_by(None).subquery())
        total = await session.scalar(count) or 0
    # "Later in the list" is a higher id, or a lower one for a newest-first list.
    if page.after_id is not None:
        query = query.where(
            id_column < page.after_id if page.newest_first else id_column > page.after_id
        )
    if page.before_id is not None:
        query = query.where(
            id_column > page.before_id if page.newest_first else id_column < page.before_id
        )
    # A page from the end reads the list backwards and turns the rows round.
    descending = page.newest_first != page.from_end
    query = query.order_by(id_column.desc() if descending else id_column).limit(page.limit + 1)
    rows = (await session.execute(query)).all()
    return (rows[::-1] if page.from_end else rows), total
