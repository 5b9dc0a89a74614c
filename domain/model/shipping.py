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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from domain.errors import InvalidInput, ShippingUnavailable
from domain.model.addresses import country_code
from domain.model.codes import display_name, normalised_code
from domain.model.locations import ChannelCode
from domain.model.taxes import normalise_tax_class
from domain.money import Money

MAX_NAME = 100
MAX_BRACKETS = 50
MAX_ZONE_COUNTRIES = 250  # ISO 3166-1 lists 249: a zone may hold the whole world
MAX_WEIGHT_GRAMS = 1_000_000  # a tonne: far past any parcel, well inside a column


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
    return normalised_code(code, kind="code", field=field)


def shipping_name(name: str, *, field: str = "name") -> str:
    return display_name(name, kind="a zone's or method", limit=MAX_NAME, field=field)


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


def zone_countries(codes: Sequence[str], *, field: str = "countries") -> tuple[str, ...]:
    """A zone's countries, normalised, each once, in the order given (`field`.N at fault)."""
    if len(codes) > MAX_ZONE_COUNTRIES:
        raise InvalidInput(f"a zone holds at most {MAX_ZONE_COUNTRIES} countries", field=field)
    countries: list[str] = []
    for index, code in enumerate(codes):
        country = country_code(code, field=f"{field}.{index}")
        if country in countries:
            raise InvalidInput(f"country {country} appears twice", field=f"{field}.{index}")
        countries.append(country)
    return tuple(countries)


def new_shipping_zone(code: str, name: str, countries: Sequence[str]) -> ShippingZone:
    return ShippingZone(
        normalise_shipping_code(code), shipping_name(name), zone_countries(countries)
    )


def weight_grams(grams: int | None, *, field: str = "weightGrams") -> int | None:
    """A variant's weight: whole grams from 0 to MAX_WEIGHT_GRAMS, or None (not weighed)."""
    if grams is not None and not 0 <= grams <= MAX_WEIGHT_GRAMS:
        raise InvalidInput(f"a weight is 0-{MAX_WEIGHT_GRAMS} g, got {grams}", field=field)
    return grams


def shipping_method(
    code: str,
    name: str,
    zone_code: str,
    pricing: ShippingPricing,
    *,
    channels: Iterable[ChannelCode],
    price: Money | None = None,
    brackets: Sequence[WeightBracket] = (),
    free_above: Money | None = None,
    tax_class: str | None = None,
    active: bool = True,
    id: int | None = None,
) -> ShippingMethod:
    """A method whose parts agree, or INVALID_INPUT at the part that does not: a FLAT
    method has a price and no brackets, a BY_WEIGHT one checked brackets (at most
    MAX_WEIGHT_GRAMS) and no price; every amount is in one currency, its price's or its
    first bracket's. Creating a method and changing one both end here, so a change is
    checked as a new method is."""
    if pricing is ShippingPricing.FLAT:
        if price is None:
            raise InvalidInput("a FLAT method needs a price", field="price")
        if brackets:
            raise InvalidInput("a FLAT method has no weight brackets", field="brackets")
        currency = price.currency
    else:
        if price is not None:
            raise InvalidInput(
                "a BY_WEIGHT method is priced by its brackets, not by one price", field="price"
            )
        brackets = checked_brackets(brackets)
        for index, bracket in enumerate(brackets):
            if bracket.up_to_grams is not None and bracket.up_to_grams > MAX_WEIGHT_GRAMS:
                raise InvalidInput(
                    f"a bracket's upper weight is at most {MAX_WEIGHT_GRAMS} g",
                    field=f"brackets.{index}.upToGrams",
                )
        currency = brackets[0].price.currency
    amounts = [
        ("price", price),
        *((f"brackets.{index}.price", b.price) for index, b in enumerate(brackets)),
        ("freeAbove", free_above),
    ]
    for where, amount in amounts:
        if amount is not None and amount.currency != currency:
            raise InvalidInput(
                f"a shipping method charges in one currency: this one in {currency}, "
                f"{where} in {amount.currency}",
                field=where,
            )
    return ShippingMethod(
        code=normalise_shipping_code(code),
        name=shipping_name(name),
        zone_code=normalise_shipping_code(zone_code, field="zoneCode"),
        pricing=pricing,
        currency=currency,
        channels=tuple(dict.fromkeys(channels)),
        price=price,
        brackets=tuple(brackets),
        free_above=free_above,
        tax_class=None if tax_class is None else normalise_tax_class(tax_class, field="taxClass"),
        active=active,
        id=id,
    )
