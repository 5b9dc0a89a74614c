"""Mutations that count stock and write off damaged units."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import StockLevelPayload, show_level, user_errors_field
from api.mutations.runner import key_of, run_mutation
from api.types.counts import StockCount
from api.types.nodes import forget
from domain.model.counts import CountedLine
from domain.model.counts import StockCount as DomainStockCount
from domain.usecases import counts


@strawberry.input(description="Start counting stock at one location.")
class StartStockCountInput:
    location_code: str = strawberry.field(description="Where to count.")
    skus: list[str] | None = strawberry.field(
        default=None, description="The SKUs to count; leave out to count every variant there."
    )


@strawberry.input(description="Units of one SKU found by a count.")
class CountedLineInput:
    sku: str = strawberry.field(description="A SKU of the count.")
    counted: int = strawberry.field(description="Units found on the shelf; 0 or more.")


@strawberry.input(description="Submit what was counted.")
class SubmitStockCountInput:
    count_id: strawberry.ID = strawberry.field(description="The OPEN count.")
    lines: list[CountedLineInput] = strawberry.field(
        description="What was found; SKUs left out stay uncounted and unchanged."
    )


@strawberry.input(description="Dispose of damaged units.")
class WriteOffDamagedInput:
    location_code: str = strawberry.field(description="Where the damaged units are.")
    sku: str = strawberry.field(description="The variant's SKU.")
    quantity: int = strawberry.field(description="Damaged units to write off; at least 1.")
    note: str | None = strawberry.field(default=None, description="Free text for the ledger.")


@strawberry.type(description="Result of a mutation on a stock count.")
class StockCountPayload:
    stock_count: StockCount | None = strawberry.field(
        default=None, description="The count, with its lines and variances, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


async def _show(context: Context, count: DomainStockCount) -> StockCountPayload:
    loaders = context.loaders.counts
    for stale in (loaders.lines, loaders.history):  # a mutation earlier in the request
        forget(stale, count.id)  # may have loaded them
    return StockCountPayload(stock_count=await reload(loaders.count, count.id))


@strawberry.type
class StockCountMutations:
    @strawberry.mutation(
        description="Open a count at a location, snapshotting what the ledger shows on hand "
        "(ADMIN, STAFF and POS there)."
    )
    async def start_stock_count(
        self, info: strawberry.Info, input: StartStockCountInput
    ) -> StockCountPayload:
        return await run_mutation(
            info,
            StockCountPayload,
            counts.start_stock_count,
            lambda: counts.StartStockCount(
                location_code=input.location_code,
                skus=tuple(input.skus) if input.skus is not None else None,
            ),
            _show,
        )

    @strawberry.mutation(
        description="OPEN → SUBMITTED: each counted line's variance (counted - expected) is "
        "posted as a CORRECTION adjustment referenced count:<id>, all or nothing."
    )
    async def submit_stock_count(
        self, info: strawberry.Info, input: SubmitStockCountInput
    ) -> StockCountPayload:
        return await run_mutation(
            info,
            StockCountPayload,
            counts.submit_stock_count,
            lambda: counts.SubmitStockCount(
                count_id=key_of(input.count_id, "StockCount", "countId"),
                lines=tuple(CountedLine(line.sku, line.counted) for line in input.lines),
            ),
            _show,
        )

    @strawberry.mutation(
        description="Dispose of damaged units: one WRITE_OFF movement, damaged - quantity "
        "(ADMIN, STAFF and POS there)."
    )
    async def write_off_damaged(
        self, info: strawberry.Info, input: WriteOffDamagedInput
    ) -> StockLevelPayload:
        return await run_mutation(
            info,
            StockLevelPayload,
            counts.write_off_damaged,
            lambda: counts.WriteOffDamaged(
                location_code=input.location_code,
                sku=input.sku,
                quantity=input.quantity,
                note=input.note,
            ),
            show_level,
        )
