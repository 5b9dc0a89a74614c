"""Services: recipes, capacities, the places taken in each slot, and bookings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.services import Booking, Consumable, ServiceCapacity
from persistence.conflict_inserts import conflict_insert
from persistence.records import (
    LocationRecord,
    ServiceBookingRecord,
    ServiceCapacityRecord,
    ServiceRecipeLineRecord,
    ServiceSlotRecord,
    VariantRecord,
)
from persistence.sql_types import rows_matched

RECIPE = ServiceRecipeLineRecord
CAPACITY = ServiceCapacityRecord
SLOT = ServiceSlotRecord
BOOKING = ServiceBookingRecord


class SqlServiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def recipe(self, variant_id: int) -> list[Consumable]:
        rows = await self.session.execute(
            select(RECIPE.consumable_variant_id, VariantRecord.sku, RECIPE.quantity)
            .join(VariantRecord, VariantRecord.id == RECIPE.consumable_variant_id)
            .where(RECIPE.service_variant_id == variant_id)
            .order_by(RECIPE.id)
        )
        return [Consumable(*row) for row in rows]

    async def set_recipe(self, variant_id: int, consumables: Sequence[Consumable]) -> None:
        # Hold the service's variant, so two changes of its recipe run one after the other.
        await self.session.execute(
            select(VariantRecord.id).where(VariantRecord.id == variant_id).with_for_update()
        )
        await self.session.execute(delete(RECIPE).where(RECIPE.service_variant_id == variant_id))
        if consumables:
            await self.session.execute(
                insert(RECIPE),
                [
                    {
                        "service_variant_id": variant_id,
                        "consumable_variant_id": consumable.variant_id,
                        "quantity": consumable.quantity,
                    }
                    for consumable in consumables
                ],
            )

    async def capacity(
        self, variant_id: int, location_id: int, *, to_change: bool = False
    ) -> ServiceCapacity | None:
        row = (
            await self.session.execute(
                select(
                    CAPACITY.variant_id,
                    CAPACITY.location_id,
                    CAPACITY.slot_minutes,
                    CAPACITY.capacity,
                )
                .where(CAPACITY.variant_id == variant_id, CAPACITY.location_id == location_id)
                # FOR SHARE for bookings (they run side by side), FOR UPDATE for a change.
                .with_for_update(read=not to_change)
            )
        ).first()
        return None if row is None else ServiceCapacity(*row)

    async def set_capacity(self, capacity: ServiceCapacity) -> None:
        values = {
            "variant_id": capacity.variant_id,
            "location_id": capacity.location_id,
            "slot_minutes": capacity.slot_minutes,
            "capacity": capacity.capacity,
            "updated_at": datetime.now(UTC),
        }
        statement = conflict_insert(self.session, CAPACITY).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[CAPACITY.variant_id, CAPACITY.location_id],
                set_={
                    "slot_minutes": statement.excluded.slot_minutes,
                    "capacity": statement.excluded.capacity,
                    "updated_at": statement.excluded.updated_at,
                },
            )
        )

    async def open_bookings(self, variant_id: int, location_id: int) -> int:
        booked = await self.session.scalar(
            select(func.coalesce(func.sum(SLOT.booked), 0)).where(
                SLOT.variant_id == variant_id, SLOT.location_id == location_id
            )
        )
        return int(booked or 0)

    async def take_place(
        self, variant_id: int, location_id: int, slot_start: datetime, capacity: int
    ) -> bool:
        # The slot's row exists once anyone booked it; then one conditional update takes a
        # place, waiting for any other booking of the slot to commit or roll back first.
        key = {"variant_id": variant_id, "location_id": location_id, "slot_start": slot_start}
        await self.session.execute(
            conflict_insert(self.session, SLOT)
            .values(**key, booked=0)
            .on_conflict_do_nothing(
                index_elements=[SLOT.variant_id, SLOT.location_id, SLOT.slot_start]
            )
        )
        taken = await self.session.execute(
            update(SLOT)
            .where(*_slot(variant_id, location_id, slot_start), SLOT.booked < capacity)
            .values(booked=SLOT.booked + 1)
            .execution_options(synchronize_session=False)
        )
        return rows_matched(taken) == 1

    async def add_booking(self, booking: Booking) -> None:
        await self.session.execute(
            insert(BOOKING).values(
                order_id=booking.order_id,
                variant_id=booking.variant_id,
                location_id=booking.location_id,
                slot_start=booking.slot_start,
                scheduled_at=booking.scheduled_at,
            )
        )

    async def booking(self, order_id: int) -> Booking | None:
        row = (
            await self.session.execute(
                select(
                    BOOKING.order_id,
                    BOOKING.variant_id,
                    BOOKING.location_id,
                    LocationRecord.code,
                    BOOKING.slot_start,
                    BOOKING.scheduled_at,
                )
                .join(LocationRecord, LocationRecord.id == BOOKING.location_id)
                .where(BOOKING.order_id == order_id)
            )
        ).first()
        return None if row is None else Booking(*row)

    async def free_place(self, booking: Booking) -> None:
        await self.session.execute(
            update(SLOT)
            .where(*_slot(booking.variant_id, booking.location_id, booking.slot_start))
            .values(booked=SLOT.booked - 1)
            .execution_options(synchronize_session=False)
        )


def _slot(variant_id: int, location_id: int, slot_start: datetime) -> tuple[Any, ...]:
    return (
        SLOT.variant_id == variant_id,
        SLOT.location_id == location_id,
        SLOT.slot_start == slot_start,
    )
