"""Commands on orders: placing, status changes, shipping."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model.addresses import Address
from domain.model.locations import ChannelCode
from domain.model.orders import FulfilmentMethod, ShipRequest


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
    shipping_address: Address | None = None  # as typed: checked by the use case
    pickup_location_code: str | None = None
    idempotency_key: str | None = None
    allow_backorder: bool = False
    customer_phone: str | None = None
    customer_name: str | None = None
    phone_region: str | None = None  # as CreateCustomer.phone_region
    override_credit_limit: bool = False  # ADMIN only: place it past the credit limit
    voucher_codes: tuple[str, ...] = ()
    shipping_method_code: str | None = None


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
