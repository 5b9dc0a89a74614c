"""Customers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate
from domain.model.addresses import Address
from domain.model.credit import CreditPosition, effective_limit
from domain.model.customers import Customer
from domain.money import Money
from persistence.mappers import address_to_json, customer_from_record, from_cents
from persistence.reads.credit import credit_limit_of, credit_limit_values, exposure_cents
from persistence.records import (
    CustomerAddressRecord,
    CustomerGroupRecord,
    CustomerNoteRecord,
    CustomerRecord,
)


class SqlCustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, customer: Customer, at: datetime | None = None) -> Customer:
        created_at = at or datetime.now(UTC)
        record = CustomerRecord(
            email=customer.email,
            name=customer.name,
            phone=customer.phone,
            group_id=customer.group_id,
            created_at=created_at,
            updated_at=created_at,
        )
        try:
            # In a savepoint: losing a race to another request leaves the transaction
            # usable, so the caller can look up the customer that request added.
            async with self.session.begin_nested():
                self.session.add(record)
        except IntegrityError as error:
            raise Duplicate(
                "a customer with this email or phone was added meanwhile; try again"
            ) from error
        customer.id = record.id
        return customer

    async def by_email(self, email: str) -> Customer | None:
        record = await self.session.scalar(
            select(CustomerRecord).where(CustomerRecord.email == email)
        )
        return customer_from_record(record) if record else None

    async def by_phone(self, phone: str) -> Customer | None:
        record = await self.session.scalar(
            select(CustomerRecord).where(CustomerRecord.phone == phone)
        )
        return customer_from_record(record) if record else None

    async def get(self, customer_id: int) -> Customer | None:
        record = await self.session.get(CustomerRecord, customer_id)
        return customer_from_record(record) if record else None

    async def set_group(self, customer_id: int, group_id: int | None) -> None:
        await self.session.execute(
            update(CustomerRecord)
            .where(CustomerRecord.id == customer_id)
            .values(group_id=group_id)
            .execution_options(synchronize_session=False)
        )

    async def set_credit_limit(self, customer_id: int, limit: Money | None) -> None:
        await self.session.execute(
            update(CustomerRecord)
            .where(CustomerRecord.id == customer_id)
            .values(**credit_limit_values(limit))
            .execution_options(synchronize_session=False)
        )

    async def credit_position(self, customer_id: int) -> CreditPosition:
        """The customer's row is locked first, in a statement of its own; what it owes is
        summed in the next one. Under READ COMMITTED a statement sees what was committed
        when it began, so the sum, begun after the lock was granted, counts every order a
        concurrent placement holding the lock committed; summed in the locking statement,
        it would not (PostgreSQL re-reads only the locked row after waiting)."""
        row = (
            await self.session.execute(
                select(
                    CustomerRecord.credit_limit_cents,
                    CustomerRecord.credit_limit_currency,
                    CustomerGroupRecord.credit_limit_cents,
                    CustomerGroupRecord.credit_limit_currency,
                )
                .select_from(CustomerRecord)
                .outerjoin(CustomerGroupRecord, CustomerGroupRecord.id == CustomerRecord.group_id)
                .where(CustomerRecord.id == customer_id)
                .with_for_update(of=CustomerRecord)
            )
        ).one()
        limit = effective_limit(credit_limit_of(row[0], row[1]), credit_limit_of(row[2], row[3]))
        if limit is None:
            return CreditPosition(None, None)
        owed = await self.session.scalar(select(exposure_cents(customer_id, limit.currency)))
        return CreditPosition(limit, from_cents(int(owed or 0), limit.currency))

    async def add_address(
        self, customer_id: int, label: str, address: Address, at: datetime
    ) -> None:
        await self.session.execute(
            insert(CustomerAddressRecord).values(
                customer_id=customer_id,
                label=label,
                address=address_to_json(address),
                created_at=at,
            )
        )
        await self._touch(customer_id)

    async def add_note(self, customer_id: int, note: str, author: str, at: datetime) -> None:
        await self.session.execute(
            insert(CustomerNoteRecord).values(
                customer_id=customer_id, note=note, author=author, created_at=at
            )
        )
        await self._touch(customer_id)

    async def _touch(self, customer_id: int) -> None:
        """Mark the customer changed: its addresses and notes are part of what a system
        syncing by `updatedSince` reads of it."""
        await self.session.execute(
            update(CustomerRecord)
            .where(CustomerRecord.id == customer_id)
            .values(updated_at=datetime.now(UTC))
            .execution_options(synchronize_session=False)
        )
