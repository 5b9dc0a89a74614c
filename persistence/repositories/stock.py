"""Stock levels and the movements that change them.

Levels change only here, only by applying movements, and only with conditional updates:
`UPDATE … WHERE on_hand + Δ >= 0 AND reserved + Δr BETWEEN 0 AND on_hand + Δ`. The database
row lock taken by the update serialises concurrent writers on one level, so two orders can
never both take the last unit; locking levels in (variant, location) order avoids deadlocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import DomainError, InsufficientStock, StaleQuantity
from domain.events import DomainEvent, StockLevelChanged
from domain.model.inventory import StockLevel, StockMovement
from persistence.mappers import level_from_record, movement_values
from persistence.records import LocationRecord, StockLevelRecord, StockMovementRecord, VariantRecord

LEVEL = StockLevelRecord


class SqlStockRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events

    async def levels(
        self, variant_ids: Iterable[int], location_ids: Iterable[int]
    ) -> dict[tuple[int, int], StockLevel]:
        records = await self.session.scalars(
            select(LEVEL).where(
                LEVEL.variant_id.in_(list(variant_ids)), LEVEL.location_id.in_(list(location_ids))
            )
        )
        return {(r.variant_id, r.location_id): level_from_record(r) for r in records}

    async def apply(self, movements: Sequence[StockMovement]) -> None:
        changed: dict[tuple[int, int], StockLevelChanged] = {}
        for movement in sorted(movements, key=lambda m: m.level_key):
            on_hand_after = LEVEL.on_hand + movement.on_hand_delta
            reserved_after = LEVEL.reserved + movement.reserved_delta
            statement = (
                update(LEVEL)
                .where(
                    LEVEL.variant_id == movement.variant_id,
                    LEVEL.location_id == movement.location_id,
                    on_hand_after >= 0,
                    reserved_after >= 0,
                    reserved_after <= on_hand_after,
                )
                .values(on_hand=on_hand_after, reserved=reserved_after)
                .returning(LEVEL.id, LEVEL.on_hand, LEVEL.reserved)
                .execution_options(synchronize_session=False)
            )
            if movement.expected_on_hand is not None:
                statement = statement.where(LEVEL.on_hand == movement.expected_on_hand)
            level = (await self.session.execute(statement)).first()
            if level is None:
                raise await self._why_refused(movement)
            changed[movement.level_key] = StockLevelChanged(
                level_id=level.id,
                variant_id=movement.variant_id,
                location_id=movement.location_id,
                on_hand=level.on_hand,
                reserved=level.reserved,
                occurred_at=movement.occurred_at,
            )
        self.events.extend(changed.values())
        if movements:
            await self.session.execute(
                insert(StockMovementRecord),
                [movement_values(m) for m in movements],
            )

    async def _why_refused(self, movement: StockMovement) -> DomainError:
        row = (
            await self.session.execute(
                select(VariantRecord.sku, LocationRecord.code, LEVEL.on_hand, LEVEL.reserved)
                .select_from(LEVEL)
                .join(VariantRecord, VariantRecord.id == LEVEL.variant_id)
                .join(LocationRecord, LocationRecord.id == LEVEL.location_id)
                .where(
                    LEVEL.variant_id == movement.variant_id,
                    LEVEL.location_id == movement.location_id,
                )
            )
        ).one()
        sku, code, on_hand, reserved = row
        if movement.expected_on_hand is not None and on_hand != movement.expected_on_hand:
            return StaleQuantity(sku, code, movement.expected_on_hand, on_hand)
        requested = max(movement.reserved_delta, -movement.on_hand_delta)
        return InsufficientStock(sku, code, on_hand - reserved, requested)
