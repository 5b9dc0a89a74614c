"""Customer type."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.pagination import Connection
from api.permissions import CanReadCustomers
from api.types.common import Money
from api.types.customer_groups import CustomerGroup
from api.types.nodes import load_nodes

if TYPE_CHECKING:
    from api.types.orders import Order


@strawberry.type(description="A labelled address of a customer.")
class CustomerAddress:
    label: str = strawberry.field(description="What the address is, e.g. Home or Office.")
    address: str = strawberry.field(description="The postal address.")
    created_at: datetime = strawberry.field(description="When it was added (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> CustomerAddress:
        return cls(label=row.label, address=row.address, created_at=row.created_at)


@strawberry.type(description="A service note staff keep on a customer.")
class CustomerNote:
    note: str = strawberry.field(description="What staff should know.")
    author: str = strawberry.field(description="Who wrote it.")
    created_at: datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> CustomerNote:
        return cls(note=row.note, author=row.author, created_at=row.created_at)


@strawberry.type(description="A person or business that buys.")
class Customer(relay.Node):
    id: relay.NodeID[int]
    group_id: strawberry.Private[int | None]
    email: str = strawberry.field(description="Unique email address, lower case.")
    name: str = strawberry.field(description="Full name.")
    phone: str | None = strawberry.field(
        description="Unique phone number when known, normalised: a leading '+' and digits."
    )
    created_at: datetime = strawberry.field(description="When the customer was created (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> Customer:
        return cls(
            id=row.id,
            email=row.email,
            name=row.name,
            phone=row.phone,
            created_at=row.created_at,
            group_id=row.group_id,
        )

    @strawberry.field(
        description="The customer group whose wholesale terms price its WHOLESALE orders; "
        "its orders on other channels pay list price."
    )
    async def group(self, info: strawberry.Info) -> CustomerGroup | None:
        if self.group_id is None:
            return None
        return await info.context.loaders.customer_groups.group.load(self.group_id)

    @strawberry.field(description="Its addresses, oldest first.")
    async def addresses(self, info: strawberry.Info) -> list[CustomerAddress]:
        return await info.context.loaders.addresses_by_customer.load(self.id)

    @strawberry.field(
        description="Service notes, oldest first (staff and POS only).",
        permission_classes=[CanReadCustomers],
    )
    async def notes(self, info: strawberry.Info) -> list[CustomerNote]:
        return await info.context.loaders.notes_by_customer.load(self.id)

    @strawberry.field(
        description="Orders placed from every channel (not counting cancelled ones), of those "
        "the caller may see: the same orders as `orders`."
    )
    async def order_count(self, info: strawberry.Info) -> int:
        summaries = await info.context.loaders.order_summaries_by_customer.load(self.id)
        return sum(summary.orders for summary in summaries)

    @strawberry.field(
        description="What the customer has spent across every channel: the total of its "
        "orders that were not cancelled, one amount per currency it bought in; of the orders "
        "the caller may see, as `orders` lists them."
    )
    async def lifetime_value(self, info: strawberry.Info) -> list[Money]:
        summaries = await info.context.loaders.order_summaries_by_customer.load(self.id)
        return [Money.from_cents(int(s.total_cents), s.currency) for s in summaries]

    @strawberry.field(
        description="When the customer last placed an order the caller may see (UTC), if ever."
    )
    async def last_order_at(self, info: strawberry.Info) -> datetime | None:
        summaries = await info.context.loaders.order_summaries_by_customer.load(self.id)
        return max((s.last_order_at for s in summaries), default=None)

    @strawberry.field(
        description="The customer's orders from every channel that the caller may see (staff "
        "bound to locations: those touching them), newest first."
    )
    async def orders(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Order, strawberry.lazy("api.types.orders")]]:
        from api.queries.orders import customer_orders  # that module imports this one

        return await customer_orders(info, self.email, first, after)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.customer, node_ids)
