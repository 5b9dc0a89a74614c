"""Commands on customers."""

from __future__ import annotations

from dataclasses import dataclass


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
