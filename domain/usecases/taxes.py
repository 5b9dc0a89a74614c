"""Use cases for taxes: classes, rates, and the settings that choose which rate applies
(a variant's class, a channel's tax-inclusive prices, a store's address).

Taxes are the law of each place an order is taxed at, and a wrong rate is charged on every
order: only ADMIN changes them (staff read them, to answer a customer).
"""

from __future__ import annotations

from domain.access import Principal
from domain.commands.taxes import (
    CreateTaxClass,
    DeleteTaxRate,
    SetChannelTaxSettings,
    SetLocationAddress,
    SetTaxRate,
    SetVariantTaxClass,
)
from domain.errors import Duplicate, NotFound
from domain.model.addresses import checked_address, checked_place
from domain.model.catalog import Variant, unique_skus
from domain.model.identity import id_of
from domain.model.locations import Channel, Location, normalise_location_code
from domain.model.taxes import (
    TaxClass,
    TaxRate,
    new_tax_class,
    new_tax_rate,
    normalise_tax_class,
)
from domain.ports import UnitOfWork
from domain.usecases.catalog import known_location, known_variants

MAX_VARIANTS = 100


async def create_tax_class(
    uow: UnitOfWork, principal: Principal, command: CreateTaxClass
) -> TaxClass:
    principal.require_admin("create tax classes")
    tax_class = new_tax_class(command.code, command.name)
    async with uow:
        if await uow.taxes.class_by_code(tax_class.code) is not None:
            raise Duplicate(f"tax class {tax_class.code} exists", field="code")
        tax_class = await uow.taxes.add_class(tax_class)
        await uow.commit()
    return tax_class


async def set_tax_rate(uow: UnitOfWork, principal: Principal, command: SetTaxRate) -> TaxRate:
    """Create the rate of (country, region, class), or replace the one there is."""
    principal.require_admin("set tax rates")
    rate = new_tax_rate(
        command.country, command.region, command.tax_class, command.percent, command.name
    )
    async with uow:
        await _known_class(uow, rate.tax_class)
        rate = await uow.taxes.set_rate(rate)
        await uow.commit()
    return rate


async def delete_tax_rate(uow: UnitOfWork, principal: Principal, command: DeleteTaxRate) -> TaxRate:
    """Remove the rate of exactly this key; what applied there falls back to the next most
    specific rate (a region's to its country's, a class's to every class's)."""
    principal.require_admin("delete tax rates")
    country, region = checked_place(command.country, command.region)
    tax_class = (
        None
        if command.tax_class is None
        else normalise_tax_class(command.tax_class, field="taxClass")
    )
    async with uow:
        removed = await uow.taxes.remove_rate(country, region, tax_class)
        if removed is None:
            where = f"{country}{f' {region}' if region else ''}"
            raise NotFound(
                f"no tax rate for {where}, {tax_class or 'every class'}", field="country"
            )
        await uow.commit()
    return removed


async def set_variant_tax_class(
    uow: UnitOfWork, principal: Principal, command: SetVariantTaxClass
) -> list[Variant]:
    """Put up to MAX_VARIANTS variants in a class, or (no class) back in STANDARD."""
    principal.require_admin("change variants' tax class")
    skus = unique_skus(list(command.skus), field="skus", limit=MAX_VARIANTS, within="")
    tax_class = (
        None
        if command.tax_class is None
        else normalise_tax_class(command.tax_class, field="taxClass")
    )
    async with uow:
        await _known_class(uow, tax_class)
        variants = await known_variants(uow, skus, field="skus.{}", goods_only=False)
        await uow.catalog.set_tax_class([id_of(variants[sku]) for sku in skus], tax_class)
        await uow.commit()
    for variant in variants.values():
        variant.tax_class = tax_class
    return [variants[sku] for sku in skus]


async def set_channel_tax_settings(
    uow: UnitOfWork, principal: Principal, command: SetChannelTaxSettings
) -> Channel:
    """Whether the channel's prices are entered with tax included (gross) or without."""
    principal.require_admin("change channels")
    async with uow:
        channel = await uow.locations.channel(command.channel)
        channel.prices_include_tax = command.prices_include_tax
        await uow.locations.set_tax_settings(channel)
        await uow.commit()
    return channel


async def set_location_address(
    uow: UnitOfWork, principal: Principal, command: SetLocationAddress
) -> Location:
    """A location's structured address: a pickup, a counter sale or a service booked there
    is taxed by it."""
    principal.require_admin("change locations")
    code = normalise_location_code(command.code)
    address = checked_address(command.address, field="address")
    async with uow:
        location = await known_location(uow, code, field="code")
        await uow.locations.set_postal_address(id_of(location), address)
        await uow.commit()
    location.postal_address = address
    return location


async def _known_class(uow: UnitOfWork, code: str | None) -> None:
    """NOT_FOUND at taxClass when `code` names no class (None names none: nothing to check)."""
    if code is not None and await uow.taxes.class_by_code(code) is None:
        raise NotFound.of("tax class", code, field="taxClass")
