"""The read side of services: recipes, capacities and bookings, for the loaders."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.services import HOLDS_PLACE
from persistence.records import (
    LocationRecord,
    OrderRecord,
    ServiceBookingRecord,
    ServiceCapacityRecord,
    ServiceRecipeLineRecord,
    ServiceSlotRecord,
    VariantRecord,
)

Rows = Sequence[Row]
BOOKING = ServiceBookingRecord
SLOT = ServiceSlotRecord


async def recipes_by_service_ids(session: AsyncSession, variant_ids: Sequence[int]) -> Rows:
    recipe = ServiceRecipeLineRecord
    query = (
        select(
            recipe.service_variant_id,
            recipe.consumable_variant_id,
            VariantRecord.sku,
            recipe.quantity,
        )
        .join(VariantRecord, VariantRecord.id == recipe.consumable_variant_id)
        .where(recipe.service_variant_id.in_(variant_ids))
        .order_by(recipe.service_variant_id, recipe.id)
    )
    return (await session.execute(query)).all()


async def capacities_by_service_ids(session: AsyncSession, variant_ids: Sequence[int]) -> Rows:
    capacity = ServiceCapacityRecord
    query = (
        select(
            capacity.variant_id,
            capacity.location_id,
            capacity.slot_minutes,
            capacity.capacity,
            capacity.updated_at,
        )
        .join(LocationRecord, LocationRecord.id == capacity.location_id)
        .where(capacity.variant_id.in_(variant_ids))
        .order_by(capacity.variant_id, LocationRecord.code)
    )
    return (await session.execute(query)).all()


async def bookings_by_order_ids(session: AsyncSession, order_ids: Sequence[int]) -> Rows:
    query = select(
        BOOKING.order_id,
        BOOKING.variant_id,
        BOOKING.location_id,
        BOOKING.slot_start,
        BOOKING.scheduled_at,
    ).where(BOOKING.order_id.in_(order_ids))
    return (await session.execute(query)).all()


async def slot_discrepancies(session: AsyncSession) -> Rows:
    """Slots whose count of places taken differs from their bookings that hold one (BOOKED
    or IN_SERVICE orders): empty while every booking took and freed its place."""
    holding = (
        select(
            BOOKING.variant_id,
            BOOKING.location_id,
            BOOKING.slot_start,
            func.count().label("holding"),
        )
        .join(OrderRecord, OrderRecord.id == BOOKING.order_id)
        .where(OrderRecord.status.in_([status.value for status in HOLDS_PLACE]))
        .group_by(BOOKING.variant_id, BOOKING.location_id, BOOKING.slot_start)
        .subquery()
    )
    held = func.coalesce(holding.c.holding, 0)
    query = (
        select(SLOT.variant_id, SLOT.location_id, SLOT.slot_start, SLOT.booked, held.label("held"))
        .outerjoin(
            holding,
            (holding.c.variant_id == SLOT.variant_id)
            & (holding.c.location_id == SLOT.location_id)
            & (holding.c.slot_start == SLOT.slot_start),
        )
        .where(SLOT.booked != held)
    )
    return (await session.execute(query)).all()
