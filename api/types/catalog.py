"""Catalog types: products and variants."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.errors import forbidden
from api.types.common import Money
from api.types.nodes import load_nodes
from domain.model.catalog import ProductStatus

if TYPE_CHECKING:
    from api.types.inventory import StockLevel


@strawberry.type(description="Something sold, with one or more variants.")
class Product(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Display name.")
    description: str = strawberry.field(description="Longer text for the product page.")
    status: ProductStatus = strawberry.field(description="ACTIVE products are on sale.")
    created_at: datetime = strawberry.field(description="When the product was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> Product:
        return cls(
            id=row.id,
            name=row.name,
            description=row.description,
            status=ProductStatus(row.status),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="The variants of this product, each with its own SKU.")
    async def variants(self, info: strawberry.Info) -> list[Variant]:
        return await info.context.loaders.variants_by_product.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.product, node_ids)


@strawberry.type(description="A sellable version of a product (size, colour…) with a SKU.")
class Variant(relay.Node):
    id: relay.NodeID[int]
    product_id: strawberry.Private[int]
    sku: str = strawberry.field(description="Stock keeping unit, unique across the catalog.")
    name: str = strawberry.field(description="Display name of the variant.")
    barcode: str | None = strawberry.field(description="EAN/UPC barcode, when it has one.")
    price: Money = strawberry.field(description="Current list price.")

    @classmethod
    def from_row(cls, row: Row) -> Variant:
        return cls(
            id=row.id,
            product_id=row.product_id,
            sku=row.sku,
            name=row.name,
            barcode=row.barcode,
            price=Money.from_cents(row.price_cents, row.currency),
        )

    @strawberry.field(description="The product this variant belongs to.")
    async def product(self, info: strawberry.Info) -> Product:
        return await info.context.loaders.product.load(self.product_id)

    @strawberry.field(description="Its stock level at every location (staff and POS only).")
    async def stock_levels(
        self, info: strawberry.Info
    ) -> list[Annotated[StockLevel, strawberry.lazy("api.types.inventory")]]:
        if not info.context.principal.may_read_stock():
            raise forbidden("only staff may read stock levels")
        return await info.context.loaders.levels_by_variant.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.variant, node_ids)
