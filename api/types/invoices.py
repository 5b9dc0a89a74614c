"""Invoice types: invoices and credit notes, their lines and allocations, receivables."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row
from strawberry import relay
from strawberry.dataloader import DataLoader

from api.types.common import Money
from api.types.nodes import load_nodes
from domain.model.invoices import AgingBucket, InvoiceKind, PaymentTerms
from persistence.reads import invoices as invoice_reads

if TYPE_CHECKING:
    from api.loaders import Loaders
    from api.types.customers import Customer
    from api.types.orders import Order

strawberry.enum(InvoiceKind, description="An INVOICE bills; a CREDIT_NOTE gives back.")
strawberry.enum(
    PaymentTerms,
    description="When invoices fall due: IMMEDIATE (on issue), NET_15, NET_30, NET_60 "
    "(days after issue), END_OF_MONTH (the last day of the month of issue).",
)
strawberry.enum(
    AgingBucket,
    description="How far past due: CURRENT (not yet), DAYS_1_30, DAYS_31_60, DAYS_61_90, OVER_90.",
)

PDF_PATH = "/invoices/{id}.pdf"


@strawberry.type(description="One line of an invoice or credit note.")
class InvoiceLine:
    sku: str | None = strawberry.field(description="The SKU billed; null for a refund line.")
    name: str = strawberry.field(description="What was billed or credited.")
    quantity: int = strawberry.field(description="How many units.")
    unit_price: Money = strawberry.field(description="Price of one unit.")
    total: Money = strawberry.field(
        description="What the line comes to: quantity x unitPrice, or for units of an order "
        "line their share of its total (after discounts, with tax)."
    )

    @classmethod
    def from_row(cls, row: Row) -> InvoiceLine:
        return cls(
            sku=row.sku,
            name=row.name,
            quantity=row.quantity,
            unit_price=Money.from_cents(row.unit_price_cents, row.currency),
            total=Money.from_cents(row.total_cents, row.currency),
        )


@strawberry.type(description="Money set against an invoice.")
class InvoiceAllocation:
    payment_id: strawberry.Private[int | None]
    amount: Money = strawberry.field(description="How much.")
    allocated_at: datetime = strawberry.field(description="When (UTC).")
    reference: str | None = strawberry.field(
        description="The customer payment's reference (a bank reference); null for money "
        "the order had captured when the invoice was issued."
    )

    @classmethod
    def from_row(cls, row: Row) -> InvoiceAllocation:
        return cls(
            payment_id=row.payment_id,
            amount=Money.from_cents(row.amount_cents, row.currency),
            allocated_at=row.allocated_at,
            reference=row.reference,
        )


@strawberry.type(
    description="An invoice or credit note: a numbered document (INV-2026-000123, "
    "CN-2026-000007), immutable once issued. balance = total - allocations; a credit note "
    "is settled by its refund (balance 0)."
)
class Invoice(relay.Node):
    id: relay.NodeID[int]
    order_id: strawberry.Private[int]
    customer_id: strawberry.Private[int]
    invoice_id: strawberry.Private[int | None]
    number: str = strawberry.field(description="Gap-free number in its series and year.")
    kind: InvoiceKind = strawberry.field(description="INVOICE or CREDIT_NOTE.")
    issued_at: datetime = strawberry.field(description="When it was issued (UTC).")
    due_date: date = strawberry.field(
        description="When it must be paid, by its customer's group's payment terms."
    )
    total: Money = strawberry.field(description="Sum of its lines.")
    allocated: Money = strawberry.field(description="Money set against it so far.")
    balance: Money = strawberry.field(description="What is still owed on it.")
    pdf_url: str = strawberry.field(
        description="Where its PDF is (GET with the same bearer token as /graphql)."
    )

    @classmethod
    def from_row(cls, row: Row) -> Invoice:
        currency = row.currency
        credit = row.kind == InvoiceKind.CREDIT_NOTE
        balance = 0 if credit else row.total_cents - row.allocated_cents
        return cls(
            id=row.id,
            order_id=row.order_id,
            customer_id=row.customer_id,
            invoice_id=row.invoice_id,
            number=row.number,
            kind=InvoiceKind(row.kind),
            issued_at=row.issued_at,
            due_date=row.due_on,
            total=Money.from_cents(row.total_cents, currency),
            allocated=Money.from_cents(row.allocated_cents, currency),
            balance=Money.from_cents(balance, currency),
            pdf_url=PDF_PATH.format(id=row.id),
        )

    @strawberry.field(description="Its lines, in order.")
    async def lines(self, info: strawberry.Info) -> list[InvoiceLine]:
        return await info.context.loaders.invoices.lines.load(self.id)

    @strawberry.field(description="Money set against it, oldest first.")
    async def allocations(self, info: strawberry.Info) -> list[InvoiceAllocation]:
        return await info.context.loaders.invoices.allocations.load(self.id)

    @strawberry.field(description="The order it bills or credits.")
    async def order(
        self, info: strawberry.Info
    ) -> Annotated[Order, strawberry.lazy("api.types.orders")] | None:
        return await info.context.loaders.order.load(self.order_id)

    @strawberry.field(description="Its customer; null when the caller may not see customers.")
    async def customer(
        self, info: strawberry.Info
    ) -> Annotated[Customer, strawberry.lazy("api.types.customers")] | None:
        return await info.context.loaders.customer.load(self.customer_id)

    @strawberry.field(description="A credit note's invoice; null for an invoice.")
    async def invoice(self, info: strawberry.Info) -> Invoice | None:
        if self.invoice_id is None:
            return None
        return await info.context.loaders.invoices.invoice.load(self.invoice_id)

    @strawberry.field(description="An invoice's credit notes, oldest first.")
    async def credit_notes(self, info: strawberry.Info) -> list[Invoice]:
        return await info.context.loaders.invoices.credit_notes.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.invoices.invoice, node_ids)


@strawberry.type(description="An open invoice, aged on a day.")
class Receivable:
    invoice: Invoice = strawberry.field(description="The invoice.")
    balance: Money = strawberry.field(description="What is still owed on it.")
    days_overdue: int = strawberry.field(description="Days past its due date (0: not due).")
    bucket: AgingBucket = strawberry.field(description="Its aging bucket.")
    customer_email: str = strawberry.field(description="Its customer's email.")


@strawberry.type(description="What the open invoices of one bucket owe, in one currency.")
class AgingTotal:
    bucket: AgingBucket = strawberry.field(description="The bucket.")
    total: Money = strawberry.field(description="Sum of their balances (one currency).")
    count: int = strawberry.field(description="How many invoices.")


@strawberry.type(description="What customers owe on a day, by how late it is.")
class Receivables:
    as_of: date = strawberry.field(description="The day the invoices are aged on.")
    invoices: list[Receivable] = strawberry.field(
        description="Open invoices (balance above zero), oldest due first."
    )
    totals: list[AgingTotal] = strawberry.field(
        description="Per bucket and currency (amounts in different currencies never add)."
    )


class InvoiceLoaders:
    """Per-request DataLoaders of invoices. One is shown only when the caller may see its
    order (a customer its own, staff those of their locations, admins all)."""

    def __init__(self, loaders: Loaders) -> None:
        self._loaders = loaders
        self._any = loaders.by_id(invoice_reads.invoices_by_ids, Invoice.from_row)
        self.lines = loaders.grouped(
            invoice_reads.lines_by_invoice_ids, "invoice_id", InvoiceLine.from_row
        )
        self.allocations = loaders.grouped(
            invoice_reads.allocations_by_invoice_ids, "invoice_id", InvoiceAllocation.from_row
        )
        self.by_order = loaders.grouped(
            invoice_reads.invoices_by_order_ids, "order_id", Invoice.from_row
        )
        self.credit_notes = loaders.grouped(
            invoice_reads.credit_notes_by_invoice_ids, "invoice_id", Invoice.from_row
        )
        self.invoice: DataLoader[int, Invoice | None] = DataLoader(self._visible)

    async def _visible(self, ids: list[int]) -> list[Invoice | None]:
        invoices = await self._any.load_many(ids)
        orders = await self._loaders.order.load_many([i.order_id if i else 0 for i in invoices])
        return [
            invoice if invoice is not None and order is not None else None
            for invoice, order in zip(invoices, orders, strict=True)
        ]
