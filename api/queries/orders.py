"""Order and customer queries; each caller sees only what it may."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from api.loaders import order_scope
from api.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    connection,
    page_from,
    updated_since_field,
)
from api.permissions import CanReadCustomers, IsSignedIn
from api.prefetch import prefetch_lines
from api.selections import selections_at
from api.types.customers import Customer
from api.types.nodes import node_of_type
from api.types.orders import Order
from domain.model.locations import ChannelCode
from domain.model.orders import FulfilmentMethod, OrderStatus
from persistence.reads import customers as customer_reads
from persistence.reads import orders as order_reads
from persistence.reads.pages import Page


@strawberry.input(description="Narrow a list of orders.")
class OrderFilter:
    status: OrderStatus | None = strawberry.field(default=None, description="Only this status.")
    channel: ChannelCode | None = strawberry.field(default=None, description="Only this channel.")
    fulfilment: FulfilmentMethod | None = strawberry.field(
        default=None,
        description="Only orders fulfilled this way: e.g. PICKUP for the click-and-collect "
        "desk, SERVICE for bookings, COUNTER for till sales.",
    )
    customer_email: str | None = strawberry.field(
        default=None, description="Only this customer's orders."
    )
    updated_since: datetime | None = updated_since_field()


@strawberry.input(description="Narrow a list of customers.")
class CustomerFilter:
    search: str | None = strawberry.field(
        default=None, description="Part of the name, email or phone."
    )
    email: str | None = strawberry.field(default=None, description="Exactly this email.")
    updated_since: datetime | None = updated_since_field()


async def customer_orders(
    info: strawberry.Info,
    email: str,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Order]:
    """One customer's orders, as far as the caller may see them. Their lines are left to
    the loader: a page of customers runs this once per customer, and the loader reads the
    lines of all their orders in one batch where a prefetch would read them per customer."""
    page = page_from(info, first, after, last, before, newest_first=True)
    return await _orders(info, page, OrderFilter(customer_email=email), prefetch_children=False)


async def _orders(
    info: strawberry.Info,
    page: Page,
    filter: OrderFilter,
    *,
    prefetch_children: bool,
) -> Connection[Order]:
    scope = order_scope(info.context.principal)
    # `orders` is IsSignedIn, and a customer (whose `orders` this also serves) loads only
    # for a caller signed in: every such caller has a scope.
    assert scope is not None

    async def read(session: AsyncSession) -> Connection[Order]:
        rows, total = await order_reads.orders_page(
            session,
            page,
            scope,
            status=filter.status.value if filter.status else None,
            channel=filter.channel.value if filter.channel else None,
            fulfilment=filter.fulfilment.value if filter.fulfilment else None,
            customer_email=(filter.customer_email or "").strip().lower() or None,
            updated_since=filter.updated_since,
        )
        orders = connection(rows, total, page, Order.from_row)
        if prefetch_children:
            await prefetch_lines(
                info,
                session,
                [edge.node.id for edge in orders.edges],
                selections_at(info, "edges", "node"),
            )
        return orders

    # On the request's read connection, with the loaders' batches (RequestReads).
    return await info.context.reads.run(read)


@strawberry.type
class OrderQueries:
    @strawberry.field(
        description="Orders the caller may see, newest first.", permission_classes=[IsSignedIn]
    )
    async def orders(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: OrderFilter | None = None,
    ) -> Connection[Order]:
        page = page_from(info, first, after, last, before, newest_first=True)
        return await _orders(info, page, filter or OrderFilter(), prefetch_children=True)

    @strawberry.field(description="One order by its global id; null if the caller may not see it.")
    async def order(self, info: strawberry.Info, id: relay.GlobalID) -> Order | None:
        return await node_of_type(Order, info, id)

    @strawberry.field(
        description="Customers (staff and POS only), oldest first.",
        permission_classes=[CanReadCustomers],
    )
    async def customers(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: CustomerFilter | None = None,
    ) -> Connection[Customer]:
        page = page_from(info, first, after, last, before)
        filter = filter or CustomerFilter()
        async with info.context.database.read_session() as session:
            rows, total = await customer_reads.customers_page(
                session,
                page,
                search=filter.search,
                email=(filter.email or "").strip().lower() or None,
                phone_region=info.context.settings.phone_region,
                updated_since=filter.updated_since,
            )
        return connection(rows, total, page, Customer.from_row)

    @strawberry.field(description="One customer by global id; a customer may see only itself.")
    async def customer(self, info: strawberry.Info, id: relay.GlobalID) -> Customer | None:
        return await node_of_type(Customer, info, id)
