"""Suppliers and their price lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate
from domain.model.suppliers import Supplier, SupplierCost, SupplierPrice
from persistence.mappers import from_cents, to_cents
from persistence.records import SupplierPriceRecord, SupplierRecord

PRICE = SupplierPriceRecord


class SqlSupplierRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, supplier: Supplier) -> Supplier:
        record = SupplierRecord(
            code=supplier.code,
            name=supplier.name,
            contact=supplier.contact,
            lead_time_days=supplier.lead_time_days,
            created_at=datetime.now(UTC),
        )
        self.session.add(record)
        try:
            await self.session.flush()
        except IntegrityError as error:
            raise Duplicate(f"supplier {supplier.code} exists", field="code") from error
        supplier.id = record.id
        return supplier

    async def by_code(self, code: str) -> Supplier | None:
        record = await self.session.scalar(
            select(SupplierRecord).where(SupplierRecord.code == code).with_for_update()
        )
        if record is None:
            return None
        return Supplier(
            id=record.id,
            code=record.code,
            name=record.name,
            contact=record.contact,
            lead_time_days=record.lead_time_days,
        )

    async def set_prices(self, supplier_id: int, prices: Sequence[SupplierCost]) -> None:
        if not prices:
            return
        await self.session.execute(
            delete(PRICE).where(
                PRICE.supplier_id == supplier_id,
                PRICE.variant_id.in_(sorted({price.variant_id for price in prices})),
            )
        )
        now = datetime.now(UTC)
        await self.session.execute(
            insert(PRICE),
            [
                dict(
                    supplier_id=supplier_id,
                    variant_id=price.variant_id,
                    unit_cost_cents=to_cents(price.unit_cost),
                    currency=price.unit_cost.currency,
                    updated_at=now,
                )
                for price in prices
            ],
        )

    async def prices_for(self, variant_ids: Iterable[int]) -> dict[int, list[SupplierPrice]]:
        rows = await self.session.execute(
            select(
                PRICE.variant_id,
                PRICE.supplier_id,
                SupplierRecord.code,
                SupplierRecord.lead_time_days,
                PRICE.unit_cost_cents,
                PRICE.currency,
            )
            .join(SupplierRecord, SupplierRecord.id == PRICE.supplier_id)
            .where(PRICE.variant_id.in_(sorted(set(variant_ids))))
            .order_by(PRICE.variant_id, SupplierRecord.code)
        )
        prices: dict[int, list[SupplierPrice]] = defaultdict(list)
        for row in rows:
            prices[row.variant_id].append(
                SupplierPrice(
                    supplier_id=row.supplier_id,
                    supplier_code=row.code,
                    lead_time_days=row.lead_time_days,
                    unit_cost=from_cents(row.unit_cost_cents, row.currency),
                )
            )
        return dict(prices)
