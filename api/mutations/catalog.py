"""Mutations on locations, channels, products and prices."""

from __future__ import annotations

from collections.abc import Awaitable
from decimal import Decimal

import strawberry

from api.loaders import reload
from api.mutations.payloads import (
    ChannelPayload,
    LocationPayload,
    ProductPayload,
    VariantPayload,
    attempt,
    key_of,
)
from api.types.locations import Channel
from domain.commands.catalog import (
    CreateLocation,
    CreateProduct,
    NewVariant,
    SetChannelLocations,
    SetProductStatus,
    UpdateVariantPrice,
)
from domain.model.catalog import ProductKind, ProductStatus
from domain.model.locations import Channel as DomainChannel
from domain.model.locations import ChannelCode, LocationKind
from domain.usecases import catalog
from persistence.reads import locations as location_reads


@strawberry.input(description='An amount in a currency; send the amount as a string: "19.99".')
class MoneyInput:
    amount: Decimal = strawberry.field(description="Decimal amount, at most two places.")
    currency: str = strawberry.field(description="ISO 4217 currency code, e.g. EUR.")


@strawberry.input(description="A new store or warehouse.")
class CreateLocationInput:
    code: str = strawberry.field(description="Short unique code, e.g. ST-CENTRAL.")
    name: str = strawberry.field(description="Display name.")
    kind: LocationKind = strawberry.field(description="STORE or WAREHOUSE.")
    address: str = strawberry.field(default="", description="Postal address.")


@strawberry.input(description="The locations a channel fulfils from, first preferred.")
class SetChannelLocationsInput:
    channel: ChannelCode = strawberry.field(description="The channel to change.")
    location_codes: list[str] = strawberry.field(description="Location codes, in order.")


@strawberry.input(description="A variant of a new product.")
class VariantInput:
    sku: str = strawberry.field(description="Unique SKU: letters, digits, '.', '_' or '-'.")
    name: str = strawberry.field(description="Display name, e.g. 'Blue / M'.")
    price: MoneyInput = strawberry.field(description="List price.")
    barcode: str | None = strawberry.field(default=None, description="EAN/UPC, if any.")


@strawberry.input(description="A new product with its variants.")
class CreateProductInput:
    name: str = strawberry.field(description="Display name.")
    variants: list[VariantInput] = strawberry.field(description="At least one variant.")
    description: str = strawberry.field(default="", description="Longer text.")
    status: ProductStatus = strawberry.field(
        default=ProductStatus.ACTIVE, description="ACTIVE (default) or ARCHIVED."
    )
    kind: ProductKind = strawberry.field(
        default=ProductKind.GOODS,
        description="GOODS (default), held in stock; or SERVICE, booked (bookService), with no "
        "stock of its own. It cannot change later.",
    )


@strawberry.input(description="A new list price for one variant.")
class UpdateVariantPriceInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    price: MoneyInput = strawberry.field(description="The new price.")


@strawberry.input(description="Archive a product, or put it back on sale.")
class SetProductStatusInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    status: ProductStatus = strawberry.field(description="ACTIVE or ARCHIVED.")


@strawberry.type
class CatalogMutations:
    @strawberry.mutation(description="Create a store or warehouse (ADMIN).")
    async def create_location(
        self, info: strawberry.Info, input: CreateLocationInput
    ) -> LocationPayload:
        context = info.context
        command = CreateLocation(input.code, input.name, input.kind, input.address)
        return await attempt(
            LocationPayload,
            lambda: catalog.create_location(context.unit_of_work(), context.principal, command),
            lambda location: context.loaders.location.load(location.id),
        )

    @strawberry.mutation(description="Set which locations a channel fulfils from (ADMIN).")
    async def set_channel_locations(
        self, info: strawberry.Info, input: SetChannelLocationsInput
    ) -> ChannelPayload:
        context = info.context
        command = SetChannelLocations(input.channel, tuple(input.location_codes))

        async def show(channel: DomainChannel) -> Channel:
            async with context.database.read_session() as session:
                return Channel.from_row((await location_reads.channels(session, [channel.code]))[0])

        return await attempt(
            ChannelPayload,
            lambda: catalog.set_channel_locations(
                context.unit_of_work(), context.principal, command
            ),
            show,
        )

    @strawberry.mutation(description="Create a product with its variants (ADMIN, STAFF).")
    async def create_product(
        self, info: strawberry.Info, input: CreateProductInput
    ) -> ProductPayload:
        context = info.context
        command = CreateProduct(
            name=input.name,
            description=input.description,
            status=input.status,
            kind=input.kind,
            variants=tuple(
                NewVariant(
                    v.sku, v.name, v.price.amount, v.price.currency.strip().upper(), v.barcode
                )
                for v in input.variants
            ),
        )
        return await attempt(
            ProductPayload,
            lambda: catalog.create_product(context.unit_of_work(), context.principal, command),
            lambda product: context.loaders.product.load(product.id),
        )

    @strawberry.mutation(description="Change a variant's list price (ADMIN, STAFF).")
    async def update_variant_price(
        self, info: strawberry.Info, input: UpdateVariantPriceInput
    ) -> VariantPayload:
        context = info.context
        command = UpdateVariantPrice(
            input.sku, input.price.amount, input.price.currency.strip().upper()
        )
        return await attempt(
            VariantPayload,
            lambda: catalog.update_variant_price(
                context.unit_of_work(), context.principal, command
            ),
            lambda variant: reload(context.loaders.variant, variant.id),
        )

    @strawberry.mutation(
        description="Archive a product or put it back on sale; POS terminals hear of it "
        "through posChanges (ADMIN, STAFF)."
    )
    async def set_product_status(
        self, info: strawberry.Info, input: SetProductStatusInput
    ) -> ProductPayload:
        context = info.context

        def action() -> Awaitable[int]:
            command = SetProductStatus(
                key_of(input.product_id, "Product", "productId"), input.status
            )
            return catalog.set_product_status(context.unit_of_work(), context.principal, command)

        return await attempt(
            ProductPayload, action, lambda product_id: reload(context.loaders.product, product_id)
        )
