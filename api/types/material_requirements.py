"""GraphQL types of material requirements planning."""

from __future__ import annotations

from datetime import date

import strawberry

from api.types.catalog import Variant
from api.types.common import Money
from api.types.suppliers import Supplier
from domain.model.material_requirements import Requirement


@strawberry.type(
    description="A component (or manufactured variant) a location is short of within the "
    "horizon, and what to do about it: make it (manufactured) or buy it from the suggested "
    "supplier."
)
class MaterialRequirement:
    variant_id: strawberry.Private[int]
    supplier_id: strawberry.Private[int | None]
    sku: str = strawberry.field(description="The SKU short.")
    required: int = strawberry.field(
        description="Units the demand needs: planned work orders' components, backordered "
        "sales orders' units, and the shortfall of the manufactured variants above it."
    )
    available: int = strawberry.field(
        description="Units available at the location now (on hand less reserved)."
    )
    incoming: int = strawberry.field(description="Units on order from suppliers for here.")
    in_production: int = strawberry.field(
        description="Units open work orders here, due within the horizon, still make of it."
    )
    shortage: int = strawberry.field(
        description="required - available - incoming - inProduction: units to make or buy."
    )
    needed_on: date = strawberry.field(
        description="When it is needed: the earliest due date of the demand driving it "
        "(today for sales orders)."
    )
    manufactured: bool = strawberry.field(
        description="Made here from its bill of materials (its components are planned too), "
        "or else bought."
    )
    unit_cost: Money | None = strawberry.field(
        description="What the suggested supplier charges per unit; null when made or when "
        "no supplier prices it."
    )
    lead_time_days: int | None = strawberry.field(
        description="The suggested supplier's lead time in days."
    )
    order_by: date | None = strawberry.field(
        description="The last day to order from the suggested supplier: neededOn less its "
        "lead time."
    )
    late: bool = strawberry.field(description="orderBy is already past: order today.")

    @classmethod
    def of(cls, requirement: Requirement) -> MaterialRequirement:
        price = requirement.supplier
        return cls(
            variant_id=requirement.variant_id,
            supplier_id=price.supplier_id if price else None,
            sku=requirement.sku,
            required=requirement.required,
            available=requirement.available,
            incoming=requirement.incoming,
            in_production=requirement.in_production,
            shortage=requirement.shortage,
            needed_on=requirement.needed_on,
            manufactured=requirement.manufactured,
            unit_cost=Money.of(price.unit_cost) if price else None,
            lead_time_days=price.lead_time_days if price else None,
            order_by=requirement.order_by,
            late=requirement.late,
        )

    @strawberry.field(description="The variant short.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)

    @strawberry.field(
        description="The supplier to buy from: the cheapest, then the quickest; null when "
        "it is made, or no supplier prices it."
    )
    async def suggested_supplier(self, info: strawberry.Info) -> Supplier | None:
        if self.supplier_id is None:
            return None
        return await info.context.loaders.suppliers.supplier.load(self.supplier_id)
