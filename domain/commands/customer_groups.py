"""Commands on wholesale terms: what a caller asks, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CreateCustomerGroup:
    code: str
    name: str
    discount_percent: Decimal | None = None
    minimum_line_quantity: int = 1


@dataclass(frozen=True)
class GroupPriceRequest:
    """An entry of a group's price list; no price removes the SKU's entry."""

    sku: str
    price: Decimal | None
    minimum_quantity: int | None = None


@dataclass(frozen=True)
class SetCustomerGroupPrices:
    group_code: str
    prices: tuple[GroupPriceRequest, ...]


@dataclass(frozen=True)
class AssignCustomerGroup:
    """Put a customer in a group, or (no code) take it out of its group."""

    customer_id: int
    group_code: str | None
