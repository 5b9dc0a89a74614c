"""Read side: Customers, their addresses and notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.customers import phone_search_key
from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, changed_since, fetch_page
from persistence.records import (
    CustomerAddressRecord,
    CustomerNoteRecord,
    CustomerRecord,
)
from persistence.sql_types import AnyRow

# Built by position (`Customer.from_row`): every query of customers selects exactly these,
# in this order.
CUSTOMER_COLUMNS = (
    CustomerRecord.id,
    CustomerRecord.email,
    CustomerRecord.name,
    CustomerRecord.phone,
    CustomerRecord.created_at,
    CustomerRecord.group_id,
    CustomerRecord.updated_at,
)


async def customers_page(
    session: AsyncSession,
    page: Page,
    *,
    search: str | None,
    email: str | None = None,
    phone_region: str | None = None,
    updated_since: datetime | None = None,
) -> tuple[Rows, int]:
    """A page of customers: those whose email, name or phone holds `search` (a phone typed
    any way, read as dialled in `phone_region` when it has no country code), and/or the
    one with `email`."""
    query = changed_since(select(*CUSTOMER_COLUMNS), CustomerRecord.updated_at, updated_since)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(CustomerRecord.email).like(pattern),
                func.lower(CustomerRecord.name).like(pattern),
                CustomerRecord.phone.like(
                    f"%{phone_search_key(search, region=phone_region) or search}%"
                ),
            )
        )
    if email is not None:
        query = query.where(CustomerRecord.email == email)
    return await fetch_page(session, query, CustomerRecord.id, page)


customers_by_ids = KeyedRead(select(*CUSTOMER_COLUMNS).where(CustomerRecord.id.in_(KEYS)))


addresses_by_customer_ids = KeyedRead(
    select(
        CustomerAddressRecord.customer_id,
        CustomerAddressRecord.label,
        CustomerAddressRecord.address,
        CustomerAddressRecord.created_at,
    )
    .where(CustomerAddressRecord.customer_id.in_(KEYS))
    .order_by(CustomerAddressRecord.id)
)


notes_by_customer_ids = KeyedRead(
    select(
        CustomerNoteRecord.customer_id,
        CustomerNoteRecord.note,
        CustomerNoteRecord.author,
        CustomerNoteRecord.created_at,
    )
    .where(CustomerNoteRecord.customer_id.in_(KEYS))
    .order_by(CustomerNoteRecord.id)
)


async def customer_by_email(session: AsyncSession, email: str) -> AnyRow | None:
    query = select(*CUSTOMER_COLUMNS).where(CustomerRecord.email == email)
    return (await session.execute(query)).first()
