"""Commands: what a caller asks the domain to do, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.model.catalog import ProductKind, ProductStatus
from domain.model.inventory import AdjustmentReason
from domain.model.locations import ChannelCode, LocationKind
from domain.model.orders import FulfilmentMethod, ShipRequest


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
class NewVariant:
    sku: str
    name: str
    price: Decimal
    currency: str
    barcode: str | None = None


@dataclass(frozen=True)
class CreateProduct:
    name: str
    variants: tuple[NewVariant, ...]
    description: str = ""
    status: ProductStatus = ProductStatus.ACTIVE
    kind: ProductKind = ProductKind.GOODS


@dataclass(frozen=True)
class UpdateVariantPrice:
    sku: str
    price: Decimal
    currency: str


@dataclass(frozen=True)
class SetProductStatus:
    product_id: int
    status: ProductStatus


@dataclass(frozen=True)
class CreateCustomer:
    email: str
    name: str
    phone: str | None = None


@dataclass(frozen=True)
class AddCustomerAddress:
    customer_id: int
    label: str
    address: str


@dataclass(frozen=True)
class AddCustomerNote:
    customer_id: int
    note: str


@dataclass(frozen=True)
class AdjustStock:
    sku: str
    location_code: str
    delta: int
    reason: AdjustmentReason
    note: str | None = None
    expected_on_hand: int | None = None


@dataclass(frozen=True)
class SetStockThresholds:
    sku: str
    location_code: str
    reorder_point: int
    safety_stock: int


@dataclass(frozen=True)
class OrderLineRequest:
    sku: str
    quantity: int


@dataclass(frozen=True)
class PlaceOrder:
    channel: ChannelCode
    lines: tuple[OrderLineRequest, ...]
    fulfilment: FulfilmentMethod
    customer_email: str | None = None
    shipping_address: str | None = None
    pickup_location_code: str | None = None
    idempotency_key: str | None = None
    allow_backorder: bool = False
    customer_phone: str | None = None
    customer_name: str | None = None


@dataclass(frozen=True)
class ChangeOrderStatus:
    """confirm, cancel, mark ready for pickup, mark delivered, complete."""

    order_id: int
    note: str | None = None


@dataclass(frozen=True)
class ShipOrder:
    order_id: int
    lines: tuple[ShipRequest, ...]
    carrier: str
    tracking_number: str
