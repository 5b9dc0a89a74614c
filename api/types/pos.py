"""GraphQL types of POS terminals and counter payments, and their per-request DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.types.common import Money
from api.types.locations import Location
from api.types.nodes import load_nodes
from domain.model.payments import PaymentMethod
from domain.model.pos import may_see_terminal
from persistence.reads import pos as pos_reads


@strawberry.type(description="A till in a store that rings up sales and syncs them later.")
class PosTerminal(relay.Node):
    id: relay.NodeID[int]
    location_id: strawberry.Private[int]
    location_code: strawberry.Private[str]
    name: str = strawberry.field(description="Its name, unique within its store, e.g. Till 1.")
    registered_at: datetime = strawberry.field(description="When it was registered (UTC).")
    last_synced_at: datetime | None = strawberry.field(
        description="When it last synced its sales (UTC); null until it has."
    )
    deactivated_at: datetime | None = strawberry.field(
        description="When it was deactivated (UTC): its token was revoked and it syncs no "
        "more; null while in service."
    )

    @classmethod
    def from_row(cls, row: Row) -> PosTerminal:
        return cls(
            id=row.id,
            location_id=row.location_id,
            location_code=row.location_code,
            name=row.name,
            registered_at=row.registered_at,
            last_synced_at=row.last_synced_at,
            deactivated_at=row.deactivated_at,
        )

    @strawberry.field(description="The store it stands in.")
    async def store(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.location_id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.pos.terminal, node_ids)


@strawberry.type(description="What was tendered for a counter sale.")
class PosPayment:
    method: PaymentMethod = strawberry.field(description="How it was tendered.")
    amount: Money = strawberry.field(
        description="The amount tendered; what cash exceeds the total by was handed back."
    )

    @classmethod
    def from_row(cls, row: Row) -> PosPayment:
        return cls(
            method=PaymentMethod(row.method),
            amount=Money.from_cents(row.amount_cents, row.currency),
        )


class PosLoaders:
    """Per-request DataLoaders for POS; `loaders` is the request's api.loaders.Loaders.

    `terminal` loads only the terminals the caller may see (staff of their store, admins).
    """

    def __init__(self, loaders: Any) -> None:
        self.terminal = loaders.by_id(
            pos_reads.terminals_by_ids,
            PosTerminal.from_row,
            may_see=lambda principal, terminal: may_see_terminal(principal, terminal.location_code),
        )
        self.payments_by_order = loaders.grouped(
            pos_reads.payments_by_order_ids, "order_id", PosPayment.from_row
        )
