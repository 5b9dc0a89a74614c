"""Mutations that change stock by hand."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.loaders import reload
from api.mutations.payloads import StockLevelPayload, attempt
from api.types.inventory import StockLevel
from domain.commands.inventory import AdjustStock, SetStockThresholds
from domain.model.inventory import AdjustmentReason
from domain.model.inventory import StockLevel as DomainStockLevel
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
        context = info.context
        command = AdjustStock(
            sku=input.sku,
            location_code=input.location_code,
            delta=input.delta,
            reason=input.reason,
            note=input.note,
            expected_on_hand=input.expected_on_hand,
        )

        return await attempt(
            StockLevelPayload,
            lambda: inventory.adjust_stock(
                context.unit_of_work(), context.principal, command, context.now()
            ),
            lambda level: show_level(context, level),
        )

    @strawberry.mutation(
        description="Set a level's reorder point and safety stock (ADMIN, STAFF there)."
    )
    async def set_stock_thresholds(
        self, info: strawberry.Info, input: SetStockThresholdsInput
    ) -> StockLevelPayload:
        context = info.context
        command = SetStockThresholds(
            input.sku, input.location_code, input.reorder_point, input.safety_stock
        )
        return await attempt(
            StockLevelPayload,
            lambda: inventory.set_stock_thresholds(
                context.unit_of_work(), context.principal, command
            ),
            lambda level: show_level(context, level),
        )


async def show_level(context: Context, level: DomainStockLevel) -> StockLevel:
    """A level as the API shows it, read back after a change."""
    levels = await reload(context.loaders.levels_by_variant, level.variant_id)
    return next(each for each in levels if each.location.id == level.location_id)
