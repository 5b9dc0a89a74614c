"""Commands on stock levels."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model.bulk_stock import StockLine
from domain.model.inventory import AdjustmentReason


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
class BulkSetStock:
    location_code: str
    lines: tuple[StockLine, ...]
    reason: AdjustmentReason = AdjustmentReason.CORRECTION
    note: str | None = None
