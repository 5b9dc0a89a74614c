"""The read side of taxes: tax classes and tax rates, as the admin API lists them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.pages import Rows
from persistence.records import TaxClassRecord, TaxRateRecord

# Built by position (`TaxClass.from_row`, `TaxRate.from_row`).
CLASS_COLUMNS = (TaxClassRecord.code, TaxClassRecord.name)
RATE_COLUMNS = (
    TaxRateRecord.country,
    TaxRateRecord.region,
    TaxRateRecord.tax_class,
    TaxRateRecord.percent,
    TaxRateRecord.name,
)


async def tax_classes(session: AsyncSession) -> Rows:
    return (await session.execute(select(*CLASS_COLUMNS).order_by(TaxClassRecord.code))).all()


async def tax_rates(session: AsyncSession, country: str | None) -> Rows:
    """Rates by country, then each country's own before its regions', and within one place
    the rate of every class before those of one class."""
    query = select(*RATE_COLUMNS).order_by(
        TaxRateRecord.country,
        func.coalesce(TaxRateRecord.region, ""),
        func.coalesce(TaxRateRecord.tax_class, ""),
    )
    if country is not None:
        query = query.where(TaxRateRecord.country == country)
    return (await session.execute(query)).all()
