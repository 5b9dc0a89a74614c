"""Invoices, credit notes, their numbers, allocations, and customer payments.

Numbers come from `document_series`: the counter row of the series and year is created if
missing (INSERT … ON CONFLICT DO NOTHING, which on PostgreSQL waits for a concurrent
creator), then incremented with UPDATE … RETURNING, which holds the row until the
transaction ends. Concurrent issuers take turns on it, and a transaction that rolls back
rolls its increment back too: numbers have no gaps and no duplicates.

Balances (`allocated_cents`) change only with the invoice's order row held by the caller,
and the UPDATE itself refuses to pass the total, as a last guard.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import AmountExceedsBalance
from domain.model.invoices import (
    SERIES,
    CustomerPayment,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    PaymentTerms,
    document_number,
)
from domain.money import Money
from persistence.conflict_inserts import conflict_insert
from persistence.mappers import from_cents, to_cents
from persistence.records import (
    CustomerGroupRecord,
    CustomerPaymentRecord,
    CustomerRecord,
    DocumentSeriesRecord,
    InvoiceAllocationRecord,
    InvoiceLineRecord,
    InvoiceRecord,
    OrderRecord,
)

INVOICE = InvoiceRecord
LINE = InvoiceLineRecord


class SqlInvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_number(self, series: str, year: int) -> int:
        await self.session.execute(
            conflict_insert(self.session, DocumentSeriesRecord)
            .values(series=series, year=year, last_number=0)
            .on_conflict_do_nothing(index_elements=["series", "year"])
        )
        number = await self.session.scalar(
            update(DocumentSeriesRecord)
            .where(DocumentSeriesRecord.series == series, DocumentSeriesRecord.year == year)
            .values(last_number=DocumentSeriesRecord.last_number + 1)
            .returning(DocumentSeriesRecord.last_number)
        )
        assert number is not None  # the row exists: created above or before
        return int(number)

    async def add(self, invoice: Invoice, scope: str | None, key: str | None) -> Invoice:
        year = invoice.issued_at.year
        sequence = await self.next_number(SERIES[invoice.kind], year)
        invoice.number = document_number(invoice.kind, year, sequence)
        invoice.id = await self.session.scalar(
            insert(INVOICE)
            .values(
                number=invoice.number,
                kind=invoice.kind.value,
                order_id=invoice.order_id,
                customer_id=invoice.customer_id,
                invoice_id=invoice.invoice_id,
                shipment_id=invoice.shipment_id,
                return_id=invoice.return_id,
                currency=invoice.currency,
                total_cents=to_cents(invoice.total),
                allocated_cents=0,
                issued_at=invoice.issued_at,
                due_on=invoice.due_on,
                actor=invoice.actor,
                idempotency_scope=scope,
                idempotency_key=key,
            )
            .returning(INVOICE.id)
        )
        await self.session.execute(
            insert(LINE),
            [
                {
                    "invoice_id": invoice.id,
                    "position": position,
                    "order_line_id": line.order_line_id,
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price_cents": to_cents(line.unit_price),
                    "total_cents": to_cents(line.total),
                }
                for position, line in enumerate(invoice.lines, start=1)
            ],
        )
        invoice.allocated = Money.zero(invoice.currency)
        return invoice

    async def by_key(self, scope: str, key: str) -> Invoice | None:
        found = await self._load(INVOICE.idempotency_scope == scope, INVOICE.idempotency_key == key)
        return found[0] if found else None

    async def get(self, invoice_id: int) -> Invoice | None:
        found = await self._load(INVOICE.id == invoice_id)
        return found[0] if found else None

    async def of_order(self, order_id: int) -> list[Invoice]:
        return await self._load(INVOICE.order_id == order_id)

    async def open_of_customer(self, customer_id: int) -> list[Invoice]:
        return await self._load(
            INVOICE.customer_id == customer_id,
            INVOICE.kind == InvoiceKind.INVOICE.value,
            INVOICE.total_cents > INVOICE.allocated_cents,
        )

    async def invoiced_units(self, order_id: int) -> dict[int, int]:
        rows = await self.session.execute(
            select(LINE.order_line_id, func.sum(LINE.quantity))
            .join(INVOICE, INVOICE.id == LINE.invoice_id)
            .where(
                INVOICE.order_id == order_id,
                INVOICE.kind == InvoiceKind.INVOICE.value,
                LINE.order_line_id.is_not(None),
            )
            .group_by(LINE.order_line_id)
        )
        return {int(line_id or 0): int(units or 0) for line_id, units in rows}

    async def unallocated_paid(self, order_id: int, currency: str) -> Money:
        net = await self.session.scalar(
            select(OrderRecord.paid_cents - OrderRecord.refunded_cents).where(
                OrderRecord.id == order_id
            )
        )
        allocated = await self.session.scalar(
            select(func.coalesce(func.sum(INVOICE.allocated_cents), 0)).where(
                INVOICE.order_id == order_id, INVOICE.kind == InvoiceKind.INVOICE.value
            )
        )
        return from_cents(max(int(net or 0) - int(allocated or 0), 0), currency)

    async def allocate(
        self,
        invoice: Invoice,
        amount: Money,
        at: datetime,
        customer_payment_id: int | None = None,
        payment_id: int | None = None,
    ) -> None:
        cents = to_cents(amount)
        changed = await self.session.execute(
            update(INVOICE)
            .where(INVOICE.id == invoice.id, INVOICE.total_cents - INVOICE.allocated_cents >= cents)
            .values(allocated_cents=INVOICE.allocated_cents + cents)
            .execution_options(synchronize_session=False)
        )
        if getattr(changed, "rowcount", 1) != 1:
            raise AmountExceedsBalance(f"{invoice.number} has less than {amount.amount} open")
        await self.session.execute(
            insert(InvoiceAllocationRecord).values(
                invoice_id=invoice.id,
                customer_payment_id=customer_payment_id,
                payment_id=payment_id,
                amount_cents=cents,
                currency=amount.currency,
                allocated_at=at,
            )
        )
        invoice.allocated = (invoice.allocated or Money.zero(invoice.currency)) + amount

    async def payment_terms_of(self, customer_id: int) -> PaymentTerms:
        terms = await self.session.scalar(
            select(CustomerGroupRecord.payment_terms)
            .join(CustomerRecord, CustomerRecord.group_id == CustomerGroupRecord.id)
            .where(CustomerRecord.id == customer_id)
        )
        return PaymentTerms(terms) if terms else PaymentTerms.IMMEDIATE

    async def set_payment_terms(self, group_id: int, terms: PaymentTerms) -> bool:
        changed = await self.session.execute(
            update(CustomerGroupRecord)
            .where(CustomerGroupRecord.id == group_id)
            .values(payment_terms=terms.value)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(changed, "rowcount", 0))

    async def customer_payment_by_key(self, scope: str, key: str) -> CustomerPayment | None:
        record = await self.session.scalar(
            select(CustomerPaymentRecord).where(
                CustomerPaymentRecord.scope == scope, CustomerPaymentRecord.key == key
            )
        )
        if record is None:
            return None
        return CustomerPayment(
            customer_id=record.customer_id,
            amount=from_cents(record.amount_cents, record.currency),
            reference=record.reference,
            received_on=record.received_on,
            actor=record.actor,
            created_at=record.created_at,
            allocated=from_cents(record.allocated_cents, record.currency),
            id=record.id,
        )

    async def add_customer_payment(
        self, payment: CustomerPayment, scope: str, key: str
    ) -> CustomerPayment:
        currency = payment.amount.currency
        payment.id = await self.session.scalar(
            insert(CustomerPaymentRecord)
            .values(
                customer_id=payment.customer_id,
                currency=currency,
                amount_cents=to_cents(payment.amount),
                allocated_cents=to_cents(payment.allocated or Money.zero(currency)),
                reference=payment.reference,
                received_on=payment.received_on,
                scope=scope,
                key=key,
                actor=payment.actor,
                created_at=payment.created_at,
            )
            .returning(CustomerPaymentRecord.id)
        )
        return payment

    async def _load(self, *where: Any) -> list[Invoice]:
        records = (
            await self.session.scalars(select(INVOICE).where(*where).order_by(INVOICE.id))
        ).all()
        if not records:
            return []
        currency = {r.id: r.currency for r in records}
        lines: dict[int, list[InvoiceLine]] = defaultdict(list)
        rows = await self.session.scalars(
            select(LINE)
            .where(LINE.invoice_id.in_([r.id for r in records]))
            .order_by(LINE.invoice_id, LINE.position)
        )
        for line in rows:
            lines[line.invoice_id].append(
                InvoiceLine(
                    name=line.name,
                    quantity=line.quantity,
                    unit_price=from_cents(line.unit_price_cents, currency[line.invoice_id]),
                    sku=line.sku,
                    order_line_id=line.order_line_id,
                    amount=from_cents(line.total_cents, currency[line.invoice_id]),
                )
            )
        return [
            Invoice(
                kind=InvoiceKind(r.kind),
                order_id=r.order_id,
                customer_id=r.customer_id,
                currency=r.currency,
                lines=lines[r.id],
                issued_at=r.issued_at,
                due_on=r.due_on,
                actor=r.actor,
                number=r.number,
                invoice_id=r.invoice_id,
                shipment_id=r.shipment_id,
                return_id=r.return_id,
                allocated=from_cents(r.allocated_cents, r.currency),
                id=r.id,
            )
            for r in records
        ]
