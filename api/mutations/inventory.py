"""Mutations that change stock by hand."""

from __future__ import annotations

import strawberry

from api.mutations.payloads import StockLevelPayload, show_level
from api.mutations.runner import run_mutation, without_clock
from domain.commands.inventory import AdjustStock, SetStockThresholds
from domain.model.inventory import AdjustmentReason
from domain.usecases import inventory


@strawberry.input(description="Add or remove on-hand units at one location.")
class AdjustStockInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    location_code: str = strawberry.field(description="Where the units are.")
    delta: int = strawberry.field(description="Units to add (positive) or remove (negative).")
    reason: AdjustmentReason = strawberry.field(description="Why.")
    note: str | None = strawberry.field(default=None, description="Free text for the ledger.")
    expected_on_hand: int | None = strawberry.field(
        default=None,
        description="Refuse with STALE_QUANTITY unless onHand is still this (compare-and-set).",
    )


@strawberry.input(description="When a level counts as low, and how much of it stays put.")
class SetStockThresholdsInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    location_code: str = strawberry.field(description="The location.")
    reorder_point: int = strawberry.field(
        description="Low when available is at or below this; 0 or more."
    )
    safety_stock: int = strawberry.field(
        description="Units never suggested for transfer elsewhere; 0 or more."
    )


@strawberry.type
class InventoryMutations:
    @strawberry.mutation(
        description="Adjust stock for a reason; writes one ADJUSTMENT movement (ADMIN, STAFF)."
    )
    async def adjust_stock(
        self, info: strawberry.Info, input: AdjustStockInput
    ) -> StockLevelPayload:
        return await run_mutation(
            info,
            StockLevelPayload,
            inventory.adjust_stock,
            lambda: AdjustStock(
                sku=input.sku,
                location_code=input.location_code,
                delta=input.delta,
                reason=input.reason,
                note=input.note,
                expected_on_hand=input.expected_on_hand,
            ),
            show_level,
        )

    @strawberry.mutation(
        description="Set a level's reorder point and safety stock (ADMIN, STAFF there)."
    )
    async def set_stock_thresholds(
        self, info: strawberry.Info, input: SetStockThresholdsInput
    ) -> StockLevelPayload:
        return await run_mutation(
            info,
            StockLevelPayload,
            without_clock(inventory.set_stock_thresholds),
            lambda: SetStockThresholds(
                input.sku, input.location_code, input.reorder_point, input.safety_stock
            ),
            show_level,
        )
