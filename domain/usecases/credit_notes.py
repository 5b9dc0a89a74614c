"""Credit notes: one for each refund of an invoiced order, in the refund's transaction.

Apart from usecases/invoices.py so that the payments' `refund` can call it without an
import cycle (invoices record customer payments through the payments' `take_payment`).
"""

from __future__ import annotations

from datetime import datetime

from domain.model.invoices import Invoice, InvoiceKind, InvoiceLine, credit_lines
from domain.model.orders import Order
from domain.model.payments import PaymentEntry
from domain.money import Money
from domain.ports import UnitOfWork


async def credit_refund(
    uow: UnitOfWork,
    order: Order,
    refunds: list[PaymentEntry],
    actor: str,
    at: datetime,
    *,
    reason: str | None,
    return_id: int | None,
) -> Invoice | None:
    """A credit note for a refund of an invoiced order (of the order's latest invoice):
    the returned lines when the refund is a return's, else one line with the reason."""
    assert order.id is not None
    order_id = order.id
    invoices = [i for i in await uow.invoices.of_order(order_id) if i.kind is InvoiceKind.INVOICE]
    if not invoices or not refunds:
        return None
    amount = Money.zero(order.currency)
    for entry in refunds:
        amount = amount + entry.amount
    returned: list[InvoiceLine] = []
    if return_id is not None:
        rma = await uow.returns.get(return_id)
        names = {line.id: line.name for line in order.lines}
        for line in rma.lines if rma is not None else []:
            units = line.received or line.quantity  # what came back, once received
            if units > 0:
                name = names.get(line.order_line_id, line.sku)
                returned.append(
                    InvoiceLine(name, units, line.unit_price, line.sku, line.order_line_id)
                )
    invoice = invoices[-1]
    note = Invoice(
        kind=InvoiceKind.CREDIT_NOTE,
        order_id=order_id,
        customer_id=invoice.customer_id,
        currency=order.currency,
        lines=credit_lines(amount, returned, reason),
        issued_at=at,
        due_on=at.date(),
        actor=actor,
        invoice_id=invoice.id,
        return_id=return_id,
    )
    return await uow.invoices.add(note, None, None)
