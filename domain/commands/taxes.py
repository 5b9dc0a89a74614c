"""Commands on taxes: tax classes, rates, and what names them (variants, channels,
locations), as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.model.addresses import Address
from domain.model.locations import ChannelCode


@dataclass(frozen=True)
class CreateTaxClass:
    code: str
    name: str


@dataclass(frozen=True)
class SetTaxRate:
    """Create or replace the rate of (country, region, tax class); no region: the whole
    country; no class: every class without a rate of its own."""

    country: str
    region: str | None
    tax_class: str | None
    percent: Decimal
    name: str


@dataclass(frozen=True)
class DeleteTaxRate:
    country: str
    region: str | None
    tax_class: str | None


@dataclass(frozen=True)
class SetVariantTaxClass:
    """Put these variants in a tax class, or (no class) back in STANDARD."""

    skus: tuple[str, ...]
    tax_class: str | None


@dataclass(frozen=True)
class SetChannelTaxSettings:
    channel: ChannelCode
    prices_include_tax: bool


@dataclass(frozen=True)
class SetLocationAddress:
    """A location's structured postal address, as typed (the use case checks it)."""

    code: str
    address: Address
