"""Pricing an order as placeOrder and priceOrder both do: gathering the terms (the
channel's tax setting, the rates where the goods are taxed, the promotions that run, the
vouchers named and the shipping method chosen) and handing them to the one calculation,
domain/model/order_pricing.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.commands.ordering import PlaceOrder
from domain.errors import InvalidInput, ShippingUnavailable, VoucherInvalid, VoucherUsedUp
from domain.model.addresses import Address
from domain.model.catalog import Variant
from domain.model.customers import Customer
from domain.model.identity import id_of
from domain.model.locations import Channel, ChannelCode, Location
from domain.model.order_pricing import (
    LineToPrice,
    PricedOrder,
    PricingTerms,
    price,
)
from domain.model.orders import FulfilmentMethod
from domain.model.promotions import (
    Offer,
    PricingTarget,
    Promotion,
    VoucherCode,
    normalise_voucher_code,
)
from domain.model.shipping import ShippingMethod, normalise_shipping_code
from domain.model.store_pricing import StoreTaxes
from domain.model.taxes import TaxPlace
from domain.money import Money
from domain.ports import UnitOfWork

VOUCHERS_FIELD = "voucherCodes"
METHOD_FIELD = "shippingMethodCode"
MAX_VOUCHERS = 5


@dataclass(frozen=True)
class OrderPricing:
    priced: PricedOrder
    channel: Channel  # its tax setting priced the order; its locations fill it
    vouchers: tuple[VoucherCode, ...]  # the vouchers the order named, each used


async def price_order_lines(
    uow: UnitOfWork,
    command: PlaceOrder,
    variants: Sequence[Variant],
    unit_prices: dict[str, Money],
    customer: Customer | None,
    address: Address | None,
    pickup: Location | None,
    now: datetime,
) -> OrderPricing:
    """What each line and the shipping cost, by the rules of `command.channel`.

    Refused: a voucher code that does not exist, does not run for this order, needs a
    customer the order has none of, is used up, or takes nothing off (VoucherInvalid,
    VoucherUsedUp, naming `voucherCodes.N`); a shipping method not offered where the order
    goes, none named where some are offered, or one that cannot take the parcel
    (ShippingUnavailable, naming `shippingMethodCode`).
    """
    channel = await uow.locations.channel(command.channel)
    currency = next(iter(unit_prices.values())).currency
    place = tax_place(command.fulfilment, address, pickup)
    targets = await uow.promotions.targets_of({v.product_id for v in variants if v.product_id})
    group_id = customer.group_id if customer else None
    named = await _vouchers(uow, command, customer, currency, group_id, now)
    terms = PricingTerms(
        channel=command.channel,
        currency=currency,
        now=now,
        prices_include_tax=channel.prices_include_tax,
        tax_rates=tuple(await uow.taxes.rates_in(place.country)) if place else (),
        tax_place=place,
        customer_group_id=group_id,
        offers=tuple(Offer(p) for p in await uow.promotions.automatic(command.channel, now))
        + tuple(Offer(promotion, voucher.code) for voucher, promotion in named),
        shipping_method=await _shipping_method(uow, command, address),
    )
    lines = [
        LineToPrice(
            sku=variant.sku,
            quantity=line.quantity,
            unit_price=unit_prices[variant.sku],
            target=targets.get(variant.product_id or 0) or PricingTarget(variant.product_id or 0),
            tax_class=variant.tax_class,
            weight_grams=variant.weight_grams,
        )
        for variant, line in zip(variants, command.lines, strict=True)
    ]
    try:
        priced = price(lines, terms)
    except ShippingUnavailable as error:
        raise ShippingUnavailable(error.message, field=METHOD_FIELD) from error
    for index, (voucher, promotion) in enumerate(named):
        if not priced.used(Offer(promotion, voucher.code)):
            raise VoucherInvalid(
                f"voucher {voucher.code} takes nothing off this order",
                field=f"{VOUCHERS_FIELD}.{index}",
            )
    return OrderPricing(priced, channel, tuple(v for v, _ in named))


async def store_taxes(uow: UnitOfWork, channel: ChannelCode, location_id: int) -> StoreTaxes:
    """How what a store sells on `channel` is taxed: the channel's price setting, and the
    rates where the store is."""
    settings = await uow.locations.channel(channel)
    store = (await uow.locations.by_id([location_id])).get(location_id)
    place = tax_place(FulfilmentMethod.COUNTER, None, store)
    rates = tuple(await uow.taxes.rates_in(place.country)) if place else ()
    return StoreTaxes(settings.prices_include_tax, rates, place)


def tax_place(
    fulfilment: FulfilmentMethod, address: Address | None, location: Location | None
) -> TaxPlace | None:
    """Where the goods are taxed: where a SHIPPING order is delivered, else at the store
    they are handed over in (its postal address); None when that place is not known."""
    if fulfilment is FulfilmentMethod.SHIPPING:
        where = address
    else:
        where = location.postal_address if location else None
    if where is None or where.country is None:
        return None
    return TaxPlace(where.country, where.region)


async def _vouchers(
    uow: UnitOfWork,
    command: PlaceOrder,
    customer: Customer | None,
    currency: str,
    group_id: int | None,
    now: datetime,
) -> list[tuple[VoucherCode, Promotion]]:
    if len(command.voucher_codes) > MAX_VOUCHERS:
        raise InvalidInput(
            f"an order takes at most {MAX_VOUCHERS} voucher codes", field=VOUCHERS_FIELD
        )
    codes = [
        normalise_voucher_code(code, field=f"{VOUCHERS_FIELD}.{index}")
        for index, code in enumerate(command.voucher_codes)
    ]
    found = await uow.promotions.vouchers(codes)
    named: list[tuple[VoucherCode, Promotion]] = []
    for index, code in enumerate(codes):
        field = f"{VOUCHERS_FIELD}.{index}"
        if code in codes[:index]:
            raise InvalidInput(f"voucher {code} is named twice", field=field)
        if code not in found:
            raise VoucherInvalid(f"there is no voucher {code}", field=field)
        voucher, promotion = found[code]
        reason = promotion.runs_for(command.channel, now, currency, group_id)
        if reason is not None:
            raise VoucherInvalid(f"voucher {code} {reason}", field=field)
        if voucher.per_customer_limit is not None and customer is None:
            raise VoucherInvalid(
                f"voucher {code} is limited per customer: the order needs a customer", field=field
            )
        if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
            raise VoucherUsedUp(f"voucher {code} has been used up", field=field)
        limit = voucher.per_customer_limit
        if (
            limit is not None
            and customer
            and await uow.promotions.uses_by(voucher, id_of(customer)) >= limit
        ):
            raise VoucherUsedUp(
                f"voucher {code} has been used by this customer as often as it may be",
                field=field,
            )
        named.append((voucher, promotion))
    return named


async def redeem_vouchers(
    uow: UnitOfWork, vouchers: Sequence[VoucherCode], order_id: int, customer: Customer | None
) -> None:
    """Count each voucher's use by the new order, in its transaction; VoucherUsedUp when a
    concurrent order took its last use (or this customer's) first."""
    for index, voucher in enumerate(vouchers):
        if not await uow.promotions.redeem(voucher, order_id, customer.id if customer else None):
            raise VoucherUsedUp(
                f"voucher {voucher.code} has been used up", field=f"{VOUCHERS_FIELD}.{index}"
            )


async def _shipping_method(
    uow: UnitOfWork, command: PlaceOrder, address: Address | None
) -> ShippingMethod | None:
    """The method chosen for a SHIPPING order, among those its channel offers where it goes.
    An order whose destination no zone covers, or whose zone offers nothing on its channel,
    carries no shipping charge (shipping is charged once zones are set up)."""
    code = command.shipping_method_code
    if command.fulfilment is not FulfilmentMethod.SHIPPING:
        if code:
            raise InvalidInput("only a SHIPPING order has a shipping method", field=METHOD_FIELD)
        return None
    zone = await uow.shipping.zone_of(address.country) if address and address.country else None
    offered = (
        [m for m in await uow.shipping.methods_in(zone.code) if m.offered_on(command.channel)]
        if zone
        else []
    )
    if code is None:
        if offered:
            raise ShippingUnavailable(
                "choose a shipping method: " + ", ".join(m.code for m in offered),
                field=METHOD_FIELD,
            )
        return None
    wanted = normalise_shipping_code(code, field=METHOD_FIELD)
    method = next((m for m in offered if m.code == wanted), None)
    if method is None:
        where = address.country if address else "this address"
        raise ShippingUnavailable(
            f"shipping method {wanted} is not offered for {where} on {command.channel}",
            field=METHOD_FIELD,
        )
    return method
