"""Queries on stock counts, low stock and replenishment. Staff, POS and admins only."""

from __future__ import annotations

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.errors import RequestError
from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import CanReadStock
from api.types.counts import ReplenishmentSuggestion, StockCount, count_scope
from api.types.inventory import StockLevel
from api.types.locations import location_named
from api.types.nodes import node_of_type
from domain.model.counts import StockCountStatus
from domain.model.inventory import StockLevel as DomainStockLevel
from domain.model.locations import LocationKind
from domain.model.replenishment import suggest_replenishment
from persistence.reads import counts as count_reads
from persistence.reads import replenishment as replenishment_reads
from persistence.sql_types import AnyRow


@strawberry.input(description="Narrow a list of stock counts.")
class StockCountFilter:
    status: StockCountStatus | None = strawberry.field(
        default=None, description="Only this status."
    )
    location_code: str | None = strawberry.field(default=None, description="Only this location.")


async def _location(info: strawberry.Info, location_code: str) -> Row:
    async with info.context.database.read_session() as session:
        return await location_named(session, location_code)


def _domain_level(row: AnyRow) -> DomainStockLevel:
    return DomainStockLevel(
        variant_id=row.variant_id,
        location_id=row.location_id,
        on_hand=row.on_hand,
        reserved=row.reserved,
        in_transit=row.in_transit,
        damaged=row.damaged,
        incoming=row.incoming,
        reorder_point=row.reorder_point,
        safety_stock=row.safety_stock,
    )


@strawberry.type
class StockCountQueries:
    @strawberry.field(
        description="Stock counts the caller may see, newest first.",
        permission_classes=[CanReadStock],
    )
    async def stock_counts(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: StockCountFilter | None = None,
    ) -> Connection[StockCount]:
        scope = count_scope(info.context.principal)
        page = page_from(info, first, after, last, before, newest_first=True)
        filter = filter or StockCountFilter()
        async with info.context.database.read_session() as session:
            rows, total = await count_reads.stock_counts_page(
                session,
                page,
                scope,
                status=filter.status.value if filter.status else None,
                location_code=(filter.location_code or "").strip().upper() or None,
            )
        return connection(rows, total, page, StockCount.from_row)

    @strawberry.field(
        description="One stock count by global id; null if the caller may not see it."
    )
    async def stock_count(self, info: strawberry.Info, id: relay.GlobalID) -> StockCount | None:
        return await node_of_type(StockCount, info, id)

    @strawberry.field(
        description="Levels at a location whose available units are at or below their "
        "reorder point (staff and POS).",
        permission_classes=[CanReadStock],
    )
    async def low_stock(self, info: strawberry.Info, location_code: str) -> list[StockLevel]:
        location = await _location(info, location_code)
        async with info.context.database.read_session() as session:
            rows = await replenishment_reads.low_stock_levels(session, location.id)
        return [StockLevel.from_row(row) for row in rows]

    @strawberry.field(
        description="For each low level at a store, how many units to transfer from which "
        "warehouse: need = reorderPoint + safetyStock - available (at least 1) - the units "
        "already on their way (in transit, incoming from suppliers, requested from a "
        "warehouse and not shipped yet), taken first "
        "from the warehouse that can spare the most (available above its safety stock), "
        "split across warehouses only when one cannot cover it. A low level no warehouse "
        "can help with is left out. A WAREHOUSE location is refused with INVALID_INPUT "
        "(staff and POS).",
        permission_classes=[CanReadStock],
    )
    async def replenishment_suggestions(
        self, info: strawberry.Info, location_code: str
    ) -> list[ReplenishmentSuggestion]:
        location = await _location(info, location_code)
        if location.kind != LocationKind.STORE.value:
            raise RequestError(
                f"{location.code} is a {location.kind}: suggestions are for stores",
                code="INVALID_INPUT",
            )
        async with info.context.database.read_session() as session:
            low = await replenishment_reads.low_levels_with_skus(session, location.id)
            warehouses = await replenishment_reads.warehouse_levels_for_low_variants(
                session, location.id
            )
            requested = await replenishment_reads.requested_units(session, location.id)
        skus = {row.variant_id: row.sku for row in low}
        suggestions = suggest_replenishment(
            [_domain_level(row) for row in low],
            [_domain_level(row) for row in warehouses],
            requested,
        )
        return [
            ReplenishmentSuggestion(
                variant_id=s.variant_id,
                from_location_id=s.from_location_id,
                to_location_id=s.to_location_id,
                sku=skus[s.variant_id],
                quantity=s.quantity,
                store_available=s.store_available,
                reorder_point=s.reorder_point,
                store_on_the_way=s.on_the_way,
            )
            for s in suggestions
        ]
