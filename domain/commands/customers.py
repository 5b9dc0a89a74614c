"""Commands on customers."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model.addresses import Address


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
    address: Address  # as typed: checked by the use case
    phone_region: str | None = None  # as CreateCustomer.phone_region


@dataclass(frozen=True)
class AddCustomerNote:
    customer_id: int
    note: str
