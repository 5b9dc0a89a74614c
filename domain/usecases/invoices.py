"""Use cases for invoices, credit notes, payment terms and customer payments.

When invoices are issued (docs/invoices.md):
- on shipment, for a WHOLESALE order with a customer: what the shipment sent
  (`invoice_shipment`, called by `ship_order` in its transaction) — the business-to-
  business sales with terms, as Odoo invoices what was delivered;
- on demand (`issue_invoice`), for any order with a customer: all not yet invoiced;
- a credit note for each refund of an invoiced order (`credit_refund`, called by the
  payments' `refund` in its transaction).

Allocation (usecases/invoice_settlement.py): what an order captured, net of refunds, and
no invoice took yet goes to its open invoices, oldest due first, when an invoice is issued
and when money is captured later (recordManualPayment, capturePayment). A customer
payment (`record_customer_payment`) is set against open invoices and recorded as a
captured BANK_TRANSFER on each invoice's order.
Captures by other paths (a provider's webhook, a POS tender) are
allocated when the order's next invoice is issued or its next money is recorded.

Every change runs with the rows of the orders concerned held (`orders.get`, in id order
when there are several), so balances and numbers are checked and written in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.access import Principal, Role
from domain.commands.invoices import (
    IssueInvoice,
    RecordCustomerPayment,
    SetCustomerGroupPaymentTerms,
)
from domain.errors import AmountExceedsBalance, InvalidInput, NotFound
from domain.model.invoices import (
    CustomerPayment,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    allocate,
    due_date,
    require_within_balance,
    shipped_lines,
    uninvoiced,
)
from domain.model.locations import ChannelCode
from domain.model.orders import Order, OrderStatus
from domain.model.payments import MANUAL_PROVIDER, PaymentMethod
from domain.model.pricing import CustomerGroup
from domain.model.shipments import Shipment
from domain.money import Money
from domain.ports import UnitOfWork
from domain.usecases.invoice_settlement import allocate_captured
from domain.usecases.money_requests import idempotency_key
from domain.usecases.payments import take_payment

INVOICERS = (Role.ADMIN, Role.STAFF)
MAX_REFERENCE = 150  # the ledger payment's reference adds the payment and invoice to it


@dataclass(frozen=True, slots=True)
class CustomerPaymentResult:
    payment: CustomerPayment
    invoice_ids: list[int]


# -- issuing -------------------------------------------------------------------------------


async def issue_invoice(
    uow: UnitOfWork, principal: Principal, command: IssueInvoice, now: datetime
) -> Invoice:
    """Invoice all of the order no invoice has billed yet; refused when nothing is left."""
    principal.require(principal.role in INVOICERS, "issue invoices")
    key = None if command.idempotency_key is None else idempotency_key(command.idempotency_key)
    scope = principal.idempotency_scope
    async with uow:
        order = await uow.orders.get(command.order_id)
        if order is None or not principal.may_see_order(order.location_codes, order.customer_email):
            raise NotFound.no_such("order", field="orderId")
        if key is not None:
            repeat = await uow.invoices.by_key(scope, key)
            if repeat is not None:
                if repeat.order_id != order.id:
                    raise InvalidInput(
                        "this idempotency key was used for another request",
                        field="idempotencyKey",
                    )
                return repeat
        if order.customer_id is None:
            raise InvalidInput(f"{order.label} has no customer to invoice", field="orderId")
        if order.status is OrderStatus.CANCELLED:
            raise InvalidInput(f"{order.label} is cancelled", field="orderId")
        lines = uninvoiced(order, await uow.invoices.invoiced_units(_id(order)))
        if not lines:
            raise InvalidInput(f"all of {order.label} is invoiced already", field="orderId")
        invoice = await issue(uow, order, lines, principal.subject, now, scope=scope, key=key)
        await uow.commit()
    return invoice


async def invoice_shipment(
    uow: UnitOfWork, order: Order, shipment: Shipment, actor: str, at: datetime
) -> Invoice | None:
    """The invoice of what a shipment of a WHOLESALE order with a customer sent (less any
    units invoiced on demand before it); other orders are invoiced on demand."""
    if order.channel is not ChannelCode.WHOLESALE or order.customer_id is None:
        return None
    lines = shipped_lines(order, shipment, await uow.invoices.invoiced_units(_id(order)))
    if not lines:
        return None
    return await issue(uow, order, lines, actor, at, shipment_id=shipment.id)


async def issue(
    uow: UnitOfWork,
    order: Order,
    lines: list[InvoiceLine],
    actor: str,
    at: datetime,
    *,
    shipment_id: int | None = None,
    scope: str | None = None,
    key: str | None = None,
) -> Invoice:
    """Number and store an invoice of the (held) order, due by its customer's group's
    terms, and set against it what the order captured and no invoice took yet."""
    assert order.customer_id is not None
    terms = await uow.invoices.payment_terms_of(order.customer_id)
    invoice = Invoice(
        kind=InvoiceKind.INVOICE,
        order_id=_id(order),
        customer_id=order.customer_id,
        currency=order.currency,
        lines=lines,
        issued_at=at,
        due_on=due_date(terms, at.date()),
        actor=actor,
        shipment_id=shipment_id,
    )
    invoice = await uow.invoices.add(invoice, scope, key)
    await allocate_captured(uow, order, at)
    return await uow.invoices.get(invoice.id or 0) or invoice


# -- terms ---------------------------------------------------------------------------------


async def set_customer_group_payment_terms(
    uow: UnitOfWork, principal: Principal, command: SetCustomerGroupPaymentTerms
) -> CustomerGroup:
    """When the group's customers' invoices fall due, from now on (issued ones keep theirs)."""
    principal.require(principal.role in INVOICERS, "set payment terms")
    async with uow:
        group = await uow.customer_groups.by_code(command.group_code.strip().upper())
        if group is None or group.id is None:
            raise NotFound.no_such("customer group", field="groupCode")
        await uow.invoices.set_payment_terms(group.id, command.payment_terms)
        await uow.commit()
    return group


# -- customer payments ---------------------------------------------------------------------


async def record_customer_payment(
    uow: UnitOfWork, principal: Principal, command: RecordCustomerPayment, now: datetime
) -> CustomerPaymentResult:
    """A customer's bank payment, set against its open invoices (oldest due first, or as
    given; never above a balance); each share is a captured BANK_TRANSFER on the invoice's
    order. What no invoice takes stays on the payment as the customer's credit."""
    principal.require(principal.role in INVOICERS, "record customer payments")
    key = idempotency_key(command.idempotency_key)
    scope = principal.idempotency_scope
    reference = command.reference.strip()
    if not reference or len(reference) > MAX_REFERENCE:
        raise InvalidInput(f"a reference has 1 to {MAX_REFERENCE} characters", field="reference")
    amount = Money.of(command.amount, command.currency, field="amount")
    if amount.amount <= 0:
        raise InvalidInput("a payment is above zero", field="amount")
    async with uow:
        repeat = await uow.invoices.customer_payment_by_key(scope, key)
        if repeat is not None:
            return CustomerPaymentResult(repeat, [])
        if await uow.customers.get(command.customer_id) is None:
            raise NotFound.no_such("customer", field="customerId")
        given = command.allocations
        if given is None:
            candidates = await uow.invoices.open_of_customer(command.customer_id)
        else:
            candidates = [
                await _invoice_of(uow, command.customer_id, s.invoice_id, i)
                for i, s in enumerate(given)
            ]
        orders: dict[int, Order] = {}
        for order_id in sorted({i.order_id for i in candidates}):
            order = await uow.orders.get(order_id)  # held: balances are read after this
            assert order is not None
            orders[order_id] = order
        if given is None:
            fresh = await uow.invoices.open_of_customer(command.customer_id)
            shares = allocate(
                amount, [i for i in fresh if i.order_id in orders and i.currency == amount.currency]
            )
        else:
            shares = _given_shares(
                [
                    await _invoice_of(uow, command.customer_id, s.invoice_id, i)
                    for i, s in enumerate(given)
                ],
                [s.amount for s in given],
                amount,
            )
        allocated = sum((share.amount for _, share in shares), start=Decimal(0))
        payment = CustomerPayment(
            customer_id=command.customer_id,
            amount=amount,
            reference=reference,
            received_on=command.received_on,
            actor=principal.subject,
            created_at=now,
            allocated=Money(allocated, amount.currency),
        )
        payment = await uow.invoices.add_customer_payment(payment, scope, key)
        for invoice, share in shares:
            order = orders[invoice.order_id]
            ledger = take_payment(
                order,
                PaymentMethod.BANK_TRANSFER,
                MANUAL_PROVIDER,
                share,
                # Unique per provider: one bank payment may pay several invoices of an order.
                f"{reference} [CP{payment.id} {invoice.number}]",
                principal.subject,
                now,
            )
            ledger = await uow.payments.add(order, ledger)
            await uow.invoices.allocate(
                invoice, share, now, customer_payment_id=payment.id, payment_id=ledger.id
            )
        await uow.commit()
    return CustomerPaymentResult(payment, [invoice.id or 0 for invoice, _ in shares])


