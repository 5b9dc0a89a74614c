"""The money side's ports: payments with their ledger entries, and invoices.

Part of domain/ports.py (whose UnitOfWork offers them as `payments` and `invoices`), kept
apart because the money side is a seam of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.model.invoices import CustomerPayment, Invoice, PaymentTerms
from domain.model.orders import Order
from domain.model.payments import Payment, PaymentEntry
from domain.money import Money


class PaymentRepository(Protocol):
    """Payments and their ledger entries. Callers hold the order's row first (loading the
    order through `OrderRepository.get` does), so money commands on one order take turns."""

    async def of_order(self, order_id: int) -> list[Payment]: ...
    async def order_id_of(self, payment_id: int) -> int | None: ...
    async def by_provider_reference(self, provider: str, reference: str) -> int | None:
        """The order id of the provider's payment `reference`, if we know it."""
        ...

    async def add(
        self, order: Order, payment: Payment, request_id: int | None = None
    ) -> Payment: ...

    async def save(self, order: Order, payment: Payment, request_id: int | None = None) -> None:
        """Store the payment's new entries and balances, and its order's projections."""
        ...

    async def add_many(self, orders_and_payments: Sequence[tuple[Order, Payment]]) -> None:
        """Store new payments of orders added in this transaction, in bulk (a POS sync)."""
        ...

    async def remembered(self, scope: str, key: str) -> RememberedRequest | None: ...
    async def remember(
        self, scope: str, key: str, kind: str, order_id: int, payment_id: int | None, at: datetime
    ) -> int:
        """Keep a caller's idempotency key with what it did; the request's id."""
        ...

    async def entries_of_request(self, request_id: int) -> list[PaymentEntry]: ...
    async def first_delivery(self, provider: str, event_id: str, at: datetime) -> bool:
        """True the first time a provider's event is seen, False for every repeat."""
        ...


@dataclass(frozen=True, slots=True)
class RememberedRequest:
    id: int
    kind: str
    order_id: int
    payment_id: int | None


class InvoiceRepository(Protocol):
    """Invoices and credit notes (domain/model/invoices.py). Callers hold the order row of
    every invoice they change (`orders.get`), so balances are read and written in turn."""

    async def add(self, invoice: Invoice, scope: str | None, key: str | None) -> Invoice:
        """Store it with the next number of its series and year (gap-free: the counter row
        is incremented in this transaction, held until it ends)."""
        ...

    async def by_key(self, scope: str, key: str) -> Invoice | None: ...
    async def get(self, invoice_id: int) -> Invoice | None: ...
    async def of_order(self, order_id: int) -> list[Invoice]: ...
    async def invoiced_units(self, order_id: int) -> dict[int, int]:
        """Units each order line has on the order's invoices (credit notes not counted)."""
        ...

    async def open_of_customer(self, customer_id: int) -> list[Invoice]: ...
    async def unallocated_paid(self, order_id: int, currency: str) -> Money:
        """What the order has captured, net of refunds, that no invoice was allocated."""
        ...

    async def allocate(
        self,
        invoice: Invoice,
        amount: Money,
        at: datetime,
        customer_payment_id: int | None = None,
        payment_id: int | None = None,
    ) -> None: ...
    async def payment_terms_of(self, customer_id: int) -> PaymentTerms: ...
    async def set_payment_terms(self, group_id: int, terms: PaymentTerms) -> bool: ...
    async def customer_payment_by_key(self, scope: str, key: str) -> CustomerPayment | None: ...
    async def add_customer_payment(
        self, payment: CustomerPayment, scope: str, key: str
    ) -> CustomerPayment: ...
