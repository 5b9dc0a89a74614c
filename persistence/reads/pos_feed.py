"""The read side of the POS change feed (`posChanges`): what changed for one location since
a position, a page at a time, in a fixed number of statements.

A position has two parts, one per kind of change:

- **Catalog**: variants in (updated_at, id) order. Every write that changes what a terminal
  shows of a variant (its creation, price, name, barcode, its product's status) sets its
  `updated_at` (persistence/repositories/catalog.py), so the variants after a position are
  exactly those changed since.
- **Stock**: the location's movement ledger, whose ids only grow. The variants with movements
  after the position are those whose level changed; each is served once, with its *current*
  level, which already includes every movement, and the position moves to the largest
  movement id served. A first call walks every level at the location instead, by variant id,
  and then follows the ledger from where it stood when the walk began (levels the walk
  served later already include the movements in between; those are served again, harmless).

**The settle window.** Ids and timestamps are taken when a row is written, but the row is
seen only once its transaction commits: on PostgreSQL a transaction that took a lower id, or
an earlier timestamp, can commit after one that took a higher one, and a position handed out
in between would skip the late row for ever. So the feed serves only rows whose own
write-time stamp (a variant's `updated_at`, a movement's `recorded_at`; not `occurred_at`,
which a terminal syncing old sales sets days back) is older than the window, and never a
movement past a visible one that has not settled yet. That is exact if every write
transaction commits within half the window of the time it stamps on its rows (and the
servers' clocks agree to well within it). SQLite has one writer at a time, so ids and
stamps there are already in commit order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.catalog import VARIANT_COLUMNS
from persistence.reads.pages import Rows
from persistence.reads.stock import LEVEL_COLUMNS, levels_query
from persistence.records import (
    ProductRecord,
    StockLevelRecord,
    StockMovementRecord,
    VariantRecord,
)

LEVEL = StockLevelRecord
MOVEMENT = StockMovementRecord
VARIANT = VariantRecord

CATALOG_ENTRY_COLUMNS = (
    *VARIANT_COLUMNS,
    VARIANT.updated_at,
    ProductRecord.name.label("product_name"),
    ProductRecord.status.label("product_status"),
)


@dataclass(frozen=True, slots=True)
class CatalogPosition:
    """The last variant served, in (updated_at, id) order."""

    updated_at: datetime
    variant_id: int


@dataclass(frozen=True, slots=True)
class StockPosition:
    """How far a location's ledger has been served.

    `movement_id`: every movement up to it is reflected in what was served. While the first
    walk over every level is under way, `walked_to` is the last variant it served (0 before
    the first page); the ledger is followed once the walk ends.
    """

    movement_id: int
    walked_to: int | None = None


@dataclass(frozen=True, slots=True)
class FeedPage:
    variants: Rows  # CATALOG_ENTRY_COLUMNS
    levels: Rows  # LEVEL_COLUMNS
    catalog: CatalogPosition | None  # None: nothing served yet, start from the beginning
    stock: StockPosition
    has_more: bool


async def changes_since(
    session: AsyncSession,
    location_id: int,
    catalog: CatalogPosition | None,
    stock: StockPosition | None,
    *,
    settled_before: datetime,
    limit: int,
) -> FeedPage:
    """Up to `limit` changed variants and up to `limit` changed levels at a location after
    the given positions (None: from the beginning), and the positions after them."""
    variants, catalog_more = await _changed_variants(session, catalog, settled_before, limit)
    if stock is None:
        stock = StockPosition(await _settled_ledger_end(session, location_id, settled_before), 0)
    if stock.walked_to is not None:
        levels, stock, stock_more = await _walk(session, location_id, stock, limit)
    else:
        levels, stock, stock_more = await _changed_levels(
            session, location_id, stock, settled_before, limit
        )
    if variants:
        catalog = CatalogPosition(variants[-1].updated_at, variants[-1].id)
    return FeedPage(variants, levels, catalog, stock, catalog_more or stock_more)


async def _changed_variants(
    session: AsyncSession, after: CatalogPosition | None, settled_before: datetime, limit: int
) -> tuple[Rows, bool]:
    query = (
        select(*CATALOG_ENTRY_COLUMNS)
        .join(ProductRecord, ProductRecord.id == VARIANT.product_id)
        .where(VARIANT.updated_at <= settled_before)
    )
    if after is not None:
        # A plain tuple on the right is bound with the column types on the left.
        query = query.where(
            tuple_(VARIANT.updated_at, VARIANT.id) > (after.updated_at, after.variant_id)
        )
    query = query.order_by(VARIANT.updated_at, VARIANT.id).limit(limit + 1)
    rows = (await session.execute(query)).all()
    return rows[:limit], len(rows) > limit


async def _settled_ledger_end(
    session: AsyncSession, location_id: int, settled_before: datetime
) -> int:
    """Where the first walk's ledger position starts: the last settled movement. Visible
    movements below it that have not settled are in the levels the walk reads."""
    last = await session.scalar(
        select(func.max(MOVEMENT.id)).where(
            MOVEMENT.location_id == location_id, _settled(settled_before)
        )
    )
    return last or 0


async def _walk(
    session: AsyncSession, location_id: int, position: StockPosition, limit: int
) -> tuple[Rows, StockPosition, bool]:
    """The next page of every level at the location, by variant id."""
    query = (
        levels_query()
        .where(LEVEL.location_id == location_id, LEVEL.variant_id > (position.walked_to or 0))
        .order_by(LEVEL.variant_id)
        .limit(limit + 1)
    )
    rows = (await session.execute(query)).all()
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, StockPosition(position.movement_id, rows[-1].variant_id), True
    return rows, StockPosition(position.movement_id), False


def _settled(settled_before: datetime) -> ColumnElement[bool]:
    """A movement written before the window (NULL: before `recorded_at` existed)."""
    return or_(MOVEMENT.recorded_at.is_(None), MOVEMENT.recorded_at <= settled_before)


def _settled_movements_after(
    location_id: int, movement_id: int, settled_before: datetime
) -> list[ColumnElement[bool]]:
    """Movements at the location after `movement_id`, stopping short of the first one that
    has not settled: a position past it could skip a row committed late beneath it."""
    unsettled = (
        select(func.min(MOVEMENT.id))
        .where(
            MOVEMENT.location_id == location_id,
            MOVEMENT.id > movement_id,
            MOVEMENT.recorded_at > settled_before,
        )
        .scalar_subquery()
    )
    return [
        MOVEMENT.location_id == location_id,
        MOVEMENT.id > movement_id,
        or_(unsettled.is_(None), MOVEMENT.id < unsettled),
    ]


async def _changed_levels(
    session: AsyncSession,
    location_id: int,
    position: StockPosition,
    settled_before: datetime,
    limit: int,
) -> tuple[Rows, StockPosition, bool]:
    """The current levels of the variants that moved at the location after the position,
    in the order of their last movement; the position moves to the last of those."""
    last_movement = func.max(MOVEMENT.id)
    moved = (
        select(MOVEMENT.variant_id, last_movement.label("last_movement_id"))
        .where(*_settled_movements_after(location_id, position.movement_id, settled_before))
        .group_by(MOVEMENT.variant_id)
        .order_by(last_movement)
        .limit(limit + 1)
        .subquery()
    )
    query = (
        levels_query()
        .add_columns(moved.c.last_movement_id)
        .join(moved, moved.c.variant_id == LEVEL.variant_id)
        .where(LEVEL.location_id == location_id)
        .order_by(moved.c.last_movement_id)
    )
    result = (await session.execute(query)).freeze()
    served = result().all()
    more = len(served) > limit
    served = served[:limit]
    if served:
        position = StockPosition(served[-1].last_movement_id)
    # The levels alone, as every query of levels returns them (StockLevel.from_row).
    levels = result().columns(*range(len(LEVEL_COLUMNS))).all()
    return levels[:limit], position, more
