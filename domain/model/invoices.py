"""Invoices and credit notes: what a customer was billed, and what it was credited.

An invoice bills units of an order (those a shipment sent, or all not yet billed); a credit
note gives back money of an invoiced order (a refund). Both are documents with a number
from a gap-free series per kind and year (`INV-2026-000123`, `CN-2026-000007`), and are
immutable once issued: a correction is a credit note, never an edit.

    balance = total - allocations      (an invoice is open while its balance is above zero)

Allocations are money set against an invoice: what its order had captured when it was
issued, and customer payments (`recordCustomerPayment`). A credit note is settled by the
refund it records, so its balance is always zero.

Payment terms of the customer's group decide the due date; receivables age open invoices
by how many days past due they are on a given day.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.errors import AmountExceedsBalance, InvalidInput
from domain.model.orders import Order
from domain.model.shipments import Shipment
from domain.money import Money


class InvoiceKind(StrEnum):
    INVOICE = "INVOICE"
    CREDIT_NOTE = "CREDIT_NOTE"


SERIES = {InvoiceKind.INVOICE: "INV", InvoiceKind.CREDIT_NOTE: "CN"}
NUMBER_DIGITS = 6


class PaymentTerms(StrEnum):
    """When an invoice falls due, counted from its issue date."""

    IMMEDIATE = "IMMEDIATE"
    NET_15 = "NET_15"
    NET_30 = "NET_30"
    NET_60 = "NET_60"
    END_OF_MONTH = "END_OF_MONTH"


NET_DAYS = {
    PaymentTerms.IMMEDIATE: 0,
    PaymentTerms.NET_15: 15,
    PaymentTerms.NET_30: 30,
    PaymentTerms.NET_60: 60,
}


class AgingBucket(StrEnum):
    CURRENT = "CURRENT"
    DAYS_1_30 = "DAYS_1_30"
    DAYS_31_60 = "DAYS_31_60"
    DAYS_61_90 = "DAYS_61_90"
    OVER_90 = "OVER_90"


def document_number(kind: InvoiceKind, year: int, sequence: int) -> str:
    """`INV-2026-000123`: series, year of issue, number within them (1, 2, 3… no gaps)."""
    if sequence < 1:
        raise ValueError("document numbers start at 1")
    return f"{SERIES[kind]}-{year}-{sequence:0{NUMBER_DIGITS}d}"


def due_date(terms: PaymentTerms, issued_on: date) -> date:
    """The day an invoice issued on `issued_on` must be paid by."""
    if terms is PaymentTerms.END_OF_MONTH:
        last = calendar.monthrange(issued_on.year, issued_on.month)[1]
        return issued_on.replace(day=last)
    return issued_on + timedelta(days=NET_DAYS[terms])


def days_overdue(due: date, as_of: date) -> int:
    return max((as_of - due).days, 0)


def aging_bucket(due: date, as_of: date) -> AgingBucket:
    days = days_overdue(due, as_of)
    if days == 0:
        return AgingBucket.CURRENT
    if days <= 30:
        return AgingBucket.DAYS_1_30
    if days <= 60:
        return AgingBucket.DAYS_31_60
    if days <= 90:
        return AgingBucket.DAYS_61_90
    return AgingBucket.OVER_90


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    name: str
    quantity: int
    unit_price: Money
    sku: str | None = None
    order_line_id: int | None = None
    # What the line comes to when it is not its unit price times its quantity: units of an
    # order line billed at their share of its total (after discounts, with tax).
    amount: Money | None = None

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity) if self.amount is None else self.amount


@dataclass
class Invoice:
    kind: InvoiceKind
    order_id: int
    customer_id: int
    currency: str
    lines: list[InvoiceLine]
    issued_at: datetime
    due_on: date
    actor: str
    number: str | None = None  # given when it is stored, from its series
    invoice_id: int | None = None  # a credit note's invoice
    shipment_id: int | None = None
    return_id: int | None = None
    allocated: Money | None = None
    id: int | None = None
    allocations: list[Money] = field(default_factory=list)

    @property
    def total(self) -> Money:
        return Money.total((line.total for line in self.lines), self.currency)

    @property
    def balance(self) -> Money:
        if self.kind is InvoiceKind.CREDIT_NOTE:
            return Money.zero(self.currency)
        return self.total - (self.allocated or Money.zero(self.currency))


def uninvoiced(order: Order, invoiced: dict[int, int]) -> list[InvoiceLine]:
    """Every unit of the order no invoice has billed yet (`invoiced`: units per order line),
    with the shipping charge when nothing was billed before."""
    return _billed(order, {line.sku: line.quantity for line in order.lines}, invoiced)


def shipped_lines(order: Order, shipment: Shipment, invoiced: dict[int, int]) -> list[InvoiceLine]:
    """The units a shipment sent, less any an invoice has billed already (an invoice issued
    on demand before the shipment), at what they cost the customer; with the shipping
    charge when nothing was billed before."""
    units: dict[str, int] = {}
    for shipped in shipment.lines:
        units[shipped.sku] = units.get(shipped.sku, 0) + shipped.quantity
    return _billed(order, units, invoiced)


def _billed(order: Order, units: dict[str, int], invoiced: dict[int, int]) -> list[InvoiceLine]:
    lines = []
    for line in order.lines:
        assert line.id is not None  # a stored order
        before = invoiced.get(line.id, 0)
        left = min(units.get(line.sku, 0), line.quantity - before)
        if left > 0:
            amount = line.value_of(left, before)
            lines.append(
                InvoiceLine(line.name, left, line.unit_price, line.sku, line.id, amount=amount)
            )
    shipping = order.shipping
    if lines and shipping is not None and not invoiced and shipping.amounts.gross.amount > 0:
        gross = shipping.amounts.gross
        lines.append(InvoiceLine(f"Shipping: {shipping.method_name}", 1, gross))
    return lines


def credit_lines(
    amount: Money, returned: Sequence[InvoiceLine], reason: str | None
) -> list[InvoiceLine]:
    """A credit note's lines: the returned units (when a return was refunded), with one
    line for any difference from the refunded amount (a restocking fee, a partial refund);
    else one line `Refund: <reason>`."""
    if not returned:
        return [InvoiceLine(f"Refund: {reason}" if reason else "Refund", 1, amount)]
    lines = list(returned)
    worth = sum((line.total.amount for line in lines), start=Decimal(0))
    if worth != amount.amount:
        lines.append(InvoiceLine("Adjustment", 1, Money(amount.amount - worth, amount.currency)))
    return lines


def allocate(amount: Money, open_invoices: Iterable[Invoice]) -> list[tuple[Invoice, Money]]:
    """Spread `amount` over open invoices, oldest due first (then lowest number), never
    above an invoice's balance; what is left over is the caller's to keep as credit."""
    left = amount.amount
    shares = []
    for invoice in sorted(open_invoices, key=lambda i: (i.due_on, i.issued_at, i.id or 0)):
        if left <= 0:
            break
        share = min(left, invoice.balance.amount)
        if share > 0:
            shares.append((invoice, Money(share, amount.currency)))
            left -= share
    return shares


def require_within_balance(invoice: Invoice, amount: Money, field_name: str) -> None:
    if amount.currency != invoice.currency:
        raise InvalidInput(
            f"{invoice.number} is in {invoice.currency}, not {amount.currency}", field=field_name
        )
    if amount.amount <= 0:
        raise InvalidInput("an allocation is above zero", field=field_name)
    if amount.amount > invoice.balance.amount:
        raise AmountExceedsBalance(
            f"{invoice.number} has {invoice.balance.amount} {invoice.currency} open; "
            f"{amount.amount} asked",
            field=field_name,
        )


@dataclass
class CustomerPayment:
    """Money a customer sent (a bank transfer), spread over its open invoices."""

    customer_id: int
    amount: Money
    reference: str
    received_on: date
    actor: str
    created_at: datetime
    allocated: Money | None = None
    id: int | None = None

    @property
    def unallocated(self) -> Money:
        return self.amount - (self.allocated or Money.zero(self.amount.currency))
