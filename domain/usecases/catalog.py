"""Use cases for the catalog, the locations and the channels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from domain.access import Principal
from domain.commands.catalog import (
    CreateLocation,
    CreateProduct,
    SetChannelLocations,
    SetChannelPaymentSettings,
    SetProductStatus,
    UpdateVariantPrice,
)
from domain.errors import Duplicate, InvalidInput, NotFound
from domain.model.catalog import Product, Variant, new_product, normalise_sku, require_goods
from domain.model.channel_availability import EVERY_CHANNEL
from domain.model.identity import id_of
from domain.model.locations import Channel, Location, normalise_location_code
from domain.model.options import require_distinct_combinations
from domain.money import Money
from domain.ports import UnitOfWork
from domain.usecases.options import options_of_command, variant_selections


async def known_variants(
    uow: UnitOfWork, skus: Sequence[str], *, field: str, goods_only: bool
) -> dict[str, Variant]:
    """The variant of each of these (normalised) SKUs, by SKU, checked in their order: one
    that does not exist is NOT_FOUND at `field` filled in with its index ("lines.{}.sku"),
    and with `goods_only` a service is refused, since it holds no stock."""
    variants = await uow.catalog.variants_by_sku(set(skus))
    for index, sku in enumerate(skus):
        where = field.format(index)
        if sku not in variants:
            raise NotFound.of("SKU", sku, field=where)
        if goods_only:
            require_goods(variants[sku], field=where)
    return variants


async def known_location(uow: UnitOfWork, code: str, *, field: str = "locationCode") -> Location:
    """The location with this (normalised) code; NOT_FOUND at `field` when there is none."""
    location = (await uow.locations.by_code([code])).get(code)
    if location is None:
        raise NotFound.of("location", code, field=field)
    return location


async def create_location(
    uow: UnitOfWork, principal: Principal, command: CreateLocation
) -> Location:
    principal.require_admin("create locations")
    code = normalise_location_code(command.code)
    if not command.name.strip():
        raise InvalidInput("a location needs a name", field="name")
    async with uow:
        if await uow.locations.by_code([code]):
            raise Duplicate(f"location code {code} is taken", field="code")
        location = await uow.locations.add(
            Location(code, command.name.strip(), command.kind, command.address.strip())
        )
        await uow.commit()
    return location


async def set_channel_locations(
    uow: UnitOfWork, principal: Principal, command: SetChannelLocations
) -> Channel:
    principal.require_admin("change channels")
    codes = [normalise_location_code(c, field="locationCodes") for c in command.location_codes]
    if len(set(codes)) != len(codes):
        raise Duplicate("a location appears twice", field="locationCodes")
    async with uow:
        found = await uow.locations.by_code(codes)
        missing = [code for code in codes if code not in found]
        if missing:
            raise NotFound.of("location", ", ".join(missing), field="locationCodes")
        channel = await uow.locations.channel(command.channel)
        channel.location_ids = [id_of(found[code]) for code in codes]
        await uow.locations.set_channel_locations(channel, channel.location_ids)
        await uow.commit()
    return channel


MAX_UNPAID_ORDER_TTL = timedelta(days=90)


async def set_channel_payment_settings(
    uow: UnitOfWork, principal: Principal, command: SetChannelPaymentSettings
) -> Channel:
    """When the channel captures what it authorized, and how long its PENDING orders may
    wait unpaid before they are cancelled (None: for ever)."""
    principal.require_admin("change channels")
    ttl = None
    if command.unpaid_order_ttl_minutes is not None:
        ttl = timedelta(minutes=command.unpaid_order_ttl_minutes)
        if not timedelta(minutes=1) <= ttl <= MAX_UNPAID_ORDER_TTL:
            raise InvalidInput(
                "unpaidOrderTtlMinutes is 1 minute to 90 days", field="unpaidOrderTtlMinutes"
            )
    async with uow:
        channel = await uow.locations.channel(command.channel)
        channel.capture_on = command.capture_on
        channel.unpaid_order_ttl = ttl
        await uow.locations.set_payment_settings(channel)
        await uow.commit()
    return channel


async def create_product(uow: UnitOfWork, principal: Principal, command: CreateProduct) -> Product:
    principal.require_catalog_manager("create products")
    variants = [
        Variant(
            sku=normalise_sku(v.sku, field=f"variants.{i}.sku"),
            name=v.name.strip(),
            price=Money.of(v.price, v.currency, field=f"variants.{i}.price"),
            barcode=(v.barcode or "").strip() or None,
        )
        for i, v in enumerate(command.variants)
    ]
    product = new_product(command.name, command.description, variants, command.status, command.kind)
    options = options_of_command(command.options)
    selections = variant_selections(options, [v.selected_options for v in command.variants])
    require_distinct_combinations(selections)
    async with uow:
        taken = await uow.catalog.existing_skus(v.sku for v in product.variants)
        if taken:
            raise Duplicate(f"SKU {', '.join(sorted(taken))} already exists", field="variants")
        product = await uow.catalog.add(product)
        await uow.catalog.set_channels(id_of(product), EVERY_CHANNEL)
        if options:
            product_id = id_of(product)
            await uow.options.set_options(product_id, options)
            for variant, selection in zip(product.variants, selections, strict=True):
                await uow.options.select_options(id_of(variant), product_id, selection)
        await uow.commit()
    return product


async def update_variant_price(
    uow: UnitOfWork, principal: Principal, command: UpdateVariantPrice
) -> Variant:
    principal.require_catalog_manager("change prices")
    sku = normalise_sku(command.sku)
    price = Money.of(command.price, command.currency)
    async with uow:
        variant = (await uow.catalog.variants_by_sku([sku])).get(sku)
        if variant is None:
            raise NotFound.of("SKU", sku, field="sku")
        await uow.catalog.set_price(id_of(variant), price)
        await uow.commit()
    variant.price = price
    return variant


async def set_product_status(
    uow: UnitOfWork, principal: Principal, command: SetProductStatus
) -> int:
    """Archive a product (or put it back on sale); returns its id. Setting the status it
    already has changes nothing, so POS terminals are not sent its variants again."""
    principal.require_catalog_manager("change a product's status")
    async with uow:
        status = await uow.catalog.status_of(command.product_id)
        if status is None:
            raise NotFound.no_such("product", field="productId")
        if status is not command.status:
            await uow.catalog.set_status(command.product_id, command.status)
            await uow.commit()
    return command.product_id
