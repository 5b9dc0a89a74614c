"""GraphQL types of stock counts and replenishment, and their per-request DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.types.catalog import Variant
from api.types.locations import Location
from api.types.nodes import load_nodes
from domain.access import Principal
from domain.model.counts import DOCUMENT, StockCountStatus, count_number
from persistence.reads import counts as count_reads
from persistence.reads import documents as document_reads
from persistence.reads.counts import CountScope

strawberry.enum(StockCountStatus, description="Where a stock count is in its lifecycle.")


def count_scope(principal: Principal) -> CountScope:
    """The counts a caller may see, as a query scope. Counts are seen by those who may count
    there: admins, unbound staff, staff and POS at the location (none for others)."""
    if principal.sees_all_locations:
        return CountScope()
    return CountScope(location_codes=principal.location_codes)


@strawberry.type(description="One SKU of a stock count: what the books said, what was found.")
class StockCountLine:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The SKU counted.")
    expected: int = strawberry.field(
        description="Units on hand by the ledger when the count started."
    )
    counted: int | None = strawberry.field(description="Units found; null until counted.")
    variance: int | None = strawberry.field(
        description="counted - expected, posted as a CORRECTION; null until counted."
    )

    @classmethod
    def from_row(cls, row: Row) -> StockCountLine:
        return cls(
            variant_id=row.variant_id,
            sku=row.sku,
            expected=row.expected,
            counted=row.counted,
            variance=None if row.counted is None else row.counted - row.expected,
        )

    @strawberry.field(description="The variant counted.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


@strawberry.type(description="One step in a stock count's lifecycle.")
class StockCountStatusChange:
    sequence: int = strawberry.field(description="Position in the count's history: 1, 2…")
    from_status: StockCountStatus | None = strawberry.field(
        description="Before; null when it started."
    )
    to_status: StockCountStatus = strawberry.field(description="After.")
    actor: str = strawberry.field(description="Who made the change.")
    occurred_at: datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> StockCountStatusChange:
        return cls(
            sequence=row.sequence,
            from_status=StockCountStatus(row.from_status) if row.from_status else None,
            to_status=StockCountStatus(row.to_status),
            actor=row.actor,
            occurred_at=row.occurred_at,
        )


@strawberry.type(description="A count of stock at one location, to correct the ledger.")
class StockCount(relay.Node):
    id: relay.NodeID[int]
    location_id: strawberry.Private[int]
    location_code: strawberry.Private[str]
    number: str = strawberry.field(description="Human-friendly number, e.g. SC-000042.")
    status: StockCountStatus = strawberry.field(description="OPEN until submitted.")
    started_by: str = strawberry.field(description="Who started it.")
    started_at: datetime = strawberry.field(description="When it started (UTC).")
    submitted_by: str | None = strawberry.field(description="Who submitted it.")
    submitted_at: datetime | None = strawberry.field(description="When it was submitted (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> StockCount:
        return cls(
            id=row.id,
            location_id=row.location_id,
            location_code=row.location_code,
            number=count_number(row.id),
            status=StockCountStatus(row.status),
            started_by=row.started_by,
            started_at=row.started_at,
            submitted_by=row.submitted_by,
            submitted_at=row.submitted_at,
        )

    @strawberry.field(description="Where the stock is counted.")
    async def location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.location_id)

    @strawberry.field(description="The SKUs counted, with their variances once submitted.")
    async def lines(self, info: strawberry.Info) -> list[StockCountLine]:
        return await info.context.loaders.counts.lines.load(self.id)

    @strawberry.field(description="Every status change, oldest first.")
    async def history(self, info: strawberry.Info) -> list[StockCountStatusChange]:
        return await info.context.loaders.counts.history.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.counts.count, node_ids)


@strawberry.type(description="Units a warehouse should send to a store that runs low.")
class ReplenishmentSuggestion:
    variant_id: strawberry.Private[int]
    from_location_id: strawberry.Private[int]
    to_location_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The SKU to send.")
    quantity: int = strawberry.field(description="Units to send.")
    store_available: int = strawberry.field(description="Units available at the store now.")
    reorder_point: int = strawberry.field(description="The store level's reorder point.")
    store_on_the_way: int = strawberry.field(
        description="Units already coming to the store, which the quantity leaves out: in "
        "transit, incoming from suppliers, requested from a warehouse and not shipped yet."
    )

    @strawberry.field(description="The variant to send.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)

    @strawberry.field(description="The warehouse that sends.")
    async def from_location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.from_location_id)

    @strawberry.field(description="The store that receives.")
    async def to_location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.to_location_id)


class StockCountLoaders:
    """Per-request DataLoaders for counts; `loaders` is the request's api.loaders.Loaders.

    `count` loads only the counts the caller may see: those where it may count.
    """

    def __init__(self, loaders: Any) -> None:
        self._loaders = loaders
        self.count = loaders.by_id(
            count_reads.stock_counts_by_ids,
            StockCount.from_row,
            may_see=lambda principal, count: principal.works_at(count.location_code),
        )
        self.lines = loaders.grouped(
            count_reads.count_lines_by_count_ids, "count_id", StockCountLine.from_row
        )
        self.history = loaders.grouped(
            lambda session, ids: document_reads.document_changes_by_ids(session, DOCUMENT, ids),
            "document_id",
            StockCountStatusChange.from_row,
        )
