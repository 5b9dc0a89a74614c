"""Mutations on taxes: tax classes and rates, a variant's class, whether a channel's prices
include tax, and a location's address (what sales there are taxed by). ADMIN only."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import (
    ChannelPayload,
    LocationPayload,
    show_channel,
    user_errors_field,
)
from api.mutations.runner import run_mutation, without_clock
from api.types.addresses import AddressInput
from api.types.catalog import Variant
from api.types.nodes import forget
from api.types.taxes import TaxClass, TaxRate
from domain.commands.taxes import (
    CreateTaxClass,
    DeleteTaxRate,
    SetChannelTaxSettings,
    SetLocationAddress,
    SetTaxRate,
    SetVariantTaxClass,
)
from domain.model.catalog import Variant as DomainVariant
from domain.model.identity import id_of
from domain.model.locations import ChannelCode
from domain.model.locations import Location as DomainLocation
from domain.model.taxes import TaxClass as DomainTaxClass
from domain.model.taxes import TaxRate as DomainTaxRate
from domain.usecases import taxes

KEY_RULES = (
    "country: ISO 3166-1 alpha-2 code (any case); region: one of its ISO 3166-2 "
    "subdivisions, by code ('US-NY', or 'NY' within its country) or name, kept as the code, "
    "null for the whole country; taxClass: an existing class, null for every class without "
    "a rate of its own"
)


@strawberry.type(description="Result of creating a tax class.")
class TaxClassPayload:
    tax_class: TaxClass | None = strawberry.field(
        default=None, description="The class, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of setting a tax rate.")
class TaxRatePayload:
    tax_rate: TaxRate | None = strawberry.field(
        default=None, description="The rate as stored, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of deleting a tax rate.")
class DeleteTaxRatePayload:
    deleted_tax_rate: TaxRate | None = strawberry.field(
        default=None, description="The rate that was deleted, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of setting variants' tax class.")
class SetVariantTaxClassPayload:
    variants: list[Variant] | None = strawberry.field(
        default=None, description="The variants, in the order of the SKUs, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A new tax class.")
class CreateTaxClassInput:
    code: str = strawberry.field(
        description="Unique code: 1-32 letters, digits, '_' or '-'; kept upper case."
    )
    name: str = strawberry.field(description="What it is, 1-64 characters, e.g. Reduced rate.")


@strawberry.input(description="The tax rate of one (country, region, taxClass).")
class SetTaxRateInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. DE or US.")
    region: str | None = strawberry.field(
        default=None,
        description="ISO 3166-2 code ('US-NY', or 'NY' within its country) or name of the "
        "region it is limited to; null: the whole country.",
    )
    tax_class: str | None = strawberry.field(
        default=None,
        description="The class it taxes (it must exist); null: every class without a rate "
        "of its own.",
    )
    percent: Decimal = strawberry.field(
        description='0-100 per cent, at most four decimals, sent as a string ("8.875").'
    )
    name: str = strawberry.field(description="What invoices call it, 1-64 characters: VAT.")


@strawberry.input(description="The key of the tax rate to delete.")
class DeleteTaxRateInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    region: str | None = strawberry.field(
        default=None, description="ISO 3166-2 code or name; null: the country's own rate."
    )
    tax_class: str | None = strawberry.field(
        default=None, description="Its class; null: the rate of every class."
    )


@strawberry.input(description="Put variants in a tax class.")
class SetVariantTaxClassInput:
    skus: list[str] = strawberry.field(description="1-100 SKUs, each once.")
    tax_class: str | None = strawberry.field(
        description="An existing class; null puts them back in STANDARD."
    )


@strawberry.input(description="How a channel's prices treat tax.")
class SetChannelTaxSettingsInput:
    channel: ChannelCode = strawberry.field(description="The channel to change.")
    prices_include_tax: bool = strawberry.field(
        description="True: its prices are what the customer pays, tax included (the tax is "
        "worked out of them). False: its prices are net, and tax is added on top."
    )


@strawberry.input(description="A location's structured postal address.")
class SetLocationAddressInput:
    code: str = strawberry.field(description="The location's code.")
    address: AddressInput = strawberry.field(
        description="Where it is: a pickup, a counter sale or a service booked there is "
        "taxed by its country and region."
    )


async def _show_class(context: Context, tax_class: DomainTaxClass) -> TaxClassPayload:
    return TaxClassPayload(tax_class=TaxClass.from_domain(tax_class))


async def _show_rate(context: Context, rate: DomainTaxRate) -> TaxRatePayload:
    return TaxRatePayload(tax_rate=TaxRate.from_domain(rate))


async def _show_deleted(context: Context, rate: DomainTaxRate) -> DeleteTaxRatePayload:
    return DeleteTaxRatePayload(deleted_tax_rate=TaxRate.from_domain(rate))


async def _show_variants(
    context: Context, variants: list[DomainVariant]
) -> SetVariantTaxClassPayload:
    loader = context.loaders.variant
    ids = [id_of(variant) for variant in variants]
    for variant_id in ids:
        forget(loader, variant_id)
    shown = await loader.load_many(ids)
    return SetVariantTaxClassPayload(variants=[v for v in shown if v is not None])


async def _show_location(context: Context, location: DomainLocation) -> LocationPayload:
    forget(context.loaders.postal_address, location.id)
    return LocationPayload(location=await reload(context.loaders.location, location.id))


@strawberry.type
class TaxMutations:
    @strawberry.mutation(description="Create a tax class (ADMIN).")
    async def create_tax_class(
        self, info: strawberry.Info, input: CreateTaxClassInput
    ) -> TaxClassPayload:
        return await run_mutation(
            info,
            TaxClassPayload,
            without_clock(taxes.create_tax_class),
            lambda: CreateTaxClass(input.code, input.name),
            _show_class,
        )

    @strawberry.mutation(
        description="Create the tax rate of a (country, region, taxClass), or replace the one "
        f"there is (ADMIN). {KEY_RULES}."
    )
    async def set_tax_rate(self, info: strawberry.Info, input: SetTaxRateInput) -> TaxRatePayload:
        return await run_mutation(
            info,
            TaxRatePayload,
            without_clock(taxes.set_tax_rate),
            lambda: SetTaxRate(
                input.country, input.region, input.tax_class, input.percent, input.name
            ),
            _show_rate,
        )

    @strawberry.mutation(
        description="Delete the tax rate of exactly this (country, region, taxClass): the next "
        "most specific rate applies there instead (ADMIN). NOT_FOUND when there is none."
    )
    async def delete_tax_rate(
        self, info: strawberry.Info, input: DeleteTaxRateInput
    ) -> DeleteTaxRatePayload:
        return await run_mutation(
            info,
            DeleteTaxRatePayload,
            without_clock(taxes.delete_tax_rate),
            lambda: DeleteTaxRate(input.country, input.region, input.tax_class),
            _show_deleted,
        )

    @strawberry.mutation(
        description="Put variants in a tax class, or back in STANDARD (ADMIN). An unknown SKU "
        "is NOT_FOUND at skus.N, and nothing changes."
    )
    async def set_variant_tax_class(
        self, info: strawberry.Info, input: SetVariantTaxClassInput
    ) -> SetVariantTaxClassPayload:
        return await run_mutation(
            info,
            SetVariantTaxClassPayload,
            without_clock(taxes.set_variant_tax_class),
            lambda: SetVariantTaxClass(tuple(input.skus), input.tax_class),
            _show_variants,
        )

    @strawberry.mutation(
        description="Set whether a channel's prices include tax (ADMIN); orders placed "
        "before keep the prices they were placed at."
    )
    async def set_channel_tax_settings(
        self, info: strawberry.Info, input: SetChannelTaxSettingsInput
    ) -> ChannelPayload:
        return await run_mutation(
            info,
            ChannelPayload,
            without_clock(taxes.set_channel_tax_settings),
            lambda: SetChannelTaxSettings(input.channel, input.prices_include_tax),
            show_channel,
        )

    @strawberry.mutation(
        description="Set a location's structured postal address (ADMIN), checked as an "
        "order's shipping address is: each field at fault is a userError at "
        "input.address.<field>."
    )
    async def set_location_address(
        self, info: strawberry.Info, input: SetLocationAddressInput
    ) -> LocationPayload:
        return await run_mutation(
            info,
            LocationPayload,
            without_clock(taxes.set_location_address),
            lambda: SetLocationAddress(input.code, input.address.to_domain()),
            _show_location,
        )
