"""Shipping: zones of countries, and the methods a channel offers in each with their price.

A zone is a set of countries (EU, UK, North America); a country belongs to at most one
zone. A method (Standard, Express) belongs to one zone, is offered on the channels it
names, and prices a parcel one of two ways, as Saleor's price- and weight-based methods
and Shopify's shipping rates do:

- FLAT: one price per order;
- BY_WEIGHT: the price of the first bracket whose upper weight the parcel does not pass
  (brackets in grams; the last may have no upper bound). A heavier parcel than every
  bracket admits cannot go by that method.

Either may be free from a threshold: an order whose goods come to `free_above` or more
(after discounts, as the customer pays them) ships free. A method's price is entered the
way its channel enters prices (with or without tax), and taxed like goods of its own tax
class at the delivery address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from domain.errors import InvalidInput, ShippingUnavailable
from domain.model.locations import ChannelCode
from domain.money import Money

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}")
MAX_NAME = 100
MAX_BRACKETS = 50


class ShippingPricing(StrEnum):
    FLAT = "FLAT"
    BY_WEIGHT = "BY_WEIGHT"


@dataclass(frozen=True, slots=True)
class ShippingZone:
    code: str
    name: str
    countries: tuple[str, ...]
    id: int | None = None


@dataclass(frozen=True, slots=True)
class WeightBracket:
    """Parcels up to `up_to_grams` (None: any weight) cost `price`."""

    up_to_grams: int | None
    price: Money


@dataclass(frozen=True)
class ShippingMethod:
    code: str
    name: str
    zone_code: str
    pricing: ShippingPricing
    currency: str
    channels: tuple[ChannelCode, ...]
    price: Money | None = None  # FLAT
    brackets: tuple[WeightBracket, ...] = field(default=())  # BY_WEIGHT, lightest first
    free_above: Money | None = None
    tax_class: str | None = None
    active: bool = True
    id: int | None = None

    def offered_on(self, channel: ChannelCode) -> bool:
        return self.active and channel in self.channels

    def charge(self, goods: Money, weight_grams: int) -> Money:
        """What a parcel of `weight_grams` costs when the goods in it cost `goods`.
        ShippingUnavailable when the parcel is heavier than every bracket admits."""
        if goods.currency != self.currency:
            raise ShippingUnavailable(
                f"shipping method {self.code} charges in {self.currency}, the order is in "
                f"{goods.currency}"
            )
        if self.free_above is not None and goods.amount >= self.free_above.amount:
            return Money.zero(self.currency)
        if self.pricing is ShippingPricing.FLAT:
            assert self.price is not None  # a FLAT method always has its price
            return self.price
        for bracket in self.brackets:
            if bracket.up_to_grams is None or weight_grams <= bracket.up_to_grams:
                return bracket.price
        raise ShippingUnavailable(
            f"shipping method {self.code} takes parcels up to "
            f"{self.brackets[-1].up_to_grams} g; this one weighs {weight_grams} g"
        )


def normalise_shipping_code(code: str, *, field: str = "code") -> str:
    candidate = code.strip().upper()
    if not CODE_PATTERN.fullmatch(candidate):
        raise InvalidInput(f"code {code!r} must be 1-32 letters, digits, '_' or '-'", field=field)
    return candidate


def shipping_name(name: str, *, field: str = "name") -> str:
    text = " ".join(name.split())
    if not text or len(text) > MAX_NAME:
        raise InvalidInput(f"a name is 1-{MAX_NAME} characters", field=field)
    return text


def checked_brackets(
    brackets: Sequence[WeightBracket], *, field: str = "brackets"
) -> tuple[WeightBracket, ...]:
    """Brackets lightest first, each heavier than the one before, only the last unbounded."""
    if not brackets:
        raise InvalidInput("a BY_WEIGHT method needs at least one bracket", field=field)
    if len(brackets) > MAX_BRACKETS:
        raise InvalidInput(f"at most {MAX_BRACKETS} brackets", field=field)
    previous = 0
    for index, bracket in enumerate(brackets):
        bound = bracket.up_to_grams
        if bound is None and index != len(brackets) - 1:
            raise InvalidInput("only the last bracket may have no upper weight", field=field)
        if bound is not None and bound <= previous:
            raise InvalidInput(
                "each bracket's upper weight is above the one before it",
                field=f"{field}.{index}.upToGrams",
            )
        previous = bound or previous
    return tuple(brackets)
