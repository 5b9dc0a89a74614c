"""Read side of invoices and credit notes: by id, by order, pages, receivables.

A caller sees the invoices of the orders it may see (the orders list's own rule,
`orders_query(scope)`); loads by id are unscoped, and the loader checks the order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.orders import OrderScope, orders_query
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import (
    CustomerPaymentRecord,
    CustomerRecord,
    InvoiceAllocationRecord,
    InvoiceLineRecord,
    InvoiceRecord,
    OrderRecord,
)

INVOICE = InvoiceRecord
INVOICE_COLUMNS = (
    INVOICE.id,
    INVOICE.number,
    INVOICE.kind,
    INVOICE.order_id,
    INVOICE.customer_id,
    INVOICE.invoice_id,
    INVOICE.shipment_id,
    INVOICE.return_id,
    INVOICE.currency,
    INVOICE.total_cents,
    INVOICE.allocated_cents,
    INVOICE.issued_at,
    INVOICE.due_on,
)
LINE = InvoiceLineRecord
ALLOCATION = InvoiceAllocationRecord


def _visible(scope: OrderScope) -> ColumnElement[bool] | None:
    if scope == OrderScope():
        return None
    return INVOICE.order_id.in_(orders_query(scope).with_only_columns(OrderRecord.id))


# Invoices by id, whoever may see them: visibility is the loader's business.
invoices_by_ids = KeyedRead(select(*INVOICE_COLUMNS).where(INVOICE.id.in_(KEYS)))


invoices_by_order_ids = KeyedRead(
    select(*INVOICE_COLUMNS).where(INVOICE.order_id.in_(KEYS)).order_by(INVOICE.id)
)


credit_notes_by_invoice_ids = KeyedRead(
    select(*INVOICE_COLUMNS).where(INVOICE.invoice_id.in_(KEYS)).order_by(INVOICE.id)
)


lines_by_invoice_ids = KeyedRead(
    select(
        LINE.invoice_id,
        LINE.position,
        LINE.sku,
        LINE.name,
        LINE.quantity,
        LINE.unit_price_cents,
        LINE.total_cents,
        INVOICE.currency,
    )
    .join(INVOICE, INVOICE.id == LINE.invoice_id)
    .where(LINE.invoice_id.in_(KEYS))
    .order_by(LINE.invoice_id, LINE.position)
)


allocations_by_invoice_ids = KeyedRead(
    select(
        ALLOCATION.id,
        ALLOCATION.invoice_id,
        ALLOCATION.customer_payment_id,
        ALLOCATION.payment_id,
        ALLOCATION.amount_cents,
        ALLOCATION.currency,
        ALLOCATION.allocated_at,
        CustomerPaymentRecord.reference,
    )
    .outerjoin(CustomerPaymentRecord, CustomerPaymentRecord.id == ALLOCATION.customer_payment_id)
    .where(ALLOCATION.invoice_id.in_(KEYS))
    .order_by(ALLOCATION.id)
)


async def invoices_page(
    session: AsyncSession,
    page: Page,
    scope: OrderScope,
    *,
    kind: str | None,
    order_id: int | None,
    customer_id: int | None,
    open_only: bool,
) -> tuple[Rows, int]:
    query = select(*INVOICE_COLUMNS)
    visible = _visible(scope)
    if visible is not None:
        query = query.where(visible)
    if kind:
        query = query.where(INVOICE.kind == kind)
    if order_id is not None:
        query = query.where(INVOICE.order_id == order_id)
    if customer_id is not None:
        query = query.where(INVOICE.customer_id == customer_id)
    if open_only:
        query = query.where(INVOICE.total_cents > INVOICE.allocated_cents)
    return await fetch_page(session, query, INVOICE.id, page)


async def open_invoices(
    session: AsyncSession, scope: OrderScope, *, customer_id: int | None, issued_by: date
) -> Rows:
    """Invoices with a balance, issued by `issued_by`, oldest due first, with their
    customer's email."""
    query = (
        select(*INVOICE_COLUMNS, CustomerRecord.email)
        .join(CustomerRecord, CustomerRecord.id == INVOICE.customer_id)
        .where(INVOICE.kind == "INVOICE", INVOICE.total_cents > INVOICE.allocated_cents)
        .order_by(INVOICE.due_on, INVOICE.id)
    )
    visible = _visible(scope)
    if visible is not None:
        query = query.where(visible)
    if customer_id is not None:
        query = query.where(INVOICE.customer_id == customer_id)
    rows = (await session.execute(query)).all()
    return [row for row in rows if row.issued_at.date() <= issued_by]


async def invoice_ids_of_customer_payment(session: AsyncSession, payment_id: int) -> list[int]:
    query = (
        select(ALLOCATION.invoice_id)
        .where(ALLOCATION.customer_payment_id == payment_id)
        .order_by(ALLOCATION.id)
    )
    return list((await session.scalars(query)).all())


async def invoice_document(session: AsyncSession, invoice_id: int, scope: OrderScope) -> Rows:
    """One invoice, when the caller may see its order, with what its PDF prints: the
    customer and the order's number, and the number of a credit note's invoice."""
    query = (
        select(
            *INVOICE_COLUMNS,
            CustomerRecord.email,
            CustomerRecord.name,
            OrderRecord.number.label("order_number"),
        )
        .join(CustomerRecord, CustomerRecord.id == INVOICE.customer_id)
        .join(OrderRecord, OrderRecord.id == INVOICE.order_id)
        .where(INVOICE.id == invoice_id)
    )
    visible = _visible(scope)
    if visible is not None:
        query = query.where(visible)
    return (await session.execute(query)).all()


async def invoice_numbers_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    rows = await session.execute(select(INVOICE.id, INVOICE.number).where(INVOICE.id.in_(ids)))
    return {row.id: row.number for row in rows}
