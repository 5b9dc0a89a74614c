"""Relay cursor connections over keyset pages: `first`/`after` forwards, `last`/`before`
backwards, `pageInfo`, `totalCount`.

As Saleor does, a page goes one way: `first` (with `after`) or `last` (with `before`);
`first` with `last`, `first` with `before` or `last` with `after` is refused. With neither
`first` nor `last`, a page holds the first DEFAULT_PAGE_SIZE results (after `after`), or
the last DEFAULT_PAGE_SIZE ones when only `before` is given. Edges always come in the
list's own order. `hasNextPage` going forwards and `hasPreviousPage` going backwards come
from one extra row read with the page; the other one is true when the page starts at a
cursor (the row the cursor names lies on that side), as Relay's spec allows.

A list sorted by something else than its id (products by name, price…) pages by that value
then the id: its cursors carry the name of the order, the value and the id (`SortOrder`), so
a page starts exactly after the row it names whatever rows share its value, and a cursor
of another order is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic

import strawberry
from sqlalchemy import Row
from strawberry import relay
from strawberry.relay.types import NodeType
from strawberry.relay.utils import from_base64, to_base64

from api.errors import RequestError
from api.selections import asks_for, selections_at
from api.types.nodes import parse_key
from persistence.reads.pages import Page

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
CURSOR_PREFIX = "cursor"


@strawberry.type(description="A page of results, with Relay cursors and the total count.")
class Connection(relay.Connection[NodeType], Generic[NodeType]):
    total_count: int = strawberry.field(description="How many results there are in all.")


First = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page forwards: this many results from the start, or after `after` "
        f"(0-{MAX_PAGE_SIZE}; {DEFAULT_PAGE_SIZE} when neither `first` nor `last` is given)."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(description="The cursor the page starts after (with `first`)."),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page backwards: this many results from the end, or before `before` "
        f"(0-{MAX_PAGE_SIZE})."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(description="The cursor the page ends before (with `last`)."),
]


def updated_since_field() -> Any:
    """The `updatedSince` of a list's filter: what an external system syncs by."""
    return strawberry.field(
        default=None,
        description="Only those changed at or after this time (updatedAt >= updatedSince): "
        "to catch up, keep the time a sync started and pass it to the next one.",
    )


@dataclass(frozen=True, slots=True)
class SortOrder:
    """A list's order by a value other than the id: `name` goes into its cursors, `parse`
    turns a cursor's JSON value back into the value's type (ValueError or TypeError for a
    value it cannot have)."""

    name: str
    parse: Callable[[Any], Any]


def page_from(
    info: strawberry.Info,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    *,
    newest_first: bool = False,
    order: SortOrder | None = None,
) -> Page:
    """The page a connection field's `first`/`after`/`last`/`before` ask for (in `order`,
    when the list is sorted by a value; `newest_first` then reverses it)."""
    if first is not None and last is not None:
        raise RequestError(
            "first and last cannot be combined: page with first/after or last/before"
        )
    if first is not None and before is not None:
        raise RequestError("first cannot be combined with before: use last/before")
    if last is not None and after is not None:
        raise RequestError("last cannot be combined with after: use first/after")
    from_end = last is not None or before is not None
    size = _size("last" if last is not None else "first", first if last is None else last)
    after_value, after_id = _decode("after", after, order)
    before_value, before_id = _decode("before", before, order)
    return Page(
        limit=size,
        after_id=after_id,
        before_id=before_id,
        from_end=from_end,
        newest_first=newest_first,
        count_total=asks_for(selections_at(info), "totalCount"),
        after_value=after_value,
        before_value=before_value,
        sort_name=None if order is None else order.name,
    )


def _size(argument: str, size: int | None) -> int:
    if size is None:
        return DEFAULT_PAGE_SIZE
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise RequestError(f"{argument} must be between 0 and {MAX_PAGE_SIZE}, got {size}")
    return size


def _decode(argument: str, cursor: str | None, order: SortOrder | None) -> tuple[Any, int | None]:
    """The sort value (None in a list by id) and the id a cursor names."""
    if cursor is None:
        return None, None
    try:
        prefix, value = from_base64(cursor)
    except ValueError:
        prefix, value = "", ""
    if prefix != CURSOR_PREFIX:
        raise RequestError(f"{argument}: {cursor!r} is not a cursor from this API")
    if order is None:
        key = parse_key(value)
        if key is None:
            raise RequestError(f"{argument}: {cursor!r} is not a cursor from this API")
        return None, key
    try:
        name, sort_value, key = json.loads(value)
        if name != order.name or not isinstance(key, int):
            raise ValueError(name)
        return order.parse(sort_value), key
    except (ValueError, TypeError) as error:
        raise RequestError(
            f"{argument}: {cursor!r} is not a cursor of this list in this order "
            f"({order.name}): take cursors from a page read with the same sort"
        ) from error


def _cursor(page: Page, row: Row) -> str:
    if page.sort_name is None:
        return to_base64(CURSOR_PREFIX, row.id)
    value = row.sort_value
    value = value.isoformat() if isinstance(value, datetime) else value
    return to_base64(CURSOR_PREFIX, json.dumps([page.sort_name, value, row.id]))


def connection(
    rows: Sequence[Row], total: int, page: Page, build: Callable[[Row], NodeType]
) -> Connection[NodeType]:
    """Build a connection from a page fetched with one extra row (see `Page`)."""
    more = len(rows) > page.limit  # beyond the page, on the side it was read towards
    start = max(len(rows) - page.limit, 0) if page.from_end else 0  # past the extra row
    edges = [
        relay.Edge(node=build(row), cursor=_cursor(page, row))
        for row in rows[start : start + page.limit]
    ]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page.before_id is not None if page.from_end else more,
            has_previous_page=more if page.from_end else page.after_id is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )
