"""GraphQL types of taxes: tax classes and tax rates (domain/model/taxes.py)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import strawberry

from domain.model.taxes import TaxClass as DomainTaxClass
from domain.model.taxes import TaxRate as DomainTaxRate
from domain.model.taxes import plain_percent


@strawberry.type(
    description="A kind of goods the law taxes alike (STANDARD, REDUCED, ZERO…): a variant "
    "names one (Variant.taxClass), and a rate may be set for it."
)
class TaxClass:
    code: str = strawberry.field(description="Unique code, upper case, e.g. REDUCED.")
    name: str = strawberry.field(description="What it is, e.g. Reduced rate (food, books).")

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> TaxClass:
        """`row`: tax_reads.CLASS_COLUMNS, by position."""
        code, name = row
        return cls(code=code, name=name)

    @classmethod
    def from_domain(cls, tax_class: DomainTaxClass) -> TaxClass:
        return cls(code=tax_class.code, name=tax_class.name)


@strawberry.type(
    description="The tax on goods of one class, or of every class without a rate of its "
    "own, taxed in one country or one region of it. Of the rates that match a line, the most "
    "specific applies: region and class, then region, then country and class, then country."
)
class TaxRate:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. DE.")
    region: str | None = strawberry.field(
        description="ISO 3166-2 code of the region it is limited to (e.g. US-NY); null: "
        "the whole country."
    )
    tax_class: str | None = strawberry.field(
        description="The class it taxes; null: every class without a rate of its own here."
    )
    percent: Decimal = strawberry.field(
        description='The rate, 0-100 per cent with at most four decimals, as a string ("19", '
        '"8.875").'
    )
    name: str = strawberry.field(description="What invoices call it, e.g. VAT, GST, Sales tax.")

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> TaxRate:
        """`row`: tax_reads.RATE_COLUMNS, by position."""
        country, region, tax_class, percent, name = row
        return cls(
            country=country,
            region=region,
            tax_class=tax_class,
            percent=plain_percent(percent),
            name=name,
        )

    @classmethod
    def from_domain(cls, rate: DomainTaxRate) -> TaxRate:
        return cls(
            country=rate.country,
            region=rate.region,
            tax_class=rate.tax_class,
            percent=rate.percent,
            name=rate.name,
        )
