"""GraphQL types of bills of materials, and their per-request DataLoaders."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import Row

from api.types.catalog import Variant
from domain.model.boms import ExplodedComponent
from persistence.reads import manufacturing as manufacturing_reads


@strawberry.type(description="A component of a bill of materials: units per unit made.")
class BillOfMaterialsComponent:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The component's SKU.")
    quantity: int = strawberry.field(description="Units of it that go into one unit made.")

    @classmethod
    def from_row(cls, row: Row) -> BillOfMaterialsComponent:
        return cls(variant_id=row.component_variant_id, sku=row.sku, quantity=row.quantity)

    @strawberry.field(description="The component.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)

    @strawberry.field(
        description="Whether the component is manufactured itself (has a bill of materials)."
    )
    async def manufactured(self, info: strawberry.Info) -> bool:
        return bool(await info.context.loaders.boms.components.load(self.variant_id))


@strawberry.type(
    description="Units of one component, at any depth, needed for some units of a variant."
)
class ExplodedRequirement:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The component's SKU.")
    quantity: int = strawberry.field(
        description="Units needed over every path to it, for the units exploded."
    )
    level: int = strawberry.field(
        description="1 for a direct component, 2 for a component of one, …; the deepest "
        "level where it appears."
    )
    manufactured: bool = strawberry.field(
        description="Made from components of its own (exploded further), or else bought."
    )

    @classmethod
    def of(cls, exploded: ExplodedComponent) -> ExplodedRequirement:
        return cls(
            variant_id=exploded.variant_id,
            sku=exploded.sku,
            quantity=exploded.quantity,
            level=exploded.level,
            manufactured=exploded.manufactured,
        )

    @strawberry.field(description="The component.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


@strawberry.type(description="What a manufactured variant is made of.")
class BillOfMaterials:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The manufactured variant's SKU.")
    components: list[BillOfMaterialsComponent] = strawberry.field(
        description="Its direct components, in the order they were set."
    )
    units: int | None = strawberry.field(
        description="How many units `explosion` is for; null when not exploded."
    )
    explosion: list[ExplodedRequirement] | None = strawberry.field(
        description="Every component below it, at every level, once each, with the units "
        "`units` of the variant need; by level, then SKU. Null unless `explode` was given."
    )

    @strawberry.field(description="The manufactured variant.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


class BomLoaders:
    """Per-request DataLoaders for bills of materials; `loaders` is the request's
    api.loaders.Loaders."""

    def __init__(self, loaders: Any) -> None:
        self.components = loaders.grouped(
            manufacturing_reads.bom_components_by_variant_ids,
            "variant_id",
            BillOfMaterialsComponent.from_row,
        )
