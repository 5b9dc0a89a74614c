"""Taxes: tax classes, the rates that apply where goods are delivered, and how one amount
splits into net, tax and gross.

A variant names a tax class (STANDARD when it names none, REDUCED, ZERO…). A rate applies
to a country, or to one region (ISO 3166-2) of it, for one class or for every class
without a rate of its own. The rate of a line is the most specific one for the place its
goods are taxed at, as Saleor's flat rates and Shopify's tax overrides choose:

    (country, region, class) > (country, region, any class)
      > (country, class) > (country, any class) > no tax.

Where goods are taxed: a SHIPPING order where it is delivered; a PICKUP order, a POS sale
and a booked service at the store (its location's address).

A channel enters prices with tax included (a shop in Europe: 12.00 EUR is what the
customer pays) or without (wholesale, North America: tax is added on top). Each amount is
split once, rounded half-even to the currency's minor unit:

    included:  net = gross / (1 + rate), tax = gross - net
    excluded:  tax = net * rate,         gross = net + tax
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from domain.errors import InvalidInput
from domain.model.addresses import checked_place
from domain.model.codes import display_name, normalised_code
from domain.money import Money

STANDARD = "STANDARD"  # the class of a variant that names none
MAX_RATE = Decimal(100)
RATE_DECIMALS = Decimal("0.0001")
HUNDRED = Decimal(100)
MAX_TAX_NAME = 64


@dataclass(frozen=True, slots=True)
class TaxClass:
    code: str
    name: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class TaxRate:
    """`percent` of tax on goods of `tax_class` (None: every class without its own rate)
    delivered in `country`, or only in its `region`."""

    country: str
    percent: Decimal
    name: str = "Tax"
    region: str | None = None
    tax_class: str | None = None
    id: int | None = None

    def specificity(self) -> tuple[bool, bool]:
        return (self.region is not None, self.tax_class is not None)


NO_TAX = TaxRate(country="", percent=Decimal(0), name="No tax")


@dataclass(frozen=True, slots=True)
class TaxPlace:
    """Where an order's goods are taxed: a country, and a region when it has one."""

    country: str
    region: str | None = None


@dataclass(frozen=True, slots=True)
class TaxSplit:
    net: Money
    tax: Money
    gross: Money


def applicable_rate(
    rates: Iterable[TaxRate], place: TaxPlace | None, tax_class: str | None
) -> TaxRate:
    """The most specific rate for goods of `tax_class` taxed at `place`; NO_TAX when no
    rate matches, or when the place is unknown (an address stored as free text)."""
    if place is None:
        return NO_TAX
    wanted = tax_class or STANDARD
    best: TaxRate | None = None
    for rate in rates:
        if rate.country != place.country:
            continue
        if rate.region is not None and rate.region != place.region:
            continue
        if rate.tax_class is not None and rate.tax_class != wanted:
            continue
        if best is None or rate.specificity() > best.specificity():
            best = rate
    return best or NO_TAX


def split(amount: Money, rate: TaxRate, *, prices_include_tax: bool) -> TaxSplit:
    """Net, tax and gross of an amount entered with or without tax, the tax rounded once."""
    zero = Money.zero(amount.currency)
    if rate.percent == 0:
        return TaxSplit(amount, zero, amount)
    if prices_include_tax:
        net = Money.rounded(amount.amount * HUNDRED / (HUNDRED + rate.percent), amount.currency)
        return TaxSplit(net, amount - net, amount)
    tax = Money.rounded(amount.amount * rate.percent / HUNDRED, amount.currency)
    return TaxSplit(amount, tax, amount + tax)


def normalise_tax_class(code: str, *, field: str = "code") -> str:
    """Tax class codes are upper case letters, digits, '_' and '-', at most 32 characters."""
    return normalised_code(code, kind="tax class", field=field)


def tax_percent(value: Decimal, *, field: str = "percent") -> Decimal:
    """A rate from 0 to 100 per cent with at most four decimals (8.875 for New York)."""
    try:
        percent = Decimal(value)
        exact = percent.is_finite() and percent == percent.quantize(RATE_DECIMALS)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise InvalidInput(f"{value!r} is not a percentage", field=field) from error
    if not exact:
        raise InvalidInput(f"a tax rate has at most four decimals, got {value}", field=field)
    if not 0 <= percent <= MAX_RATE:
        raise InvalidInput(f"a tax rate is 0-100 per cent, got {value}", field=field)
    return plain_percent(percent)


def plain_percent(percent: Decimal) -> Decimal:
    """A percentage written without trailing zeros or an exponent: 20, 7.25, 0."""
    value = percent.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value + 0


def tax_name(name: str, *, field: str = "name") -> str:
    return display_name(name, kind="a tax", limit=MAX_TAX_NAME, field=field)


def new_tax_class(code: str, name: str) -> TaxClass:
    """A class as an admin creates it: its code normalised, its name 1-64 characters."""
    return TaxClass(
        code=normalise_tax_class(code),
        name=display_name(name, kind="a tax class", limit=MAX_TAX_NAME),
    )


def new_tax_rate(
    country: str, region: str | None, tax_class: str | None, percent: Decimal, name: str
) -> TaxRate:
    """A rate as an admin sets it: the country and region checked as an address's are (the
    region kept as its ISO 3166-2 code, so it matches a checked address's), the class
    normalised (None: every class without a rate of its own), the percentage and name valid.
    """
    country_code, region_code = checked_place(country, region)
    return TaxRate(
        country=country_code,
        region=region_code,
        tax_class=None if tax_class is None else normalise_tax_class(tax_class, field="taxClass"),
        percent=tax_percent(percent),
        name=tax_name(name),
    )
