"""Pricing what is sold at a store (a POS sale, a booked service): at the price charged, less
what a clerk took off by hand, taxed where the store is. Promotions do not apply here: a
till has already charged what the customer paid, and a service is booked at its price."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from domain.model.locations import ChannelCode
from domain.model.order_pricing import LineToPrice, PricingTerms, price
from domain.model.orders import OrderLine
from domain.model.promotions import PricingTarget
from domain.model.taxes import TaxPlace, TaxRate
from domain.money import Money


@dataclass(frozen=True)
class StoreTaxes:
    """How a store's sales are taxed: whether its channel's prices include tax, and the
    rates where the store is (none when its address is not set)."""

    prices_include_tax: bool = True
    rates: tuple[TaxRate, ...] = ()
    place: TaxPlace | None = None


def price_at_store(
    lines: list[OrderLine],
    taxes: StoreTaxes,
    channel: ChannelCode,
    at: datetime,
    discounts: Mapping[str, Money] | None = None,
    tax_classes: Mapping[str, str | None] | None = None,
) -> None:
    """Give each line (one per SKU) its hand-given discount (`discounts`, by SKU) and its net,
    tax and gross at the store's rates for its tax class (`tax_classes`, by SKU)."""
    terms = PricingTerms(
        channel=channel,
        currency=lines[0].unit_price.currency,
        now=at,
        prices_include_tax=taxes.prices_include_tax,
        tax_rates=taxes.rates,
        tax_place=taxes.place,
    )
    priced = price(
        [
            LineToPrice(
                sku=line.sku,
                quantity=line.quantity,
                unit_price=line.unit_price,
                target=PricingTarget(0),
                tax_class=(tax_classes or {}).get(line.sku),
                manual_discount=(discounts or {}).get(line.sku),
            )
            for line in lines
        ],
        terms,
    )
    for line, result in zip(lines, priced.lines, strict=True):
        line.discounts = result.discounts
        line.amounts = result.amounts
