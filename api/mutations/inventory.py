"""Mutations that change stock by hand."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.errors import UserError
from api.mutations.payloads import StockLevelPayload, show_level, user_errors_field
from api.mutations.runner import run_mutation, without_clock
from api.types.inventory import StockLevel
from api.types.nodes import forget
from domain.commands.inventory import AdjustStock, BulkSetStock, SetStockThresholds
from domain.model.bulk_stock import MAX_LINES, StockLine
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


@strawberry.input(
    description="One level of a bulk change: set onHand, or change it by delta (exactly one)."
)
class BulkStockLineInput:
    sku: str = strawberry.field(description="The variant's SKU; at most once per call.")
    on_hand: int | None = strawberry.field(
        default=None, description="Units on hand the level should now have; 0 or more."
    )
    delta: int | None = strawberry.field(
        default=None, description="Units to add (positive) or remove (negative)."
    )
    expected_on_hand: int | None = strawberry.field(
        default=None,
        description="Refuse with STALE_QUANTITY unless onHand is still this (compare-and-set).",
    )


@strawberry.input(description="Set or change many stock levels of one location at once.")
class BulkSetStockInput:
    location_code: str = strawberry.field(description="Where the units are.")
    quantities: list[BulkStockLineInput] = strawberry.field(
        description=f"1 to {MAX_LINES} lines, each SKU once; shown back in this order."
    )
    reason: AdjustmentReason = strawberry.field(
        default=AdjustmentReason.CORRECTION,
        description="Why, for every line's movement; CORRECTION (a count) unless given.",
    )
    note: str | None = strawberry.field(
        default=None, description="Free text for the ledger, on every line's movement."
    )


@strawberry.type(description="Result of a bulk change of stock levels.")
class BulkSetStockPayload:
    stock_levels: list[StockLevel] = strawberry.field(
        default_factory=list,
        description="The levels after the change, in the order of the lines; empty if refused.",
    )
    movements_written: int = strawberry.field(
        default=0,
        description="Movements written to the ledger: one per line that changed its level.",
    )
    user_errors: list[UserError] = user_errors_field()


async def show_levels(context: Context, result: inventory.BulkStockResult) -> BulkSetStockPayload:
    """The levels a bulk change named, read back in line order."""
    loader = context.loaders.levels_by_variant
    for variant_id in result.variant_ids:
        forget(loader, variant_id)
    by_variant = await loader.load_many(result.variant_ids)
    return BulkSetStockPayload(
        stock_levels=[
            next(level for level in levels if level.location.id == result.location_id)
            for levels in by_variant
        ],
        movements_written=result.movements_written,
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
        description=(
            f"Set or change up to {MAX_LINES} levels of one location in one transaction: one "
            "ADJUSTMENT movement per changed line, nothing changed if any line is refused "
            "(ADMIN, STAFF there)."
        )
    )
    async def bulk_set_stock(
        self, info: strawberry.Info, input: BulkSetStockInput
    ) -> BulkSetStockPayload:
        return await run_mutation(
            info,
            BulkSetStockPayload,
            inventory.bulk_set_stock,
            lambda: BulkSetStock(
                location_code=input.location_code,
                lines=tuple(
                    StockLine(line.sku, line.on_hand, line.delta, line.expected_on_hand)
                    for line in input.quantities
                ),
                reason=input.reason,
                note=input.note,
            ),
            show_levels,
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
