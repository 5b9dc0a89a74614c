"""Suppliers: who sells us goods, how long they take to deliver, and what they charge.

A supplier has a unique code, a name, whom to contact and a lead time in days: how long
after ordering its goods usually arrive. It charges a unit cost per variant (its price
list); a variant may have prices from several suppliers, each in the supplier's currency.
Purchase orders (domain/model/purchase_orders.py) buy from one supplier; planning
(manufacturing) reads the prices and lead times to choose one.

Suppliers and their costs are internal: ADMIN and STAFF read and change them; POS
terminals, customers and anonymous callers do neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from domain.access import Principal, Role
from domain.errors import InvalidInput
from domain.model.catalog import Variant
from domain.model.identity import id_of
from domain.money import Money, currency_code

SUPPLIER_CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}")
MAX_NAME = 200
MAX_CONTACT = 500
MAX_LEAD_TIME_DAYS = 365


@dataclass
class Supplier:
    code: str
    name: str
    lead_time_days: int
    contact: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class SupplierPrice:
    """What one supplier charges per unit of a variant (the variant is the key it is
    listed under), with the supplier's lead time, so a planner can choose between them."""

    supplier_id: int
    supplier_code: str
    lead_time_days: int
    unit_cost: Money


@dataclass(frozen=True, slots=True)
class SupplierCost:
    """An entry of a supplier's price list, as it is set."""

    variant_id: int
    sku: str
    unit_cost: Money


def normalise_supplier_code(code: str, *, field: str = "code") -> str:
    """Supplier codes are upper case letters, digits, '_' and '-', at most 32 characters."""
    candidate = code.strip().upper()
    if not SUPPLIER_CODE_PATTERN.fullmatch(candidate):
        raise InvalidInput(
            f"supplier code {code!r} must be 1-32 letters, digits, '_' or '-'", field=field
        )
    return candidate


def new_supplier(code: str, name: str, contact: str | None, lead_time_days: int) -> Supplier:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(f"a supplier's name is 1-{MAX_NAME} characters", field="name")
    contact = (contact or "").strip() or None
    if contact is not None and len(contact) > MAX_CONTACT:
        raise InvalidInput(f"contact is at most {MAX_CONTACT} characters", field="contact")
    if not 0 <= lead_time_days <= MAX_LEAD_TIME_DAYS:
        raise InvalidInput(
            f"a lead time is 0-{MAX_LEAD_TIME_DAYS} days, got {lead_time_days}",
            field="leadTimeDays",
        )
    return Supplier(
        code=normalise_supplier_code(code),
        name=name,
        contact=contact,
        lead_time_days=lead_time_days,
    )


def supplier_cost(
    variant: Variant, unit_cost: Decimal, currency: str | None, *, field: str
) -> SupplierCost:
    """An entry of a price list: zero or more, two decimals, in `currency` or else the
    currency of the variant's list price."""
    code = (
        variant.price.currency
        if currency is None
        else currency_code(currency, field=f"{field}.currency")
    )
    return SupplierCost(
        variant_id=id_of(variant),
        sku=variant.sku,
        unit_cost=Money.of(unit_cost, code, field=f"{field}.unitCost"),
    )


def may_read_suppliers(principal: Principal) -> bool:
    return principal.role in (Role.ADMIN, Role.STAFF)
