"""Commands on the catalog, locations and channels."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.commands.options import NewOption
from domain.model.catalog import ProductKind, ProductStatus
from domain.model.locations import ChannelCode, LocationKind
from domain.model.options import SelectedOption
from domain.model.payments import CaptureMoment


@dataclass(frozen=True)
class CreateLocation:
    code: str
    name: str
    kind: LocationKind
    address: str = ""


@dataclass(frozen=True)
class SetChannelLocations:
    channel: ChannelCode
    location_codes: tuple[str, ...]


@dataclass(frozen=True)
class SetChannelPaymentSettings:
    channel: ChannelCode
    capture_on: CaptureMoment
    unpaid_order_ttl_minutes: int | None


@dataclass(frozen=True)
class NewVariant:
    sku: str
    name: str
    price: Decimal
    currency: str
    barcode: str | None = None
    selected_options: tuple[SelectedOption, ...] = ()  # one value of each product option


@dataclass(frozen=True)
class SetProductChannels:
    product_id: int
    channels: tuple[ChannelCode, ...]  # every channel it is published on


@dataclass(frozen=True)
class CreateProduct:
    name: str
    variants: tuple[NewVariant, ...]
    description: str = ""
    status: ProductStatus = ProductStatus.ACTIVE
    kind: ProductKind = ProductKind.GOODS
    options: tuple[NewOption, ...] = ()


@dataclass(frozen=True)
class UpdateVariantPrice:
    sku: str
    price: Decimal
    currency: str


@dataclass(frozen=True)
class SetProductStatus:
    product_id: int
    status: ProductStatus
