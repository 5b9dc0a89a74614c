"""Queries on wholesale terms: staff and POS list the customer groups."""

from __future__ import annotations

import strawberry

from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import CanReadCustomers
from api.types.customer_groups import CustomerGroup
from persistence.reads import customer_groups as customer_group_reads


@strawberry.type
class CustomerGroupQueries:
    @strawberry.field(
        description="Customer groups and their wholesale terms (staff and POS), oldest first.",
        permission_classes=[CanReadCustomers],
    )
    async def customer_groups(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CustomerGroup]:
        page = page_from(info, first, after, last, before)
        async with info.context.database.read_session() as session:
            rows, total = await customer_group_reads.customer_groups_page(session, page)
        return connection(rows, total, page, CustomerGroup.from_row)
