"""GraphQL types of wholesale terms (customer groups, price lists), and their DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.types.catalog import Variant
from api.types.common import Money
from api.types.invoices import PaymentTerms
from api.types.nodes import load_nodes
from domain.access import Role
from persistence.mappers import from_basis_points
from persistence.reads import customer_groups as customer_group_reads
from persistence.reads import customers as customer_reads


@strawberry.type(description="A customer group's own price for one SKU.")
class CustomerGroupPrice:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The SKU it prices.")
    price: Money = strawberry.field(
        description="What the group pays per unit on WHOLESALE orders, in the SKU's currency."
    )
    minimum_quantity: int | None = strawberry.field(
        description="Units a line of this SKU needs at least; null: the group's "
        "minimumLineQuantity."
    )

    @classmethod
    def from_row(cls, row: Row) -> CustomerGroupPrice:
        return cls(
            variant_id=row.variant_id,
            sku=row.sku,
            price=Money.from_cents(row.price_cents, row.currency),
            minimum_quantity=row.minimum_quantity,
        )

    @strawberry.field(description="The variant it prices.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


@strawberry.type(
    description="Wholesale terms shared by its customers: on a WHOLESALE order a SKU costs "
    "the group's price for it, else the list price less discountPercent (rounded half-up to "
    "the cent), else the list price; each line needs at least its minimum quantity."
)
class CustomerGroup(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Unique code, upper case, e.g. TRADE.")
    name: str = strawberry.field(description="What the group is.")
    discount_percent: Decimal | None = strawberry.field(
        description="Off the list price of SKUs the group has no price for (0-100, two "
        "decimals); null for none."
    )
    minimum_line_quantity: int = strawberry.field(
        description="Units every line needs at least, unless its SKU's price sets another."
    )
    credit_limit: Money | None = strawberry.field(
        description="How much each of its customers may owe in WHOLESALE orders (see "
        "Customer.creditUsed) unless the customer has a limit of its own; null: unlimited "
        "(setCustomerGroupCreditLimit)."
    )
    payment_terms: PaymentTerms = strawberry.field(
        description="When its customers' invoices fall due (setCustomerGroupPaymentTerms)."
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> CustomerGroup:
        points = row.discount_basis_points
        return cls(
            id=row.id,
            code=row.code,
            name=row.name,
            discount_percent=None if points is None else from_basis_points(points),
            minimum_line_quantity=row.minimum_line_quantity,
            credit_limit=(
                None
                if row.credit_limit_cents is None
                else Money.from_cents(row.credit_limit_cents, row.credit_limit_currency)
            ),
            payment_terms=PaymentTerms(row.payment_terms),
            created_at=row.created_at,
        )

    @strawberry.field(description="Its own prices, by SKU.")
    async def prices(self, info: strawberry.Info) -> list[CustomerGroupPrice]:
        return await info.context.loaders.customer_groups.prices.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        """Staff and POS see every group; a customer only its own."""
        groups = await load_nodes(info.context.loaders.customer_groups.group, node_ids)
        principal = info.context.principal
        if principal.may_read_customers():
            return groups
        own = None
        if principal.role is Role.CUSTOMER and principal.customer_email:
            async with info.context.database.read_session() as session:
                row = await customer_reads.customer_by_email(session, principal.customer_email)
            own = row.group_id if row else None
        return [g if g is not None and g.id == own else None for g in groups]


class CustomerGroupLoaders:
    """Per-request DataLoaders for groups; `loaders` is the request's api.loaders.Loaders.

    `group` loads whatever exists: a group is shown to whoever may see one of its
    customers, or through `resolve_nodes`, which checks the caller.
    """

    def __init__(self, loaders: Any) -> None:
        self.group = loaders.by_id(
            customer_group_reads.customer_groups_by_ids, CustomerGroup.from_row
        )
        self.prices = loaders.grouped(
            customer_group_reads.prices_by_group_ids, "group_id", CustomerGroupPrice.from_row
        )
