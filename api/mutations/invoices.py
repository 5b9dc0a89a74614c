"""Mutations on invoices: issue on demand, payment terms, customer payments (docs/invoices.md)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.catalog import MoneyInput
from api.mutations.customer_groups import CustomerGroupPayload
from api.mutations.payloads import user_errors_field
from api.mutations.runner import key_of, run_mutation, without_clock
from api.types.common import Money
from api.types.invoices import Invoice
from domain.commands import invoices as commands
from domain.model.invoices import Invoice as DomainInvoice
from domain.model.invoices import PaymentTerms
from domain.model.pricing import CustomerGroup
from domain.usecases import invoices
from domain.usecases.invoices import CustomerPaymentResult
from persistence.reads import invoices as invoice_reads


@strawberry.input(description="Invoice all of an order that no invoice has billed yet.")
class IssueInvoiceInput:
    order_id: strawberry.ID = strawberry.field(description="The order (it needs a customer).")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Up to 200 characters, unique within the caller's requests: a repeat "
        "answers with the invoice the first one issued.",
    )


@strawberry.type(description="Result of issueInvoice.")
class IssueInvoicePayload:
    invoice: Invoice | None = strawberry.field(default=None, description="The invoice issued.")
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="When a customer group's invoices fall due.")
class SetCustomerGroupPaymentTermsInput:
    group_code: str = strawberry.field(description="The group.")
    payment_terms: PaymentTerms = strawberry.field(
        description="Its terms, for invoices issued from now on."
    )


@strawberry.input(description="Part of a customer payment set against one invoice.")
class InvoiceAllocationInput:
    invoice_id: strawberry.ID = strawberry.field(description="An open invoice of the customer.")
    amount: Decimal = strawberry.field(description="How much; at most its balance.")


@strawberry.input(description="A payment a customer made by bank transfer, for its invoices.")
class RecordCustomerPaymentInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer who paid.")
    amount: MoneyInput = strawberry.field(description="How much arrived.")
    reference: str = strawberry.field(description="The bank reference (1-150 characters).")
    received_on: date = strawberry.field(description="The day the money arrived.")
    allocations: list[InvoiceAllocationInput] | None = strawberry.field(
        default=None,
        description="Which invoices it pays, and how much of each; by default its open "
        "invoices in the payment's currency, oldest due first, each up to its balance.",
    )
    idempotency_key: str = strawberry.field(
        description="Up to 200 characters, unique within the caller's requests: a repeat "
        "answers with what the first one did, and never records the money twice."
    )


@strawberry.type(description="A customer's bank payment and how it was allocated.")
class CustomerPayment:
    amount: Money = strawberry.field(description="How much arrived.")
    allocated: Money = strawberry.field(description="How much was set against invoices.")
    unallocated: Money = strawberry.field(
        description="What no invoice took: the customer's credit, kept on the payment."
    )
    reference: str = strawberry.field(description="The bank reference.")
    received_on: date = strawberry.field(description="The day the money arrived.")
    created_at: datetime = strawberry.field(description="When it was recorded (UTC).")


@strawberry.type(description="Result of recordCustomerPayment.")
class RecordCustomerPaymentPayload:
    customer_payment: CustomerPayment | None = strawberry.field(
        default=None, description="The payment recorded."
    )
    invoices: list[Invoice] = strawberry.field(
        default_factory=list, description="The invoices it paid, as they are now."
    )
    user_errors: list[UserError] = user_errors_field()


async def _show_invoice(context: Context, invoice: DomainInvoice) -> IssueInvoicePayload:
    context.refresh_loaders()
    return IssueInvoicePayload(invoice=await context.loaders.invoices.invoice.load(invoice.id or 0))


async def _show_group(context: Context, group: CustomerGroup) -> CustomerGroupPayload:
    return CustomerGroupPayload(
        customer_group=await reload(context.loaders.customer_groups.group, group.id)
    )


async def _show_payment(
    context: Context, result: CustomerPaymentResult
) -> RecordCustomerPaymentPayload:
    context.refresh_loaders()
    payment = result.payment
    async with context.database.read_session() as session:
        ids = await invoice_reads.invoice_ids_of_customer_payment(session, payment.id or 0)
    found = await context.loaders.invoices.invoice.load_many(list(dict.fromkeys(ids)))
    currency = payment.amount.currency
    allocated = payment.allocated.amount if payment.allocated else Decimal(0)
    return RecordCustomerPaymentPayload(
        customer_payment=CustomerPayment(
            amount=Money(amount=payment.amount.amount, currency=currency),
            allocated=Money(amount=allocated, currency=currency),
            unallocated=Money(amount=payment.unallocated.amount, currency=currency),
            reference=payment.reference,
            received_on=payment.received_on,
            created_at=payment.created_at,
        ),
        invoices=[invoice for invoice in found if invoice is not None],
    )


@strawberry.type
class InvoiceMutations:
    @strawberry.mutation(
        description="Invoice all of an order (with a customer) that no invoice has billed "
        "yet; refused when nothing is left. WHOLESALE orders are also invoiced on each "
        "shipment (staff and admins)."
    )
    async def issue_invoice(
        self, info: strawberry.Info, input: IssueInvoiceInput
    ) -> IssueInvoicePayload:
        return await run_mutation(
            info,
            IssueInvoicePayload,
            invoices.issue_invoice,
            lambda: commands.IssueInvoice(
                order_id=key_of(input.order_id, "Order", "orderId"),
                idempotency_key=input.idempotency_key,
            ),
            _show_invoice,
        )

    @strawberry.mutation(
        description="Set when a customer group's invoices fall due (staff and admins); "
        "invoices issued before keep their due date."
    )
    async def set_customer_group_payment_terms(
        self, info: strawberry.Info, input: SetCustomerGroupPaymentTermsInput
    ) -> CustomerGroupPayload:
        return await run_mutation(
            info,
            CustomerGroupPayload,
            without_clock(invoices.set_customer_group_payment_terms),
            lambda: commands.SetCustomerGroupPaymentTerms(input.group_code, input.payment_terms),
            _show_group,
        )

    @strawberry.mutation(
        description="Record a customer's bank payment and set it against its open invoices "
        "(oldest due first, or as given; never above a balance). Each share is recorded as "
        "a captured BANK_TRANSFER payment of the invoice's order; the rest stays on the "
        "payment as unallocated credit (staff and admins)."
    )
    async def record_customer_payment(
        self, info: strawberry.Info, input: RecordCustomerPaymentInput
    ) -> RecordCustomerPaymentPayload:
        return await run_mutation(
            info,
            RecordCustomerPaymentPayload,
            invoices.record_customer_payment,
            lambda: commands.RecordCustomerPayment(
                customer_id=key_of(input.customer_id, "Customer", "customerId"),
                amount=str(input.amount.amount),
                currency=input.amount.currency,
                reference=input.reference,
                received_on=input.received_on,
                idempotency_key=input.idempotency_key,
                allocations=None
                if input.allocations is None
                else tuple(
                    commands.InvoiceShare(
                        key_of(share.invoice_id, "Invoice", f"allocations.{index}.invoiceId"),
                        str(share.amount),
                    )
                    for index, share in enumerate(input.allocations)
                ),
            ),
            _show_payment,
        )
