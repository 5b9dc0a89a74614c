"""Mutations on variant options and product attributes (ADMIN, STAFF: who manages the
catalog)."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from api.context import Context
from api.errors import UserError
from api.mutations.payloads import (
    ProductPayload,
    VariantPayload,
    show_product_of_id,
    show_variant_of_id,
    user_errors_field,
)
from api.mutations.runner import key_of, run_mutation, without_clock
from api.types.options import Attribute, SelectedOptionInput
from domain.commands.options import (
    CreateAttribute,
    NewOption,
    SetProductAttributes,
    SetProductOptions,
    SetVariantOptions,
)
from domain.model.options import Attribute as DomainAttribute
from domain.model.options import AttributeValues, SelectedOption
from domain.usecases import options


@strawberry.input(description="An option of a product (Size, Colour) with its values.")
class ProductOptionInput:
    name: str = strawberry.field(description="The option, e.g. Size; unique per product.")
    values: list[str] = strawberry.field(
        description="Its values in the order a picker shows them, e.g. XS, S, M, L."
    )


@strawberry.input(description="The whole list of a product's options, in order.")
class SetProductOptionsInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    options: list[ProductOptionInput] = strawberry.field(
        description="Its options, in order (at most 5). Options and values are matched to "
        "the present ones by name, in any case; one left out is dropped, which is refused "
        "while a variant has that value (OPTION_VALUE_IN_USE). Variants that have values "
        "get the first value of each option added."
    )


@strawberry.input(description="The option values of one variant; name it by id or by SKU.")
class SetVariantOptionsInput:
    variant_id: strawberry.ID | None = strawberry.field(
        default=None, description="The variant's id (or give its sku)."
    )
    sku: str | None = strawberry.field(default=None, description="The variant's SKU.")
    selected_options: list[SelectedOptionInput] = strawberry.field(
        description="One value of each of its product's options; no other variant of the "
        "product may have the same (OPTION_COMBINATION_TAKEN)."
    )


@strawberry.input(description="A new attribute definition.")
class CreateAttributeInput:
    name: str = strawberry.field(description="Display name, e.g. Material.")
    slug: str | None = strawberry.field(
        default=None,
        description="Unique key: lower case letters and digits in words joined by '-'; "
        "made from the name when left out.",
    )
    values: list[str] = strawberry.field(
        default_factory=list, description="Its known values, in order."
    )


@strawberry.input(description="The values a product has for one attribute.")
class ProductAttributeInput:
    slug: str = strawberry.field(description="The attribute's slug.")
    values: list[str] = strawberry.field(
        description="The product's values of it; one the attribute does not know yet is "
        "added to it. None: the product loses the attribute."
    )


@strawberry.input(description="The whole list of a product's attribute values.")
class SetProductAttributesInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    attributes: list[ProductAttributeInput] = strawberry.field(
        description="Its attributes, each once; those left out are removed from it."
    )


@strawberry.type(description="Result of createAttribute.")
class AttributePayload:
    attribute: Attribute | None = strawberry.field(
        default=None, description="The attribute, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


def options_of(inputs: Sequence[ProductOptionInput]) -> tuple[NewOption, ...]:
    return tuple(NewOption(option.name, tuple(option.values)) for option in inputs)


def selections_of(inputs: Sequence[SelectedOptionInput]) -> tuple[SelectedOption, ...]:
    return tuple(SelectedOption(s.name, s.value) for s in inputs)


async def _show_attribute(context: Context, attribute: DomainAttribute) -> AttributePayload:
    return AttributePayload(
        attribute=Attribute(name=attribute.name, slug=attribute.slug, values=list(attribute.values))
    )


@strawberry.type
class OptionMutations:
    @strawberry.mutation(
        description="Set a product's options and their values, in order (ADMIN, STAFF)."
    )
    async def set_product_options(
        self, info: strawberry.Info, input: SetProductOptionsInput
    ) -> ProductPayload:
        return await run_mutation(
            info,
            ProductPayload,
            without_clock(options.set_product_options),
            lambda: SetProductOptions(
                key_of(input.product_id, "Product", "productId"), options_of(input.options)
            ),
            show_product_of_id,
        )

    @strawberry.mutation(
        description="Set which value of each of its product's options a variant has (ADMIN, STAFF)."
    )
    async def set_variant_options(
        self, info: strawberry.Info, input: SetVariantOptionsInput
    ) -> VariantPayload:
        return await run_mutation(
            info,
            VariantPayload,
            without_clock(options.set_variant_options),
            lambda: SetVariantOptions(
                None
                if input.variant_id is None
                else key_of(input.variant_id, "Variant", "variantId"),
                input.sku,
                selections_of(input.selected_options),
            ),
            show_variant_of_id,
        )

    @strawberry.mutation(description="Define an attribute products may have (ADMIN, STAFF).")
    async def create_attribute(
        self, info: strawberry.Info, input: CreateAttributeInput
    ) -> AttributePayload:
        return await run_mutation(
            info,
            AttributePayload,
            without_clock(options.create_attribute),
            lambda: CreateAttribute(input.name, input.slug, tuple(input.values)),
            _show_attribute,
        )

    @strawberry.mutation(
        description="Set all of a product's attribute values at once (ADMIN, STAFF)."
    )
    async def set_product_attributes(
        self, info: strawberry.Info, input: SetProductAttributesInput
    ) -> ProductPayload:
        return await run_mutation(
            info,
            ProductPayload,
            without_clock(options.set_product_attributes),
            lambda: SetProductAttributes(
                key_of(input.product_id, "Product", "productId"),
                tuple(AttributeValues(a.slug, tuple(a.values)) for a in input.attributes),
            ),
            show_product_of_id,
        )
