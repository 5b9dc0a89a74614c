"""GraphQL types of returns, and their per-request DataLoaders."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Sequence
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.dataloader import DataLoader

from api.types.catalog import Variant
from api.types.common import Money
from api.types.locations import Location
from api.types.nodes import forget, load_nodes
from api.types.orders import Order
from api.types.payments import PaymentEntry
from domain.model.returns import ReturnDisposition, ReturnStatus
from persistence.reads import documents as document_reads
from persistence.reads import returns as return_reads

strawberry.enum(ReturnStatus, description="Where a return is in its lifecycle.")
strawberry.enum(ReturnDisposition, description="What becomes of a returned unit.")

DOCUMENT = "return"


@strawberry.type(description="Units of one SKU asked back, and what became of those received.")
class ReturnLine:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The SKU returned.")
    quantity: int = strawberry.field(description="Units asked back.")
    reason: str = strawberry.field(description="Why, as given when asked; may be empty.")
    restocked: int = strawberry.field(description="Units received and put back in stock.")
    damaged: int = strawberry.field(description="Units received and held as damaged.")

    @classmethod
    def from_row(cls, row: Row) -> ReturnLine:
        return cls(
            variant_id=row.variant_id,
            sku=row.sku,
            quantity=row.quantity,
            reason=row.reason,
            restocked=row.restocked,
            damaged=row.damaged,
        )

    @strawberry.field(description="The variant returned.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


@strawberry.type(description="One step in a return's lifecycle.")
class ReturnStatusChange:
    sequence: int = strawberry.field(
        description="Position in the return's history: 1 when requested, then 2, 3…"
    )
    from_status: ReturnStatus | None = strawberry.field(description="Before; null at request.")
    to_status: ReturnStatus = strawberry.field(description="After.")
    actor: str = strawberry.field(description="Who made the change.")
    note: str | None = strawberry.field(description="Why, when given.")
    occurred_at: datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> ReturnStatusChange:
        return cls(
            sequence=row.sequence,
            from_status=ReturnStatus(row.from_status) if row.from_status else None,
            to_status=ReturnStatus(row.to_status),
            actor=row.actor,
            note=row.note,
            occurred_at=row.occurred_at,
        )


@strawberry.type(description="A return (RMA): units of an order coming back, and the refund.")
class Return(relay.Node):
    id: relay.NodeID[int]
    order_id: strawberry.Private[int]
    location_id: strawberry.Private[int | None]
    number: str = strawberry.field(description="Human-friendly return number, e.g. RT-000007.")
    status: ReturnStatus = strawberry.field(description="Where the return is in its lifecycle.")
    refund: Money | None = strawberry.field(
        description="What was refunded: units received at their order prices; null until then."
    )
    created_at: datetime = strawberry.field(description="When it was requested (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> Return:
        return cls(
            id=row.id,
            order_id=row.order_id,
            location_id=row.location_id,
            number=row.number,
            status=ReturnStatus(row.status),
            refund=Money.from_cents(row.refund_cents, row.currency)
            if row.refund_cents is not None
            else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(
        description="The order the units were bought in; null for a caller who sees the "
        "return only because it works where the goods were received (a store that took "
        "back a web order at its counter sees the return, not the order)."
    )
    async def order(self, info: strawberry.Info) -> Order | None:
        return await info.context.loaders.order.load(self.order_id)

    @strawberry.field(description="What is asked back, and what became of it.")
    async def lines(self, info: strawberry.Info) -> list[ReturnLine]:
        return await info.context.loaders.returns.lines.load(self.id)

    @strawberry.field(
        description="Where the goods were received (any store or warehouse); null until then."
    )
    async def receiving_location(self, info: strawberry.Info) -> Location | None:
        if self.location_id is None:
            return None
        return await info.context.loaders.location.load(self.location_id)

    @strawberry.field(description="Every status change, oldest first.")
    async def history(self, info: strawberry.Info) -> list[ReturnStatusChange]:
        return await info.context.loaders.returns.history.load(self.id)

    @strawberry.field(
        description="The REFUND entries that gave its refund back, one per payment they "
        "came from; empty until REFUNDED, and for an order that never had money captured."
    )
    async def refunds(self, info: strawberry.Info) -> list[PaymentEntry]:
        payments = await info.context.loaders.payments.by_order.load(self.order_id)
        entries = await info.context.loaders.payments.entries_by_payment.load_many(
            [payment.id for payment in payments]
        )
        return sorted(
            (e for found in entries for e in found if e.return_id == self.id),
            key=lambda entry: entry.sequence,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.returns.by_id, node_ids)


async def _history(session: AsyncSession, return_ids: Sequence[int]) -> Sequence[Row]:
    return await document_reads.document_changes_by_ids(session, DOCUMENT, return_ids)


class ReturnLoaders:
    """Per-request DataLoaders for returns; `loaders` is the request's api.loaders.Loaders.

    A return is visible when its order is, so `by_id` asks the request's order loader,
    which knows the caller's scope; and to whoever works where it was received (a store
    sees the returns it took back, also of orders it may not see).
    """

    def __init__(self, loaders: Any) -> None:
        self._loaders = loaders
        self._rows = loaders.by_id(return_reads.returns_by_ids, Return.from_row)
        self.by_id: DataLoader[int, Return | None] = DataLoader(self._visible)
        self.by_order: DataLoader[int, list[Return]] = loaders.grouped(
            return_reads.returns_by_order_ids, "order_id", Return.from_row
        )
        self.lines: DataLoader[int, list[ReturnLine]] = loaders.grouped(
            return_reads.return_lines_by_return_ids, "return_id", ReturnLine.from_row
        )
        self.history: DataLoader[int, list[ReturnStatusChange]] = loaders.grouped(
            _history, "document_id", ReturnStatusChange.from_row
        )

    async def _visible(self, ids: list[int]) -> list[Return | None]:
        found = await self._rows.load_many(ids)
        orders = await self._loaders.order.load_many([r.order_id for r in found if r])
        visible = {order.id for order in orders if order is not None}
        received_at = {
            r.location_id
            for r in found
            if r and r.location_id is not None and r.order_id not in visible
        }
        locations = await self._loaders.location.load_many(list(received_at))
        principal = self._loaders.principal
        visible_here = {
            location.id for location in locations if location and principal.works_at(location.code)
        }
        return [
            r
            if r is not None and (r.order_id in visible or r.location_id in visible_here)
            else None
            for r in found
        ]

    def fresh(self, return_id: int, order_id: int) -> Awaitable[Return | None]:
        """Load a return afresh after a mutation changed it (and perhaps its order)."""
        stale = [
            (self._rows, return_id),
            (self.by_id, return_id),
            (self.lines, return_id),
            (self.history, return_id),
            (self.by_order, order_id),
            (self._loaders.order, order_id),
            (self._loaders.history_by_order, order_id),
        ]
        for loader, key in stale:
            forget(loader, key)
        return self.by_id.load(return_id)
