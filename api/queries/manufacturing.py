"""Queries on bills of materials and work orders: ADMIN and STAFF (work orders: those at
the locations they work at)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from api.errors import RequestError, request_error
from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import CanReadManufacturing
from api.types.boms import BillOfMaterials, BillOfMaterialsComponent, ExplodedRequirement
from api.types.nodes import node_of_type
from api.types.work_orders import WorkOrder
from domain.access import Principal
from domain.errors import InvalidInput
from domain.model import boms
from domain.model.catalog import normalise_sku
from domain.model.work_orders import MAX_UNITS, WorkOrderStatus
from persistence.reads import catalog as catalog_reads
from persistence.reads import manufacturing as manufacturing_reads
from persistence.reads.manufacturing import WorkOrderScope


@strawberry.input(description="Narrow a list of work orders.")
class WorkOrderFilter:
    status: WorkOrderStatus | None = strawberry.field(default=None, description="Only this status.")
    location_code: str | None = strawberry.field(
        default=None, description="Only work orders at this location (its code)."
    )
    sku: str | None = strawberry.field(default=None, description="Only those making this SKU.")


def work_order_scope(principal: Principal) -> WorkOrderScope:
    """The work orders a caller may see, as a query scope: all, or those at where it works
    (none for a caller bound nowhere)."""
    if principal.sees_all_locations:
        return WorkOrderScope()
    return WorkOrderScope(location_codes=principal.location_codes)


def _upper(value: str | None) -> str | None:
    return (value.strip().upper() or None) if value else None


@strawberry.type
class ManufacturingQueries:
    @strawberry.field(
        description="A manufactured variant's bill of materials; with `explode`, also every "
        "component below it at every level with the units that many of it need. Null for a "
        "SKU that is unknown or has no bill of materials (ADMIN, STAFF).",
        permission_classes=[CanReadManufacturing],
    )
    async def bill_of_materials(
        self,
        info: strawberry.Info,
        sku: Annotated[str, strawberry.argument(description="The manufactured variant.")],
        explode: Annotated[
            int | None,
            strawberry.argument(description=f"Units to explode for, 1 to {MAX_UNITS:,}."),
        ] = None,
    ) -> BillOfMaterials | None:
        if explode is not None and not 0 < explode <= MAX_UNITS:
            raise RequestError(f"explode must be 1 to {MAX_UNITS:,}, got {explode}")
        try:
            code = normalise_sku(sku)
        except InvalidInput:
            return None
        async with info.context.database.read_session() as session:
            rows = await catalog_reads.variants_by_skus(session, [code])
            if not rows:
                return None
            variant = rows[0]
            structure = await manufacturing_reads.load_structure(session, [variant.id])
        if variant.id not in structure:
            return None
        explosion = None
        if explode is not None:
            try:
                explosion = boms.explode(variant.id, explode, structure)
            except InvalidInput as error:
                raise request_error(error) from error
        return BillOfMaterials(
            variant_id=variant.id,
            sku=variant.sku,
            components=[
                BillOfMaterialsComponent(variant_id=c.variant_id, sku=c.sku, quantity=c.quantity)
                for c in structure[variant.id]
            ],
            units=explode,
            explosion=[ExplodedRequirement.of(c) for c in explosion]
            if explosion is not None
            else None,
        )

    @strawberry.field(
        description="Work orders the caller may see, newest first.",
        permission_classes=[CanReadManufacturing],
    )
    async def work_orders(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: WorkOrderFilter | None = None,
    ) -> Connection[WorkOrder]:
        scope = work_order_scope(info.context.principal)
        page = page_from(info, first, after, last, before, newest_first=True)
        filter = filter or WorkOrderFilter()
        async with info.context.database.read_session() as session:
            rows, total = await manufacturing_reads.work_orders_page(
                session,
                page,
                scope,
                status=filter.status.value if filter.status else None,
                location_code=_upper(filter.location_code),
                sku=_upper(filter.sku),
            )
        return connection(rows, total, page, WorkOrder.from_row)

    @strawberry.field(
        description="One work order by its global id; null if the caller may not see it."
    )
    async def work_order(self, info: strawberry.Info, id: relay.GlobalID) -> WorkOrder | None:
        return await node_of_type(WorkOrder, info, id)
