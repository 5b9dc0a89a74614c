"""Stock queries: levels and the movement ledger. Staff and POS only."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    connection,
    page_from,
    updated_since_field,
)
from api.permissions import CanReadStock
from api.types.inventory import StockLevel, StockMovement
from domain.model.inventory import MovementKind
from persistence.reads import stock as stock_reads


@strawberry.input(description="Narrow a list of stock levels.")
class StockLevelFilter:
    sku: str | None = strawberry.field(default=None, description="Only this SKU.")
    location_code: str | None = strawberry.field(default=None, description="Only this location.")
    updated_since: datetime | None = updated_since_field()


@strawberry.input(description="Narrow the movement ledger.")
class StockMovementFilter:
    sku: str | None = strawberry.field(default=None, description="Only this SKU.")
    location_code: str | None = strawberry.field(default=None, description="Only this location.")
    kind: MovementKind | None = strawberry.field(default=None, description="Only this kind.")
    reference: str | None = strawberry.field(
        default=None, description="Only movements caused by this, e.g. order:42."
    )


def _upper(value: str | None) -> str | None:
    return value.strip().upper() if value else None


@strawberry.type
class InventoryQueries:
    @strawberry.field(
        description="Stock levels, optionally for one SKU and/or location.",
        permission_classes=[CanReadStock],
    )
    async def stock_levels(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: StockLevelFilter | None = None,
    ) -> Connection[StockLevel]:
        page = page_from(info, first, after, last, before)
        filter = filter or StockLevelFilter()
        async with info.context.database.read_session() as session:
            rows, total = await stock_reads.stock_levels_page(
                session,
                page,
                sku=_upper(filter.sku),
                location_code=_upper(filter.location_code),
                updated_since=filter.updated_since,
            )
        return connection(rows, total, page, StockLevel.from_row)

    @strawberry.field(
        description="The stock ledger, newest movement first.", permission_classes=[CanReadStock]
    )
    async def stock_movements(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: StockMovementFilter | None = None,
    ) -> Connection[StockMovement]:
        page = page_from(info, first, after, last, before, newest_first=True)
        filter = filter or StockMovementFilter()
        async with info.context.database.read_session() as session:
            rows, total = await stock_reads.stock_movements_page(
                session,
                page,
                sku=_upper(filter.sku),
                location_code=_upper(filter.location_code),
                kind=filter.kind.value if filter.kind else None,
                reference=filter.reference,
            )
        return connection(rows, total, page, StockMovement.from_row)
