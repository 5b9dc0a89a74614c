"""Keyset pagination shared by every list of the read side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.sql_types import AnyRow, AnySelect

Rows = Sequence[AnyRow]


@dataclass(frozen=True, slots=True)
class Page:
    """Keyset pagination over the id column: `limit` rows between the cursors `after_id`
    and `before_id` (either or both absent), taken from the start of that range, or from
    its end when `from_end` (Relay's `last`).

    The list runs by id ascending, or descending when `newest_first`. A list sorted by
    another value (`fetch_page`'s `sort_column`) runs by that value then id, both ascending
    or both descending, and its cursors carry the value too (`after_value`, `before_value`:
    the sort value of the row named by `after_id`, `before_id`). One row more than
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
    after_value: Any = None
    before_value: Any = None
    sort_name: str | None = None  # the order of a list sorted by a value, for its cursors


def changed_since(
    query: AnySelect, updated_at: SQLColumnExpression[datetime], since: datetime | None
) -> AnySelect:
    """`query` narrowed to rows changed at or after `since` (all rows for None)."""
    return query if since is None else query.where(updated_at >= since)


async def fetch_page(
    session: AsyncSession,
    query: AnySelect,
    id_column: SQLColumnExpression[int],
    page: Page,
    sort_column: SQLColumnExpression[Any] | None = None,
) -> tuple[Rows, int]:
    """One page of `query` plus the total count of rows matching it (without the cursors),
    or 0 for the count when the page does not ask for it. Two statements at most, the
    same for either direction.

    With a `sort_column` (never null), the list runs by it then by id, and each row ends
    with one more column, `sort_value`, which the next page's cursor carries."""
    total = 0
    if page.count_total:
        count = select(func.count()).select_from(query.order_by(None).subquery())
        total = await session.scalar(count) or 0
    if sort_column is not None:
        query = query.add_columns(sort_column.label("sort_value"))
    # "Later in the list" is a higher key, or a lower one for a newest-first list.
    if page.after_id is not None:
        query = query.where(
            _beyond(sort_column, page.after_value, id_column, page.after_id, page.newest_first)
        )
    if page.before_id is not None:
        query = query.where(
            _beyond(
                sort_column, page.before_value, id_column, page.before_id, not page.newest_first
            )
        )
    # A page from the end reads the list backwards and turns the rows round.
    descending = page.newest_first != page.from_end
    keys = [id_column] if sort_column is None else [sort_column, id_column]
    query = query.order_by(*(key.desc() if descending else key for key in keys))
    rows = (await session.execute(query.limit(page.limit + 1))).all()
    return (rows[::-1] if page.from_end else rows), total


def _beyond(
    sort_column: SQLColumnExpression[Any] | None,
    value: Any,
    id_column: SQLColumnExpression[int],
    key: int,
    lower: bool,
) -> ColumnElement[bool]:
    """Rows past the cursor (value, key): with a lower (sort value, id), or a higher one."""
    past_id = id_column < key if lower else id_column > key
    if sort_column is None:
        return past_id
    past_value = sort_column < value if lower else sort_column > value
    return or_(past_value, and_(sort_column == value, past_id))
