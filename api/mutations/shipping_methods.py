"""Mutations on shipping: zones of countries, their methods, and the weights of variants."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.catalog import MoneyInput
from api.mutations.payloads import user_errors_field
from api.mutations.runner import run_mutation, without_clock
from api.types.catalog import Variant as VariantType
from api.types.nodes import forget
from api.types.shipping_methods import ShippingMethod as ShippingMethodType
from api.types.shipping_methods import ShippingZone as ShippingZoneType
from domain.commands.shipping_methods import (
    KEEP,
    AmountRequest,
    BracketRequest,
    CreateShippingMethod,
    CreateShippingZone,
    SetVariantWeights,
    UpdateShippingMethod,
    UpdateShippingZone,
    VariantWeight,
)
from domain.model.catalog import Variant
from domain.model.identity import id_of
from domain.model.locations import ChannelCode
from domain.model.shipping import ShippingMethod, ShippingPricing, ShippingZone
from domain.usecases import shipping_methods

CODE_RULE = "1-32 letters, digits, '_' or '-'; kept upper case"
COUNTRIES_RULE = (
    "ISO 3166-1 alpha-2 codes, any case, each once, at most 250; a country in another zone "
    "is DUPLICATE (the message names that zone)"
)


@strawberry.type(description="Result of a mutation on a shipping zone.")
class ShippingZonePayload:
    shipping_zone: ShippingZoneType | None = strawberry.field(
        default=None, description="The zone, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of a mutation on a shipping method.")
class ShippingMethodPayload:
    shipping_method: ShippingMethodType | None = strawberry.field(
        default=None, description="The method, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of setVariantWeights.")
class SetVariantWeightsPayload:
    variants: list[VariantType] = strawberry.field(
        default_factory=list, description="The variants, in the order of the lines."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A new shipping zone and its countries.")
class CreateShippingZoneInput:
    code: str = strawberry.field(description=f"Unique code: {CODE_RULE}.")
    name: str = strawberry.field(description="What the zone is, 1-100 characters.")
    countries: list[str] = strawberry.field(description=f"Its countries: {COUNTRIES_RULE}.")


@strawberry.input(description="What to change of a shipping zone; what is left out stays.")
class UpdateShippingZoneInput:
    code: str = strawberry.field(description="The zone.")
    name: str | None = strawberry.field(default=None, description="A new name; null: unchanged.")
    countries: list[str] | None = strawberry.field(
        default=None,
        description=f"Its countries from now on, replacing the list (those left out are free "
        f"for other zones): {COUNTRIES_RULE}. Null: unchanged.",
    )


@strawberry.input(description="A BY_WEIGHT method's price for parcels up to a weight.")
class WeightBracketInput:
    up_to_grams: int | None = strawberry.field(
        description="The heaviest parcel it takes, in grams, above the bracket before it "
        "(at most 1,000,000); null: any weight, only for the last bracket."
    )
    price: MoneyInput = strawberry.field(description="What such a parcel costs.")


@strawberry.input(description="A new shipping method of a zone.")
class CreateShippingMethodInput:
    code: str = strawberry.field(description=f"Unique code: {CODE_RULE}.")
    name: str = strawberry.field(description="What a customer sees, 1-100 characters.")
    zone_code: str = strawberry.field(description="The zone it delivers to.")
    pricing: ShippingPricing = strawberry.field(description="FLAT or BY_WEIGHT.")
    price: MoneyInput | None = strawberry.field(
        default=None,
        description="FLAT (required): the price per order, entered as the channels enter "
        "prices (with or without tax); none for BY_WEIGHT.",
    )
    brackets: list[WeightBracketInput] | None = strawberry.field(
        default=None,
        description="BY_WEIGHT (required): 1-50 brackets, lightest first; none for FLAT.",
    )
    free_above: MoneyInput | None = strawberry.field(
        default=None,
        description="Orders whose goods come to this much or more ship free; null: never.",
    )
    tax_class: str | None = strawberry.field(
        default=None, description="The tax class its charge is taxed as; null: STANDARD."
    )
    channels: list[ChannelCode] = strawberry.field(
        description="The channels it is offered on. Every amount of a method is in one currency."
    )


@strawberry.input(description="What to change of a shipping method; what is left out stays.")
class UpdateShippingMethodInput:
    code: str = strawberry.field(description="The method (its zone and pricing stay).")
    name: str | None = strawberry.field(default=None, description="A new name; null: unchanged.")
    price: MoneyInput | None = strawberry.field(
        default=None, description="A FLAT method's new price; null: unchanged."
    )
    brackets: list[WeightBracketInput] | None = strawberry.field(
        default=None,
        description="A BY_WEIGHT method's brackets, replacing them all; null: unchanged.",
    )
    free_above: MoneyInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new threshold from which orders ship free; left out: unchanged; "
        "null: never free.",
    )
    tax_class: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new tax class for its charge; left out: unchanged; null: STANDARD.",
    )
    channels: list[ChannelCode] | None = strawberry.field(
        default=None, description="The channels it is offered on from now on; null: unchanged."
    )
    active: bool | None = strawberry.field(
        default=None,
        description="false: offered nowhere (kept, shown only to staff); null: unchanged.",
    )


@strawberry.input(description="A SKU's weight.")
class VariantWeightInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    weight_grams: int | None = strawberry.field(
        default=None, description="Its weight in whole grams, 0-1,000,000; null clears it."
    )


@strawberry.input(description="The weights of some variants.")
class SetVariantWeightsInput:
    lines: list[VariantWeightInput] = strawberry.field(
        description="1-100 lines, SKUs unique; variants left out keep their weight."
    )


def _amount(money: MoneyInput | None) -> AmountRequest | None:
    return None if money is None else AmountRequest(money.amount, money.currency)


def _brackets(brackets: list[WeightBracketInput]) -> tuple[BracketRequest, ...]:
    return tuple(
        BracketRequest(
            bracket.up_to_grams, AmountRequest(bracket.price.amount, bracket.price.currency)
        )
        for bracket in brackets
    )


async def _show_zone(context: Context, zone: ShippingZone) -> ShippingZonePayload:
    loaders = context.loaders.shipping_methods
    forget(loaders.methods_by_zone, zone.id)
    return ShippingZonePayload(shipping_zone=await reload(loaders.zone, zone.id))


async def _show_method(context: Context, method: ShippingMethod) -> ShippingMethodPayload:
    loaders = context.loaders.shipping_methods
    return ShippingMethodPayload(shipping_method=await reload(loaders.method, method.id))


async def _show_variants(context: Context, variants: list[Variant]) -> SetVariantWeightsPayload:
    loader = context.loaders.variant
    ids = [id_of(variant) for variant in variants]
    for variant_id in ids:
        forget(loader, variant_id)
    shown = await loader.load_many(ids)
    return SetVariantWeightsPayload(variants=[v for v in shown if v is not None])


@strawberry.type
class ShippingMethodMutations:
    @strawberry.mutation(description="Create a shipping zone of countries (ADMIN).")
    async def create_shipping_zone(
        self, info: strawberry.Info, input: CreateShippingZoneInput
    ) -> ShippingZonePayload:
        return await run_mutation(
            info,
            ShippingZonePayload,
            without_clock(shipping_methods.create_shipping_zone),
            lambda: CreateShippingZone(input.code, input.name, tuple(input.countries)),
            _show_zone,
        )

    @strawberry.mutation(description="Rename a shipping zone or replace its countries (ADMIN).")
    async def update_shipping_zone(
        self, info: strawberry.Info, input: UpdateShippingZoneInput
    ) -> ShippingZonePayload:
        return await run_mutation(
            info,
            ShippingZonePayload,
            without_clock(shipping_methods.update_shipping_zone),
            lambda: UpdateShippingZone(
                input.code,
                input.name,
                None if input.countries is None else tuple(input.countries),
            ),
            _show_zone,
        )

    @strawberry.mutation(
        description="Create a shipping method of a zone: FLAT with a price, or BY_WEIGHT "
        "with brackets (ADMIN)."
    )
    async def create_shipping_method(
        self, info: strawberry.Info, input: CreateShippingMethodInput
    ) -> ShippingMethodPayload:
        return await run_mutation(
            info,
            ShippingMethodPayload,
            without_clock(shipping_methods.create_shipping_method),
            lambda: CreateShippingMethod(
                input.code,
                input.name,
                input.zone_code,
                input.pricing,
                tuple(input.channels),
                price=_amount(input.price),
                brackets=_brackets(input.brackets or []),
                free_above=_amount(input.free_above),
                tax_class=input.tax_class,
            ),
            _show_method,
        )

    @strawberry.mutation(
        description="Change a shipping method's name, prices, threshold, tax class, channels "
        "or whether it is offered, checked as at creation (ADMIN)."
    )
    async def update_shipping_method(
        self, info: strawberry.Info, input: UpdateShippingMethodInput
    ) -> ShippingMethodPayload:
        return await run_mutation(
            info,
            ShippingMethodPayload,
            without_clock(shipping_methods.update_shipping_method),
            lambda: UpdateShippingMethod(
                input.code,
                name=input.name,
                price=_amount(input.price),
                brackets=None if input.brackets is None else _brackets(input.brackets),
                free_above=(
                    KEEP if input.free_above is strawberry.UNSET else _amount(input.free_above)
                ),
                tax_class=KEEP if input.tax_class is strawberry.UNSET else input.tax_class,
                channels=None if input.channels is None else tuple(input.channels),
                active=input.active,
            ),
            _show_method,
        )

    @strawberry.mutation(
        description="Set or clear the weights of up to 100 variants, which BY_WEIGHT shipping "
        "methods price parcels by (ADMIN, STAFF)."
    )
    async def set_variant_weights(
        self, info: strawberry.Info, input: SetVariantWeightsInput
    ) -> SetVariantWeightsPayload:
        return await run_mutation(
            info,
            SetVariantWeightsPayload,
            without_clock(shipping_methods.set_variant_weights),
            lambda: SetVariantWeights(
                tuple(VariantWeight(line.sku, line.weight_grams) for line in input.lines)
            ),
            _show_variants,
        )
