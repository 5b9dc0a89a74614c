"""Customer type."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.pagination import After, Before, Connection, First, Last
from api.permissions import CanReadCustomers
from api.types.addresses import Address
from api.types.common import Money
from api.types.customer_groups import CustomerGroup
from api.types.nodes import load_nodes
from domain.model.credit import CreditPosition
from domain.money import Money as DomainMoney
from persistence.mappers import from_cents
from persistence.reads.credit import credit_limit_of

if TYPE_CHECKING:
    from api.types.orders import Order


@strawberry.type(description="A labelled address of a customer.")
class CustomerAddress:
    label: str = strawberry.field(description="What the address is, e.g. Home or Office.")
    address: Address = strawberry.field(description="The postal address.")
    created_at: datetime = strawberry.field(description="When it was added (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> CustomerAddress:
        address = Address.from_json(row.address)
        assert address is not None  # the column is not nullable
        return cls(label=row.label, address=address, created_at=row.created_at)


@strawberry.type(description="A service note staff keep on a customer.")
class CustomerNote:
    note: str = strawberry.field(description="What staff should know.")
    author: str = strawberry.field(description="Who wrote it.")
    created_at: datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> CustomerNote:
        return cls(note=row.note, author=row.author, created_at=row.created_at)


@dataclass(frozen=True, slots=True)
class CustomerCredit:
    """A customer's credit as persistence/reads/credit.py reads it, for its credit fields."""

    id: int
    own_limit: Money | None
    limit: Money | None
    used: Money | None
    available: Money | None

    @classmethod
    def from_row(cls, row: Row) -> CustomerCredit:
        own = credit_limit_of(row.own_limit_cents, row.own_limit_currency)
        position = CreditPosition(
            credit_limit_of(row.limit_cents, row.limit_currency),
            None
            if row.exposure_cents is None
            else from_cents(int(row.exposure_cents), row.limit_currency),
        )
        return cls(
            id=row.id,
            own_limit=_shown(own),
            limit=_shown(position.limit),
            used=_shown(position.exposure),
            available=_shown(position.available),
        )


def _shown(money: DomainMoney | None) -> Money | None:
    return None if money is None else Money.of(money)


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
    updated_at: datetime = strawberry.field(
        description="When it last changed (UTC): its own fields, its group or credit limit, "
        "an address or a note added."
    )

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Customer:
        """`row`: customer_reads.CUSTOMER_COLUMNS, by position."""
        customer_id, email, name, phone, created_at, group_id, updated_at = row
        return cls(
            id=customer_id,
            email=email,
            name=name,
            phone=phone,
            created_at=created_at,
            group_id=group_id,
            updated_at=updated_at,
        )

    @strawberry.field(
        description="The customer group whose wholesale terms price its WHOLESALE orders; "
        "its orders on other channels pay list price."
    )
    async def group(self, info: strawberry.Info) -> CustomerGroup | None:
        if self.group_id is None:
            return None
        return await info.context.loaders.customer_groups.group.load(self.group_id)

    @strawberry.field(
        description="The credit limit its WHOLESALE orders are judged by: its own "
        "(ownCreditLimit), else its group's; null: unlimited. Only orders in the limit's "
        "currency count towards it, and only those are refused by it."
    )
    async def credit_limit(self, info: strawberry.Info) -> Money | None:
        return await self._credit(info, "limit")

    @strawberry.field(
        description="Its own credit limit, which overrides its group's; null: its group's "
        "holds (setCustomerCreditLimit)."
    )
    async def own_credit_limit(self, info: strawberry.Info) -> Money | None:
        return await self._credit(info, "own_limit")

    @strawberry.field(
        description="What it owes in its credit limit's currency: over its orders in that "
        "currency that are not CANCELLED (backorders included), total less paid, each "
        "never below zero. Orders in other currencies are not counted. Null: no limit."
    )
    async def credit_used(self, info: strawberry.Info) -> Money | None:
        return await self._credit(info, "used")

    @strawberry.field(
        description="What it may still order on credit: creditLimit less creditUsed, never "
        "below zero (an admin may have placed orders past the limit). Null: no limit."
    )
    async def available_credit(self, info: strawberry.Info) -> Money | None:
        return await self._credit(info, "available")

    async def _credit(self, info: strawberry.Info, name: str) -> Money | None:
        credit = await info.context.loaders.credit_by_customer.load(self.id)
        return None if credit is None else getattr(credit, name)

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
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Order, strawberry.lazy("api.types.orders")]]:
        from api.queries.orders import customer_orders  # that module imports this one

        return await customer_orders(info, self.email, first, after, last, before)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.customer, node_ids)
