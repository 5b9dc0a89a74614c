"""The read side of services: recipes, capacities and bookings, for the loaders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.services import HOLDS_PLACE
from persistence.reads.keyed import KEYS, KeyedRead
from persistence.records import (
    LocationRecord,
    OrderRecord,
    ServiceBookingRecord,
    ServiceCapacityRecord,
    ServiceRecipeLineRecord,
    ServiceSlotRecord,
    VariantRecord,
)
from persistence.sql_types import AnyRow, AnySelect

Rows = Sequence[AnyRow]
SlotWindow = tuple[int, int, datetime, datetime]  # variant id, location id, from, to
BOOKING = ServiceBookingRecord
SLOT = ServiceSlotRecord


recipes_by_service_ids = KeyedRead(
    select(
        ServiceRecipeLineRecord.service_variant_id,
        ServiceRecipeLineRecord.consumable_variant_id,
        VariantRecord.sku,
        ServiceRecipeLineRecord.quantity,
    )
    .join(VariantRecord, VariantRecord.id == ServiceRecipeLineRecord.consumable_variant_id)
    .where(ServiceRecipeLineRecord.service_variant_id.in_(KEYS))
    .order_by(ServiceRecipeLineRecord.service_variant_id, ServiceRecipeLineRecord.id)
)


capacities_by_service_ids = KeyedRead(
    select(
        ServiceCapacityRecord.variant_id,
        ServiceCapacityRecord.location_id,
        ServiceCapacityRecord.slot_minutes,
        ServiceCapacityRecord.capacity,
        ServiceCapacityRecord.updated_at,
    )
    .join(LocationRecord, LocationRecord.id == ServiceCapacityRecord.location_id)
    .where(ServiceCapacityRecord.variant_id.in_(KEYS))
    .order_by(ServiceCapacityRecord.variant_id, LocationRecord.code)
)


class TakenPlaces(NamedTuple):
    """Places bookings hold in one slot, for the window (variant id, location id, from, to)
    that asked for it."""

    window: SlotWindow
    slot_start: datetime
    booked: int


async def places_taken(session: AsyncSession, windows: Sequence[SlotWindow]) -> list[TakenPlaces]:
    """The slots with places taken in each window (slots starting from `from` until `to`),
    read for all windows at once."""
    pairs = {(variant_id, location_id) for variant_id, location_id, _, _ in windows}
    query = select(SLOT.variant_id, SLOT.location_id, SLOT.slot_start, SLOT.booked).where(
        tuple_(SLOT.variant_id, SLOT.location_id).in_(pairs),
        SLOT.slot_start >= min(start for _, _, start, _ in windows),
        SLOT.slot_start < max(end for _, _, _, end in windows),
        SLOT.booked > 0,
    )
    rows = (await session.execute(query)).all()
    return [
        TakenPlaces((variant_id, location_id, start, end), row.slot_start, row.booked)
        for variant_id, location_id, start, end in windows
        for row in rows
        if (row.variant_id, row.location_id) == (variant_id, location_id)
        and start <= row.slot_start < end
    ]


bookings_by_order_ids = KeyedRead(
    select(
        BOOKING.order_id,
        BOOKING.variant_id,
        BOOKING.location_id,
        BOOKING.slot_start,
        BOOKING.scheduled_at,
    ).where(BOOKING.order_id.in_(KEYS))
)


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
    query: AnySelect = (
        select(
            SLOT.variant_id,
            SLOT.location_id,
            VariantRecord.sku,
            LocationRecord.code,
            SLOT.slot_start,
            SLOT.booked,
            held.label("held"),
        )
        .join(VariantRecord, VariantRecord.id == SLOT.variant_id)
        .join(LocationRecord, LocationRecord.id == SLOT.location_id)
        .outerjoin(
            holding,
            (holding.c.variant_id == SLOT.variant_id)
            & (holding.c.location_id == SLOT.location_id)
            & (holding.c.slot_start == SLOT.slot_start),
        )
        .where(SLOT.booked != held)
    )
    return (await session.execute(query)).all()
