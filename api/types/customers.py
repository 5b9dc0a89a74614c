"""Customer type."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.types.nodes import load_nodes


@strawberry.type(description="A person or business that buys.")
class Customer(relay.Node):
    id: relay.NodeID[int]
    email: str = strawberry.field(description="Unique email address, lower case.")
    name: str = strawberry.field(description="Full name.")
    phone: str | None = strawberry.field(description="Phone number, when known.")
    created_at: datetime = strawberry.field(description="When the customer was created (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> Customer:
        return cls(
            id=row.id,
            email=row.email,
            name=row.name,
            phone=row.phone,
            created_at=row.created_at,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        principal = info.context.principal
        customers = await load_nodes(info.context.loaders.customer, node_ids)
        return [
            c
            if c is not None
            and (principal.may_read_customers() or c.email == principal.customer_email)
            else None
            for c in customers
        ]
