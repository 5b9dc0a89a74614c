"""Commands on services and their bookings, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.model.locations import ChannelCode


@dataclass(frozen=True)
class ConsumableRequest:
    sku: str
    quantity: int


@dataclass(frozen=True)
class SetServiceRecipe:
    """Replace what a service uses up per unit performed (empty: nothing)."""

    sku: str
    consumables: tuple[ConsumableRequest, ...]


@dataclass(frozen=True)
class SetServiceCapacity:
    sku: str
    location_code: str
    slot_minutes: int
    capacity: int


@dataclass(frozen=True)
class BookService:
    sku: str
    location_code: str
    scheduled_at: datetime
    customer_email: str | None = None
    customer_phone: str | None = None
    customer_name: str | None = None
    channel: ChannelCode = ChannelCode.WEB
    idempotency_key: str | None = None
    phone_region: str | None = None  # as CreateCustomer.phone_region


@dataclass(frozen=True)
class ChangeServiceStatus:
    """start or cancel a booked service."""

    order_id: int
    note: str | None = None


@dataclass(frozen=True)
class CompleteService:
    """`consumables_used` None: the recipe was used up; else exactly what was reported."""

    order_id: int
    consumables_used: tuple[ConsumableRequest, ...] | None = None
    note: str | None = None
