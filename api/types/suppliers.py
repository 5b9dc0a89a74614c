"""GraphQL types of suppliers and their prices, and their per-request DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.types.catalog import Variant
from api.types.common import Money
from api.types.nodes import load_nodes
from domain.model.suppliers import may_read_suppliers
from persistence.reads import purchasing as purchasing_reads


@strawberry.type(description="What one supplier charges per unit of one SKU.")
class SupplierPrice:
    supplier_id: strawberry.Private[int]
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The SKU it prices.")
    unit_cost: Money = strawberry.field(description="Per unit, in the supplier's currency.")
    updated_at: datetime = strawberry.field(description="When it was last set (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> SupplierPrice:
        return cls(
            supplier_id=row.supplier_id,
            variant_id=row.variant_id,
            sku=row.sku,
            unit_cost=Money.from_cents(row.unit_cost_cents, row.currency),
            updated_at=row.updated_at,
        )

    @strawberry.field(description="Who charges it.")
    async def supplier(self, info: strawberry.Info) -> Supplier:
        return await info.context.loaders.suppliers.supplier.load(self.supplier_id)

    @strawberry.field(description="The variant it prices.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


@strawberry.type(description="Someone we buy goods from (staff and admins only).")
class Supplier(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Unique code, upper case, e.g. ACME.")
    name: str = strawberry.field(description="The supplier's name.")
    contact: str | None = strawberry.field(description="Whom to contact, and how.")
    lead_time_days: int = strawberry.field(
        description="Days its goods usually take to arrive after ordering."
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> Supplier:
        return cls(
            id=row.id,
            code=row.code,
            name=row.name,
            contact=row.contact,
            lead_time_days=row.lead_time_days,
            created_at=row.created_at,
        )

    @strawberry.field(description="What it charges, by SKU.")
    async def prices(self, info: strawberry.Info) -> list[SupplierPrice]:
        return await info.context.loaders.suppliers.prices_by_supplier.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.suppliers.supplier, node_ids)


class SupplierLoaders:
    """Per-request DataLoaders for suppliers; `loaders` is the request's api.loaders.Loaders.

    `supplier` loads suppliers only for those who may read them (staff and admins); the
    price lists load whatever exists: the fields that lead to them check the caller."""

    def __init__(self, loaders: Any) -> None:
        self.supplier = loaders.by_id(
            loaders.fetch_if(
                may_read_suppliers(loaders.principal), purchasing_reads.suppliers_by_ids
            ),
            Supplier.from_row,
        )
        self.prices_by_supplier = loaders.grouped(
            purchasing_reads.prices_by_supplier_ids, "supplier_id", SupplierPrice.from_row
        )
        self.prices_by_variant = loaders.grouped(
            purchasing_reads.prices_by_variant_ids, "variant_id", SupplierPrice.from_row
        )
