"""Relay cursor connections over keyset pages: `first`/`after`, `pageInfo`, `totalCount`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic

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


def page_from(
    info: strawberry.Info, first: int | None, after: str | None, *, newest_first: bool = False
) -> Page:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise RequestError(f"first must be between 0 and {MAX_PAGE_SIZE}, got {size}")
    return Page(
        limit=size,
        after_id=_decode(after),
        newest_first=newest_first,
        count_total=asks_for(selections_at(info), "totalCount"),
    )


def _decode(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        prefix, value = from_base64(cursor)
    except ValueError:
        prefix, value = "", ""
    key = parse_key(value) if prefix == CURSOR_PREFIX else None
    if key is None:
        raise RequestError(f"after: {cursor!r} is not a cursor from this API")
    return key


def connection(
    rows: Sequence[Row], total: int, page: Page, build: Callable[[Row], NodeType]
) -> Connection[NodeType]:
    """Build a connection from a page fetched with one extra row (see `Page`)."""
    has_next = len(rows) > page.limit
    edges = [
        relay.Edge(node=build(row), cursor=to_base64(CURSOR_PREFIX, row.id))
        for row in rows[: page.limit]
    ]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=page.after_id is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )
