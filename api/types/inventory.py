"""Stock types: levels per (variant, location) and the movements of the ledger."""

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
from domain.model.inventory import MovementKind
from domain.model.locations import LocationKind


@strawberry.type(description="How many units of one variant are at one location.")
class StockLevel(relay.Node):
    id: relay.NodeID[int]
    variant_id: strawberry.Private[int]
    location: Location = strawberry.field(description="Where the units are.")
    on_hand: int = strawberry.field(description="Units physically at the location.")
    reserved: int = strawberry.field(description="Units held for orders not yet shipped.")
    available: int = strawberry.field(
        description="Units free to sell: onHand - reserved (never damaged, in transit or incoming)."
    )
    in_transit: int = strawberry.field(description="Units on their way here, not yet received.")
    damaged: int = strawberry.field(description="Units here that may not be sold.")
    incoming: int = strawberry.field(
        description="Units on order from suppliers; not available until received."
    )
    reorder_point: int = strawberry.field(
        description="Replenish when available falls to or below this."
    )
    safety_stock: int = strawberry.field(
        description="Units to keep here: only units above it may be sent elsewhere."
    )

    @classmethod
    def from_row(cls, row: Row) -> StockLevel:
        location = Location(
            id=row.location_id,
            code=row.location_code,
            name=row.location_name,
            kind=LocationKind(row.location_kind),
            address=row.location_address,
        )
        return cls.of(
            row.id,
            row.variant_id,
            location,
            on_hand=row.on_hand,
            reserved=row.reserved,
            in_transit=row.in_transit,
            damaged=row.damaged,
            incoming=row.incoming,
            reorder_point=row.reorder_point,
            safety_stock=row.safety_stock,
        )

    @classmethod
    def of(
        cls, level_id: int, variant_id: int, location: Location, **quantities: int
    ) -> StockLevel:
        """`quantities`: on_hand, reserved, in_transit, damaged, incoming, reorder_point,
        safety_stock."""
        return cls(
            id=level_id,
            variant_id=variant_id,
            location=location,
            available=quantities["on_hand"] - quantities["reserved"],
            **quantities,
        )

    @strawberry.field(description="The variant counted.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.level, node_ids)


@strawberry.type(description="One immutable change to one stock level: the ledger's entry.")
class StockMovement(relay.Node):
    id: relay.NodeID[int]
    variant_id: strawberry.Private[int]
    location_id: strawberry.Private[int]
    kind: MovementKind = strawberry.field(description="What kind of change.")
    on_hand_delta: int = strawberry.field(description="Change of onHand.")
    reserved_delta: int = strawberry.field(description="Change of reserved.")
    in_transit_delta: int = strawberry.field(description="Change of inTransit.")
    damaged_delta: int = strawberry.field(description="Change of damaged.")
    incoming_delta: int = strawberry.field(description="Change of incoming.")
    reason: str | None = strawberry.field(description="Reason code of a manual adjustment.")
    reference: str = strawberry.field(description="What caused it, e.g. order:42.")
    note: str | None = strawberry.field(description="Free text from whoever made it.")
    actor: str = strawberry.field(description="Who made it.")
    occurred_at: datetime = strawberry.field(description="When it happened (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> StockMovement:
        return cls(
            id=row.id,
            variant_id=row.variant_id,
            location_id=row.location_id,
            kind=MovementKind(row.kind),
            on_hand_delta=row.on_hand_delta,
            reserved_delta=row.reserved_delta,
            in_transit_delta=row.in_transit_delta,
            damaged_delta=row.damaged_delta,
            incoming_delta=row.incoming_delta,
            reason=row.reason,
            reference=row.reference,
            note=row.note,
            actor=row.actor,
            occurred_at=row.occurred_at,
        )

    @strawberry.field(description="The variant that moved.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)

    @strawberry.field(description="Where it moved.")
    async def location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.location_id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.movement, node_ids)
