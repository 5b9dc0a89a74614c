"""Commands on suppliers and purchase orders: what a caller asks, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.model.purchase_orders import ReceivedUnits


@dataclass(frozen=True)
class CreateSupplier:
    code: str
    name: str
    lead_time_days: int
    contact: str | None = None


@dataclass(frozen=True)
class SupplierPriceRequest:
    """What a supplier charges per unit of a SKU; no currency: the SKU's list-price one."""

    sku: str
    unit_cost: Decimal
    currency: str | None = None


@dataclass(frozen=True)
class SetSupplierPrices:
    supplier_code: str
    prices: tuple[SupplierPriceRequest, ...]


@dataclass(frozen=True)
class PurchaseOrderLineRequest:
    sku: str
    quantity: int
    unit_cost: Decimal


@dataclass(frozen=True)
class CreatePurchaseOrder:
    supplier_code: str
    location_code: str
    lines: tuple[PurchaseOrderLineRequest, ...]
    expected_at: datetime | None = None
    currency: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ChangePurchaseOrderStatus:
    """submit or cancel."""

    purchase_order_id: int
    note: str | None = None


@dataclass(frozen=True)
class ReceivePurchaseOrder:
    purchase_order_id: int
    lines: tuple[ReceivedUnits, ...]
    note: str | None = None
