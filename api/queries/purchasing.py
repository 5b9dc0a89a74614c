"""Queries on purchasing: suppliers (staff and admins), and purchase orders (ADMIN all, STAFF
those for the locations they work at)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import CanReadSuppliers
from api.types.nodes import node_of_type
from api.types.purchase_orders import PurchaseOrder
from api.types.suppliers import Supplier
from domain.access import Principal
from domain.model.purchase_orders import PurchaseOrderStatus
from persistence.reads import purchasing as purchasing_reads
from persistence.reads.purchasing import PurchaseOrderScope


@strawberry.input(description="Narrow a list of purchase orders.")
class PurchaseOrderFilter:
    status: PurchaseOrderStatus | None = strawberry.field(
        default=None, description="Only this status."
    )
    supplier_code: str | None = strawberry.field(
        default=None, description="Only orders from this supplier (its code)."
    )
    location_code: str | None = strawberry.field(
        default=None, description="Only orders delivered to this location (its code)."
    )


def purchase_order_scope(principal: Principal) -> PurchaseOrderScope:
    """The purchase orders a caller may see, as a query scope: all, or those for where it
    works (none for a caller bound nowhere)."""
    if principal.sees_all_locations:
        return PurchaseOrderScope()
    return PurchaseOrderScope(location_codes=principal.location_codes)


def _upper(value: str | None) -> str | None:
    return (value.strip().upper() or None) if value else None


@strawberry.type
class PurchasingQueries:
    @strawberry.field(
        description="Suppliers, oldest first (staff and admins).",
        permission_classes=[CanReadSuppliers],
    )
    async def suppliers(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Supplier]:
        page = page_from(info, first, after, last, before)
        async with info.context.database.read_session() as session:
            rows, total = await purchasing_reads.suppliers_page(session, page)
        return connection(rows, total, page, Supplier.from_row)

    @strawberry.field(
        description="One supplier by its code; null if there is none.",
        permission_classes=[CanReadSuppliers],
    )
    async def supplier(self, info: strawberry.Info, code: str) -> Supplier | None:
        async with info.context.database.read_session() as session:
            row = await purchasing_reads.supplier_by_code(session, code.strip().upper())
        return Supplier.from_row(row) if row else None

    @strawberry.field(
        description="Purchase orders the caller may see, newest first (ADMIN all, STAFF those "
        "for where they work).",
        permission_classes=[CanReadSuppliers],
    )
    async def purchase_orders(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: PurchaseOrderFilter | None = None,
    ) -> Connection[PurchaseOrder]:
        scope = purchase_order_scope(info.context.principal)
        page = page_from(info, first, after, last, before, newest_first=True)
        filter = filter or PurchaseOrderFilter()
        async with info.context.database.read_session() as session:
            rows, total = await purchasing_reads.purchase_orders_page(
                session,
                page,
                scope,
                status=filter.status.value if filter.status else None,
                supplier_code=_upper(filter.supplier_code),
                location_code=_upper(filter.location_code),
            )
        return connection(rows, total, page, PurchaseOrder.from_row)

    @strawberry.field(
        description="One purchase order by its global id; null if the caller may not see it."
    )
    async def purchase_order(
        self, info: strawberry.Info, id: relay.GlobalID
    ) -> PurchaseOrder | None:
        return await node_of_type(PurchaseOrder, info, id)