def _given_shares(
    invoices: list[Invoice], texts: list[str], amount: Money
) -> list[tuple[Invoice, Money]]:
    """The caller's shares, checked: each within its invoice's balance (several shares of
    one invoice together), all within the payment."""
    shares = []
    taken: dict[int, Decimal] = {}
    for index, (invoice, text) in enumerate(zip(invoices, texts, strict=True)):
        field = f"allocations.{index}.amount"
        share = Money.of(text, invoice.currency, field=field)
        require_within_balance(invoice, share, field)
        taken[invoice.id or 0] = taken.get(invoice.id or 0, Decimal(0)) + share.amount
        if taken[invoice.id or 0] > invoice.balance.amount:
            raise AmountExceedsBalance(
                f"{invoice.number} has {invoice.balance.amount} {invoice.currency} open",
                field=field,
            )
        if invoice.currency != amount.currency:
            raise InvalidInput(f"{invoice.number} is in {invoice.currency}", field=field)
        shares.append((invoice, share))
    if sum((s.amount for _, s in shares), start=Decimal(0)) > amount.amount:
        raise AmountExceedsBalance(
            f"the allocations add up to more than the payment's {amount.amount} {amount.currency}",
            field="allocations",
        )
    return shares


async def _invoice_of(uow: UnitOfWork, customer_id: int, invoice_id: int, index: int) -> Invoice:
    invoice = await uow.invoices.get(invoice_id)
    if (
        invoice is None
        or invoice.customer_id != customer_id
        or invoice.kind is not InvoiceKind.INVOICE
    ):
        raise NotFound.no_such("invoice of this customer", field=f"allocations.{index}.invoiceId")
    return invoice


def _id(order: Order) -> int:
    assert order.id is not None  # loaded from the database
    return order.id
