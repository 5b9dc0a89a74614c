"""The read side of replenishment: low levels at a location, and what warehouses hold of
the same variants. A fixed number of queries, however many levels are low."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.locations import LocationKind
from domain.model.transfers import TransferStatus
from persistence.reads.pages import Rows
from persistence.reads.stock import levels_query
from persistence.records import (
    LocationRecord,
    StockLevelRecord,
    TransferLineRecord,
    TransferRecord,
    VariantRecord,
)
from persistence.sql_types import AnySelect

LEVEL = StockLevelRecord


def _low_at(location_id: int) -> AnySelect:
    """Levels at a location whose available units are at or below their reorder point."""
    return levels_query().where(
        LEVEL.location_id == location_id,
        LEVEL.on_hand - LEVEL.reserved <= LEVEL.reorder_point,
    )


async def low_stock_levels(session: AsyncSession, location_id: int) -> Rows:
    """Low levels at a location, in the columns of a StockLevel, by level id."""
    return (await session.execute(_low_at(location_id).order_by(LEVEL.id))).all()


async def low_levels_with_skus(session: AsyncSession, location_id: int) -> Rows:
    """Low levels at a location with their SKU, by SKU."""
    query = (
        _low_at(location_id)
        .add_columns(VariantRecord.sku)
        .join(VariantRecord, VariantRecord.id == LEVEL.variant_id)
        .order_by(VariantRecord.sku)
    )
    return (await session.execute(query)).all()


async def warehouse_levels_for_low_variants(session: AsyncSession, location_id: int) -> Rows:
    """Every warehouse's level of each variant that is low at a location."""
    low_variants = select(LEVEL.variant_id).where(
        LEVEL.location_id == location_id,
        LEVEL.on_hand - LEVEL.reserved <= LEVEL.reorder_point,
    )
    query = (
        levels_query()
        .where(
            LocationRecord.kind == LocationKind.WAREHOUSE.value,
            LEVEL.variant_id.in_(low_variants),
        )
        .order_by(LEVEL.variant_id, LEVEL.location_id)
    )
    return (await session.execute(query)).all()


async def requested_units(session: AsyncSession, location_id: int) -> dict[tuple[int, int], int]:
    """Units of each variant requested for a location on transfers not shipped yet (held at
    their origin, not in transit), by (variant id, location id)."""
    query = (
        select(TransferLineRecord.variant_id, func.sum(TransferLineRecord.quantity))
        .join(TransferRecord, TransferRecord.id == TransferLineRecord.transfer_id)
        .where(
            TransferRecord.to_location_id == location_id,
            TransferRecord.status == TransferStatus.REQUESTED.value,
        )
        .group_by(TransferLineRecord.variant_id)
    )
    rows = (await session.execute(query)).all()
    return {(variant_id, location_id): units for variant_id, units in rows}
