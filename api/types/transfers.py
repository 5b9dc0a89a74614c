"""GraphQL types of transfers, and their per-request DataLoaders."""

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
from domain.model.transfers import TransferStatus, may_see
from persistence.reads import documents as document_reads
from persistence.reads import transfers as transfer_reads

strawberry.enum(TransferStatus, description="Where a transfer is in its lifecycle.")


@strawberry.type(description="Units of one SKU sent by a transfer, and what became of them.")
class TransferLine:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The SKU sent.")
    quantity: int = strawberry.field(description="Units sent.")
    received: int = strawberry.field(description="Of those, units that arrived (0 until then).")
    lost: int = strawberry.field(
        description="Of those, units that never arrived: quantity - received, once received."
    )

    @classmethod
    def from_row(cls, row: Row) -> TransferLine:
        return cls(
            variant_id=row.variant_id,
            sku=row.sku,
            quantity=row.quantity,
            received=row.received,
            lost=row.lost,
        )

    @strawberry.field(description="The variant sent.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


@strawberry.type(description="One step in a transfer's lifecycle.")
class TransferStatusChange:
    sequence: int = strawberry.field(
        description="Position in the transfer's history: 1 for its creation, then 2, 3…"
    )
    from_status: TransferStatus | None = strawberry.field(description="Before; null at creation.")
    to_status: TransferStatus = strawberry.field(description="After.")
    actor: str = strawberry.field(description="Who made the change.")
    note: str | None = strawberry.field(description="Why, when given.")
    occurred_at: datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> TransferStatusChange:
        return cls(
            sequence=row.sequence,
            from_status=TransferStatus(row.from_status) if row.from_status else None,
            to_status=TransferStatus(row.to_status),
            actor=row.actor,
            note=row.note,
            occurred_at=row.occurred_at,
        )


@strawberry.type(description="Stock sent from one location to another.")
class Transfer(relay.Node):
    id: relay.NodeID[int]
    from_location_id: strawberry.Private[int]
    to_location_id: strawberry.Private[int]
    location_codes: strawberry.Private[tuple[str, str]]
    number: str = strawberry.field(description="Human-friendly number, e.g. TR-000042.")
    status: TransferStatus = strawberry.field(description="Where it is in its lifecycle.")
    carrier: str | None = strawberry.field(description="Who carries it, once shipped.")
    tracking_number: str | None = strawberry.field(
        description="The carrier's tracking number, once shipped."
    )
    reference: str = strawberry.field(
        description="What its stock movements carry as their reference, e.g. transfer:42."
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> Transfer:
        return cls(
            id=row.id,
            from_location_id=row.from_location_id,
            to_location_id=row.to_location_id,
            location_codes=(row.from_location_code, row.to_location_code),
            number=row.number,
            status=TransferStatus(row.status),
            carrier=row.carrier,
            tracking_number=row.tracking_number,
            reference=f"transfer:{row.id}",
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="Where the stock comes from.")
    async def from_location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.from_location_id)

    @strawberry.field(description="Where the stock goes.")
    async def to_location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.to_location_id)

    @strawberry.field(description="What is sent, one line per SKU.")
    async def lines(self, info: strawberry.Info) -> list[TransferLine]:
        return await info.context.loaders.transfers.lines.load(self.id)

    @strawberry.field(description="Every status change, oldest first.")
    async def history(self, info: strawberry.Info) -> list[TransferStatusChange]:
        return await info.context.loaders.transfers.history.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.transfers.transfer, node_ids)


class TransferLoaders:
    """Per-request DataLoaders for transfers; `loaders` is the request's api.loaders.Loaders.

    `transfer` loads only the transfers the caller may see (at its origin or destination).
    """

    def __init__(self, loaders: Any) -> None:
        self._loaders = loaders
        self.transfer = loaders.by_id(
            transfer_reads.transfers_by_ids,
            Transfer.from_row,
            may_see=lambda principal, transfer: may_see(principal, transfer.location_codes),
        )
        self.lines = loaders.grouped(
            transfer_reads.transfer_lines_by_transfer_ids, "transfer_id", TransferLine.from_row
        )
        self.history = loaders.grouped(
            lambda session, ids: document_reads.document_changes_by_ids(session, "transfer", ids),
            "document_id",
            TransferStatusChange.from_row,
        )
