"""Catalog types: products and variants."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from api.permissions import CanReadManufacturing, CanReadStock, CanReadSuppliers
from api.storefront import visible
from api.types.common import MembersByValue, Money
from api.types.nodes import load_nodes
from api.types.options import (
    ProductAttribute,
    ProductOption,
    SelectedOption,
    SelectedOptionInput,
)
from domain.model.catalog import ProductKind, ProductStatus
from domain.model.options import option_key
from domain.model.taxes import STANDARD

if TYPE_CHECKING:
    from api.types.boms import BillOfMaterialsComponent
    from api.types.categories import Category
    from api.types.inventory import StockLevel
    from api.types.locations import Channel
    from api.types.media import ProductMedia
    from api.types.services import ServiceCapacity, ServiceConsumable
    from api.types.suppliers import SupplierPrice

PRODUCT_STATUSES = MembersByValue(ProductStatus)
PRODUCT_KINDS = MembersByValue(ProductKind)


@strawberry.type(description="Something sold, with one or more variants.")
class Product(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Display name.")
    description: str = strawberry.field(description="Longer text for the product page.")
    status: ProductStatus = strawberry.field(description="ACTIVE products are on sale.")
    kind: ProductKind = strawberry.field(
        description="GOODS (ordered, held in stock) or SERVICE (booked, holds no stock)."
    )
    created_at: datetime = strawberry.field(description="When the product was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Product:
        """`row`: catalog_reads.PRODUCT_COLUMNS, unpacked by position (a row of any other
        width raises)."""
        product_id, name, description, status, kind, created_at, updated_at = row
        return cls(
            id=product_id,
            name=name,
            description=description,
            status=PRODUCT_STATUSES[status],
            kind=PRODUCT_KINDS[kind],
            created_at=created_at,
            updated_at=updated_at,
        )

    @strawberry.field(description="The variants of this product, each with its own SKU.")
    async def variants(self, info: strawberry.Info) -> list[Variant]:
        return await info.context.loaders.variants_by_product.load(self.id)

    @strawberry.field(description="The categories it sits in, by name.")
    async def categories(
        self, info: strawberry.Info
    ) -> list[Annotated[Category, strawberry.lazy("api.types.categories")]]:
        return await info.context.loaders.categories.by_product.load(self.id)

    @strawberry.field(
        description="The options its variants differ by (Size, Colour), in order, each with "
        "its values in order: what a storefront's picker shows."
    )
    async def options(self, info: strawberry.Info) -> list[ProductOption]:
        rows = await info.context.loaders.options.option_values.load(self.id)
        return ProductOption.from_rows(rows)

    @strawberry.field(
        description="The variant that has exactly these option values (one of each option, "
        "names and values in any case); null when none has, or when the selection is not "
        "one value of every option."
    )
    async def variant_by_selected_options(
        self,
        info: strawberry.Info,
        selected_options: Annotated[
            list[SelectedOptionInput],
            strawberry.argument(description="One value of each of the product's options."),
        ],
    ) -> Variant | None:
        wanted = {option_key(s.name, s.value) for s in selected_options}
        if len(wanted) != len(selected_options):
            return None
        variants = await info.context.loaders.variants_by_product.load(self.id)
        selections = await info.context.loaders.options.selected.load_many(
            [variant.id for variant in variants]
        )
        for variant, selection in zip(variants, selections, strict=True):
            has = {option_key(s.name, s.value) for s in selection}
            if has and has == wanted:
                return variant
        return None

    @strawberry.field(
        description="Its attributes (material, brand…), by name, each with the product's "
        "values of it."
    )
    async def attributes(self, info: strawberry.Info) -> list[ProductAttribute]:
        rows = await info.context.loaders.options.attribute_values.load(self.id)
        return ProductAttribute.from_rows(rows)

    @strawberry.field(
        description="The sales channels it is published on (every one unless told "
        "otherwise: setProductChannels); anonymous callers and customers see it only on "
        "these, POS terminals only when POS is one."
    )
    async def channels(
        self, info: strawberry.Info
    ) -> list[Annotated[Channel, strawberry.lazy("api.types.locations")]]:
        return await info.context.loaders.channels_by_product.load(self.id)

    @strawberry.field(description="Its images, in their order (position).")
    async def media(
        self, info: strawberry.Info
    ) -> list[Annotated[ProductMedia, strawberry.lazy("api.types.media")]]:
        return await info.context.loaders.media.by_product.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        found = await load_nodes(info.context.loaders.product, node_ids)
        return await visible(info, found, _own_id)


def _own_id(product: Product) -> int:
    return product.id


def variant_product_id(variant: Variant) -> int:
    return variant.product_id


def product_before_sort_value(row: Sequence[Any]) -> Product:
    """A product from a row of a sorted products page (its columns, then `sort_value`)."""
    return Product.from_row(row[:-1])


@strawberry.type(description="A sellable version of a product (size, colour…) with a SKU.")
class Variant(relay.Node):
    id: relay.NodeID[int]
    product_id: strawberry.Private[int]
    sku: str = strawberry.field(description="Stock keeping unit, unique across the catalog.")
    name: str = strawberry.field(description="Display name of the variant.")
    barcode: str | None = strawberry.field(description="EAN/UPC barcode, when it has one.")
    price: Money = strawberry.field(description="Current list price.")
    tax_class: str = strawberry.field(
        description="The tax class its rate is chosen by (see taxRates); STANDARD unless "
        "setVariantTaxClass put it in another."
    )
    weight_grams: int | None = strawberry.field(
        description="Its weight in grams, which BY_WEIGHT shipping methods price a parcel by "
        "(setVariantWeights); null: not weighed (it then adds nothing to a parcel's weight)."
    )

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Variant:
        """`row`: catalog_reads.VARIANT_COLUMNS, by position."""
        (
            variant_id,
            product_id,
            sku,
            name,
            barcode,
            price_cents,
            currency,
            tax_class,
            weight_grams,
        ) = row
        return cls(
            id=variant_id,
            product_id=product_id,
            sku=sku,
            name=name,
            barcode=barcode,
            price=Money.from_cents(price_cents, currency),
            tax_class=tax_class or STANDARD,
            weight_grams=weight_grams,
        )

    @strawberry.field(
        description="Its value of each option of its product, in the product's option "
        "order; empty when its product has no options (or it was never given values)."
    )
    async def selected_options(self, info: strawberry.Info) -> list[SelectedOption]:
        return await info.context.loaders.options.selected.load(self.id)

    @strawberry.field(description="The product this variant belongs to.")
    async def product(self, info: strawberry.Info) -> Product:
        return await info.context.loaders.product.load(self.product_id)

    @strawberry.field(
        description="Its own images: those of its product's media shown for it, in the "
        "product's order."
    )
    async def media(
        self, info: strawberry.Info
    ) -> list[Annotated[ProductMedia, strawberry.lazy("api.types.media")]]:
        return await info.context.loaders.media.by_variant.load(self.id)

    @strawberry.field(
        description="Its stock level at every location (staff and POS only).",
        permission_classes=[CanReadStock],
    )
    async def stock_levels(
        self, info: strawberry.Info
    ) -> list[Annotated[StockLevel, strawberry.lazy("api.types.inventory")]]:
        return await info.context.loaders.levels_by_variant.load(self.id)

    @strawberry.field(
        description="For a service: the goods it uses up each time it is performed; empty "
        "for goods (staff and POS only).",
        permission_classes=[CanReadStock],
    )
    async def recipe(
        self, info: strawberry.Info
    ) -> list[Annotated[ServiceConsumable, strawberry.lazy("api.types.services")]]:
        return await info.context.loaders.services.recipe.load(self.id)

    @strawberry.field(
        description="For a service: the locations it is booked at, with their slots and "
        "capacity, by location code; empty for goods."
    )
    async def capacities(
        self, info: strawberry.Info
    ) -> list[Annotated[ServiceCapacity, strawberry.lazy("api.types.services")]]:
        return await info.context.loaders.services.capacities.load(self.id)

    @strawberry.field(
        description="What each supplier charges for it, by supplier code (staff and admins only).",
        permission_classes=[CanReadSuppliers],
    )
    async def supplier_prices(
        self, info: strawberry.Info
    ) -> list[Annotated[SupplierPrice, strawberry.lazy("api.types.suppliers")]]:
        return await info.context.loaders.suppliers.prices_by_variant.load(self.id)

    @strawberry.field(
        description="The components it is made of, when it is manufactured; empty for a "
        "variant bought or sold as it is (staff and admins only).",
        permission_classes=[CanReadManufacturing],
    )
    async def bill_of_materials(
        self, info: strawberry.Info
    ) -> list[Annotated[BillOfMaterialsComponent, strawberry.lazy("api.types.boms")]]:
        return await info.context.loaders.boms.components.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        found = await load_nodes(info.context.loaders.variant, node_ids)
        return await visible(info, found, variant_product_id)
