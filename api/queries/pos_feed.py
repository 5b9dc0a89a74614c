"""The POS catch-up feed: what changed for a store since a terminal last asked."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import strawberry

from api.errors import RequestError, forbidden
from api.permissions import CanReadStock
from api.pos_feed_cursor import FeedCursor, decode_cursor
from api.types.inventory import StockLevel
from api.types.pos_feed import PosCatalogEntry, PosChanges
from domain.access import Principal, Role
from persistence.reads import locations as location_reads
from persistence.reads import pos_feed as pos_feed_reads

MAX_FEED_PAGE = 1000
DEFAULT_FEED_PAGE = 500


def _feed_location(principal: Principal, location_code: str | None) -> str:
    """The code of the location whose changes the caller follows: a POS terminal's own
    store by default; staff and admins name one they work at."""
    if location_code is None:
        if principal.role is not Role.POS:
            raise RequestError("locationCode is required: name the location to follow")
        if not principal.location_codes:
            raise forbidden("this POS terminal is bound to no store")
        if len(principal.location_codes) > 1:
            raise RequestError("locationCode is required: this terminal has several stores")
        return next(iter(principal.location_codes))
    code = location_code.strip().upper()
    if not principal.works_at(code):
        # As everywhere: what the caller may not see does not exist for it.
        raise RequestError(f"location {code} not found", code="NOT_FOUND")
    return code


@strawberry.type
class PosFeedQueries:
    @strawberry.field(
        description="What changed for a store since `since` (a cursor from the last call; "
        "null for everything): variants created or changed, with their product's name and "
        "status, and the store's stock levels that changed. Each list holds at most `first` "
        "(1 to 1000). POS terminals follow their own store; staff and admins pass "
        "`locationCode`. Changes younger than the settle window (2 seconds by default) "
        "wait for a later call, so that a write committed late is never skipped.",
        permission_classes=[CanReadStock],
    )
    async def pos_changes(
        self,
        info: strawberry.Info,
        since: Annotated[
            str | None,
            strawberry.argument(description="The `cursor` of the last call; null: everything."),
        ] = None,
        first: Annotated[
            int, strawberry.argument(description="At most this many of each list, 1 to 1000.")
        ] = DEFAULT_FEED_PAGE,
        location_code: Annotated[
            str | None,
            strawberry.argument(
                description="The store to follow: a POS terminal's own by default; staff "
                "and admins must name one they work at."
            ),
        ] = None,
    ) -> PosChanges:
        context = info.context
        code = _feed_location(context.principal, location_code)
        if not 1 <= first <= MAX_FEED_PAGE:
            raise RequestError(f"first must be between 1 and {MAX_FEED_PAGE}, got {first}")
        settled_before = context.now() - timedelta(seconds=context.settings.pos_feed_settle_seconds)
        async with context.database.read_session() as session:
            location = await location_reads.location_by_code(session, code)
            if location is None:
                raise RequestError(f"location {code} not found", code="NOT_FOUND")
            cursor = None if since is None else decode_cursor(since, location.id)
            page = await pos_feed_reads.changes_since(
                session,
                location.id,
                cursor.catalog if cursor else None,
                cursor.stock if cursor else None,
                settled_before=settled_before,
                limit=first,
            )
        return PosChanges(
            variants=[PosCatalogEntry.from_row(row) for row in page.variants],
            stock_levels=[StockLevel.from_row(row) for row in page.levels],
            cursor=FeedCursor(location.id, page.catalog, page.stock).encode(),
            has_more=page.has_more,
        )
