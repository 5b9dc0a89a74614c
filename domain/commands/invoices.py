"""Commands on invoices, payment terms and customer payments, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.model.invoices import PaymentTerms


@dataclass(frozen=True)
class IssueInvoice:
    order_id: int
    idempotency_key: str | None = None


@dataclass(frozen=True)
class SetCustomerGroupPaymentTerms:
    group_code: str
    payment_terms: PaymentTerms


@dataclass(frozen=True)
class InvoiceShare:
    invoice_id: int
    amount: str


@dataclass(frozen=True)
class RecordCustomerPayment:
    customer_id: int
    amount: str
    currency: str
    reference: str
    received_on: date
    idempotency_key: str
    allocations: tuple[InvoiceShare, ...] | None = None  # oldest due first when None
