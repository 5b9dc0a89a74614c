"""Commands on shipping zones, shipping methods and variant weights: plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from domain.model.locations import ChannelCode
from domain.model.shipping import ShippingPricing


class Keep(Enum):
    """What a change leaves as it is, for a part that None would clear."""

    KEEP = "KEEP"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class AmountRequest:
    """An amount as the caller wrote it; checked into Money by the use case."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class BracketRequest:
    """Parcels up to `up_to_grams` (None: any weight) cost `price`."""

    up_to_grams: int | None
    price: AmountRequest


@dataclass(frozen=True)
class CreateShippingZone:
    code: str
    name: str
    countries: tuple[str, ...]


@dataclass(frozen=True)
class UpdateShippingZone:
    """Change what is given (None: keep); `countries` replaces the zone's list."""

    code: str
    name: str | None = None
    countries: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CreateShippingMethod:
    code: str
    name: str
    zone_code: str
    pricing: ShippingPricing
    channels: tuple[ChannelCode, ...]
    price: AmountRequest | None = None
    brackets: tuple[BracketRequest, ...] = ()
    free_above: AmountRequest | None = None
    tax_class: str | None = None


@dataclass(frozen=True)
class UpdateShippingMethod:
    """Change what is given: None keeps the others, KEEP keeps `free_above` and
    `tax_class`, whose None clears them."""

    code: str
    name: str | None = None
    price: AmountRequest | None = None
    brackets: tuple[BracketRequest, ...] | None = None
    free_above: AmountRequest | Keep | None = KEEP
    tax_class: str | Keep | None = KEEP
    channels: tuple[ChannelCode, ...] | None = None
    active: bool | None = None


@dataclass(frozen=True)
class VariantWeight:
    """A SKU's weight in grams; None clears it."""

    sku: str
    weight_grams: int | None


@dataclass(frozen=True)
class SetVariantWeights:
    lines: tuple[VariantWeight, ...]
