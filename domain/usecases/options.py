"""Use cases of variant options and product attributes (catalog managers: ADMIN, STAFF)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.access import Principal
from domain.commands.options import (
    CreateAttribute,
    NewOption,
    SetProductAttributes,
    SetProductOptions,
    SetVariantOptions,
)
from domain.errors import InvalidInput, NotFound, OptionValueInUse
from domain.model.catalog import normalise_sku
from domain.model.options import (
    Attribute,
    AttributeValues,
    ProductOption,
    SelectedOption,
    attribute_selection,
    distinct_texts,
    dropped_in_use,
    new_attribute,
    option_selection,
    product_options,
)
from domain.ports import UnitOfWork


def options_of_command(
    options: Sequence[NewOption], *, field: str = "options"
) -> tuple[ProductOption, ...]:
    return product_options([(option.name, option.values) for option in options], field=field)


async def set_product_options(
    uow: UnitOfWork, principal: Principal, command: SetProductOptions
) -> int:
    """Replace a product's options; returns its id. A value (or a whole option) that some
    variant selects may not be dropped: OptionValueInUse names each."""
    principal.require_catalog_manager("change product options")
    options = options_of_command(command.options)
    async with uow:
        if await uow.options.options_of(command.product_id) is None:
            raise NotFound.no_such("product", field="productId")
        in_use = dropped_in_use(options, await uow.options.used_values(command.product_id))
        if in_use:
            raise OptionValueInUse([f"{s.name}: {s.value}" for s in in_use])
        await uow.options.set_options(command.product_id, options)
        await uow.commit()
    return command.product_id


async def set_variant_options(
    uow: UnitOfWork, principal: Principal, command: SetVariantOptions
) -> int:
    """Give a variant one value of each option of its product; returns its id."""
    principal.require_catalog_manager("change variant options")
    if (command.variant_id is None) == (command.sku is None):
        raise InvalidInput(
            "name the variant by variantId or by sku: one of them", field="variantId"
        )
    sku = None if command.sku is None else normalise_sku(command.sku)
    async with uow:
        found = await uow.options.variant_of(command.variant_id, sku)
        if found is None:
            if sku is not None:
                raise NotFound.of("SKU", sku, field="sku")
            raise NotFound.no_such("variant", field="variantId")
        variant_id, product_id, _ = found
        options = await uow.options.options_of(product_id) or ()
        selection = option_selection(options, command.selected_options)
        await uow.options.select_options(variant_id, product_id, selection)
        await uow.commit()
    return variant_id


async def create_attribute(
    uow: UnitOfWork, principal: Principal, command: CreateAttribute
) -> Attribute:
    principal.require_catalog_manager("create attributes")
    attribute = new_attribute(command.name, command.slug, command.values)
    async with uow:
        attribute = await uow.attributes.add(attribute)
        await uow.commit()
    return attribute


async def set_product_attributes(
    uow: UnitOfWork, principal: Principal, command: SetProductAttributes
) -> int:
    """Make a product's attributes exactly those given (an attribute given no values, or
    left out, is removed from it); a value new to its attribute's definition is added to
    it. Returns the product's id."""
    principal.require_catalog_manager("change product attributes")
    slugs = distinct_texts([a.slug.lower() for a in command.attributes], "attribute", "attributes")
    async with uow:
        if await uow.catalog.status_of(command.product_id) is None:
            raise NotFound.no_such("product", field="productId")
        known = await uow.attributes.by_slugs(slugs)
        chosen: list[tuple[Attribute, AttributeValues]] = []
        for index, (slug, given) in enumerate(zip(slugs, command.attributes, strict=True)):
            attribute = known.get(slug)
            if attribute is None:
                raise NotFound.of("attribute", slug, field=f"attributes.{index}.slug")
            values, new = attribute_selection(
                attribute, given.values, field=f"attributes.{index}.values"
            )
            if new:
                await uow.attributes.add_values(attribute, new)
            chosen.append((attribute, AttributeValues(slug, values)))
        await uow.attributes.set_product_values(command.product_id, chosen)
        await uow.commit()
    return command.product_id


def variant_selections(
    options: Sequence[ProductOption], selected: Sequence[Sequence[SelectedOption]]
) -> list[tuple[SelectedOption, ...]]:
    """The selection of each new variant of a product with these options (variants.N)."""
    return [
        option_selection(options, chosen, field=f"variants.{index}.selectedOptions")
        for index, chosen in enumerate(selected)
    ]
