"""Stock levels and the movements that change them.

Levels change only here, only by applying movements, and only with conditional updates:
`UPDATE … WHERE on_hand + Δ >= 0 AND reserved + Δr BETWEEN 0 AND on_hand + Δ …`. The database
row lock taken by the update serialises concurrent writers on one level, so two orders can
never both take the last unit; locking levels in (variant, location) order avoids deadlocks.

A rule is checked only where the movement could break it (taking from on hand, or from
what is available), so a level a counter sale left short still takes receipts, releases
and returns. Counter sales (`may_go_negative`) skip the on-hand rules altogether; those of
one level in a batch update it once, by their sum (the ledger keeps every movement).

A batch of many levels (bulkSetStock) takes another road, a few statements however long it
is: `hold_levels` reads and locks them all (`SELECT … ORDER BY variant, location FOR
UPDATE`; SQLite's one writer holds them anyway), the caller checks every movement against
them (`domain.model.inventory.refusal`), and `apply_held` writes them with one UPDATE per
level by executemany and one INSERT of the movements. No one else can change a held level
before commit, so the checks stay true; the updates still add deltas, never overwrite.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningUpdate

from domain.errors import DomainError, InvalidInput
from domain.events import DomainEvent, StockLevelChanged
from domain.model.inventory import StockLevel, StockMovement, refusal, shortage
from persistence.mappers import level_from_record, movement_values
from persistence.records import LocationRecord, StockLevelRecord, StockMovementRecord, VariantRecord
from persistence.records.base import table_of

LEVEL = StockLevelRecord
# A level's key and quantities, in the order of `StockLevel`'s fields after the id.
HELD_COLUMNS = (
    LEVEL.id,
    LEVEL.variant_id,
    LEVEL.location_id,
    LEVEL.on_hand,
    LEVEL.reserved,
    LEVEL.in_transit,
    LEVEL.damaged,
    LEVEL.incoming,
    LEVEL.reorder_point,
    LEVEL.safety_stock,
)
LEVEL_TABLE = table_of(StockLevelRecord)
# One UPDATE of one level by its id, executed for many levels at once (executemany).
HELD_UPDATE = (
    update(LEVEL_TABLE)
    .where(LEVEL_TABLE.c.id == bindparam("level_id"))
    .values(
        on_hand=LEVEL_TABLE.c.on_hand + bindparam("on_hand_delta"),
        reserved=LEVEL_TABLE.c.reserved + bindparam("reserved_delta"),
        in_transit=LEVEL_TABLE.c.in_transit + bindparam("in_transit_delta"),
        damaged=LEVEL_TABLE.c.damaged + bindparam("damaged_delta"),
        incoming=LEVEL_TABLE.c.incoming + bindparam("incoming_delta"),
        updated_at=bindparam("written_at"),
    )
)


class SqlStockRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events
        self._held: dict[tuple[int, int], tuple[int, StockLevel]] = {}  # key: (id, level)

    async def levels(
        self, variant_ids: Iterable[int], location_ids: Iterable[int]
    ) -> dict[tuple[int, int], StockLevel]:
        records = await self.session.scalars(
            select(LEVEL).where(
                LEVEL.variant_id.in_(list(variant_ids)), LEVEL.location_id.in_(list(location_ids))
            )
        )
        return {(r.variant_id, r.location_id): level_from_record(r) for r in records}

    async def hold_levels(
        self, variant_ids: Iterable[int], location_ids: Iterable[int]
    ) -> dict[tuple[int, int], StockLevel]:
        rows = await self.session.execute(
            select(*HELD_COLUMNS)
            .where(
                LEVEL.variant_id.in_(list(variant_ids)), LEVEL.location_id.in_(list(location_ids))
            )
            .order_by(LEVEL.variant_id, LEVEL.location_id)  # the order every writer locks in
            .with_for_update()  # left out on SQLite, whose one writer holds them all
        )
        held = {}
        for row in rows:
            level = _held_level(row)
            held[level.variant_id, level.location_id] = level
            self._held[level.variant_id, level.location_id] = (row[0], level)
        return held

    async def apply(self, movements: Sequence[StockMovement]) -> None:
        changed: dict[tuple[int, int], StockLevelChanged] = {}
        written_at = datetime.now(UTC)  # the levels' updated_at, and their events'
        for movement in _level_steps(sorted(movements, key=lambda m: m.level_key)):
            row = (await self.session.execute(_conditional_update(movement, written_at))).first()
            if row is None:
                raise await self._why_refused(movement)
            after = StockLevel(movement.variant_id, movement.location_id, *row[1:])
            earlier = changed.get(movement.level_key)
            available_before = (
                earlier.on_hand - earlier.reserved
                if earlier
                else after.available - movement.on_hand_delta + movement.reserved_delta
            )
            changed[movement.level_key] = _level_changed(
                row[0], after, movement, available_before, earlier, written_at
            )
        self.events.extend(changed.values())
        await self._write(movements)

    async def apply_held(self, movements: Sequence[StockMovement]) -> None:
        changed: dict[tuple[int, int], StockLevelChanged] = {}
        deltas: dict[tuple[int, int], dict[str, Any]] = {}
        written_at = datetime.now(UTC)  # the levels' updated_at, and their events'
        for movement in sorted(movements, key=lambda m: m.level_key):
            level_id, before = self._held[movement.level_key]
            after = replace(
                before,
                on_hand=before.on_hand + movement.on_hand_delta,
                reserved=before.reserved + movement.reserved_delta,
                in_transit=before.in_transit + movement.in_transit_delta,
                damaged=before.damaged + movement.damaged_delta,
                incoming=before.incoming + movement.incoming_delta,
            )
            self._held[movement.level_key] = (level_id, after)
            changed[movement.level_key] = _level_changed(
                level_id,
                after,
                movement,
                before.available,
                changed.get(movement.level_key),
                written_at,
            )
            step = deltas.setdefault(movement.level_key, dict.fromkeys(DELTAS, 0))
            step["level_id"] = level_id
            step["written_at"] = written_at
            for name in DELTAS:
                step[name] += getattr(movement, name)
        if deltas:
            await self.session.execute(HELD_UPDATE, list(deltas.values()))
        self.events.extend(changed.values())
        await self._write(movements)

    async def _write(self, movements: Sequence[StockMovement]) -> None:
        """Append the movements to the ledger, in one statement."""
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
        row = (
            await self.session.execute(
                select(VariantRecord.sku, LocationRecord.code, *HELD_COLUMNS)
                .select_from(LEVEL)
                .join(VariantRecord, VariantRecord.id == LEVEL.variant_id)
                .join(LocationRecord, LocationRecord.id == LEVEL.location_id)
                .where(
                    LEVEL.variant_id == movement.variant_id,
                    LEVEL.location_id == movement.location_id,
                )
            )
        ).one_or_none()
        if row is None:  # only a service has no level (it holds no stock)
            sku = await self.session.scalar(
                select(VariantRecord.sku).where(VariantRecord.id == movement.variant_id)
            )
            return InvalidInput(f"SKU {sku} is a service and holds no stock")
        sku, code, level = row[0], row[1], _held_level(row[2:])
        # The level read now may have changed since the update refused: still a shortage.
        return refusal(movement, level, sku, code) or shortage(movement, level, sku, code)


DELTAS = ("on_hand_delta", "reserved_delta", "in_transit_delta", "damaged_delta", "incoming_delta")


def _held_level(row: Sequence[Any]) -> StockLevel:
    """A level from a row of HELD_COLUMNS, by position (the id first, left out)."""
    return StockLevel(*row[1:])


def _level_changed(
    level_id: int,
    after: StockLevel,
    movement: StockMovement,
    available_before: int,
    earlier: StockLevelChanged | None,
    written_at: datetime,
) -> StockLevelChanged:
    """The event of a level's change by a movement, written at `written_at` (the level's
    updated_at); `earlier`, that of the same level's change by an earlier movement of the
    batch, whose crossing of the reorder point holds."""
    return StockLevelChanged(
        level_id=level_id,
        variant_id=after.variant_id,
        location_id=after.location_id,
        on_hand=after.on_hand,
        reserved=after.reserved,
        in_transit=after.in_transit,
        damaged=after.damaged,
        incoming=after.incoming,
        reorder_point=after.reorder_point,
        safety_stock=after.safety_stock,
        occurred_at=movement.occurred_at,
        updated_at=written_at,
        crossed_reorder_point=(earlier is not None and earlier.crossed_reorder_point)
        or available_before > after.reorder_point >= after.available,
    )


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
