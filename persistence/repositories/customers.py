"""Customers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.customers import Customer
from persistence.mappers import customer_from_record
from persistence.records import CustomerRecord


class SqlCustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, customer: Customer) -> Customer:
        record = CustomerRecord(
            email=customer.email,
            name=customer.name,
            phone=customer.phone,
            created_at=datetime.now(UTC),
        )
        self.session.add(record)
        await self.session.flush()
        customer.id = record.id
        return customer

    async def by_email(self, email: str) -> Customer | None:
        record = await self.session.scalar(
            select(CustomerRecord).where(CustomerRecord.email == email)
        )
        return customer_from_record(record) if record else None
