"""Customers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.customers import Customer
from persistence.mappers import customer_from_record
from persistence.records import CustomerAddressRecord, CustomerNoteRecord, CustomerRecord


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

    async def get(self, customer_id: int) -> Customer | None:
        record = await self.session.get(CustomerRecord, customer_id)
        return customer_from_record(record) if record else None

    async def add_address(self, customer_id: int, label: str, address: str, at: datetime) -> None:
        await self.session.execute(
            insert(CustomerAddressRecord).values(
                customer_id=customer_id, label=label, address=address, created_at=at
            )
        )

    async def add_note(self, customer_id: int, note: str, author: str, at: datetime) -> None:
        await self.session.execute(
            insert(CustomerNoteRecord).values(
                customer_id=customer_id, note=note, author=author, created_at=at
            )
        )
