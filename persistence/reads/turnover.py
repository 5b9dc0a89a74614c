"""The read side of inventory turnover: one statement over the stock ledger and the levels.

Per variant, at one location or summed over several: the units SALE movements took off
on hand in [start, end) (shipments, pickups and counter sales alike), on hand and available
now, and the on-hand change since the period began and since it ended, from which the
domain works out the opening and closing stock (domain/model/sales_insight.py). Only the
movements since `start` are summed, per level, from the index stock_movements(variant_id,
location_id, occurred_at, kind, on_hand_delta) alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.inventory import MovementKind
from persistence.reads.pages import Rows
from persistence.records import StockLevelRecord, StockMovementRecord, VariantRecord

MOVEMENT = StockMovementRecord
LEVEL = StockLevelRecord


@dataclass(frozen=True, slots=True)
class TurnoverQuery:
    """Which stock: over [start, end), at these locations (ids) or everywhere (None)."""

    start: datetime
    end: datetime
    location_ids: frozenset[int] | None = None


async def turnover_rows(session: AsyncSession, query: TurnoverQuery, first: int) -> Rows:
    """The `first` variants with stock in scope, or movements since the period began,
    best-selling first (ties by SKU): rows of
    (variant_id, sku, units_sold, on_hand, available, moved_since_start, moved_since_end)."""
    after_end = MOVEMENT.occurred_at >= query.end
    sold = case(
        (
            (MOVEMENT.kind == MovementKind.SALE.value) & ~after_end,
            -MOVEMENT.on_hand_delta,
        ),
        else_=0,
    )
    # Summed per level in the covering index's order (variant, location), for every
    # location: filtering the ledger by location would steer SQLite to the location index
    # and a table lookup per movement. The levels in scope pick their sums.
    moved = (
        select(
            MOVEMENT.variant_id,
            MOVEMENT.location_id,
            func.sum(MOVEMENT.on_hand_delta).label("since_start"),
            func.sum(case((after_end, MOVEMENT.on_hand_delta), else_=0)).label("since_end"),
            func.sum(sold).label("sold"),
        )
        .where(MOVEMENT.occurred_at >= query.start)
        .group_by(MOVEMENT.variant_id, MOVEMENT.location_id)
        .subquery()
    )
    units_sold = func.sum(func.coalesce(moved.c.sold, 0))
    on_hand = func.sum(LEVEL.on_hand)
    per_variant = (
        select(
            LEVEL.variant_id,
            units_sold.label("units_sold"),
            on_hand.label("on_hand"),
            func.sum(LEVEL.on_hand - LEVEL.reserved).label("available"),
            func.sum(func.coalesce(moved.c.since_start, 0)).label("moved_since_start"),
            func.sum(func.coalesce(moved.c.since_end, 0)).label("moved_since_end"),
            func.count(moved.c.variant_id).label("levels_moved"),
        )
        .outerjoin(
            moved,
            (moved.c.variant_id == LEVEL.variant_id) & (moved.c.location_id == LEVEL.location_id),
        )
        .group_by(LEVEL.variant_id)
    )
    if query.location_ids is not None:
        per_variant = per_variant.where(LEVEL.location_id.in_(sorted(query.location_ids)))
    figures = per_variant.subquery()
    statement = (
        select(
            figures.c.variant_id,
            VariantRecord.sku,
            figures.c.units_sold,
            figures.c.on_hand,
            figures.c.available,
            figures.c.moved_since_start,
            figures.c.moved_since_end,
        )
        .join(VariantRecord, VariantRecord.id == figures.c.variant_id)
        # A SKU with nothing on hand that did not move is no news.
        .where((figures.c.on_hand != 0) | (figures.c.levels_moved > 0))
        .order_by(figures.c.units_sold.desc(), VariantRecord.sku)
        .limit(first)
    )
    return (await session.execute(statement)).all()
