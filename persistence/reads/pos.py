"""The read side of POS terminals: their list and loader, and the payments of counter orders."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import LocationRecord, OrderRecord, PosPaymentRecord, PosTerminalRecord
from persistence.sql_types import AnySelect

TERMINAL = PosTerminalRecord


def _terminals(store_codes: frozenset[str] | None) -> AnySelect:
    """Terminals with their store's code; only at these stores, unless None."""
    query = select(
        TERMINAL.id,
        TERMINAL.name,
        TERMINAL.location_id,
        TERMINAL.registered_at,
        TERMINAL.last_synced_at,
        TERMINAL.deactivated_at,
        LocationRecord.code.label("location_code"),
    ).join(LocationRecord, LocationRecord.id == TERMINAL.location_id)
    if store_codes is not None:
        query = query.where(LocationRecord.code.in_(sorted(store_codes)))
    return query


async def terminals_page(
    session: AsyncSession, page: Page, store_codes: frozenset[str] | None
) -> tuple[Rows, int]:
    return await fetch_page(session, _terminals(store_codes), TERMINAL.id, page)


# Terminals by id, wherever they stand: the caller filters by the store code.
terminals_by_ids = KeyedRead(_terminals(None).where(TERMINAL.id.in_(KEYS)))


payments_by_order_ids = KeyedRead(
    select(
        PosPaymentRecord.id,
        PosPaymentRecord.order_id,
        PosPaymentRecord.method,
        PosPaymentRecord.amount_cents,
        OrderRecord.currency,
    )
    .join(OrderRecord, OrderRecord.id == PosPaymentRecord.order_id)
    .where(PosPaymentRecord.order_id.in_(KEYS))
    .order_by(PosPaymentRecord.id)
)
