"""Queries on promotions: staff and admins list them, with their voucher codes."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import CanReadPromotions
from api.types.promotions import Promotion
from persistence.reads import promotions as promotion_reads


@strawberry.type
class PromotionQueries:
    @strawberry.field(
        description="Promotions, oldest first (ADMIN, STAFF).",
        permission_classes=[CanReadPromotions],
    )
    async def promotions(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        active: Annotated[
            bool | None,
            strawberry.argument(
                description="Only the active promotions (true) or the inactive ones (false); "
                "null: all."
            ),
        ] = None,
    ) -> Connection[Promotion]:
        page = page_from(info, first, after, last, before)
        async with info.context.database.read_session() as session:
            rows, total = await promotion_reads.promotions_page(session, page, active)
        return connection(rows, total, page, Promotion.from_row)
