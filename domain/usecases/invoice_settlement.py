"""Money an order captured, set against the order's open invoices.

An invoice's balance falls when money is allocated to it. Money captured on an order
(a card capture, a manual payment) is allocated to the order's open invoices, oldest due
first, in the transaction that captures it or issues the invoice, whichever comes later:
`allocate_captured` runs after an invoice is issued and after `recordManualPayment` and
`capturePayment`. Apart from usecases/invoices.py so that the payments' use cases can call
it without an import cycle.
"""

from __future__ import annotations

from datetime import datetime

from domain.model.invoices import InvoiceKind, allocate
from domain.model.orders import Order
from domain.ports import UnitOfWork


async def allocate_captured(uow: UnitOfWork, order: Order, at: datetime) -> None:
    """Set what the (held) order captured, net of refunds, and no invoice took yet against
    its open invoices, oldest due first, never above a balance."""
    assert order.id is not None
    paid = await uow.invoices.unallocated_paid(order.id, order.currency)
    if paid.amount <= 0:
        return
    invoices = await uow.invoices.of_order(order.id)
    open_invoices = [i for i in invoices if i.kind is InvoiceKind.INVOICE and i.balance.amount > 0]
    for invoice, share in allocate(paid, open_invoices):
        await uow.invoices.allocate(invoice, share, at)
