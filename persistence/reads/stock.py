"""Read side: Stock levels, the movement ledger and its checks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, changed_since, fetch_page
from persistence.records import (
    LocationRecord,
    StockLevelRecord,
    StockMovementRecord,
    VariantRecord,
)
from persistence.sql_types import AnySelect

# Built by position (`StockLevel.from_row`): every query of levels selects exactly these,
# in this order, through `levels_query()`.
LEVEL_COLUMNS = (
    StockLevelRecord.id,
    StockLevelRecord.variant_id,
    StockLevelRecord.location_id,
    StockLevelRecord.on_hand,
    StockLevelRecord.reserved,
    StockLevelRecord.in_transit,
    StockLevelRecord.damaged,
    StockLevelRecord.incoming,
    StockLevelRecord.reorder_point,
    StockLevelRecord.safety_stock,
    StockLevelRecord.updated_at,
    # A level always shows its location, and there are few: joined in, not loaded apart.
    LocationRecord.code.label("location_code"),
    LocationRecord.name.label("location_name"),
    LocationRecord.kind.label("location_kind"),
    LocationRecord.address.label("location_address"),
)


def levels_query() -> AnySelect:
    return select(*LEVEL_COLUMNS).join(
        LocationRecord, LocationRecord.id == StockLevelRecord.location_id
    )


# Built by position (`StockMovement.from_row`).
MOVEMENT_COLUMNS = (
    StockMovementRecord.id,
    StockMovementRecord.variant_id,
    StockMovementRecord.location_id,
    StockMovementRecord.kind,
    StockMovementRecord.on_hand_delta,
    StockMovementRecord.reserved_delta,
    StockMovementRecord.in_transit_delta,
    StockMovementRecord.damaged_delta,
    StockMovementRecord.incoming_delta,
    StockMovementRecord.reason,
    StockMovementRecord.reference,
    StockMovementRecord.note,
    StockMovementRecord.actor,
    StockMovementRecord.occurred_at,
)


def _by_sku_and_location(
    query: AnySelect,
    record: type[StockLevelRecord] | type[StockMovementRecord],
    sku: str | None,
    location_code: str | None,
) -> AnySelect:
    if sku:
        query = query.where(
            record.variant_id
            == select(VariantRecord.id).where(VariantRecord.sku == sku).scalar_subquery()
        )
    if location_code:
        query = query.where(
            record.location_id
            == select(LocationRecord.id)
            .where(LocationRecord.code == location_code)
            .scalar_subquery()
        )
    return query


async def stock_levels_page(
    session: AsyncSession,
    page: Page,
    *,
    sku: str | None,
    location_code: str | None,
    updated_since: datetime | None = None,
) -> tuple[Rows, int]:
    query = _by_sku_and_location(levels_query(), StockLevelRecord, sku, location_code)
    query = changed_since(query, StockLevelRecord.updated_at, updated_since)
    return await fetch_page(session, query, StockLevelRecord.id, page)


stock_levels_by_variant_ids = KeyedRead(
    levels_query()
    .where(StockLevelRecord.variant_id.in_(KEYS))
    .order_by(StockLevelRecord.variant_id, StockLevelRecord.location_id)
)
stock_levels_by_ids = KeyedRead(levels_query().where(StockLevelRecord.id.in_(KEYS)))


async def stock_movements_page(
    session: AsyncSession,
    page: Page,
    *,
    sku: str | None,
    location_code: str | None,
    kind: str | None,
    reference: str | None,
) -> tuple[Rows, int]:
    query = _by_sku_and_location(select(*MOVEMENT_COLUMNS), StockMovementRecord, sku, location_code)
    if kind:
        query = query.where(StockMovementRecord.kind == kind)
    if reference:
        query = query.where(StockMovementRecord.reference == reference)
    return await fetch_page(session, query, StockMovementRecord.id, page)


stock_movements_by_ids = KeyedRead(
    select(*MOVEMENT_COLUMNS).where(StockMovementRecord.id.in_(KEYS))
)


QUANTITIES = ("on_hand", "reserved", "in_transit", "damaged", "incoming")


async def ledger_discrepancies(session: AsyncSession) -> Rows:
    """Levels whose quantities differ from the sums of their movements, or break a rule
    (reserved, in transit, damaged and incoming never below zero; a short on hand is a
    warning: `stock_shortfalls`)."""
    sums = (
        select(
            StockMovementRecord.variant_id,
            StockMovementRecord.location_id,
            *(func.sum(getattr(StockMovementRecord, f"{q}_delta")).label(q) for q in QUANTITIES),
        )
        .group_by(StockMovementRecord.variant_id, StockMovementRecord.location_id)
        .subquery()
    )
    level = StockLevelRecord
    ledger = {q: func.coalesce(getattr(sums.c, q), 0) for q in QUANTITIES}
    query = (
        select(
            VariantRecord.sku,
            LocationRecord.code,
            *(getattr(level, q) for q in QUANTITIES),
            *(ledger[q].label(f"ledger_{q}") for q in QUANTITIES),
        )
        .join(VariantRecord, VariantRecord.id == level.variant_id)
        .join(LocationRecord, LocationRecord.id == level.location_id)
        .outerjoin(
            sums,
            (sums.c.variant_id == level.variant_id) & (sums.c.location_id == level.location_id),
        )
        .where(
            or_(
                *(getattr(level, q) != ledger[q] for q in QUANTITIES),
                *(getattr(level, q) < 0 for q in QUANTITIES if q != "on_hand"),
            )
        )
        .order_by(VariantRecord.sku, LocationRecord.code)
    )
    return (await session.execute(query)).all()


async def stock_shortfalls(session: AsyncSession) -> Rows:
    """Levels with on hand below zero, or below what is reserved there: a counter sale sold
    more than the ledger held. Not an error (the goods had left), but the shelf wants a count."""
    level = StockLevelRecord
    query = (
        select(VariantRecord.sku, LocationRecord.code, level.on_hand, level.reserved)
        .join(VariantRecord, VariantRecord.id == level.variant_id)
        .join(LocationRecord, LocationRecord.id == level.location_id)
        .where(or_(level.on_hand < 0, level.reserved > level.on_hand))
        .order_by(VariantRecord.sku, LocationRecord.code)
    )
    return (await session.execute(query)).all()
