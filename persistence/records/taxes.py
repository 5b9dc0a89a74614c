"""Tables of taxes: tax classes, and the rates that apply where goods are taxed.

A rate's key is (country, region, tax class), each of the last two null for "the whole
country" and "every class without a rate of its own". A plain unique constraint would let
two rows with the same nulls in (SQL's NULLs are never equal), so the key is a unique index
over the nulls made empty strings: one rate per key on SQLite and PostgreSQL alike, and the
target of the upsert that sets one (persistence/repositories/taxes.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base

# The rate's key as the unique index spells it: the same expressions, in the same order,
# must be named by an upsert for the database to infer the index.
RATE_KEY_INDEX = "uq_tax_rates_country_region_tax_class"
# A literal, not a bound parameter: SQLite infers an upsert's index only from expressions
# written exactly as the index's are.
EMPTY: ColumnElement[str] = literal_column("''")


class TaxClassRecord(Base):
    __tablename__ = "tax_classes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))


class TaxRateRecord(Base):
    __tablename__ = "tax_rates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    region: Mapped[str | None] = mapped_column(String(8))  # ISO 3166-2 code; null: everywhere
    tax_class: Mapped[str | None] = mapped_column(ForeignKey("tax_classes.code"))
    percent: Mapped[Decimal] = mapped_column(Numeric(7, 4))  # 0-100.0000
    name: Mapped[str] = mapped_column(String(64))


def rate_key() -> tuple[ColumnElement[Any], ...]:
    """The key of a rate, nulls as empty strings: the unique index's expressions."""
    return (
        TaxRateRecord.country.expression,
        func.coalesce(TaxRateRecord.region, EMPTY),
        func.coalesce(TaxRateRecord.tax_class, EMPTY),
    )


Index(RATE_KEY_INDEX, *rate_key(), unique=True)
