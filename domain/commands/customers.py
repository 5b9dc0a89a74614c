"""Commands on customers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CreateCustomer:
    email: str
    name: str
    phone: str | None = None
    # How to read a phone typed without a country code: the service's default region
    # (ISO 3166 alpha-2, OMNIORDER_PHONE_REGION), or None to refuse such numbers.
    phone_region: str | None = None


@dataclass(frozen=True)
class AddCustomerAddress:
    customer_id: int
    label: str
    address: str


@dataclass(frozen=True)
class AddCustomerNote:
    customer_id: int
    note: str
