"""Postal addresses, in and out (domain/model/addresses.py holds the rules)."""

from __future__ import annotations

from typing import Any

import strawberry

from domain.model.addresses import Address as DomainAddress
from persistence.mappers import address_from_json


@strawberry.input(
    description="A postal address. Checked as it arrives: country an ISO 3166-1 alpha-2 "
    "code; region, where the country has ISO 3166-2 subdivisions, one of them by code or "
    "name (kept as the code); postal code by its pattern in US, CA, GB, DE, FR, ES, IT, NL "
    "and AU (required there); phone written in E.164. Each field at fault is its own "
    "userError (INVALID_INPUT) at its path, e.g. input.shippingAddress.postalCode."
)
class AddressInput:
    name: str | None = strawberry.field(default=None, description="Who receives it.")
    company: str | None = strawberry.field(default=None, description="Their company.")
    line1: str = strawberry.field(description="Street and number; required.")
    line2: str | None = strawberry.field(
        default=None, description="Flat, floor, building, and the like."
    )
    city: str = strawberry.field(description="City or town; required.")
    postal_code: str | None = strawberry.field(
        default=None, description="Postal code; required where it is checked (see above)."
    )
    region: str | None = strawberry.field(
        default=None,
        description="State, province or county: an ISO 3166-2 code ('US-CA', or 'CA' "
        "within its country) or the subdivision's name ('California').",
    )
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. GB or US.")
    phone: str | None = strawberry.field(
        default=None,
        description="A phone for the courier; without a country code it is read as "
        "dialled in the address's country.",
    )

    def to_domain(self) -> DomainAddress:
        """As typed; the use case checks and normalises it."""
        return DomainAddress(
            line1=self.line1,
            country=self.country,
            name=self.name,
            company=self.company,
            line2=self.line2,
            city=self.city,
            postal_code=self.postal_code,
            region=self.region,
            phone=self.phone,
        )


@strawberry.type(
    description="A postal address. One stored before addresses were structured has its "
    "text in line1 and no country."
)
class Address:
    name: str | None = strawberry.field(description="Who receives it.")
    company: str | None = strawberry.field(description="Their company.")
    line1: str = strawberry.field(description="Street and number.")
    line2: str | None = strawberry.field(description="Flat, floor, building, and the like.")
    city: str | None = strawberry.field(description="City or town.")
    postal_code: str | None = strawberry.field(
        description="Postal code, in capitals with single spaces."
    )
    region: str | None = strawberry.field(
        description="State, province or county: its ISO 3166-2 code (e.g. US-CA) where the "
        "country has subdivisions, else as typed."
    )
    country: str | None = strawberry.field(
        description="ISO 3166-1 alpha-2 code; null only for an address stored as free text."
    )
    country_name: str | None = strawberry.field(description="The country's English name.")
    phone: str | None = strawberry.field(description="Phone in E.164, e.g. +442079460958.")
    formatted: list[str] = strawberry.field(
        description="The lines to print on a label: name, company, street lines, locality "
        "(postal code, city, region in the country's usual order), country."
    )

    @classmethod
    def from_domain(cls, address: DomainAddress) -> Address:
        return cls(
            name=address.name,
            company=address.company,
            line1=address.line1,
            line2=address.line2,
            city=address.city,
            postal_code=address.postal_code,
            region=address.region,
            country=address.country,
            country_name=address.country_name,
            phone=address.phone,
            formatted=address.formatted,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Address | None:
        """The address a JSON column holds (persistence/mappers.py)."""
        address = address_from_json(data)
        return None if address is None else cls.from_domain(address)
