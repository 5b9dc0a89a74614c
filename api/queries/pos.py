"""Queries on POS terminals: admins see every one, staff those of the stores they work at."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import CanSeeTerminals
from api.types.nodes import node_of_type
from api.types.pos import PosTerminal
from persistence.reads import pos as pos_reads


@strawberry.type
class PosQueries:
    @strawberry.field(
        description="POS terminals, oldest first: every one for admins, those of the stores "
        "they work at for staff.",
        permission_classes=[CanSeeTerminals],
    )
    async def pos_terminals(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        store_code: Annotated[
            str | None, strawberry.argument(description="Only the terminals of this store.")
        ] = None,
    ) -> Connection[PosTerminal]:
        principal = info.context.principal
        page = page_from(info, first, after, last, before)
        stores = None if principal.sees_all_locations else principal.location_codes
        if store_code:
            wanted = store_code.strip().upper()
            stores = frozenset({wanted}) & stores if stores is not None else frozenset({wanted})
        async with info.context.database.read_session() as session:
            rows, total = await pos_reads.terminals_page(session, page, stores)
        return connection(rows, total, page, PosTerminal.from_row)

    @strawberry.field(
        description="One POS terminal by its global id; null if the caller may not see it."
    )
    async def pos_terminal(self, info: strawberry.Info, id: relay.GlobalID) -> PosTerminal | None:
        return await node_of_type(PosTerminal, info, id)
