"""Mutations on locations, channels, products and prices."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from api.context import Context
from api.loaders import reload
from api.mutations.options import ProductOptionInput, options_of, selections_of
from api.mutations.payloads import (
    ChannelPayload,
    LocationPayload,
    ProductPayload,
    VariantPayload,
    show_channel,
    show_product,
    show_product_of_id,
    show_variant,
)
from api.mutations.runner import key_of, run_mutation, without_clock
from api.types.options import SelectedOptionInput
from domain.commands.catalog import (
    CreateLocation,
    CreateProduct,
    NewVariant,
    SetChannelLocations,
    SetChannelPaymentSettings,
    SetProductChannels,
    SetProductStatus,
    UpdateVariantPrice,
)
from domain.model.catalog import ProductKind, ProductStatus
from domain.model.locations import ChannelCode, LocationKind
from domain.model.locations import Location as DomainLocation
from domain.model.payments import CaptureMoment
from domain.usecases import catalog, channel_availability


@strawberry.input(description='An amount in a currency; send the amount as a string: "19.99".')
class MoneyInput:
    amount: Decimal = strawberry.field(
        description="Decimal amount, with at most as many places as the currency has minor "
        "units: none for JPY, two for EUR, three for BHD."
    )
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


@strawberry.input(description="How a channel takes payment.")
class SetChannelPaymentSettingsInput:
    channel: ChannelCode = strawberry.field(description="The channel to change.")
    capture_on: CaptureMoment = strawberry.field(
        description="PLACEMENT: authorized money is captured at once. SHIPMENT: each shipment "
        "captures the value of what it ships."
    )
    unpaid_order_ttl_minutes: int | None = strawberry.field(
        default=None,
        description="Cancel PENDING orders with no money authorized or captured after this "
        "many minutes (1 to 129600); null: never.",
    )


@strawberry.input(description="A variant of a new product.")
class VariantInput:
    sku: str = strawberry.field(description="Unique SKU: letters, digits, '.', '_' or '-'.")
    name: str = strawberry.field(description="Display name, e.g. 'Blue / M'.")
    price: MoneyInput = strawberry.field(description="List price.")
    barcode: str | None = strawberry.field(default=None, description="EAN/UPC, if any.")
    selected_options: list[SelectedOptionInput] = strawberry.field(
        default_factory=list,
        description="One value of each of the product's options (required when it has "
        "options); no two variants of a product may have the same.",
    )


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
    options: list[ProductOptionInput] = strawberry.field(
        default_factory=list,
        description="The options its variants differ by (Size, Colour), in order; each "
        "variant then selects one value of each (selectedOptions).",
    )


@strawberry.input(description="A new list price for one variant.")
class UpdateVariantPriceInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    price: MoneyInput = strawberry.field(description="The new price.")


@strawberry.input(description="Archive a product, or put it back on sale.")
class SetProductStatusInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    status: ProductStatus = strawberry.field(description="ACTIVE or ARCHIVED.")


@strawberry.input(description="The sales channels a product is published on.")
class SetProductChannelsInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    channel_codes: list[ChannelCode] = strawberry.field(
        description="Every channel it is to be published on (each once), replacing the "
        "others; empty withdraws it from every channel."
    )


async def _show_location(context: Context, location: DomainLocation) -> LocationPayload:
    return LocationPayload(location=await reload(context.loaders.location, location.id))


@strawberry.type
class CatalogMutations:
    @strawberry.mutation(description="Create a store or warehouse (ADMIN).")
    async def create_location(
        self, info: strawberry.Info, input: CreateLocationInput
    ) -> LocationPayload:
        return await run_mutation(
            info,
            LocationPayload,
            without_clock(catalog.create_location),
            lambda: CreateLocation(input.code, input.name, input.kind, input.address),
            _show_location,
        )

    @strawberry.mutation(description="Set which locations a channel fulfils from (ADMIN).")
    async def set_channel_locations(
        self, info: strawberry.Info, input: SetChannelLocationsInput
    ) -> ChannelPayload:
        return await run_mutation(
            info,
            ChannelPayload,
            without_clock(catalog.set_channel_locations),
            lambda: SetChannelLocations(input.channel, tuple(input.location_codes)),
            show_channel,
        )

    @strawberry.mutation(description="Set how a channel takes payment (ADMIN).")
    async def set_channel_payment_settings(
        self, info: strawberry.Info, input: SetChannelPaymentSettingsInput
    ) -> ChannelPayload:
        return await run_mutation(
            info,
            ChannelPayload,
            without_clock(catalog.set_channel_payment_settings),
            lambda: SetChannelPaymentSettings(
                input.channel, input.capture_on, input.unpaid_order_ttl_minutes
            ),
            show_channel,
        )

    @strawberry.mutation(description="Create a product with its variants (ADMIN, STAFF).")
    async def create_product(
        self, info: strawberry.Info, input: CreateProductInput
    ) -> ProductPayload:
        return await run_mutation(
            info,
            ProductPayload,
            without_clock(catalog.create_product),
            lambda: CreateProduct(
                name=input.name,
                description=input.description,
                status=input.status,
                kind=input.kind,
                variants=tuple(
                    NewVariant(
                        v.sku,
                        v.name,
                        v.price.amount,
                        v.price.currency.strip().upper(),
                        v.barcode,
                        selections_of(v.selected_options),
                    )
                    for v in input.variants
                ),
                options=options_of(input.options),
            ),
            show_product,
        )

    @strawberry.mutation(description="Change a variant's list price (ADMIN, STAFF).")
    async def update_variant_price(
        self, info: strawberry.Info, input: UpdateVariantPriceInput
    ) -> VariantPayload:
        return await run_mutation(
            info,
            VariantPayload,
            without_clock(catalog.update_variant_price),
            lambda: UpdateVariantPrice(
                input.sku, input.price.amount, input.price.currency.strip().upper()
            ),
            show_variant,
        )

    @strawberry.mutation(
        description="Archive a product or put it back on sale; POS terminals hear of it "
        "through posChanges (ADMIN, STAFF)."
    )
    async def set_product_status(
        self, info: strawberry.Info, input: SetProductStatusInput
    ) -> ProductPayload:
        return await run_mutation(
            info,
            ProductPayload,
            without_clock(catalog.set_product_status),
            lambda: SetProductStatus(
                key_of(input.product_id, "Product", "productId"), input.status
            ),
            show_product_of_id,
        )

    @strawberry.mutation(
        description="Publish a product on some sales channels only (ADMIN, STAFF). A new "
        "product is published on every channel. Anonymous callers and customers see it "
        "only on those channels, POS terminals only when POS is one; placeOrder refuses "
        "it on the others (NOT_PUBLISHED)."
    )
    async def set_product_channels(
        self, info: strawberry.Info, input: SetProductChannelsInput
    ) -> ProductPayload:
        return await run_mutation(
            info,
            ProductPayload,
            without_clock(channel_availability.set_product_channels),
            lambda: SetProductChannels(
                key_of(input.product_id, "Product", "productId"), tuple(input.channel_codes)
            ),
            show_product_of_id,
        )
