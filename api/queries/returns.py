"""Queries on returns: a caller sees the returns of the orders it may see, and those
received where it works."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.errors import RequestError
from api.loaders import order_scope
from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import IsSignedIn
from api.types.nodes import node_of_type, parse_key
from api.types.returns import Return
from domain.model.returns import ReturnStatus
from persistence.reads import returns as return_reads


@strawberry.input(description="Narrow a list of returns.")
class ReturnFilter:
    status: ReturnStatus | None = strawberry.field(default=None, description="Only this status.")
    order_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only the returns of this order."
    )


def _order_key(order_id: relay.GlobalID | None) -> int | None:
    if order_id is None:
        return None
    key = parse_key(order_id.node_id) if order_id.type_name == "Order" else None
    if key is None:
        raise RequestError(f"filter.orderId: {order_id} is not the id of an Order")
    return key


@strawberry.type
class ReturnQueries:
    @strawberry.field(
        description="Returns of the orders the caller may see, and those received where it "
        "works, newest first.",
        permission_classes=[IsSignedIn],
    )
    async def returns(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: ReturnFilter | None = None,
    ) -> Connection[Return]:
        scope = order_scope(info.context.principal)
        assert scope is not None  # IsSignedIn: every caller signed in sees some scope
        page = page_from(info, first, after, last, before, newest_first=True)
        filter = filter or ReturnFilter()
        async with info.context.database.read_session() as session:
            rows, total = await return_reads.returns_page(
                session,
                page,
                scope,
                status=filter.status.value if filter.status else None,
                order_id=_order_key(filter.order_id),
            )
        return connection(rows, total, page, Return.from_row)

    @strawberry.field(
        name="return",
        description="One return by its global id; null if the caller may not see it.",
    )
    async def return_(self, info: strawberry.Info, id: relay.GlobalID) -> Return | None:
        return await node_of_type(Return, info, id)
