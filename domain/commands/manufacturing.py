"""Commands on bills of materials, work orders and material requirements: what a caller
asks, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ComponentRequest:
    sku: str
    quantity: int


@dataclass(frozen=True)
class SetBillOfMaterials:
    """Replace a variant's BOM; no components removes it."""

    sku: str
    components: tuple[ComponentRequest, ...]


@dataclass(frozen=True)
class CreateWorkOrder:
    sku: str
    quantity: int
    location_code: str
    due_date: date
    note: str | None = None


@dataclass(frozen=True)
class ChangeWorkOrderStatus:
    """release, start or cancel."""

    work_order_id: int
    note: str | None = None


@dataclass(frozen=True)
class CompleteWorkOrder:
    work_order_id: int
    produced_quantity: int
    scrapped_quantity: int = 0
    note: str | None = None


@dataclass(frozen=True)
class PlanMaterialRequirements:
    location_code: str
    horizon_days: int


@dataclass(frozen=True)
class PurchaseSuggestionChoice:
    sku: str
    quantity: int
    supplier_code: str


@dataclass(frozen=True)
class CreatePurchaseOrdersFromSuggestions:
    location_code: str
    suggestions: tuple[PurchaseSuggestionChoice, ...]
