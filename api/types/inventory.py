"""Stock types: levels per (variant, location) and the movements of the ledger."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.types.catalog import Variant
from api.types.locations import Location
from api.types.nodes import load_nodes
from domain.model.inventory import MovementKind


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
    updated_at: datetime = strawberry.field(
        description="When it last changed (UTC): any of its quantities or thresholds."
    )

    @classmethod
    def from_row(
        cls, row: Sequence[Any], locations: dict[int, Location] | None = None
    ) -> StockLevel:
        """`row`: stock_reads.LEVEL_COLUMNS, by position. `locations`: the Locations built
        for the earlier rows of the same read, by id (see `from_rows`)."""
        (
            level_id,
            variant_id,
            location_id,
            on_hand,
            reserved,
            in_transit,
            damaged,
            incoming,
            reorder_point,
            safety_stock,
            updated_at,
            location_code,
            location_name,
            location_kind,
            location_address,
        ) = row
        location = locations.get(location_id) if locations is not None else None
        if location is None:
            location = Location.from_row(
                (location_id, location_code, location_name, location_kind, location_address)
            )
            if locations is not None:
                locations[location_id] = location
        return cls.of(
            level_id,
            variant_id,
            location,
            on_hand=on_hand,
            reserved=reserved,
            in_transit=in_transit,
            damaged=damaged,
            incoming=incoming,
            reorder_point=reorder_point,
            safety_stock=safety_stock,
            updated_at=updated_at,
        )

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]]) -> list[StockLevel]:
        """The levels of one read's rows, those at the same location sharing one Location:
        a page of levels names a few locations, and building one per row was most of a
        level's cost. Shared within one read only, so a later read shows a location as it
        is then; nothing changes a Location once built."""
        locations: dict[int, Location] = {}
        return [cls.from_row(row, locations) for row in rows]

    @classmethod
    def of(
        cls,
        level_id: int,
        variant_id: int,
        location: Location,
        *,
        on_hand: int,
        reserved: int,
        in_transit: int,
        damaged: int,
        incoming: int,
        reorder_point: int,
        safety_stock: int,
        updated_at: datetime,
    ) -> StockLevel:
        return cls(
            id=level_id,
            variant_id=variant_id,
            location=location,
            on_hand=on_hand,
            reserved=reserved,
            available=on_hand - reserved,
            in_transit=in_transit,
            damaged=damaged,
            incoming=incoming,
            reorder_point=reorder_point,
            safety_stock=safety_stock,
            updated_at=updated_at,
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
    def from_row(cls, row: Sequence[Any]) -> StockMovement:
        """`row`: stock_reads.MOVEMENT_COLUMNS, by position."""
        (
            movement_id,
            variant_id,
            location_id,
            kind,
            on_hand_delta,
            reserved_delta,
            in_transit_delta,
            damaged_delta,
            incoming_delta,
            reason,
            reference,
            note,
            actor,
            occurred_at,
        ) = row
        return cls(
            id=movement_id,
            variant_id=variant_id,
            location_id=location_id,
            kind=MovementKind(kind),
            on_hand_delta=on_hand_delta,
            reserved_delta=reserved_delta,
            in_transit_delta=in_transit_delta,
            damaged_delta=damaged_delta,
            incoming_delta=incoming_delta,
            reason=reason,
            reference=reference,
            note=note,
            actor=actor,
            occurred_at=occurred_at,
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
