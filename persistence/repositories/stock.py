"""Stock levels and the movements that change them.

Levels change only here, only by applying movements, and only with conditional updates:
`UPDATE … WHERE on_hand + Δ >= 0 AND reserved + Δr BETWEEN 0 AND on_hand + Δ …`. The database
row lock taken by the update serialises concurrent writers on one level, so two orders can
never both take the last unit; locking levels in (variant, location) order avoids deadlocks.

A rule is checked only where the movement could break it (taking from on hand, or from
what is available), so a level a counter sale left short still takes receipts, releases
and returns. Counter sales (`may_go_negative`) skip the on-hand rules altogether; those of
one level in a batch update it once, by their sum (the ledger keeps every movement).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningUpdate

from domain.errors import DomainError, InsufficientStock, InvalidInput, StaleQuantity
from domain.events import DomainEvent, StockLevelChanged
from domain.model.inventory import StockLevel, StockMovement
from persistence.mappers import level_from_record, movement_values
from persistence.records import LocationRecord, StockLevelRecord, StockMovementRecord, VariantRecord
from persistence.records.base import table_of

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
        written_at = datetime.now(UTC)  # the levels' updated_at, and their events'
        for movement in _level_steps(sorted(movements, key=lambda m: m.level_key)):
            statement = _conditional_update(movement, written_at)
            level = (await self.session.execute(statement)).first()
            if level is None:
                raise await self._why_refused(movement)
            earlier = changed.get(movement.level_key)
            available_before = (
                earlier.on_hand - earlier.reserved
                if earlier
                else level.on_hand
                - movement.on_hand_delta
                - level.reserved
                + movement.reserved_delta
            )
            available_after = level.on_hand - level.reserved
            changed[movement.level_key] = StockLevelChanged(
                level_id=level.id,
                variant_id=movement.variant_id,
                location_id=movement.location_id,
                on_hand=level.on_hand,
                reserved=level.reserved,
                in_transit=level.in_transit,
                damaged=level.damaged,
                incoming=level.incoming,
                reorder_point=level.reorder_point,
                safety_stock=level.safety_stock,
                occurred_at=movement.occurred_at,
                updated_at=written_at,
                crossed_reorder_point=(earlier is not None and earlier.crossed_reorder_point)
                or available_before > level.reorder_point >= available_after,
            )
        self.events.extend(changed.values())
        if movements:
            await self.session.execute(
                insert(table_of(StockMovementRecord)),  # Core: no ORM work per row
                [movement_values(m) for m in movements],
            )

    async def set_thresholds(
        self, variant_id: int, location_id: int, reorder_point: int, safety_stock: int
    ) -> None:
        await self.session.execute(
            update(LEVEL)
            .where(LEVEL.variant_id == variant_id, LEVEL.location_id == location_id)
            .values(reorder_point=reorder_point, safety_stock=safety_stock)
        )

    async def _why_refused(self, movement: StockMovement) -> DomainError:
        level = (
            await self.session.execute(
                select(
                    VariantRecord.sku,
                    LocationRecord.code,
                    LEVEL.on_hand,
                    LEVEL.reserved,
                    LEVEL.in_transit,
                    LEVEL.damaged,
                    LEVEL.incoming,
                    LEVEL.safety_stock,
                )
                .select_from(LEVEL)
                .join(VariantRecord, VariantRecord.id == LEVEL.variant_id)
                .join(LocationRecord, LocationRecord.id == LEVEL.location_id)
                .where(
                    LEVEL.variant_id == movement.variant_id,
                    LEVEL.location_id == movement.location_id,
                )
            )
        ).one_or_none()
        if level is None:  # only a service has no level (it holds no stock)
            sku = await self.session.scalar(
                select(VariantRecord.sku).where(VariantRecord.id == movement.variant_id)
            )
            return InvalidInput(f"SKU {sku} is a service and holds no stock")
        if movement.expected_on_hand is not None and level.on_hand != movement.expected_on_hand:
            return StaleQuantity(level.sku, level.code, movement.expected_on_hand, level.on_hand)
        if level.damaged + movement.damaged_delta < 0:
            return InsufficientStock(
                level.sku, level.code, level.damaged, -movement.damaged_delta, held="damaged"
            )
        if level.in_transit + movement.in_transit_delta < 0:
            return InsufficientStock(
                level.sku,
                level.code,
                level.in_transit,
                -movement.in_transit_delta,
                held="in transit",
            )
        if level.incoming + movement.incoming_delta < 0:
            return InsufficientStock(
                level.sku, level.code, level.incoming, -movement.incoming_delta, held="incoming"
            )
        requested = max(movement.reserved_delta, -movement.on_hand_delta)
        available = level.on_hand - level.reserved
        if movement.keeps_safety_stock and level.safety_stock:
            return InsufficientStock(
                level.sku,
                level.code,
                max(available - level.safety_stock, 0),
                requested,
                held=f"available above a safety stock of {level.safety_stock}",
            )
        return InsufficientStock(level.sku, level.code, available, requested)


def _level_steps(movements: Sequence[StockMovement]) -> Iterator[StockMovement]:
    """The updates to make, in order: each movement, except that consecutive counter sales
    of one level become one (they change on hand only, and no rule limits it)."""
    pending: StockMovement | None = None
    for movement in movements:
        if (
            pending is not None
            and pending.may_go_negative
            and movement.may_go_negative
            and pending.level_key == movement.level_key
        ):
            pending = replace(
                pending,
                on_hand_delta=pending.on_hand_delta + movement.on_hand_delta,
                occurred_at=max(pending.occurred_at, movement.occurred_at),
            )
            continue
        if pending is not None:
            yield pending
        pending = movement
    if pending is not None:
        yield pending


def _conditional_update(
    movement: StockMovement, written_at: datetime
) -> ReturningUpdate[int, int, int, int, int, int, int, int]:
    """UPDATE the level by the movement's deltas only if every quantity stays within its
    rules, its updated_at to `written_at` (what its event tells); RETURNING the level
    after, or no row when a rule would break."""
    on_hand = LEVEL.on_hand + movement.on_hand_delta
    reserved = LEVEL.reserved + movement.reserved_delta
    in_transit = LEVEL.in_transit + movement.in_transit_delta
    damaged = LEVEL.damaged + movement.damaged_delta
    incoming = LEVEL.incoming + movement.incoming_delta
    rules = [reserved >= 0, in_transit >= 0, damaged >= 0, incoming >= 0]
    if not movement.may_go_negative:
        if movement.on_hand_delta < 0:
            rules.append(on_hand >= 0)
        if movement.reserved_delta > movement.on_hand_delta:  # available shrinks
            rules.append(reserved <= on_hand)
            if movement.keeps_safety_stock:
                rules.append(on_hand - reserved >= LEVEL.safety_stock)
    statement = (
        update(LEVEL)
        .where(
            LEVEL.variant_id == movement.variant_id,
            LEVEL.location_id == movement.location_id,
            *rules,
        )
        .values(
            on_hand=on_hand,
            reserved=reserved,
            in_transit=in_transit,
            damaged=damaged,
            incoming=incoming,
            updated_at=written_at,
        )
        .returning(
            LEVEL.id,
            LEVEL.on_hand,
            LEVEL.reserved,
            LEVEL.in_transit,
            LEVEL.damaged,
            LEVEL.incoming,
            LEVEL.reorder_point,
            LEVEL.safety_stock,
        )
        .execution_options(synchronize_session=False)
    )
    if movement.expected_on_hand is not None:
        statement = statement.where(LEVEL.on_hand == movement.expected_on_hand)
    return statement
