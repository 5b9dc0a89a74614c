"""Read side of the money ledger: payments and their entries, by order or by id.

Callers reach payments through orders they may see (`Order.payments`), or by id, in which
case the loader checks the order's visibility through the order loader.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Rows
from persistence.records import PaymentEntryRecord, PaymentRecord

PAYMENT_COLUMNS = (
    PaymentRecord.id,
    PaymentRecord.order_id,
    PaymentRecord.method,
    PaymentRecord.provider,
    PaymentRecord.provider_reference,
    PaymentRecord.currency,
    PaymentRecord.state,
    PaymentRecord.requested_cents,
    PaymentRecord.authorized_cents,
    PaymentRecord.captured_cents,
    PaymentRecord.released_cents,
    PaymentRecord.refunded_cents,
    PaymentRecord.actor,
    PaymentRecord.created_at,
    PaymentRecord.updated_at,
)
ENTRY = PaymentEntryRecord
ENTRY_COLUMNS = (
    ENTRY.id,
    ENTRY.payment_id,
    ENTRY.order_id,
    ENTRY.sequence,
    ENTRY.kind,
    ENTRY.amount_cents,
    ENTRY.currency,
    ENTRY.reason,
    ENTRY.return_id,
    ENTRY.provider_reference,
    ENTRY.actor,
    ENTRY.occurred_at,
)


payments_by_order_ids = KeyedRead(
    select(*PAYMENT_COLUMNS).where(PaymentRecord.order_id.in_(KEYS)).order_by(PaymentRecord.id)
)


payments_by_ids = KeyedRead(select(*PAYMENT_COLUMNS).where(PaymentRecord.id.in_(KEYS)))


entries_by_payment_ids = KeyedRead(
    select(*ENTRY_COLUMNS)
    .where(ENTRY.payment_id.in_(KEYS))
    .order_by(ENTRY.order_id, ENTRY.sequence)
)


async def entries_after(session: AsyncSession, order_id: int, sequence: int) -> Rows:
    """An order's money events after `sequence`, for a subscription resuming."""
    return (
        await session.execute(
            select(*ENTRY_COLUMNS, PaymentRecord.state.label("payment_state"))
            .join(PaymentRecord, PaymentRecord.id == ENTRY.payment_id)
            .where(ENTRY.order_id == order_id, ENTRY.sequence > sequence)
            .order_by(ENTRY.sequence)
        )
    ).all()


entries_by_ids = KeyedRead(select(*ENTRY_COLUMNS).where(ENTRY.id.in_(KEYS)))
