"""Queries on transfers: ADMIN sees them all, STAFF and POS those from or to where they work."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import CanReadStock
from api.types.nodes import node_of_type
from api.types.transfers import Transfer
from domain.access import Principal
from domain.model.transfers import TransferStatus
from persistence.reads import transfers as transfer_reads
from persistence.reads.transfers import TransferScope


@strawberry.input(description="Narrow a list of transfers.")
class TransferFilter:
    status: TransferStatus | None = strawberry.field(default=None, description="Only this status.")
    from_code: str | None = strawberry.field(
        default=None, description="Only transfers from this location (its code)."
    )
    to_code: str | None = strawberry.field(
        default=None, description="Only transfers to this location (its code)."
    )


def transfer_scope(principal: Principal) -> TransferScope:
    """The transfers a caller may see, as a query scope: all, or those from or to where it
    works (none for a caller bound nowhere)."""
    if principal.sees_all_locations:
        return TransferScope()
    return TransferScope(location_codes=principal.location_codes)


def _upper(value: str | None) -> str | None:
    return (value.strip().upper() or None) if value else None


@strawberry.type
class TransferQueries:
    @strawberry.field(
        description="Transfers the caller may see, newest first (staff and POS).",
        permission_classes=[CanReadStock],
    )
    async def transfers(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: TransferFilter | None = None,
    ) -> Connection[Transfer]:
        scope = transfer_scope(info.context.principal)
        page = page_from(info, first, after, last, before, newest_first=True)
        filter = filter or TransferFilter()
        async with info.context.database.read_session() as session:
            rows, total = await transfer_reads.transfers_page(
                session,
                page,
                scope,
                status=filter.status.value if filter.status else None,
                from_code=_upper(filter.from_code),
                to_code=_upper(filter.to_code),
            )
        return connection(rows, total, page, Transfer.from_row)

    @strawberry.field(
        description="One transfer by its global id; null if the caller may not see it."
    )
    async def transfer(self, info: strawberry.Info, id: relay.GlobalID) -> Transfer | None:
        return await node_of_type(Transfer, info, id)
