"""Postal addresses: where a SHIPPING order goes, and the addresses a customer keeps.

An address is structured the way carriers and tax rules read it (as Saleor's Address and
Shopify's MailingAddress are): name, company, two street lines, city, postal code, region
and country, and a phone for the courier. `checked_address` validates one as it arrives:

- country: an ISO 3166-1 alpha-2 code that pycountry knows ("gb" becomes "GB"), required;
- region: when the country has ISO 3166-2 subdivisions, one of them, given by its code
  ("US-CA", or "CA" under US) or its name ("California", any case, accents optional) and
  kept as the code; elsewhere kept as typed;
- postal code: required and checked against a well-known pattern for the few countries in
  POSTAL_CODE_PATTERNS, written in capitals with single spaces; elsewhere optional, any text;
- phone: written in E.164 by phonenumbers, a number without a country code read as
  dialled in the address's country;
- line1 and city required; every text at most its length.

Each field at fault is its own problem (InvalidAddress gathers them). Addresses stored
before they were structured keep their text as `line1` with no country: they are shown,
never validated again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import pycountry

from domain.errors import InvalidAddress, InvalidInput
from domain.model.customers import normalise_phone

MAX_LINE = 200
MAX_POSTAL_CODE = 20
# Postal code patterns that are short, stable and well known; other countries' codes are
# taken as typed (a full table belongs to a dedicated address library, not here).
POSTAL_CODE_PATTERNS = {
    "US": re.compile(r"\d{5}(-\d{4})?"),
    "CA": re.compile(r"[ABCEGHJ-NPRSTVXY]\d[A-Z] \d[A-Z]\d"),
    "GB": re.compile(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}"),
    "DE": re.compile(r"\d{5}"),
    "FR": re.compile(r"\d{5}"),
    "ES": re.compile(r"\d{5}"),
    "IT": re.compile(r"\d{5}"),
    "NL": re.compile(r"\d{4} [A-Z]{2}"),
    "AU": re.compile(r"\d{4}"),
}
# Where the locality line reads "City, ST 12345" rather than "12345 City".
CITY_FIRST = frozenset({"US", "CA", "AU"})
WHITESPACE = re.compile(r"\s+")
# pycountry's subdivision look-up (code= or country_code=), which it leaves untyped.
SUBDIVISIONS: Callable[..., Any] = pycountry.subdivisions.get


@dataclass(frozen=True)
class Address:
    """A postal address. `country` is None only for an address stored as free text before
    addresses were structured (its text is in `line1`)."""

    line1: str
    country: str | None
    name: str | None = None
    company: str | None = None
    line2: str | None = None
    city: str | None = None
    postal_code: str | None = None
    region: str | None = None
    phone: str | None = None

    @property
    def country_name(self) -> str | None:
        country = pycountry.countries.get(alpha_2=self.country) if self.country else None
        return None if country is None else str(country.name)

    @property
    def formatted(self) -> list[str]:
        """The lines to print on a label: name, company, street, locality, country."""
        locality = self._locality()
        lines = [self.name, self.company, self.line1, self.line2, locality, self.country_name]
        return [line for line in lines if line]

    def _locality(self) -> str:
        region = self.region or ""
        if self.country in CITY_FIRST:
            code = region.split("-", 1)[-1]
            place = ", ".join(part for part in (self.city, code) if part)
            return " ".join(part for part in (place, self.postal_code) if part)
        region_name = _subdivision_name(region) if region else None
        parts = (self.postal_code, self.city, region_name or region or None)
        return " ".join(part for part in parts if part)


def checked_address(address: Address, *, field: str, phone_region: str | None = None) -> Address:
    """`address` trimmed, validated and normalised (see the module's docstring); every
    field at fault is reported at `field`.<its name>, all at once. `phone_region` reads a
    phone without a country code when the address has no valid country."""
    problems: list[InvalidInput] = []

    def text(value: str | None, name: str, limit: int, *, required: bool = False) -> str | None:
        cleaned = WHITESPACE.sub(" ", value).strip() if value else ""
        if required and not cleaned:
            problems.append(InvalidInput(f"an address needs a {_label(name)}", field=name))
        elif len(cleaned) > limit:
            problems.append(
                InvalidInput(f"{_label(name)} is at most {limit} characters", field=name)
            )
        return cleaned or None

    country = _country(address.country, problems)
    checked = Address(
        line1=text(address.line1, "line1", MAX_LINE, required=True) or "",
        country=country,
        name=text(address.name, "name", MAX_LINE),
        company=text(address.company, "company", MAX_LINE),
        line2=text(address.line2, "line2", MAX_LINE),
        city=text(address.city, "city", MAX_LINE, required=True),
        postal_code=text(address.postal_code, "postalCode", MAX_POSTAL_CODE),
        region=text(address.region, "region", MAX_LINE),
    )
    if country is not None:
        checked = replace(
            checked,
            region=_region(checked.region, country, problems),
            postal_code=_postal_code(checked.postal_code, country, problems),
        )
    phone = text(address.phone, "phone", MAX_LINE)
    if phone is not None:
        try:
            phone = normalise_phone(phone, region=country or phone_region, field="phone")
        except InvalidInput as problem:
            problems.append(problem)
    if problems:
        raise InvalidAddress([_at(field, problem) for problem in problems])
    return replace(checked, phone=phone)


def checked_place(country: str, region: str | None) -> tuple[str, str | None]:
    """A country, and optionally one of its regions, checked by the rules of an address's
    (at fields `country` and `region`), the region kept as its ISO 3166-2 code: what a rule
    bound to a place (a tax rate) names. Unlike an address's, the region of a country
    without ISO 3166-2 subdivisions is refused, since nothing could be told to match it."""
    problems: list[InvalidInput] = []
    code = _country(country, problems)
    named = WHITESPACE.sub(" ", region).strip() if region else None
    if code is not None and named:
        if _subdivisions(code):
            named = _region(named, code, problems)
        else:
            problems.append(InvalidInput(f"{code} has no ISO 3166-2 regions", field="region"))
    if problems or code is None:
        raise problems[0]  # a bad country leaves the region unchecked: one problem at most
    return code, named or None


def country_code(code: str, *, field: str) -> str:
    """An ISO 3166-1 alpha-2 code as a client wrote it (any case, spaces around), upper
    case; INVALID_INPUT at `field` when pycountry knows no such country."""
    candidate = code.strip().upper()
    if len(candidate) != 2 or pycountry.countries.get(alpha_2=candidate) is None:
        raise InvalidInput(
            f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. GB, US, DE)", field=field
        )
    return candidate


def _country(code: str | None, problems: list[InvalidInput]) -> str | None:
    if not (code or "").strip():
        problems.append(InvalidInput("an address needs a country", field="country"))
        return None
    try:
        return country_code(code or "", field="country")
    except InvalidInput as problem:
        problems.append(problem)
        return None


def _region(region: str | None, country: str, problems: list[InvalidInput]) -> str | None:
    subdivisions = _subdivisions(country)
    if region is None or not subdivisions:
        return region
    key = _folded(region)
    code = subdivisions.get(key) or subdivisions.get(f"{country.lower()}-{key}")
    if code is None:
        problems.append(
            InvalidInput(
                f"{region!r} is not a region of {country}: give its ISO 3166-2 code "
                f"(e.g. {min(set(subdivisions.values()))}) or name",
                field="region",
            )
        )
    return code


def _postal_code(postal_code: str | None, country: str, problems: list[InvalidInput]) -> str | None:
    pattern = POSTAL_CODE_PATTERNS.get(country)
    if pattern is None:
        return postal_code
    if postal_code is None:
        problems.append(
            InvalidInput(f"an address in {country} needs a postal code", field="postalCode")
        )
        return None
    written = postal_code.upper()
    if not pattern.fullmatch(written):
        problems.append(
            InvalidInput(f"{postal_code!r} is not a postal code of {country}", field="postalCode")
        )
    return written


@cache
def _subdivisions(country: str) -> dict[str, str]:
    """Folded code ("us-ca") and name ("california") → code, for one country; a name two
    subdivisions share goes to the one at the top of the hierarchy."""
    found = sorted(
        SUBDIVISIONS(country_code=country) or (),
        key=lambda sub: (sub.parent_code is None, sub.code),
    )
    keys: dict[str, str] = {}
    for subdivision in found:
        keys[_folded(subdivision.name)] = subdivision.code
    keys.update({subdivision.code.lower(): subdivision.code for subdivision in found})
    return keys


def _subdivision_name(code: str) -> str | None:
    subdivision = SUBDIVISIONS(code=code)
    return None if subdivision is None else str(subdivision.name)


def _folded(text: str) -> str:
    """Compared without case or accents: "ile-de-france" matches "Île-de-France"."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _label(name: str) -> str:
    return {"line1": "first address line", "postalCode": "postal code"}.get(name, name)


def _at(field: str, problem: InvalidInput) -> InvalidInput:
    return InvalidInput(problem.message, field=f"{field}.{problem.field}")
