"""Customer groups and their price lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate
from domain.model.pricing import CustomerGroup, GroupPrice
from domain.money import Money
from persistence.mappers import from_basis_points, from_cents, to_basis_points, to_cents
from persistence.reads.credit import credit_limit_values
from persistence.records import CustomerGroupPriceRecord, CustomerGroupRecord, VariantRecord


class SqlCustomerGroupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, group: CustomerGroup) -> CustomerGroup:
        record = CustomerGroupRecord(
            code=group.code,
            name=group.name,
            discount_basis_points=(
                None if group.discount_percent is None else to_basis_points(group.discount_percent)
            ),
            minimum_line_quantity=group.minimum_line_quantity,
            created_at=datetime.now(UTC),
        )
        self.session.add(record)
        try:
            await self.session.flush()
        except IntegrityError as error:
            raise Duplicate(f"customer group {group.code} exists", field="code") from error
        group.id = record.id
        return group

    async def by_code(self, code: str) -> CustomerGroup | None:
        record = await self.session.scalar(
            select(CustomerGroupRecord).where(CustomerGroupRecord.code == code).with_for_update()
        )
        return _group(record) if record else None

    async def get(self, group_id: int, variant_ids: Iterable[int]) -> CustomerGroup | None:
        record = await self.session.get(CustomerGroupRecord, group_id)
        if record is None:
            return None
        group = _group(record)
        rows = await self.session.execute(
            select(
                CustomerGroupPriceRecord.variant_id,
                VariantRecord.sku,
                CustomerGroupPriceRecord.price_cents,
                CustomerGroupPriceRecord.currency,
                CustomerGroupPriceRecord.minimum_quantity,
            )
            .join(VariantRecord, VariantRecord.id == CustomerGroupPriceRecord.variant_id)
            .where(
                CustomerGroupPriceRecord.group_id == group_id,
                CustomerGroupPriceRecord.variant_id.in_(sorted(set(variant_ids))),
            )
        )
        group.prices = {
            row.variant_id: GroupPrice(
                variant_id=row.variant_id,
                sku=row.sku,
                price=from_cents(row.price_cents, row.currency),
                minimum_quantity=row.minimum_quantity,
            )
            for row in rows
        }
        return group

    async def set_prices(self, group_id: int, prices: Sequence[GroupPrice]) -> None:
        if not prices:
            return
        await self.remove_prices(group_id, [price.variant_id for price in prices])
        await self.session.execute(
            insert(CustomerGroupPriceRecord),
            [
                dict(
                    group_id=group_id,
                    variant_id=price.variant_id,
                    price_cents=to_cents(price.price),
                    currency=price.price.currency,
                    minimum_quantity=price.minimum_quantity,
                )
                for price in prices
            ],
        )

    async def set_credit_limit(self, group_id: int, limit: Money | None) -> None:
        await self.session.execute(
            update(CustomerGroupRecord)
            .where(CustomerGroupRecord.id == group_id)
            .values(**credit_limit_values(limit))
            .execution_options(synchronize_session=False)
        )

    async def remove_prices(self, group_id: int, variant_ids: Iterable[int]) -> None:
        ids = sorted(set(variant_ids))
        if ids:
            await self.session.execute(
                delete(CustomerGroupPriceRecord).where(
                    CustomerGroupPriceRecord.group_id == group_id,
                    CustomerGroupPriceRecord.variant_id.in_(ids),
                )
            )


def _group(record: CustomerGroupRecord) -> CustomerGroup:
    points = record.discount_basis_points
    return CustomerGroup(
        id=record.id,
        code=record.code,
        name=record.name,
        discount_percent=None if points is None else from_basis_points(points),
        minimum_line_quantity=record.minimum_line_quantity,
    )
