"""Use cases for setting shipping up: zones of countries, their methods, variants' weights.

Zones and methods say what every order's delivery costs, so only ADMIN changes them (as it
does channels and locations). A weight is a fact about a variant, kept with its price by
whoever manages the catalog: ADMIN and STAFF (as `updateVariantPrice`).

A country belongs to at most one zone. The rule is the database's (a unique country
column), claimed by a guarded insert (`ShippingRepository.claim_countries`), so two
zones created or changed at once cannot both take a country: the second is told which
zone has it.
"""

from __future__ import annotations

from domain.access import Principal
from domain.commands.shipping_methods import (
    KEEP,
    AmountRequest,
    BracketRequest,
    CreateShippingMethod,
    CreateShippingZone,
    SetVariantWeights,
    UpdateShippingMethod,
    UpdateShippingZone,
)
from domain.errors import Duplicate, NotFound
from domain.model.catalog import Variant, unique_skus
from domain.model.identity import id_of
from domain.model.shipping import (
    ShippingMethod,
    ShippingZone,
    WeightBracket,
    new_shipping_zone,
    normalise_shipping_code,
    shipping_method,
    shipping_name,
    weight_grams,
    zone_countries,
)
from domain.money import Money
from domain.ports import UnitOfWork
from domain.usecases.catalog import known_variants

MAX_WEIGHT_LINES = 100


async def create_shipping_zone(
    uow: UnitOfWork, principal: Principal, command: CreateShippingZone
) -> ShippingZone:
    principal.require_admin("create shipping zones")
    zone = new_shipping_zone(command.code, command.name, command.countries)
    async with uow:
        if await uow.shipping.zone_by_code(zone.code) is not None:
            raise Duplicate(f"shipping zone {zone.code} exists", field="code")
        zone = await uow.shipping.add_zone(zone)
        await _claim(uow, zone)
        await uow.commit()
    return zone


async def update_shipping_zone(
    uow: UnitOfWork, principal: Principal, command: UpdateShippingZone
) -> ShippingZone:
    """Rename a zone, or replace its countries: those left out are free for other zones."""
    principal.require_admin("change shipping zones")
    code = normalise_shipping_code(command.code)
    name = None if command.name is None else shipping_name(command.name)
    countries = None if command.countries is None else zone_countries(command.countries)
    async with uow:
        zone = await uow.shipping.zone_by_code(code)
        if zone is None:
            raise NotFound.of("shipping zone", code, field="code")
        zone = ShippingZone(
            code=zone.code,
            name=zone.name if name is None else name,
            countries=zone.countries if countries is None else countries,
            id=zone.id,
        )
        if name is not None:
            await uow.shipping.rename_zone(id_of(zone), zone.name)
        if countries is not None:
            await _claim(uow, zone)
        await uow.commit()
    return zone


async def _claim(uow: UnitOfWork, zone: ShippingZone) -> None:
    """Make the zone's countries its own; DUPLICATE at the first one another zone holds."""
    taken = await uow.shipping.claim_countries(id_of(zone), zone.countries)
    for index, country in enumerate(zone.countries):
        if country in taken:
            raise Duplicate(
                f"country {country} is in shipping zone {taken[country]}; a country belongs "
                "to one zone (take it out of that zone first)",
                field=f"countries.{index}",
            )


async def create_shipping_method(
    uow: UnitOfWork, principal: Principal, command: CreateShippingMethod
) -> ShippingMethod:
    principal.require_admin("create shipping methods")
    method = shipping_method(
        command.code,
        command.name,
        command.zone_code,
        command.pricing,
        channels=command.channels,
        price=_money(command.price, "price"),
        brackets=_brackets(command.brackets),
        free_above=_money(command.free_above, "freeAbove"),
        tax_class=command.tax_class,
    )
    async with uow:
        zone = await uow.shipping.zone_by_code(method.zone_code)
        if zone is None:
            raise NotFound.of("shipping zone", method.zone_code, field="zoneCode")
        if await uow.shipping.method_by_code(method.code) is not None:
            raise Duplicate(f"shipping method {method.code} exists", field="code")
        method = await uow.shipping.add_method(method, id_of(zone))
        await uow.commit()
    return method


async def update_shipping_method(
    uow: UnitOfWork, principal: Principal, command: UpdateShippingMethod
) -> ShippingMethod:
    """Change what the command gives; the result is checked as a new method is (a price
    in another currency than the method's other amounts is refused)."""
    principal.require_admin("change shipping methods")
    code = normalise_shipping_code(command.code)
    price = _money(command.price, "price")
    brackets = None if command.brackets is None else _brackets(command.brackets)
    free_above = KEEP if command.free_above is KEEP else _money(command.free_above, "freeAbove")
    async with uow:
        current = await uow.shipping.method_by_code(code)
        if current is None:
            raise NotFound.of("shipping method", code, field="code")
        method = shipping_method(
            current.code,
            current.name if command.name is None else command.name,
            current.zone_code,
            current.pricing,
            channels=current.channels if command.channels is None else command.channels,
            price=current.price if price is None else price,
            brackets=current.brackets if brackets is None else brackets,
            free_above=current.free_above if free_above is KEEP else free_above,
            tax_class=current.tax_class if command.tax_class is KEEP else command.tax_class,
            active=current.active if command.active is None else command.active,
            id=current.id,
        )
        await uow.shipping.update_method(method)
        await uow.commit()
    return method


async def set_variant_weights(
    uow: UnitOfWork, principal: Principal, command: SetVariantWeights
) -> list[Variant]:
    """Set (or, with no weight, clear) the weight of up to MAX_WEIGHT_LINES SKUs; the
    others keep theirs."""
    principal.require_catalog_manager("set variant weights")
    skus = unique_skus([line.sku for line in command.lines], field="lines", limit=MAX_WEIGHT_LINES)
    grams = [
        weight_grams(line.weight_grams, field=f"lines.{index}.weightGrams")
        for index, line in enumerate(command.lines)
    ]
    async with uow:
        variants = await known_variants(uow, skus, field="lines.{}.sku", goods_only=False)
        weights = {id_of(variants[sku]): weight for sku, weight in zip(skus, grams, strict=True)}
        await uow.shipping.set_weights(weights)
        await uow.commit()
    for sku, weight in zip(skus, grams, strict=True):
        variants[sku].weight_grams = weight
    return [variants[sku] for sku in skus]


def _money(request: AmountRequest | None, field: str) -> Money | None:
    return None if request is None else Money.of(request.amount, request.currency, field=field)


def _brackets(requests: tuple[BracketRequest, ...]) -> tuple[WeightBracket, ...]:
    return tuple(
        WeightBracket(
            request.up_to_grams,
            Money.of(request.price.amount, request.price.currency, field=f"brackets.{index}.price"),
        )
        for index, request in enumerate(requests)
    )
