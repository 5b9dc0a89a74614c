"""Tax classes and tax rates (domain/pricing_ports.py TaxRepository)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate
from domain.model.taxes import TaxClass, TaxRate, plain_percent
from persistence.conflict_inserts import conflict_insert
from persistence.records import TaxClassRecord, TaxRateRecord
from persistence.records.taxes import rate_key
from persistence.sql_types import AnyRow

RATE = TaxRateRecord
RATE_COLUMNS = (RATE.id, RATE.country, RATE.region, RATE.tax_class, RATE.percent, RATE.name)


class SqlTaxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rates_in(self, country: str) -> list[TaxRate]:
        rows = await self.session.execute(
            select(*RATE_COLUMNS).where(RATE.country == country).order_by(RATE.id)
        )
        return [_rate(row) for row in rows]

    async def class_by_code(self, code: str) -> TaxClass | None:
        record = await self.session.scalar(
            select(TaxClassRecord).where(TaxClassRecord.code == code)
        )
        return None if record is None else _class(record)

    async def add_class(self, tax_class: TaxClass) -> TaxClass:
        record = TaxClassRecord(code=tax_class.code, name=tax_class.name)
        self.session.add(record)
        try:
            await self.session.flush()
        except IntegrityError as error:
            raise Duplicate(f"tax class {tax_class.code} exists", field="code") from error
        return _class(record)

    async def set_rate(self, rate: TaxRate) -> TaxRate:
        # One upsert on the key's unique index: concurrent requests for one key cannot both
        # insert (the second waits for the first, then updates its row).
        statement = conflict_insert(self.session, RATE).values(
            country=rate.country,
            region=rate.region,
            tax_class=rate.tax_class,
            percent=rate.percent,
            name=rate.name,
        )
        row = (
            await self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=list(rate_key()),
                    set_={
                        "percent": statement.excluded.percent,
                        "name": statement.excluded.name,
                    },
                ).returning(*RATE_COLUMNS)
            )
        ).one()
        return _rate(row)

    async def remove_rate(
        self, country: str, region: str | None, tax_class: str | None
    ) -> TaxRate | None:
        row = (
            await self.session.execute(
                delete(RATE)
                .where(
                    RATE.country == country,
                    RATE.region.is_(None) if region is None else RATE.region == region,
                    RATE.tax_class.is_(None) if tax_class is None else RATE.tax_class == tax_class,
                )
                .returning(*RATE_COLUMNS)
            )
        ).first()
        return None if row is None else _rate(row)


def _class(record: TaxClassRecord) -> TaxClass:
    return TaxClass(id=record.id, code=record.code, name=record.name)


def _rate(row: AnyRow) -> TaxRate:
    rate_id, country, region, tax_class, percent, name = row
    return TaxRate(
        id=rate_id,
        country=country,
        region=region,
        tax_class=tax_class,
        percent=plain_percent(percent),  # as the domain writes it: 20, 8.875
        name=name,
    )
